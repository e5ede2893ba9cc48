"""E-mail to the senders of a floke's ideas when a story about the floke is published."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from blt.notifications import contactable
from ideabank.notifications import status_url

STORY_SUBJECT = _("A story about the work your idea is part of")


def send_story_published(story, idea_ids: list[int]) -> bool:
    """One e-mail to one address, in the language of that sender's first idea."""
    ideas = [idea for idea in contactable(idea_ids) if idea.floke_id == story.floke_id]
    if not ideas:
        return False
    first = ideas[0]
    with translation.override(first.language):
        body = render_to_string(
            "stories/emails/story_published.txt",
            {
                "title": story.title,
                "story_url": story.get_full_url(),
                "ideas": [(idea, status_url(idea)) for idea in ideas],
            },
        )
        send_mail(str(STORY_SUBJECT), body, None, [first.email])
    return True
