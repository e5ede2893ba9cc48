"""Every write that matters to a floke. Views and admin call these, nothing else.

Each act checks permission, changes the floke inside one transaction (so a lost
race leaves no log row behind) and logs it to Wagtail's audit log. E-mail to the
senders of linked ideas is queued with the step (`ops.queue`), so nothing goes out
for a step that is rolled back.
"""

import datetime
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.documents import get_document_model
from wagtail.log_actions import log
from wagtail.models import Collection, CollectionViewRestriction

from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed

from ideabank import services as ideabank_services
from ideabank.models import Idea
from ops import queue

from . import conditions, tasks
from .choices import ExperimentStatus, InsightKind
from .models import (
    Attachment,
    Benefit,
    CoCreation,
    Experiment,
    Floke,
    FlokeStep,
    Insight,
    KeyFigure,
    TeamMember,
    TransitionRefused,
)

TRANSITIONS = ("to_losning", "to_testing", "implement", "step_back", "stop", "reopen")

# Text a transition form may fill in together with the step (a gate may need it).
TRANSITION_FIELDS = (
    "need_statement",
    "solution_what",
    "solution_for_whom",
    "solution_difference",
    "decision_note",
    "stop_reason",
    "learnings",
)

ADD_PERMISSION = "blt.add_floke"
CHANGE_PERMISSION = "blt.change_floke"

# The solution concept: text on the floke whose last change is stamped with who and when.
SOLUTION_FIELDS = ("solution_what", "solution_for_whom", "solution_difference")

# Everything the floke's edit form writes, for those who may change flokes.
EDIT_FIELDS = (
    "title",
    "owner",
    "team",
    "need_statement",
    "description",
    "public_summary",
    "internal_notes",
    *SOLUTION_FIELDS,
    "decision_note",
    "learnings",
    "service_areas",
)
# What the owner and team write on their own floke without the right to change flokes:
# the texts the gates ask for that no transition form asks for (docs/decisions/0015).
GATE_TEXT_FIELDS = ("need_statement", *SOLUTION_FIELDS)
MANY_TO_MANY = ("team", "service_areas")


