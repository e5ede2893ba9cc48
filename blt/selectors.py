"""Reads for reminders, public timelines and the dashboard of flokes."""

import statistics
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from django_fsm_log.models import StateLog

from ideabank.choices import Status
from ideabank.models import Idea

from .choices import ACTIVE_PHASES, Phase
from .models import Floke

TRIAGE_PERMISSION = ("ideabank", "triage_idea")


def stuck_flokes(*, days: int, now: datetime):
    """Active flokes in the same phase for more than `days`, oldest first, with an owner."""
    return (
        Floke.objects.filter(
            phase__in=ACTIVE_PHASES,
            phase_changed_at__lt=now - timedelta(days=days),
            owner__is_active=True,
        )
        .exclude(owner__email="")
        .select_related("owner")
        .only("title", "phase", "phase_changed_at", "owner")
        .order_by("owner_id", "phase_changed_at", "pk")
    )


def unanswered_ideas(*, days: int, now: datetime):
    """Ideas still received, with no answer, sent more than `days` ago; oldest first."""
    return (
        Idea.objects.filter(status=Status.RECEIVED, created_at__lt=now - timedelta(days=days))
        .filter(answers__isnull=True)
        .only("reference", "title", "created_at")
        .order_by("created_at", "pk")
    )


def triage_staff():
    """Active users who may triage ideas, through a group or directly, with an e-mail."""
    app_label, codename = TRIAGE_PERMISSION
    permission = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()
    if permission is None:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(Q(groups__permissions=permission) | Q(user_permissions=permission))
        .filter(is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


# Flow metrics for the dashboard panel. Each reads a fixed number of queries, however
# many ideas and flokes there are; medians are taken in Python over one column, as
# SQLite has no median aggregate.

FUNNEL_PHASES = (Phase.LOSNING, Phase.TESTING, Phase.IMPLEMENTED, Phase.STOPPED)
FUNNEL_LABELS = {
    Phase.LOSNING: _("Reached solution"),
    Phase.TESTING: _("Reached testing"),
    Phase.IMPLEMENTED: _("Implemented"),
    Phase.STOPPED: _("Stopped"),
}


def median(values) -> float | None:
    return statistics.median(values) if values else None


def in_days(delta: timedelta) -> float:
    return delta.total_seconds() / 86400


def triage_backlog(*, now: datetime) -> dict:
    """Ideas waiting for triage: how many, and the oldest and median age in days."""
    received = sorted(
        Idea.objects.filter(status=Status.RECEIVED).values_list("created_at", flat=True)
    )
    ages = [in_days(now - created_at) for created_at in received]
    return {
        "count": len(ages),
        "oldest_days": max(ages) if ages else None,
        "median_days": median(ages),
    }


def flokes_per_phase(*, stuck_days: int, now: datetime) -> list[dict]:
    """Every phase in order with its number of flokes, and how many of them are stuck."""
    stuck = Q(phase__in=ACTIVE_PHASES, phase_changed_at__lt=now - timedelta(days=stuck_days))
    counts = {
        row["phase"]: row
        for row in Floke.objects.order_by()
        .values("phase")
        .annotate(count=Count("pk"), stuck=Count("pk", filter=stuck))
    }
    return [
        {
            "phase": phase,
            "count": counts.get(phase, {}).get("count", 0),
            "stuck": counts.get(phase, {}).get("stuck", 0),
        }
        for phase in Phase
    ]


def long_stuck_flokes(*, days: int, now: datetime):
    """Active flokes in the same phase for more than `days`, longest first, owned or not."""
    return (
        Floke.objects.filter(
            phase__in=ACTIVE_PHASES, phase_changed_at__lt=now - timedelta(days=days)
        )
        .select_related("owner")
        .only("title", "phase", "phase_changed_at", "owner")
        .order_by("phase_changed_at", "pk")
    )


def flow_funnel(*, since: datetime) -> list[dict]:
    """How far ideas and flokes came since `since`: each step counts what reached it then.

    A floke reaches Behov when it is opened; the later steps count flokes whose logged
    transitions entered that phase in the period, once each even if they went back.
    """
    received = Idea.objects.filter(created_at__gte=since).order_by().count()
    accepted = (
        StateLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Idea),
            state=Status.ACCEPTED,
            timestamp__gte=since,
        )
        .order_by()
        .aggregate(count=Count("object_id", distinct=True))
    )
    opened = Floke.objects.filter(created_at__gte=since).order_by().count()
    reached = (
        StateLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Floke), timestamp__gte=since
        )
        .order_by()
        .aggregate(
            **{
                phase.value: Count("object_id", filter=Q(state=phase), distinct=True)
                for phase in FUNNEL_PHASES
            }
        )
    )
    return [
        {"key": "received", "label": _("Ideas received"), "count": received},
        {"key": "accepted", "label": _("Ideas taken forward"), "count": accepted["count"]},
        {"key": Phase.BEHOV.value, "label": _("Flokes opened (need)"), "count": opened},
        *(
            {"key": phase.value, "label": FUNNEL_LABELS[phase], "count": reached[phase.value]}
            for phase in FUNNEL_PHASES
        ),
    ]


def phase_durations(*, since: datetime, now: datetime) -> dict[str, list[float]]:
    """Days each floke spent in each active phase, per stay, from the transition log.

    A stay runs from entering a phase (opening the floke, for the first Behov) to the
    next logged transition; a stay still going runs until now. Stays that ended before
    `since` are left out, so the figures follow the chosen period.
    """
    flokes = Floke.objects.order_by().values_list("pk", "created_at", "phase")
    logs = (
        StateLog.objects.filter(content_type=ContentType.objects.get_for_model(Floke))
        .order_by("object_id", "timestamp", "pk")
        .values_list("object_id", "timestamp", "source_state", "state")
    )
    changes: dict[int, list[tuple]] = {}
    for object_id, timestamp, source, target in logs:
        changes.setdefault(int(object_id), []).append((timestamp, source, target))

    durations: dict[str, list[float]] = {phase: [] for phase in ACTIVE_PHASES}
    for pk, created_at, current in flokes:
        steps = changes.get(pk, [])
        phase, start = (steps[0][1] if steps else current), created_at
        for timestamp, _source, target in steps:
            if phase in durations and timestamp >= since:
                durations[phase].append(in_days(timestamp - start))
            phase, start = target, timestamp
        if phase in durations:
            durations[phase].append(in_days(now - start))
    return durations


def median_days_in_phase(*, since: datetime, now: datetime) -> list[dict]:
    durations = phase_durations(since=since, now=now)
    return [
        {"phase": phase, "median_days": median(durations[phase]), "stays": len(durations[phase])}
        for phase in ACTIVE_PHASES
    ]
