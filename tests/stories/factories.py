"""Stories for tests: pages are added under the story index of the `site_tree` fixture."""

import json
from datetime import date

from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from stories.models import StoryIndexPage, StoryPage


def make_image(title="Familiemøte", colour="white", size=(320, 180)):
    return get_image_model().objects.create(
        title=title, file=get_test_image_file(colour=colour, size=size)
    )


def block(kind, value):
    return {"type": kind, "value": value}


def image_block(image, **value):
    return block("image", {"image": image.pk, "alt_text": "Foreldre rundt et bord", **value})


def make_story(
    *,
    index: StoryIndexPage | None = None,
    title="Familiehjelpa samlet tjenestene",
    body=(),
    tags=(),
    service_areas=(),
    **fields,
) -> StoryPage:
    index = index or StoryIndexPage.objects.get()
    fields.setdefault("lead", "Sju tjenester fant en felles dør inn for familiene.")
    fields.setdefault("date", date(2026, 3, 1))
    story = StoryPage(
        title=title,
        body=json.dumps(list(body) or [block("paragraph", "<p>Det begynte med en idé.</p>")]),
        **fields,
    )
    index.add_child(instance=story)
    if tags or service_areas:
        story.tags.add(*tags)
        story.service_areas.set(service_areas)
        story.save_revision().publish()
    return story
