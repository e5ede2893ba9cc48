"""What django-axes needs from the site: the client's address, and the lockout page."""

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from axes.helpers import get_cool_off


def client_ip(request) -> str | None:
    """The client's address as the rate limits see it: the proxy's header when behind one.

    Behind a proxy, REMOTE_ADDR is the proxy, and one person's failures would lock
    everyone out.
    """
    key = settings.RATELIMIT_IP_META_KEY or "REMOTE_ADDR"
    return request.META.get(key) or request.META.get("REMOTE_ADDR")


# The width of django-axes' username column: a longer name posted at the sign-in form
# would fail to store (PostgreSQL) instead of counting as a failure.
USERNAME_LENGTH = 255


def client_username(request, credentials=None) -> str | None:
    """The username a failure is counted for, as typed, cut to what axes can store."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    return username[:USERNAME_LENGTH] if isinstance(username, str) else username


def locked_out(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    return render(
        request,
        "accounts/locked_out.html",
        {"retry_at": timezone.now() + cool_off if cool_off else None},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
