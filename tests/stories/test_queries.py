"""Home, story index and a story cost a fixed number of queries, however much content."""

import pytest

from blt.choices import Phase
from tests.factories import (
    FlokeFactory,
    IdeaFactory,
    KeyFigureFactory,
    ServiceAreaFactory,
    with_phase,
)
from tests.stories.factories import block, image_block, make_image, make_story

# What rendering costs: the page cache would answer the counted request without a query.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def add_stories(count, *, area):
    for n in range(count):
        floke = with_phase(FlokeFactory(), Phase.TESTING)
        make_story(
            title=f"Historie {n}",
            hero_image=make_image(title=f"Bilde {n}"),
            hero_alt_text="Et bilde",
            floke=floke,
            service_areas=[area],
            tags=["samarbeid"],
        )


def rich_story(size):
    """A story whose body grows with `size`: images, pipeline blocks, links and figures."""
    flokes = [FlokeFactory() for _ in range(size)]
    for floke in flokes:
        KeyFigureFactory(floke=floke)
    body = []
    for n in range(size):
        body += [
            block("paragraph", f"<p>Avsnitt {n}</p>"),
            image_block(make_image(title=f"Bilde {n}")),
            block("pipeline", {"floke": flokes[n].pk, "show_timeline": True}),
            block("call_to_action", {}),
            block("key_figures", {"figures": [{"value": str(n), "label": "ting"}]}),
        ]
    floke = FlokeFactory()
    KeyFigureFactory(floke=floke)
    return make_story(
        body=body[:27],
        floke=floke,
        hero_image=make_image(),
        hero_alt_text="Et bilde",
        service_areas=[ServiceAreaFactory()],
        tags=["samarbeid"],
    )


def warm(client, url):
    # The first request makes the image renditions and fills the site caches.
    assert client.get(url).status_code == 200


def count_queries(client, url, django_assert_num_queries, expected):
    warm(client, url)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("stories", [1, 5])
def test_home_page_queries_do_not_grow_with_stories_or_ideas(
    client, site_tree, django_assert_num_queries, stories
):
    area = ServiceAreaFactory()
    add_stories(stories, area=area)
    for _ in range(stories * 2):
        IdeaFactory(published=True, service_areas=[area])
    count_queries(client, "/", django_assert_num_queries, HOME_QUERIES)


@pytest.mark.parametrize("stories", [1, 14])
def test_story_index_queries_do_not_grow_with_stories(
    client, site_tree, django_assert_num_queries, stories
):
    add_stories(stories, area=ServiceAreaFactory())
    count_queries(client, "/historier/", django_assert_num_queries, INDEX_QUERIES)


@pytest.mark.parametrize("stories", [1, 14])
def test_story_cards_read_their_renditions_in_one_query_when_none_are_kept(
    client, site_tree, django_assert_num_queries, stories
):
    from django.core.cache import cache

    from stories import pictures
    from stories.models import StoryPage

    add_stories(stories, area=ServiceAreaFactory())
    warm(client, "/historier/")
    # The card pictures expire; the site, its routes and links are still shared.
    images = [story.hero_image for story in StoryPage.objects.select_related("hero_image")]
    cache.delete_many(
        [
            pictures.key(image, "card", loading=load)
            for image in images
            for load in ("eager", "lazy")
        ]
    )
    with django_assert_num_queries(INDEX_QUERIES + 1):
        assert client.get("/historier/").status_code == 200
    with django_assert_num_queries(INDEX_QUERIES):
        assert client.get("/historier/").status_code == 200


@pytest.mark.parametrize("size", [1, 4])
def test_story_page_queries_do_not_grow_with_blocks_images_or_flokes(
    client, site_tree, django_assert_num_queries, size
):
    story = rich_story(size)
    count_queries(client, story.url, django_assert_num_queries, STORY_QUERIES)


@pytest.mark.parametrize("size", [1, 4])
def test_a_story_reads_the_renditions_of_its_pictures_in_one_query_when_none_are_kept(
    client, site_tree, django_assert_num_queries, monkeypatch, size
):
    from stories import pictures

    story = rich_story(size)
    warm(client, story.url)
    # Every kept picture expires (new keys); the site and its routes are still shared.
    key = pictures.key
    monkeypatch.setattr(pictures, "key", lambda *args, **kwargs: key(*args, **kwargs) + ":x")
    with django_assert_num_queries(STORY_QUERIES + 1):
        assert client.get(story.url).status_code == 200
    with django_assert_num_queries(STORY_QUERIES):
        assert client.get(story.url).status_code == 200


# Serving costs no query for a visitor without a session: the site, the tree, the pages
# on the way (a story with its service areas and topics), the URLs the header links to
# and whether any page is restricted are shared until pages change (pagecache.shared,
# pagecache.routing). The rest is a fixed cost per page: see the selectors. The budget
# is twelve.
HOME_QUERIES = 4
INDEX_QUERIES = 2
STORY_QUERIES = 4


def test_the_budget():
    assert max(HOME_QUERIES, INDEX_QUERIES, STORY_QUERIES) <= 12
