"""Acts on stories that go beyond editing a page: starting one from a floke."""

from django.db import transaction
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from wagtail.log_actions import log
from wagtail.rich_text import RichText

from blt.choices import BenefitTerm
from blt.models import Floke

from .models import StoryIndexPage, StoryPage

LEAD_LENGTH = 600


class StoryActionError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def story_index() -> StoryIndexPage | None:
    return StoryIndexPage.objects.live().order_by("path").first()


def may_start_story(user, index: StoryIndexPage | None = None) -> bool:
    index = index or story_index()
    return index is not None and index.permissions_for_user(user).can_add_subpage()


def paragraph(text: str) -> RichText:
    return RichText(linebreaks(escape(text.strip())))


def figure_value(figure) -> str:
    number = f"{figure.value.normalize():f}"
    return f"{number} {figure.unit}".strip()


def draft_body(floke: Floke) -> list[tuple[str, object]]:
    """The story's first draft, from what the pipeline knows; the writer takes it on."""
    body = []
    if floke.need_statement.strip():
        body += [
            ("heading", {"text": _("The need"), "level": "h2"}),
            ("paragraph", paragraph(floke.need_statement)),
        ]
    solution = [
        text
        for text in (floke.solution_what, floke.solution_for_whom, floke.solution_difference)
        if text.strip()
    ]
    if solution:
        body += [
            ("heading", {"text": _("The solution"), "level": "h2"}),
            ("paragraph", paragraph("\n\n".join(solution))),
        ]
    figures = list(floke.key_figures.all())
    if figures:
        body.append(
            (
                "key_figures",
                {
                    "heading": _("In numbers"),
                    "figures": [
                        {
                            "value": figure_value(figure),
                            "label": figure.label,
                            "source": figure.source,
                            "as_of": figure.as_of,
                        }
                        for figure in figures
                    ],
                },
            )
        )
    benefits = list(floke.benefits.all())
    if benefits:
        body.append(
            (
                "benefits",
                {
                    "heading": _("What it gives"),
                    "short_term": [b.planned for b in benefits if b.term == BenefitTerm.SHORT],
                    "long_term": [b.planned for b in benefits if b.term == BenefitTerm.LONG],
                },
            )
        )
    learnings = [floke.learnings, *(e.learnings for e in floke.experiments.all())]
    learnings = [text for text in learnings if text.strip()]
    if learnings:
        body += [
            ("heading", {"text": _("What we learned"), "level": "h2"}),
            ("paragraph", paragraph("\n\n".join(learnings))),
        ]
    body += [
        ("pipeline", {"floke": floke, "heading": "", "show_timeline": True}),
        ("call_to_action", {"heading": "", "text": "", "link_text": "", "page": None, "url": ""}),
    ]
    return body


def draft_lead(floke: Floke) -> str:
    lead = (floke.public_summary or floke.need_statement or floke.title).strip()
    return lead if len(lead) <= LEAD_LENGTH else lead[: LEAD_LENGTH - 1].rstrip() + "…"


def story_start_from_floke(*, floke: Floke, by) -> StoryPage:
    """A draft story under the story index, pre-filled from the floke and linked to it."""
    index = story_index()
    if index is None:
        raise StoryActionError(_("There is no story index to put the story under."))
    if not may_start_story(by, index):
        raise StoryActionError(_("You are not allowed to write stories."))
    story = StoryPage(
        title=floke.title,
        lead=draft_lead(floke),
        floke=floke,
        owner=by,
        live=False,
        date=None,
        body=draft_body(floke),
    )
    story.service_areas = list(floke.service_areas.all())
    with transaction.atomic():
        index.add_child(instance=story)
        story.save_revision(user=by, log_action=False)
        log(instance=story, action="wagtail.create", user=by)
    return story
