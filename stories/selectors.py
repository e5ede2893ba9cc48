"""Reads for the home page, the story index, a story and its pipeline blocks.

Stories read the pipeline's live rows; the pipeline never reads stories. Every function
here costs a fixed number of queries, however many stories, flokes or images there are.
"""

from django.db.models import Count, F, Prefetch, prefetch_related_objects

from blt.choices import Phase
from blt.models import Floke, FlokeStep, KeyFigure
from ideabank.choices import label
from ideabank.selectors import area_names_of
from pagecache.shared import page_url, restricted_paths, shared

from . import pictures
from .models import StoryPage, StoryTag

LISTING_FIELDS = (
    "title",
    "slug",
    "url_path",
    "path",
    "depth",
    "locale_id",
    "lead",
    "published_on",
    "first_published_at",
    "hero_image",
    "hero_alt_text",
    "hero_decorative",
)


FLOKE_ROWS = (
    Prefetch(
        "public_steps", queryset=FlokeStep.objects.only("floke", "at", "target", "public_reason")
    ),
    Prefetch(
        "key_figures",
        queryset=KeyFigure.objects.only(
            "floke", "value", "unit", "label", "source", "as_of"
        ).order_by("-as_of", "pk"),
    ),
)


def story_context(page: StoryPage) -> dict:
    """The story's hero and floke, its pictures prepared and every floke's live rows.

    Images and flokes chosen in the body are loaded by their blocks, one query per block
    type; here the hero and the linked floke join them. Renditions (for the pictures not
    kept, `pictures.prepare`), public steps and key figures are fetched once for all.
    """
    hero = page.hero_image if page.hero_image_id else None
    floke = page.floke if page.floke_id else None
    wanted, flokes = [(hero, "hero", "lazy", page.hero_alt)], []
    for child in page.body:
        if child.block_type == "image" and child.value["image"] is not None:
            wanted.append((child.value["image"], "body", "lazy", image_alt(child.value)))
        elif child.block_type == "pipeline" and child.value["floke"] is not None:
            flokes.append(child.value["floke"])
    pictures.prepare(wanted)
    prefetch_related_objects([item for item in (floke, *flokes) if item], *FLOKE_ROWS)
    return {"hero": hero, "floke": floke}


def image_alt(value) -> str:
    """An image block's alt text: none for a decorative image."""
    return "" if value["decorative"] else value["alt_text"]


def story_listing(stories):
    """Stories as cards: no body, the hero image, the floke's phase (`floke_phase`).

    The hero's renditions come with `as_cards`, for the cards that need them. A card
    shows only the floke's phase: read as a column, not made a floke object per card.
    """
    return (
        stories.defer_streamfields()
        .only(*LISTING_FIELDS)
        .select_related("hero_image")
        .annotate(floke_phase=F("floke__phase"))
    )


def live_public_stories():
    stories = StoryPage.objects.live()
    # Wagtail's public() costs a query for the restrictions; mostly there are none.
    return stories.public() if restricted_paths() else stories


def public_stories(*, index=None, area: str = "", tag: str = "", phase: str = ""):
    """Live stories, newest first, filtered by service area, tag and the floke's phase."""
    stories = live_public_stories()
    if index is not None:
        stories = stories.child_of(index)
    # Subqueries rather than joins, so a story is never listed twice and needs no DISTINCT.
    if area:
        stories = stories.filter(
            pk__in=StoryPage.service_areas.through.objects.filter(servicearea__slug=area).values(
                "storypage_id"
            )
        )
    if tag:
        stories = stories.filter(
            pk__in=StoryTag.objects.filter(tag__slug=tag).values("content_object_id")
        )
    if phase:
        stories = stories.filter(floke__phase=phase)
    newest = F("published_on").desc(nulls_last=True)
    return story_listing(stories.order_by(newest, "-first_published_at", "-pk"))


def as_cards(stories, request=None, *, eager: int = 0) -> list[StoryPage]:
    """Stories ready for `story_card.html`: each with its URL, the names of its service
    areas, its floke's phase by name and how its picture loads (the first `eager` at
    once, the rest lazily), the pictures prepared."""
    stories = list(stories)
    areas = (
        area_names_of(StoryPage.service_areas, [story.pk for story in stories]) if stories else {}
    )
    for n, story in enumerate(stories):
        story.card_url = page_url((story.pk, story.url_path), request)
        story.card_loading = "eager" if n < eager else "lazy"
        story.area_names = areas.get(story.pk, [])
        story.phase_label = label(Phase, story.floke_phase) if story.floke_phase else ""
    pictures.prepare((story.hero_image, "card", story.card_loading, "") for story in stories)
    return stories


def latest_stories(request=None, *, limit: int = 3) -> list[StoryPage]:
    """The newest stories as cards. Which they are changes only with what bumps the
    generation (a page published, moved or restricted), so only their ids are shared:
    the cards are read by primary key, without sorting every story."""
    ids = shared(
        f"stories:latest:{limit}",
        lambda: list(public_stories().values_list("pk", flat=True)[:limit]),
    )
    return as_cards(stories_by_pk(ids), request)


def stories_by_pk(ids: list[int]) -> list[StoryPage]:
    """Live stories ready for `as_cards`, in the order of `ids`."""
    found = story_listing(StoryPage.objects.live().filter(pk__in=ids).order_by())
    by_pk = {story.pk: story for story in found}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def story_tags():
    """Tags used by at least one live story, for the filter."""
    return (
        StoryTag.tag_model()
        .objects.filter(
            stories_storytag_items__content_object__in=live_public_stories(),
        )
        .distinct()
        .order_by("name")
    )


def tag_choices() -> list[tuple[str, str]]:
    """(slug, name) of the tags in story_tags(); tags and stories bump the generation."""
    return shared("stories:tag-choices", lambda: list(story_tags().values_list("slug", "name")))


def pipeline_figures() -> dict:
    """Flokes per phase and how many were implemented (ideas this year come from ideabank).

    Counted once per generation: every change to a floke bumps it.
    """
    counts = shared(
        "stories:flokes-per-phase",
        lambda: dict(
            Floke.objects.order_by()
            .values_list("phase")
            .annotate(count=Count("pk"))
            .values_list("phase", "count")
        ),
    )
    return {
        "flokes_per_phase": [
            {"phase": phase.value, "label": phase.label, "count": counts.get(phase.value, 0)}
            for phase in Phase
            if phase not in (Phase.IMPLEMENTED,)
        ],
        "implemented": counts.get(Phase.IMPLEMENTED.value, 0),
    }
