"""Reads for reminders and public timelines of flokes."""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q

from ideabank.choices import Status
from ideabank.models import Idea

from .choices import ACTIVE_PHASES
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
