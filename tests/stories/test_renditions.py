"""A story's renditions are made when it is published, so no visit writes any."""

from wagtail.images import get_image_model

import pytest

from stories import tasks
from tests.stories.factories import image_block, make_image, make_story

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def renditions():
    return get_image_model().get_rendition_model().objects.count()


def test_publishing_a_story_makes_its_renditions_and_visits_write_none(
    client, site_tree, django_capture_on_commit_callbacks
):
    story = make_story(
        title="Med bilder",
        hero_image=make_image(title="Toppbilde"),
        hero_alt_text="Foreldre rundt et bord",
        body=[image_block(make_image(title="I teksten"))],
    )
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()
    # The card's 4, the hero's 6 and the share image; 6 for the image in the text.
    assert renditions() == 4 + 6 + 1 + 6

    for url in (story.url, "/historier/", "/"):
        assert client.get(url).status_code == 200
    assert renditions() == 4 + 6 + 1 + 6


def test_a_story_no_longer_live_is_left_alone(site_tree):
    story = make_story(title="Trukket", hero_image=make_image(), hero_alt_text="Et bilde")
    story.unpublish()
    assert tasks.make_renditions.call(story.pk) == 0
    assert renditions() == 0
