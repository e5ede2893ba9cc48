"""Background work for the pipeline, through Django's tasks API.

Tasks take ids, not objects: by the time a worker runs one, a sender may have
withdrawn consent or erased their contact details.
"""

from django.conf import settings
from django.core.cache import cache
from django.tasks import task
from django.utils import timezone

from . import notifications, selectors
from .models import FlokeStep

REMINDER_KEY = "blt:reminder:{kind}:{user}:{day}"
DAY = 24 * 60 * 60


@task
def send_phase_change(step_id: int) -> int:
    """Tell the senders of the floke's ideas; claim the step first so a retry sends nothing."""
    claimed = FlokeStep.objects.filter(pk=step_id, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return 0
    step = FlokeStep.objects.select_related("floke").get(pk=step_id)
    return notifications.send_phase_change(step)


def _first_today(kind: str, user_id: int, now) -> bool:
    """True once per kind, person and day, so running the reminders twice sends once."""
    key = REMINDER_KEY.format(kind=kind, user=user_id, day=timezone.localdate(now).isoformat())
    return cache.add(key, True, DAY)


@task
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
        if _first_today("stuck", owner.pk, now):
            notifications.send_stuck_flokes(owner, flokes, days=stuck_days)
            sent["stuck"] += 1

    answer_days = settings.IDEABANK_ANSWER_REMINDER_DAYS
    ideas = list(selectors.unanswered_ideas(days=answer_days, now=now))
    if ideas:
        for user in selectors.triage_staff():
            if _first_today("unanswered", user.pk, now):
                notifications.send_unanswered_ideas(user, ideas, days=answer_days)
                sent["unanswered"] += 1
    return sent
