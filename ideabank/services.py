"""Every write that matters to an idea. Views and admin call these, nothing else.

Each act checks permission, changes the idea inside one transaction (so a lost
race leaves no log row behind), logs it to Wagtail's audit log, and sends e-mail
only after the transaction commits.
"""

import io
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models import Avg, F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.log_actions import get_active_log_context, log
from wagtail.log_actions import registry as log_registry

from django_fsm import (
    ConcurrentTransition,
    TransitionNotAllowed,
    can_proceed,
    has_transition_perm,
)
from django_fsm_log.models import StateLog

from ops import queue

from . import conditions, images, privacy, selectors, tasks
from .choices import Criterion, ErasureReason, Source, Status
from .models import (
    PERSONAL_DATA_PERMISSION,
    PUBLISH_PERMISSION,
    TRIAGE_PERMISSION,
    Answer,
    Assessment,
    Idea,
    IdeaPhoto,
    ReferenceSequence,
    Support,
    TransitionRefused,
)

STAFF_TRANSITIONS = ("start_review", "accept", "decline", "reopen", "merge")
# Accepting makes the idea part of a floke, so it needs the floke to join: the pipeline
# offers it with the floke to choose (`blt.services.idea_accept_into_floke`), and it has
# no plain form here.
INTO_FLOKE = ("accept",)


class IdeaActionError(Exception):
    """An act refused with a message fit to show the person who tried it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Conflict(IdeaActionError):
    """Someone else changed the idea since the user loaded it."""


class PersonalDataFound(IdeaActionError):
    """The text looks like it holds personal data; staff must confirm before publishing."""

    def __init__(self, findings: list[str]):
        super().__init__(_("The text may contain personal data. Check it before you publish."))
        self.findings = findings


def check_public_text(idea: Idea, text: str, *, checked: bool) -> None:
    """Text shown on a published idea's page gets the same privacy check as publishing."""
    if idea.is_published and not checked and (findings := privacy.find_personal_data(text)):
        raise PersonalDataFound(privacy.describe(findings))


def conflict() -> Conflict:
    return Conflict(
        _(
            "Someone else changed this idea while you were looking at it. Reload the "
            "page to see the change, then try again."
        )
    )


@dataclass(frozen=True)
class Submission:
    title: str
    body: str
    concerns: str
    name: str
    email: str
    phone: str
    may_contact: bool
    may_publish: bool


def next_reference(year: int) -> str:
    """IDE-<year>-<nnnn>, counted per year; the row lock keeps numbers unique under load."""
    quote = connection.ops.quote_name
    # One statement takes the number and locks the row until the idea is stored; the ORM
    # needs an update and a read for it. SQLite (3.35+) and PostgreSQL both return rows.
    sql = "UPDATE {table} SET {last} = {last} + 1 WHERE {year} = %s RETURNING {last}".format(
        table=quote(ReferenceSequence._meta.db_table), last=quote("last"), year=quote("year")
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [year])
        row = cursor.fetchone()
    if row is None:  # The year's first idea.
        ReferenceSequence.objects.get_or_create(year=year)
        return next_reference(year)
    return f"IDE-{year}-{row[0]:04d}"


def idea_submit(
    *,
    submission: Submission,
    service_areas,
    photos: list,
    submission_key,
    user=None,
    language: str = "nb",
) -> tuple[Idea, bool]:
    """Store a new idea once per form; a replay of the same form returns the first idea.

    The unique submission key, not a read before the insert, is what finds a replay.
    """
    try:
        with transaction.atomic():
            idea = Idea(
                reference=next_reference(timezone.localdate().year),
                submission_key=submission_key,
                source=Source.EMPLOYEE if user is not None else Source.RESIDENT,
                submitted_by=user,
                language=language,
                **submission.__dict__,
            )
            idea.save()
            # A new idea has no areas yet: one insert, not set()'s read first.
            Idea.service_areas.through.objects.bulk_create(
                Idea.service_areas.through(idea=idea, servicearea=area) for area in service_areas
            )
            for number, upload in enumerate(photos, start=1):
                photo = IdeaPhoto(idea=idea)
                photo.image.save(f"{idea.reference.lower()}-{number}.upload", upload, save=True)
                # Not after the commit: this is no message to the world, and with the
                # database queue the task row belongs in the same transaction.
                tasks.process_photo.enqueue(photo.pk)
            queue.enqueue(tasks.send_receipt, idea.pk)
    except IntegrityError:
        # A double click raced us to the same submission key: the first one won.
        existing = Idea.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        return existing, False
    return idea, True


