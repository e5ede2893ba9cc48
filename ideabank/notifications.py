"""E-mails to senders. Only the public part of a change ever goes out."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import conditions
from .choices import Status

RECEIPT_SUBJECT = _("We have received your idea (%(reference)s)")
STATUS_SUBJECT = _("News about your idea %(reference)s")
ANSWER_SUBJECT = _("The municipality has answered your idea %(reference)s")


def status_url(idea) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "ideabank:status", args=[idea.token]
    )


def _send(idea, subject, template: str, context: dict) -> None:
    """Send in the language the idea was written in; the subject takes %(reference)s."""
    with translation.override(idea.language):
        body = render_to_string(
            f"ideabank/emails/{template}.txt",
            {"idea": idea, "status_url": status_url(idea), **context},
        )
        send_mail(str(subject) % {"reference": idea.reference}, body, None, [idea.email])


def send_receipt(idea) -> None:
    """The receipt goes to whoever gave an e-mail address, contact allowed or not."""
    if idea.email:
        _send(idea, RECEIPT_SUBJECT, "receipt", {})


def send_status_change(idea, status: str, description: str) -> None:
    if conditions.can_be_contacted(idea):
        context = {"status_label": Status(status).label, "description": description}
        _send(idea, STATUS_SUBJECT, "status_change", context)


def send_answer(answer) -> None:
    idea = answer.idea
    if conditions.can_be_contacted(idea):
        _send(idea, ANSWER_SUBJECT, "answer", {"answer": answer})
