"""E-mails to senders. Only the public part of a change ever goes out."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import conditions
from .choices import Status


def status_url(idea) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "ideabank:status", args=[idea.token]
    )


def _send(idea, subject: str, template: str, context: dict) -> None:
    body = render_to_string(
        f"ideabank/emails/{template}.txt",
        {"idea": idea, "status_url": status_url(idea), **context},
    )
    send_mail(subject, body, None, [idea.email])


def send_receipt(idea) -> None:
    """The receipt goes to whoever gave an e-mail address, contact allowed or not."""
    if not idea.email:
        return
    with translation.override(idea.language):
        _send(
            idea,
            _("We have received your idea (%(reference)s)") % {"reference": idea.reference},
            "receipt",
            {},
        )


def send_status_change(idea, status: str, description: str) -> None:
    if not conditions.can_be_contacted(idea):
        return
    with translation.override(idea.language):
        _send(
            idea,
            _("News about your idea %(reference)s") % {"reference": idea.reference},
            "status_change",
            {"status_label": Status(status).label, "description": description},
        )


def send_answer(answer) -> None:
    idea = answer.idea
    if not conditions.can_be_contacted(idea):
        return
    with translation.override(idea.language):
        _send(
            idea,
            _("The municipality has answered your idea %(reference)s")
            % {"reference": idea.reference},
            "answer",
            {"answer": answer},
        )