def idea_photo_process(*, photo: IdeaPhoto) -> bool:
    """Re-encode a photo sent with an idea, then throw the original away.

    The original still has its EXIF and GPS: it stays in private storage, shown to
    nobody, only until this has run.
    """
    original = photo.image.name
    # Outside the try: a storage fault is for the retry, not a reason to drop the photo.
    with photo.image.open("rb") as file:
        data = file.read()
    try:
        clean = images.reencode(io.BytesIO(data))
    except images.UNREADABLE:
        # It decoded when it was sent; if it no longer does, nobody is to see it.
        photo.delete()
        return False
    with transaction.atomic():
        # Erased or deleted meanwhile (retention, the sender): write nothing.
        photo = IdeaPhoto.objects.select_for_update().filter(pk=photo.pk).first()
        if photo is None or photo.processed_at is not None:
            return False
        storage = photo.image.storage
        photo.image.save(f"{Path(original).stem}.jpg", clean.content, save=False)
        written = photo.image.name
        transaction.on_commit(lambda: storage.delete(original))
        try:
            photo.width, photo.height = clean.width, clean.height
            photo.processed_at = timezone.now()
            photo.save(update_fields=["image", "width", "height", "processed_at"])
        except Exception:
            # The new file must not outlive the row that would have named it.
            storage.delete(written)
            raise
    return True


def idea_transition(
    *,
    idea: Idea,
    name: str,
    by,
    description: str = "",
    expected_status: str | None = None,
    into: Idea | None = None,
    floke=None,
    personal_data_checked: bool = False,
) -> Idea:
    """Fire one of the staff transitions (start_review, accept, decline, reopen, merge).

    `floke` is the floke an accepted idea joins; intake never imports the pipeline, so
    it comes from the caller and the idea reaches it through its relation.
    """
    if name not in STAFF_TRANSITIONS:
        raise IdeaActionError(_("That is not a step staff can take."))
    description = description.strip()
    try:
        with transaction.atomic():
            fresh = Idea.objects.get(pk=idea.pk)
            if expected_status and fresh.status != expected_status:
                raise conflict()
            method = getattr(fresh, name)
            if not can_proceed(method, check_conditions=False):
                raise IdeaActionError(
                    _("That step is not possible while the idea is %(status)s.")
                    % {"status": fresh.get_status_display()}
                )
            if not has_transition_perm(method, by):
                raise IdeaActionError(_("You are not allowed to do that with this idea."))
            check_public_text(fresh, description, checked=personal_data_checked)
            source = fresh.status
            kwargs = {"by": by, "description": description}
            if name == "merge":
                kwargs["into"] = into
            if name in INTO_FLOKE:
                kwargs["floke"] = floke
            method(**kwargs)
            fresh.save()
            log(
                instance=fresh,
                action="ideabank.transition",
                user=by,
                data={
                    "transition": name,
                    "from": source,
                    "to": fresh.status,
                    "description": description,
                },
            )
            queue.enqueue(tasks.send_status_change, fresh.pk, fresh.status, description)
    except ConcurrentTransition:
        raise conflict() from None
    except TransitionNotAllowed:
        raise conflict() from None
    except TransitionRefused as refused:
        raise IdeaActionError(str(refused.args[0])) from None
    return fresh


def idea_withdraw(*, idea: Idea, description: str = "") -> Idea:
    """The sender withdraws through their private link; holding the token is the permission."""
    try:
        with transaction.atomic():
            fresh = Idea.objects.get(pk=idea.pk)
            source = fresh.status
            fresh.withdraw(description=description.strip())
            fresh.save()
            log(
                instance=fresh,
                action="ideabank.transition",
                user=None,
                data={
                    "transition": "withdraw",
                    "from": source,
                    "to": fresh.status,
                    "description": "",
                },
            )
    except (ConcurrentTransition, TransitionNotAllowed):
        raise IdeaActionError(_("This idea can no longer be withdrawn.")) from None
    return fresh


def log_many(rows: Iterable[tuple[int, str]], *, action: str, user=None, **fields) -> None:
    """Write one audit log row per idea (pk, label) in a single insert.

    Wagtail's `log()` inserts one row per call; acts on many ideas at once (retention,
    a sender's erasure) would cost a query per idea. The rows share one uuid, as the
    rows of one act do in Wagtail.
    """
    model = log_registry.get_log_model_for_model(Idea)
    content_type = ContentType.objects.get_for_model(Idea)
    now = timezone.now()
    act = get_active_log_context().uuid or uuid.uuid4()
    model.objects.bulk_create(
        model(
            content_type=content_type,
            object_id=str(pk),
            label=label,
            action=action,
            timestamp=now,
            user=user,
            uuid=act,
            **fields,
        )
        for pk, label in rows
    )


