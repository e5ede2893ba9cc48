"""The story index: newest first, filters, pagination and RSS and Atom feeds."""

import re
import xml.etree.ElementTree as ET

import pytest

from blt.choices import Phase
from tests.factories import FlokeFactory, ServiceAreaFactory, with_phase
from tests.stories.factories import make_image, make_story

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def titles(html):
    return [
        part.split("</a>")[0].split(">")[-1] for part in html.split('class="story-card__title"')[1:]
    ]


def test_index_lists_stories_newest_first(client, site_tree):
    make_story(title="Eldst", date="2025-01-01")
    make_story(title="Nyest", date="2026-01-01")
    make_story(title="Midt i", date="2025-06-01")
    assert titles(client.get("/historier/").content.decode()) == ["Nyest", "Midt i", "Eldst"]


def test_a_story_moves_in_the_list_when_a_new_date_is_published_not_before(
    client, site_tree, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    make_story(title="Nyest", date="2026-01-01")
    older = make_story(title="Eldre", date="2025-01-01")
    older.date = "2026-06-01"
    older.save_revision()
    assert titles(client.get("/historier/").content.decode()) == ["Nyest", "Eldre"]

    older.get_latest_revision().publish()
    assert titles(client.get("/historier/").content.decode()) == ["Eldre", "Nyest"]


def test_a_story_without_a_date_is_listed_by_the_day_it_was_first_published(
    client, site_tree, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    make_story(title="Fra i fjor", date="2025-01-01")
    make_story(title="Uten dato", date=None, tags=["nabolag"])  # published, so dated
    assert titles(client.get("/historier/").content.decode()) == ["Uten dato", "Fra i fjor"]


def test_index_leaves_out_drafts(client, site_tree):
    draft = make_story(title="Utkast")
    draft.unpublish()
    assert "Utkast" not in client.get("/historier/").content.decode()


def test_index_filters_by_service_area_tag_and_phase(client, site_tree):
    area = ServiceAreaFactory(name="Oppvekst", slug="oppvekst")
    testing = with_phase(FlokeFactory(), Phase.TESTING)
    make_story(title="I oppvekst", service_areas=[area])
    make_story(title="Om samarbeid", tags=["samarbeid"])
    make_story(title="I testing", floke=testing)

    def listed(query):
        return titles(client.get(f"/historier/?{query}").content.decode())

    assert listed("area=oppvekst") == ["I oppvekst"]
    assert listed("tag=samarbeid") == ["Om samarbeid"]
    assert listed("phase=testing") == ["I testing"]
    assert listed("phase=behov") == []
    assert len(listed("")) == 3


def test_a_bad_filter_value_drops_only_that_filter(client, site_tree):
    area = ServiceAreaFactory(name="Oppvekst", slug="oppvekst")
    make_story(title="I oppvekst", service_areas=[area])
    make_story(title="Et annet sted")

    response = client.get("/historier/?area=oppvekst&tag=%00")

    assert titles(response.content.decode()) == ["I oppvekst"]


def test_tags_of_stories_behind_a_login_are_not_offered(client, site_tree):
    from wagtail.models import PageViewRestriction

    make_story(title="Åpen", tags=["apen"])
    hidden = make_story(title="Lukket", tags=["hemmelig"])
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)

    html = client.get("/historier/").content.decode()

    assert 'value="apen"' in html
    assert "hemmelig" not in html


def test_unknown_filter_values_show_every_story(client, site_tree):
    make_story()
    response = client.get("/historier/?area=finnes-ikke&phase=<script>")
    assert response.status_code == 200
    assert len(titles(response.content.decode())) == 1


def test_index_shows_twelve_stories_a_page_and_keeps_the_filter_when_paging(client, site_tree):
    for n in range(14):
        make_story(title=f"Historie {n:02d}", date=f"2026-01-{n + 1:02d}", tags=["felles"])
    first = client.get("/historier/?tag=felles").content.decode()
    assert len(titles(first)) == 12
    assert "Page 1 of 2" in first
    assert 'href="?tag=felles&amp;side=2"' in first
    second = client.get("/historier/?tag=felles&side=2").content.decode()
    assert titles(second) == ["Historie 01", "Historie 00"]


@pytest.mark.parametrize(
    ("side", "shown"),
    [
        ("2", ["Historie 01", "Historie 00"]),
        ("3", ["Historie 01", "Historie 00"]),
        ("99999999999999999999999", ["Historie 01", "Historie 00"]),
        ("0", ["Historie 01", "Historie 00"]),
        ("to", None),
        ("-1", ["Historie 01", "Historie 00"]),
    ],
)
def test_a_page_number_past_the_end_or_not_a_number_shows_a_real_page(
    client, site_tree, side, shown
):
    for n in range(14):
        make_story(title=f"Historie {n:02d}", date=f"2026-01-{n + 1:02d}")
    response = client.get(f"/historier/?side={side}")
    assert response.status_code == 200
    html = response.content.decode()
    if shown is None:
        assert len(titles(html)) == 12 and "Page 1 of 2" in html
    else:
        assert titles(html) == shown and "Page 2 of 2" in html


def test_the_first_row_of_card_images_loads_at_once_and_the_rest_lazily(client, site_tree):
    for n in range(5):
        make_story(
            title=f"Historie {n}",
            date=f"2026-0{n + 1}-01",
            hero_image=make_image(title=f"Bilde {n}"),
            hero_alt_text="Et bilde",
        )
    cards = client.get("/historier/").content.decode().split('<article class="story-card">')[1:]
    loading = [re.findall(r'<img [^>]*loading="(\w+)"', card) for card in cards]
    assert loading == [["eager"]] * 3 + [["lazy"]] * 2


def test_index_advertises_its_feeds_in_the_head(client, site_tree):
    head = client.get("/historier/").content.decode().split("</head>")[0]
    assert '<link rel="alternate" type="application/rss+xml"' in head
    assert 'href="/historier/rss/"' in head
    assert '<link rel="alternate" type="application/atom+xml"' in head
    assert 'href="/historier/atom/"' in head


def test_rss_feed_parses_and_lists_the_stories(client, site_tree):
    make_story(title="Første", date="2025-01-01")
    make_story(title="Andre", date="2026-01-01")
    response = client.get("/historier/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss"
    items = root.findall("./channel/item")
    assert [item.findtext("title") for item in items] == ["Andre", "Første"]
    assert items[0].findtext("link").startswith("http://testserver/historier/")
    assert items[0].findtext("description") == "Sju tjenester fant en felles dør inn for familiene."


def test_atom_feed_parses_and_lists_the_stories(client, site_tree):
    make_story(title="Første", date="2025-01-01")
    response = client.get("/historier/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Første"]
    assert entries[0].find(f"{ATOM}updated").text.startswith("2025-01-01")
