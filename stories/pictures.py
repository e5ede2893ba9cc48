"""The pictures of stories (a card's, a story's hero, one in a story), kept as markup.

A `<picture>` takes four to six renditions; finding them and writing their srcsets costs
about a millisecond each. The markup depends only on the image's file and focal point,
the kind of picture, how it loads and its alt text, all in the key, so a changed image is
never shown with old renditions. A page reads renditions only for the pictures whose
markup is not kept (`prepare`): one query at most, none once each has been shown.
"""

import hashlib

from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.template import Context, Template

FULL_WIDTH = 'sizes="(min-width: 46rem) 44rem, 100vw" alt=alt'
# Kind: (renditions, as `{% picture %}` takes them, and the tag's other attributes).
KINDS = {
    "card": (
        "format-{avif,jpeg} fill-{400x225,800x450}",
        'sizes="(min-width: 72rem) 22rem, (min-width: 44rem) 45vw, 100vw" alt=alt '
        'loading=loading class="story-card__image"',
    ),
    # Above the fold: fetched first, never lazily.
    "hero": (
        "format-{avif,jpeg} fill-{640x360,960x540,1440x810}",
        f'{FULL_WIDTH} fetchpriority="high"',
    ),
    "body": ("format-{avif,jpeg} width-{480,768,1120}", f"{FULL_WIDTH} loading=loading"),
}
LOAD = "{% load wagtailimages_tags %}"
TEMPLATES = {
    kind: Template(f"{LOAD}{{% picture image {specs} {attrs} %}}")
    for kind, (specs, attrs) in KINDS.items()
}
SECONDS = 24 * 60 * 60
# Where `prepare` leaves the markup it found on each image, by (kind, loading, alt).
KEPT = "_kept_pictures"


def key(image, kind: str, *, loading: str = "lazy", alt: str = "") -> str:
    version = f"{kind}:{image.pk}:{image.file.name}:{image.get_focal_point()}:{loading}:{alt}"
    return "stories:picture:" + hashlib.sha256(version.encode()).hexdigest()


def prepare(wanted) -> None:
    """Fetch, in one query, the renditions of the pictures whose markup is not kept.

    `wanted` holds (image, kind, loading, alt) for each picture the page will show.
    """
    keys = {
        key(image, kind, loading=loading, alt=alt): (image, (kind, loading, alt))
        for image, kind, loading, alt in wanted
        if image is not None
    }
    kept = cache.get_many(list(keys))
    missing = {}
    for k, (image, variant) in keys.items():
        if k in kept:
            # `picture` then takes it from the image, not from the cache again.
            image.__dict__.setdefault(KEPT, {})[variant] = kept[k]
        else:
            missing[image.pk] = image
    if missing:
        prefetch_related_objects(list(missing.values()), "renditions")


def picture(image, kind: str, *, loading: str = "lazy", alt: str = "") -> str:
    html = image.__dict__.get(KEPT, {}).get((kind, loading, alt))
    if html is not None:
        return html
    k = key(image, kind, loading=loading, alt=alt)
    html = cache.get(k)
    if html is None:
        context = Context({"image": image, "loading": loading, "alt": alt})
        html = TEMPLATES[kind].render(context)
        cache.set(k, html, SECONDS)
    return html


# The story's share image (og:image), as config/templatetags/seo_tags.py makes it.
SHARE = "fill-1200x630"


def renditions(kind: str) -> list[str]:
    """The filter specs of every rendition a picture of this kind shows."""
    from wagtail.images.models import Filter

    if kind == "share":
        return [SHARE]
    return Filter.expand_spec(KINDS[kind][0].replace(" ", "|"))


def of_story(story) -> list[tuple]:
    """(image, kind) for every picture a story shows: in cards, as its hero and share
    image, in its body."""
    found = []
    if story.hero_image is not None:
        found += [(story.hero_image, kind) for kind in ("card", "hero", "share")]
    for child in story.body:
        if child.block_type == "image" and child.value["image"] is not None:
            found.append((child.value["image"], "body"))
    return found