def ideas_erase_contact(*, ideas, by=None, reason: str, remove_photos: bool = False) -> int:
    """Remove everything that points to the senders of these ideas; the ideas' text stays.

    Name, e-mail, phone, the employee's account and the consent to be contacted go;
    with `remove_photos`, the photos too (they can show people, docs/decisions/0014).
    Safe to repeat: the first erasure's time is kept. A fixed number of queries, however
    many ideas; returns how many there were.
    """
    with transaction.atomic():
        rows = list(ideas.order_by("pk").values_list("pk", "reference", "title"))
        if not rows:
            return 0
        pks = [pk for pk, _reference, _title in rows]
        Idea.objects.filter(pk__in=pks).update(
            name="",
            email="",
            phone="",
            may_contact=False,
            submitted_by=None,
            contact_erased_at=Coalesce("contact_erased_at", Value(timezone.now())),
        )
        photos = 0
        if remove_photos:
            # The files go once the transaction commits (signals.remove_photo_file).
            photos, _deleted = IdeaPhoto.objects.filter(idea__in=pks).delete()
        log_many(
            ((pk, f"{reference} {title}") for pk, reference, title in rows),
            action="ideabank.erase_contact",
            user=by,
            data={"reason": reason, "photos_removed": bool(photos)},
        )
    return len(pks)


def idea_erase_contact(
    *, idea: Idea, by=None, reason: str = ErasureReason.SENDER, remove_photos: bool = False
) -> Idea:
    """Remove everything that points to the sender of one idea; the idea text stays."""
    ideas_erase_contact(
        ideas=Idea.objects.filter(pk=idea.pk), by=by, reason=reason, remove_photos=remove_photos
    )
    idea.refresh_from_db(
        fields=["name", "email", "phone", "may_contact", "submitted_by", "contact_erased_at"]
    )
    return idea


def personal_data_export(*, ideas, by) -> dict:
    """Everything stored about one sender, for an administrator answering their request."""
    if not by.has_perm(PERSONAL_DATA_PERMISSION):
        raise IdeaActionError(_("You are not allowed to do that with this idea."))
    with transaction.atomic():
        data = selectors.personal_data(ideas)
        # The audit log says which ideas were exported, never the address looked up.
        log_many(
            (
                (pk, f"{reference} {title}")
                for pk, reference, title in ideas.values_list("pk", "reference", "title")
            ),
            action="ideabank.export_personal_data",
            user=by,
            data={"ideas": len(data["ideas"])},
        )
    return data


def personal_data_erase(*, ideas, by) -> int:
    """Erase one sender's contact details and photos from all their ideas, at their request."""
    if not by.has_perm(PERSONAL_DATA_PERMISSION):
        raise IdeaActionError(_("You are not allowed to do that with this idea."))
    return ideas_erase_contact(ideas=ideas, by=by, reason=ErasureReason.REQUEST, remove_photos=True)


def idea_mark_spam(*, idea: Idea, by) -> Idea:
    """Say a declined idea was spam: it is deleted with its photos after a grace period."""
    if not by.has_perm(TRIAGE_PERMISSION):
        raise IdeaActionError(_("You are not allowed to do that with this idea."))
    if not conditions.can_be_marked_spam(idea):
        raise IdeaActionError(_("Only a declined idea can be marked as spam."))
    with transaction.atomic():
        # The status in the filter: an idea reopened meanwhile is not marked.
        marked = Idea.objects.filter(
            pk=idea.pk, status=Status.DECLINED, marked_spam_at__isnull=True
        ).update(marked_spam_at=timezone.now(), is_published=False)
        if not marked:
            raise conflict()
        idea.refresh_from_db(fields=["marked_spam_at", "is_published"])
        log(instance=idea, action="ideabank.mark_spam", user=by, data={})
    return idea


def idea_unmark_spam(*, idea: Idea, by) -> Idea:
    """A mistake: the idea stays declined, and is kept like any other."""
    if not by.has_perm(TRIAGE_PERMISSION):
        raise IdeaActionError(_("You are not allowed to do that with this idea."))
    with transaction.atomic():
        unmarked = Idea.objects.filter(pk=idea.pk, marked_spam_at__isnull=False).update(
            marked_spam_at=None
        )
        if not unmarked:
            raise conflict()
        idea.refresh_from_db(fields=["marked_spam_at"])
        log(instance=idea, action="ideabank.unmark_spam", user=by, data={})
    return idea


def ideas_delete_spam(*, ideas) -> int:
    """Delete spam ideas with their photos, answers and status log; returns how many.

    The audit log keeps one row per deleted idea, labelled by its reference only.
    """
    with transaction.atomic():
        rows = list(ideas.order_by("pk").values_list("pk", "reference"))
        if not rows:
            return 0
        pks = [pk for pk, _reference in rows]
        log_many(rows, action="ideabank.delete_spam", deleted=True, data={})
        StateLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Idea), object_id__in=pks
        ).delete()
        # Cascades to photos (their files go after the commit), answers and supports.
        Idea.objects.filter(pk__in=pks).delete()
    return len(pks)