class FlokeActionError(Exception):
    """An act refused with a message fit to show the person who tried it."""

    def __init__(self, message: str, missing: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.missing = missing or []


class Conflict(FlokeActionError):
    """Someone else moved the floke since the user loaded it."""


class GateClosed(FlokeActionError):
    """The phase's work is not recorded yet; `missing` lists every gap."""

    def __init__(self, missing: list[str]):
        super().__init__(" ".join(missing), missing)


def conflict() -> Conflict:
    return Conflict(
        _(
            "Someone else moved this floke while you were looking at it. Reload the "
            "page to see the change, then try again."
        )
    )


def not_allowed() -> FlokeActionError:
    return FlokeActionError(_("You are not allowed to do that with this floke."))


def require_may_move(floke: Floke, user) -> None:
    if not conditions.may_move(floke, user):
        raise not_allowed()


def missing_for(floke: Floke, name: str) -> list[str]:
    """Every gate of this step, from the floke's phase, that is not passed yet."""
    meta = getattr(floke, name)._django_fsm
    step = meta.get_transition(floke.phase)
    return conditions.missing(floke, step.conditions if step else [])


def floke_transition(
    *,
    floke: Floke,
    name: str,
    by,
    description: str = "",
    public_reason: str = "",
    expected_phase: str | None = None,
    **fields: str,
) -> Floke:
    """Move a floke along the BLT machine, or say exactly why it cannot move.

    `fields` are texts the step needs (a decision note, the stop reason, learnings),
    saved together with the step or not at all.
    """
    if name not in TRANSITIONS:
        raise FlokeActionError(_("That is not a step in the BLT process."))
    unknown = set(fields) - set(TRANSITION_FIELDS)
    if unknown:
        raise TypeError(f"floke_transition() got unexpected fields: {sorted(unknown)}")
    description = description.strip()
    public_reason = public_reason.strip()
    try:
        with transaction.atomic():
            fresh = Floke.objects.get(pk=floke.pk)
            if expected_phase and fresh.phase != expected_phase:
                raise conflict()
            method = getattr(fresh, name)
            if not can_proceed(method, check_conditions=False):
                raise FlokeActionError(
                    _("That step is not possible while the floke is in %(phase)s.")
                    % {"phase": fresh.get_phase_display()}
                )
            if not method._django_fsm.has_transition_perm(fresh, fresh.phase, by):
                raise not_allowed()
            changed = [
                field for field, value in fields.items() if getattr(fresh, field) != value.strip()
            ]
            for field, value in fields.items():
                setattr(fresh, field, value.strip())
            stamp_solution(fresh, by=by, changed=changed)
            if missing := missing_for(fresh, name):
                raise GateClosed(missing)
            source = fresh.phase
            method(by=by, description=description)
            fresh.save()
            log(
                instance=fresh,
                action="blt.transition",
                user=by,
                data={
                    "transition": name,
                    "from": source,
                    "to": fresh.phase,
                    "description": description,
                    "public_reason": public_reason,
                    "fields": {field: getattr(fresh, field) for field in fields},
                },
            )
            step = FlokeStep.objects.create(
                floke=fresh,
                at=fresh.phase_changed_at,
                source=source,
                target=fresh.phase,
                public_reason=public_reason,
            )
            if public_reason:
                queue.enqueue(tasks.send_phase_change, step.pk)
    except (ConcurrentTransition, TransitionNotAllowed):
        raise conflict() from None
    except PermissionDenied:
        raise not_allowed() from None
    except TransitionRefused as refused:
        raise FlokeActionError(str(refused.args[0])) from None
    return fresh


def stamp_solution(floke: Floke, *, by, changed) -> list[str]:
    """Note who changed the solution concept and when; the fields to save with it."""
    if not set(changed) & set(SOLUTION_FIELDS):
        return []
    floke.solution_changed_at = timezone.now()
    floke.solution_changed_by = by if getattr(by, "is_authenticated", False) else None
    return ["solution_changed_at", "solution_changed_by"]


def editable_fields(floke: Floke, user) -> tuple[str, ...]:
    """What this user may write in the floke's edit form; empty when nothing."""
    if user is None or not user.is_active:
        return ()
    if user.has_perm(CHANGE_PERMISSION):
        return EDIT_FIELDS
    if conditions.may_move(floke, user):
        return GATE_TEXT_FIELDS
    return ()


def differs(floke: Floke, name: str, value) -> bool:
    if name in MANY_TO_MANY:
        stored = set(getattr(floke, name).values_list("pk", flat=True))
        return stored != {item.pk for item in value}
    if name == "owner":
        return floke.owner_id != (value.pk if value is not None else None)
    return getattr(floke, name) != value


def floke_edit(*, floke: Floke, by, **values) -> Floke:
    """Save what was corrected in the floke's form; the phase moves only through transitions.

    `floke` is the floke as the user loaded it: if its phase changed since, the save is a
    conflict (`ConcurrentTransitionMixin`), so nobody overwrites a step they did not see.
    """
    allowed = editable_fields(floke, by)
    unknown = set(values) - set(EDIT_FIELDS)
    if unknown:
        raise TypeError(f"floke_edit() got unexpected fields: {sorted(unknown)}")
    if not allowed or set(values) - set(allowed):
        raise not_allowed()
    values = {
        name: value.strip() if isinstance(value, str) else value for name, value in values.items()
    }
    stored = Floke.objects.get(pk=floke.pk)
    changed = sorted(name for name, value in values.items() if differs(stored, name, value))
    plain = [name for name in values if name not in MANY_TO_MANY]
    for name in plain:
        setattr(floke, name, values[name])
    stamped = stamp_solution(floke, by=by, changed=changed)
    try:
        with transaction.atomic():
            floke.save(update_fields=[*plain, *stamped, "updated_at"])
            for name in MANY_TO_MANY:
                if name in values:
                    getattr(floke, name).set(values[name])
            log(
                instance=floke,
                action="wagtail.edit",
                user=by,
                content_changed=bool(changed),
                data={"changed": changed},
            )
    except ConcurrentTransition:
        raise conflict() from None
    return floke


def floke_create(
    *,
    by,
    title: str,
    need_statement: str = "",
    description: str = "",
    service_areas=(),
    owner=None,
    team=(),
) -> Floke:
    """Innovation staff open a floke, from ideas or directly (e.g. a cohort's own)."""
    if not by.has_perm(ADD_PERMISSION):
        raise not_allowed()
    title = title.strip()
    if not title:
        raise FlokeActionError(_("Give the floke a title."))
    with transaction.atomic():
        floke = Floke.objects.create(
            title=title,
            need_statement=need_statement.strip(),
            description=description.strip(),
            owner=owner or by,
        )
        floke.service_areas.set(service_areas)
        floke.team.set(team)
        log(instance=floke, action="wagtail.create", user=by)
    return floke


def validated(record: models.Model, *, exclude: tuple[str, ...] = ()) -> None:
    """Run the model's own checks; a refusal becomes a message for the user."""
    try:
        record.full_clean(exclude=["floke", "created_by", *exclude])
    except ValidationError as error:
        raise FlokeActionError(" ".join(error.messages)) from None


def save_record(
    record: models.Model, *, by, action: str, changed=None, also_changed=()
) -> models.Model:
    """Save one record of a floke and log it on the floke's history.

    `also_changed` names what changed outside the record (an attachment's file).
    """
    with transaction.atomic():
        record.save(update_fields=changed)
        if also_changed:
            changed = [*changed, *also_changed]
        log(
            instance=record.floke,
            action=action,
            user=by,
            data={
                "kind": record._meta.model_name,
                "record": record.pk,
                "title": str(record),
                **({"changed": sorted(changed)} if changed else {}),
            },
        )
    return record


def floke_add_record(*, floke: Floke, by, model: type[models.Model], **fields) -> models.Model:
    """Add a co-creation activity, benefit, key figure or team member to a floke."""
    if model not in RECORD_MODELS:
        raise TypeError(f"{model.__name__} is not a floke record")
    require_may_move(floke, by)
    fields = {
        name: value.strip() if isinstance(value, str) else value
        for name, value in fields.items()
        # Left empty, a field with a default (a date: today) takes it.
        if not (value is None and model._meta.get_field(name).has_default())
    }
    record = model(floke=floke, **fields)
    if hasattr(record, "created_by_id"):
        record.created_by = by
    validated(record)
    return save_record(record, by=by, action=f"blt.add_{model._meta.model_name}")


def floke_update_record(*, record: models.Model, by, **fields) -> models.Model:
    """Correct a record, or fill in what was learned later: a result, a realised value."""
    if type(record) not in RECORD_MODELS:
        raise TypeError(f"{type(record).__name__} is not a floke record")
    require_may_move(record.floke, by)
    for name, value in fields.items():
        setattr(record, name, value.strip() if isinstance(value, str) else value)
    validated(record)
    return save_record(
        record, by=by, action=f"blt.edit_{record._meta.model_name}", changed=list(fields)
    )


def floke_add_insight(
    *,
    floke: Floke,
    by,
    kind: str,
    summary: str,
    people_count: int | None = None,
    date: datetime.date | None = None,
) -> Insight:
    require_may_move(floke, by)
    if not summary.strip():
        raise FlokeActionError(_("Write what the insight is."))
    if kind not in InsightKind.values:
        raise FlokeActionError(_("Choose what kind of insight this is."))
    fields = {"date": date} if date is not None else {}
    return floke_add_record(
        floke=floke,
        by=by,
        model=Insight,
        kind=kind,
        summary=summary,
        people_count=people_count,
        **fields,
    )


def floke_add_experiment(
    *,
    floke: Floke,
    by,
    title: str,
    hypothesis: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    method: str = "",
    participants: str = "",
    status: str = ExperimentStatus.PLANNED,
    result: str = "",
    learnings: str = "",
) -> Experiment:
    require_may_move(floke, by)
    if not title.strip():
        raise FlokeActionError(_("Give the experiment a title."))
    if status not in ExperimentStatus.values:
        raise FlokeActionError(_("Choose the status of the experiment."))
    if start and end and end < start:
        raise FlokeActionError(_("The experiment cannot end before it starts."))
    return floke_add_record(
        floke=floke,
        by=by,
        model=Experiment,
        title=title,
        hypothesis=hypothesis,
        start=start,
        end=end,
        method=method,
        participants=participants,
        status=status,
        result=result,
        learnings=learnings,
    )


def floke_add_attachment(
    *, floke: Floke, by, title: str, file, description: str = ""
) -> Attachment:
    """Keep a document with the floke, in the collection only staff can open."""
    require_may_move(floke, by)
    title = title.strip() or file.name
    with transaction.atomic():
        document = get_document_model()(
            title=title, file=file, collection=attachment_collection(), uploaded_by_user=by
        )
        document.save()
        attachment = Attachment(
            floke=floke,
            created_by=by,
            document=document,
            title=title,
            description=description.strip(),
        )
        validated(attachment, exclude=("document",))
        return save_record(attachment, by=by, action="blt.add_attachment")


def floke_update_attachment(
    *, record: Attachment, by, title: str = "", description: str = "", file=None
) -> Attachment:
    """Correct an attachment: its title, what it is, or the file itself (a wrong upload).

    A new file replaces the old one in the same document, as Wagtail's own document
    form does; the old file is removed from storage once the change is committed.
    """
    require_may_move(record.floke, by)
    record.title = title.strip() or record.title
    record.description = description.strip()
    file_changed = ("file",) if file is not None else ()
    validated(record, exclude=("document",))
    with transaction.atomic():
        document = record.document
        document.title = record.title
        document_fields = ["title"]
        if file is not None:
            old = document.file
            document.file = file
            # Wagtail works both out again from the file when asked.
            document.file_size, document.file_hash = file.size, ""
            document_fields += ["file", "file_size", "file_hash"]
            transaction.on_commit(partial(old.storage.delete, old.name))
        document.save(update_fields=document_fields)
        return save_record(
            record,
            by=by,
            action="blt.edit_attachment",
            changed=["title", "description"],
            also_changed=file_changed,
        )


def attachment_collection() -> Collection:
    """The collection for floke attachments; only signed-in staff may open its files.

    Wagtail serves documents by URL, so without the restriction anyone who got hold
    of a link could read an internal report.
    """
    name = "BLT"
    collection = Collection.objects.filter(name=name, depth=2).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=name)
    if not collection.view_restrictions.exists():
        CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.LOGIN
        )
    return collection


