"""Background work for the pipeline, through Django's tasks API.

Tasks take ids, not objects: by the time a worker runs one, a sender may have
withdrawn consent or erased their contact details.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from ops import queue
from ops.retries import retried

from . import notifications, selectors
from .models import FlokeStep, ReminderSent


@task
@retried
def send_phase_change(step_id: int) -> int:
    """Tell the senders of the floke's ideas, once: one task per address.

    The claim and the queueing share one transaction, so a failed run leaves the step
    unclaimed for its retry. Each address then has its own task and its own retries: a
    mail server refusing one address never makes the others hear twice.
    """
    with transaction.atomic():
        claimed = FlokeStep.objects.filter(pk=step_id, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
        if not claimed:
            return 0
        step = FlokeStep.objects.select_related("floke").get(pk=step_id)
        recipients = notifications.recipients(step.floke)
        for idea_ids in recipients:
            queue.enqueue(send_phase_change_to, step_id, idea_ids)
    return len(recipients)


@task
@retried
def send_phase_change_to(step_id: int, idea_ids: list[int]) -> bool:
    step = FlokeStep.objects.filter(pk=step_id).first()
    return step is not None and notifications.send_phase_change(step, idea_ids)


@contextmanager
def _first_today(kind: str, user_id: int, now):
    """True once per kind, person and day, so running the reminders twice sends once.

    The claim is a row in the database (`ReminderSent`), seen by every process and every
    run; a second run, even at the same moment, finds it taken. If sending fails, the
    claim is released, so the retry sends the reminder.
    """
    claim, first = ReminderSent.objects.get_or_create(
        kind=kind, user_id=user_id, day=timezone.localdate(now)
    )
    try:
        yield first
    except BaseException:
        if first:
            claim.delete()
        raise


@task
@retried
def send_reminders() -> dict[str, int]:
    """E-mail owners about stuck flokes and triage staff about unanswered ideas."""
    now = timezone.now()
    sent = {"stuck": 0, "unanswered": 0}

    stuck_days = settings.BLT_STUCK_DAYS
    by_owner: dict[int, list] = {}
    for floke in selectors.stuck_flokes(days=stuck_days, now=now):
        by_owner.setdefault(floke.owner_id, []).append(floke)
    for flokes in by_owner.values():
        owner = flokes[0].owner
        with _first_today("stuck", owner.pk, now) as first:
            if first:
                notifications.send_stuck_flokes(owner, flokes, days=stuck_days)
                sent["stuck"] += 1

    answer_days = settings.IDEABANK_ANSWER_REMINDER_DAYS
    ideas = list(selectors.unanswered_ideas(days=answer_days, now=now))
    if ideas:
        for user in selectors.triage_staff():
            with _first_today("unanswered", user.pk, now) as first:
                if first:
                    notifications.send_unanswered_ideas(user, ideas, days=answer_days)
                    sent["unanswered"] += 1
    return sent
