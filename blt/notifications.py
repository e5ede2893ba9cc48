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
from ideabank.models import Idea
from ideabank.notifications import status_url

from .choices import Phase

PHASE_CHANGE_SUBJECT = _("News about the work your idea is part of")
STUCK_SUBJECT = _("Flokes waiting in the same phase")
UNANSWERED_SUBJECT = _("Ideas waiting for an answer")


CONTACT_FIELDS = (
    "pk",
    "floke_id",
    "reference",
    "title",
    "email",
    "may_contact",
    "language",
    "token",
)


def senders_to_tell(floke) -> dict[str, list]:
    """The ideas of each distinct contactable address, oldest idea first."""
    by_address: dict[str, list] = {}
    for idea in floke.ideas.order_by("pk").only(*CONTACT_FIELDS):
        if idea_conditions.can_be_contacted(idea):
            by_address.setdefault(idea.email.strip().lower(), []).append(idea)
    return by_address


def recipients(floke) -> list[list[int]]:
    """One list of idea ids per address to write to; ids, so no address waits in a queue."""
    return [[idea.pk for idea in ideas] for ideas in senders_to_tell(floke).values()]


def contactable(idea_ids: list[int]) -> list:
    ideas = Idea.objects.filter(pk__in=idea_ids).order_by("pk").only(*CONTACT_FIELDS)
    return [idea for idea in ideas if idea_conditions.can_be_contacted(idea)]


def send_phase_change(step, idea_ids: list[int]) -> bool:
    """One e-mail to one address, about its ideas, in the language of the first of them.

    The ideas are read again now: a sender who erased their address or withdrew their
    consent since the step was taken is not written to.
    """
    ideas = [idea for idea in contactable(idea_ids) if idea.floke_id == step.floke_id]
    if not ideas:
        return False
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
    return True


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