RECORD_MODELS = (Insight, CoCreation, Experiment, Benefit, KeyFigure, TeamMember, Attachment)


def idea_accept_into_floke(
    *,
    idea: Idea,
    by,
    floke: Floke | None = None,
    title: str = "",
    description: str = "",
) -> Floke:
    """Accept an idea under review into a new floke, or let it join an existing one.

    `description` is the public answer that goes with the idea's acceptance. The
    idea's step and the floke change in one transaction: both happen or neither.
    """
    if floke is None:
        if not by.has_perm(ADD_PERMISSION):
            raise not_allowed()
    else:
        require_may_move(floke, by)
    try:
        with transaction.atomic():
            # An idea is only ever accepted into a floke, so the floke comes first; if the
            # idea cannot be accepted, the new floke is rolled back with it.
            if floke is None:
                source = Idea.objects.get(pk=idea.pk)
                floke = floke_create(
                    by=by,
                    title=title or source.title,
                    description=source.body,
                    service_areas=source.service_areas.all(),
                )
            accepted = ideabank_services.idea_transition(
                idea=idea, name="accept", by=by, description=description, floke=floke
            )
            floke.service_areas.add(*accepted.service_areas.all())
            log(
                instance=floke,
                action="blt.idea_joined",
                user=by,
                data={"idea": accepted.pk, "reference": accepted.reference},
            )
    except ideabank_services.Conflict as error:
        raise Conflict(error.message) from None
    except ideabank_services.IdeaActionError as error:
        raise FlokeActionError(error.message) from None
    return floke
