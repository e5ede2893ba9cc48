"""Helpers for tests of Wagtail admin views: who is logged in, and what they got."""

from django.urls import reverse


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def outcome(response) -> str:
    """What happened, in the words of the permission matrix."""
    if response.status_code == 302:
        if response.url.startswith(reverse("wagtailadmin_login")):
            return "login"
        if response.url == reverse("wagtailadmin_home"):
            return "denied"
    if response.status_code in (200, 302):
        return "ok"
    return str(response.status_code)


def messages_in(response) -> list[str]:
    return [str(message).strip() for message in response.context["messages"]]
