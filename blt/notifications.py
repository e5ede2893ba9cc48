"""E-mails from the pipeline: senders told about their floke, staff reminded of waiting work.

Only the public part of a step ever reaches a sender: the phase and the public reason,
never who moved the floke or the internal comment.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ideabank import conditions as idea_conditions
from ideabank.notifications import status_url

from .choices import Phase

PHASE_CHANGE_SUBJECT = _("News about the work your idea is part of")
STUCK_SUBJECT = _("Flokes waiting in the same phase")
UNANSWERED_SUBJECT = _("Ideas waiting for an answer")


def senders_to_tell(floke) -> dict[str, list]:
    """The ideas of each distinct contactable address, oldest idea first."""
    by_address: dict[str, list] = {}
    for idea in floke.ideas.order_by("pk").only(
        "pk", "reference", "title", "email", "may_contact", "language", "token"
    ):
        if idea_conditions.can_be_contacted(idea):
            by_address.setdefault(idea.email.strip().lower(), []).append(idea)
    return by_address


def send_phase_change(step) -> int:
    """One e-mail per address, in the language of that sender's first idea."""
    sent = 0
    for ideas in senders_to_tell(step.floke).values():
        first = ideas[0]
        with translation.override(first.language):
            body = render_to_string(
                "blt/emails/phase_change.txt",
                {
                    "target_label": Phase(step.target).label,
                    "public_reason": step.public_reason,
                    "ideas": [(idea, status_url(idea)) for idea in ideas],
                },
            )
            send_mail(str(PHASE_CHANGE_SUBJECT), body, None, [first.email])
        sent += 1
    return sent


def _send_to_staff(user, subject, template: str, context: dict) -> None:
    """Staff get reminders in the site's default language."""
    admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_home")
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            f"blt/emails/{template}.txt", {"user": user, "admin_url": admin_url, **context}
        )
        send_mail(str(subject), body, None, [user.email])


def send_stuck_flokes(owner, flokes, *, days: int) -> None:
    _send_to_staff(owner, STUCK_SUBJECT, "stuck_flokes", {"flokes": flokes, "days": days})


def send_unanswered_ideas(user, ideas, *, days: int) -> None:
    _send_to_staff(user, UNANSWERED_SUBJECT, "unanswered_ideas", {"ideas": ideas, "days": days})
