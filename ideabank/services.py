"""Every write that matters to an idea. Views and admin call these, nothing else.

Each act checks permission, changes the idea inside one transaction (so a lost
race leaves no log row behind), logs it to Wagtail's audit log, and sends e-mail
only after the transaction commits.
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Avg, F
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from django_fsm import (
    ConcurrentTransition,
    TransitionNotAllowed,
    can_proceed,
    has_transition_perm,
)

from . import conditions, privacy, tasks
from .choices import Criterion, Source, Status
from .images import Photo
from .models import (
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
    ReferenceSequence.objects.get_or_create(year=year)
    ReferenceSequence.objects.filter(year=year).update(last=F("last") + 1)
    last = ReferenceSequence.objects.select_for_update().get(year=year).last
    return f"IDE-{year}-{last:04d}"


def idea_submit(
    *,
    submission: Submission,
    service_areas,
    photos: list[Photo],
    submission_key,
    user=None,
    language: str = "nb",
) -> tuple[Idea, bool]:
    """Store a new idea once per form; a replay of the same form returns the first idea."""
    existing = Idea.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing, False
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
            idea.service_areas.set(service_areas)
            for number, photo in enumerate(photos, start=1):
                IdeaPhoto(idea=idea, width=photo.width, height=photo.height).image.save(
                    f"{idea.reference.lower()}-{number}.jpg", photo.content, save=True
                )
            transaction.on_commit(partial(tasks.send_receipt.enqueue, idea.pk))
    except IntegrityError:
        # A double click raced us to the same submission key: the first one won.
        existing = Idea.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        return existing, False
    return idea, True


def idea_transition(
    *,
    idea: Idea,
    name: str,
    by,
    description: str = "",
    expected_status: str | None = None,
    into: Idea | None = None,
    personal_data_checked: bool = False,
) -> Idea:
    """Fire one of the staff transitions (start_review, accept, decline, reopen, merge)."""
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
            transaction.on_commit(
                partial(tasks.send_status_change.enqueue, fresh.pk, fresh.status, description)
            )
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


def idea_erase_contact(*, idea: Idea, by=None) -> Idea:
    """Remove everything that points to the sender; the idea text stays."""
    with transaction.atomic():
        Idea.objects.filter(pk=idea.pk).update(
            name="",
            email="",
            phone="",
            may_contact=False,
            submitted_by=None,
            contact_erased_at=timezone.now(),
        )
        idea.refresh_from_db(
            fields=["name", "email", "phone", "may_contact", "submitted_by", "contact_erased_at"]
        )
        log(instance=idea, action="ideabank.erase_contact", user=by, data={})
    return idea


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
        transaction.on_commit(partial(tasks.send_answer.enqueue, answer.pk))
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
