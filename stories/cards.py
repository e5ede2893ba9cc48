"""The `<picture>` of a story card, kept per image version.

Finding four renditions and writing their srcsets costs about a millisecond a card. The
markup depends only on the image's file and focal point and on how the card loads it,
all in the key, so a changed image is never shown with old renditions. A listing reads
renditions only for the images whose markup is not kept (`prepare`): one query at most,
none once every card has been shown.
"""

import hashlib

from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.template import Context, Template

PICTURE = Template(
    "{% load wagtailimages_tags %}{% picture image format-{avif,jpeg} fill-{400x225,800x450} "
    'sizes="(min-width: 72rem) 22rem, (min-width: 44rem) 45vw, 100vw" alt="" '
    'loading=loading class="story-card__image" %}'
)
SECONDS = 24 * 60 * 60


def key(image, loading: str) -> str:
    version = f"{image.pk}:{image.file.name}:{image.get_focal_point()}:{loading}"
    return "stories:card-picture:" + hashlib.sha256(version.encode()).hexdigest()


def prepare(stories, *, eager: int = 0) -> None:
    """Say how each card loads its picture (the first `eager` at once, the rest lazily),
    and fetch, in one query, the renditions of the pictures whose markup is not kept."""
    wanted = {}
    for n, story in enumerate(stories):
        story.card_loading = "eager" if n < eager else "lazy"
        if story.hero_image_id:
            wanted[key(story.hero_image, story.card_loading)] = story.hero_image
    kept = cache.get_many(list(wanted))
    missing = {image.pk: image for k, image in wanted.items() if k not in kept}
    if missing:
        prefetch_related_objects(list(missing.values()), "renditions")


def picture(image, loading: str) -> str:
    k = key(image, loading)
    html = cache.get(k)
    if html is None:
        html = PICTURE.render(Context({"image": image, "loading": loading}))
        cache.set(k, html, SECONDS)
    return html