RETENTION_BATCH = 200


def _in_batches(queryset, act, size: int) -> int:
    """Run `act` on the queryset's ideas `size` at a time, each batch its own transaction.

    Walks by primary key, so it ends even if an act leaves an idea in the queryset, and a
    failure keeps the batches already done.
    """
    done, last = 0, 0
    while pks := list(
        queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size]
    ):
        done += act(Idea.objects.filter(pk__in=pks))
        last = pks[-1]
    return done


def ideas_apply_retention(*, now=None, batch_size: int = RETENTION_BATCH) -> dict[str, int]:
    """Delete spam past its grace period, then anonymise ideas closed long ago."""
    now = now or timezone.now()
    deleted = _in_batches(
        selectors.spam_past_retention(now=now),
        lambda ideas: ideas_delete_spam(ideas=ideas),
        batch_size,
    )
    erased = _in_batches(
        selectors.ideas_past_retention(now=now),
        lambda ideas: ideas_erase_contact(
            ideas=ideas, reason=ErasureReason.RETENTION, remove_photos=True
        ),
        batch_size,
    )
    return {"spam_deleted": deleted, "erased": erased}


def idea_answer(*, idea: Idea, text: str, by, personal_data_checked: bool = False) -> Answer:
    if not by.has_perm(TRIAGE_PERMISSION):
        raise IdeaActionError(_("You are not allowed to do that with this idea."))
    text = text.strip()
    if not text:
        raise IdeaActionError(_("Write an answer first."))
    check_public_text(idea, text, checked=personal_data_checked)
    with transaction.atomic():
        answer = Answer.objects.create(idea=idea, text=text, created_by=by)
        log(instance=idea, action="ideabank.answer", user=by, data={"answer": text})
        queue.enqueue(tasks.send_answer, answer.pk)
    return answer


def idea_assess(*, idea: Idea, assessor, scores: dict[str, int], comment: str = "") -> Assessment:
    if not assessor.has_perm(TRIAGE_PERMISSION):
        raise IdeaActionError(_("You are not allowed to do that with this idea."))
    values = {criterion: int(scores[criterion]) for criterion in Criterion.values}
    with transaction.atomic():
        assessment, _created = Assessment.objects.update_or_create(
            idea=idea, assessor=assessor, defaults={**values, "comment": comment.strip()}
        )
        totals = sum(F(criterion) for criterion in Criterion.values)
        mean = Assessment.objects.filter(idea=idea).aggregate(mean=Avg(totals))["mean"]
        Idea.objects.filter(pk=idea.pk).update(score=Decimal(mean).quantize(Decimal("0.01")))
        log(
            instance=idea,
            action="ideabank.assess",
            user=assessor,
            data={**values, "total": assessment.total},
        )
    return assessment


def idea_publish(*, idea: Idea, by, personal_data_checked: bool = False) -> Idea:
    """Show the idea in the public idea bank, never without the sender's consent."""
    if not by.has_perm(PUBLISH_PERMISSION):
        raise IdeaActionError(_("You are not allowed to do that with this idea."))
    if not conditions.sender_allows_publishing(idea):
        raise IdeaActionError(_("The sender has not allowed this idea to be published."))
    if not conditions.can_be_published(idea):
        raise IdeaActionError(_("Withdrawn and merged ideas cannot be published."))
    findings = privacy.find_personal_data(f"{idea.title}\n{idea.body}\n{idea.concerns}")
    if findings and not personal_data_checked:
        raise PersonalDataFound(privacy.describe(findings))
    with transaction.atomic():
        Idea.objects.filter(pk=idea.pk).update(
            is_published=True, published_at=idea.published_at or timezone.now()
        )
        idea.refresh_from_db(fields=["is_published", "published_at"])
        log(instance=idea, action="ideabank.publish", user=by, data={})
    return idea


def idea_unpublish(*, idea: Idea, by) -> Idea:
    if not by.has_perm(PUBLISH_PERMISSION):
        raise IdeaActionError(_("You are not allowed to do that with this idea."))
    with transaction.atomic():
        Idea.objects.filter(pk=idea.pk).update(is_published=False)
        idea.refresh_from_db(fields=["is_published"])
        log(instance=idea, action="ideabank.unpublish", user=by, data={})
    return idea


def idea_support(*, idea: Idea, supporter: str) -> bool:
    """Count one browser's support once; returns False when it had already supported."""
    if not idea.is_published or idea.status in (Status.WITHDRAWN, Status.MERGED):
        raise IdeaActionError(_("This idea cannot be supported."))
    try:
        with transaction.atomic():
            Support.objects.create(idea=idea, supporter=supporter)
            Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") + 1)
    except IntegrityError:
        return False
    return True
