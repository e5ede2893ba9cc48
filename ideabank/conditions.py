"""Pure predicates about ideas: no queries beyond the instance, no side effects."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .choices import CLOSED_STATUSES, Source, Status


def sender_allows_publishing(idea) -> bool:
    """Employees' ideas are work material; residents must have said yes."""
    return idea.source == Source.EMPLOYEE or idea.may_publish


def can_be_published(idea) -> bool:
    return sender_allows_publishing(idea) and idea.status not in (
        Status.WITHDRAWN,
        Status.MERGED,
    )


def can_be_contacted(idea) -> bool:
    return idea.may_contact and bool(idea.email)


def token_is_valid(idea, now=None) -> bool:
    """The private link lives while the idea is open and for a while after it closes."""
    if idea.status not in CLOSED_STATUSES or idea.closed_at is None:
        return True
    ttl = timedelta(days=settings.IDEABANK["TOKEN_TTL_DAYS"])
    return (now or timezone.now()) < idea.closed_at + ttl


def can_be_marked_spam(idea) -> bool:
    """Only a declined idea: staff decide first, then say it was spam, never by accident."""
    return idea.status == Status.DECLINED and idea.marked_spam_at is None
