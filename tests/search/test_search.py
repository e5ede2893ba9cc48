"""The search page finds pages, stories and published ideas, and survives any input."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import pytest

from tests.factories import IdeaFactory
from tests.site.html import head, one
from tests.stories.factories import block, make_story

pytestmark = pytest.mark.django_db
URL = "/sok/"


@pytest.fixture(autouse=True)
def _in_english(client):
    """Assert on the English texts, which do not change when translations do."""
    client.cookies["django_language"] = "en"


def search(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_an_empty_search_asks_for_words(client, site_tree):
    html = search(client)
    assert '<label for="search-q">' in html
    assert "Type one or more words" in html
    assert "result" not in html.split('id="main"')[1].split("Type one or more words")[0].lower()


def test_only_punctuation_counts_as_an_empty_search(client, site_tree):
    assert "Type one or more words" in search(client, q='"" *** ()')


def test_published_ideas_are_found_and_unpublished_ones_are_not(client, site_tree):
    found = IdeaFactory(published=True, title="Gatelys ved skolen")
    hidden = IdeaFactory(title="Gatelys i parken")
    html = search(client, q="gatelys")
    assert found.title in html
    assert f"/idebank/{found.pk}/" in html
    assert hidden.title not in html
    assert "ola@example.org" not in html


def test_live_pages_are_found_and_drafts_are_not(client, site_tree):
    site_tree.submit.unpublish()
    html = search(client, q="idébanken")
    assert 'href="/idebank/"' in html
    assert "/idebank/send-inn/" not in search(client, q="send inn")


def pages_section(html: str) -> str:
    return html.split('id="pages-title"')[1].split("</section>")[0]


def test_a_story_is_found_by_its_title(client, site_tree):
    story = make_story(title="Familiehjelpa samlet tjenestene")
    pages = pages_section(search(client, q="familiehjelpa"))
    assert f'<a href="{story.url}">Familiehjelpa samlet tjenestene</a>' in pages
    assert "Sju tjenester fant en felles dør inn for familiene." in pages
    assert "Pages and stories <span" in pages and "(1)" in pages


def test_a_story_is_found_by_words_in_its_body(client, site_tree):
    story = make_story(
        title="En dør inn for familiene",
        body=[block("paragraph", "<p>Helsesykepleieren ringte tilbake samme dag.</p>")],
    )
    assert f'<a href="{story.url}">' in pages_section(search(client, q="helsesykepleieren"))


def test_draft_and_private_stories_are_not_found(client, site_tree):
    found = make_story(title="Lekeplassen ble bygget")
    draft = make_story(title="Utkast om lekeplassen")
    draft.unpublish()
    private = make_story(title="Internt om lekeplassen")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    html = search(client, q="lekeplassen")
    assert f'<a href="{found.url}">' in pages_section(html)
    for hidden in (draft, private):
        assert hidden.title not in html
        assert f"/historier/{hidden.slug}/" not in html
    assert "Pages and stories (1)" in html


def test_results_come_in_two_sections_with_counts(client, site_tree):
    for n in range(3):
        IdeaFactory(published=True, title=f"Idébanken trenger benk {n}")
    html = search(client, q="idébanken")
    assert 'id="pages-title"' in html
    assert 'id="ideas-title"' in html
    assert "Ideas (3)" in html


def test_nothing_found_says_so(client, site_tree):
    html = search(client, q="xylofonorkester")
    assert "0 results" in html
    assert "Nothing matched your search" in html


def test_one_kind_is_paginated(client, site_tree):
    for n in range(14):
        IdeaFactory(published=True, title=f"Sykkelparkering nummer {n}")
    preview = search(client, q="sykkelparkering")
    assert preview.count('class="idea-card"') == 5
    assert "type=ideer" in preview
    first = search(client, q="sykkelparkering", type="ideer")
    second = search(client, q="sykkelparkering", type="ideer", side="2")
    assert first.count('class="idea-card"') == 10
    assert second.count('class="idea-card"') == 4
    assert 'id="pages-title"' not in first
    assert "side=2" in first


HOSTILE = [
    '"',
    "'",
    "' OR 1=1 --",
    "\x00",
    "gatelys\x00skole",
    "a" * 10_000,
    "ord " * 500,
    "title:gatelys AND body:skole OR NOT",
    'NEAR("a" "b")',
    "gatelys*",
    "^ ~ - + ( ) [ ] { } : \\ /",
    "<script>alert(1)</script>",
    "%",
    "_",
    "\u202egatelys",
    "\ufffd",
    "💡 idé",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_input_never_breaks_the_page(client, site_tree, query):
    IdeaFactory(published=True, title="Gatelys ved skolen")
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "gatelys", "type": "alt-mulig"},
        {"q": "gatelys", "side": "abc"},
        {"q": "gatelys", "side": "99999", "type": "ideer"},
        {"q": "gatelys", "side": "-1", "type": "sider"},
        {"q": ["gatelys", "skole"]},
    ],
)
def test_odd_query_strings_never_break_the_page(client, site_tree, params):
    IdeaFactory(published=True, title="Gatelys ved skolen")
    assert client.get(URL, params).status_code == 200


def test_broken_unicode_gets_a_clear_message(client, site_tree):
    response = client.get(URL + "?q=%ED%A0%80gatelys")
    assert response.status_code == 200
    assert "characters we cannot read" in response.content.decode()


def test_a_search_form_in_the_header_on_every_page(client, site_tree):
    html = client.get("/").content.decode()
    assert 'role="search"' in html
    assert '<label for="site-search-q"' in html
    assert 'action="/sok/"' in html


def search_queries(client, **params) -> int:
    # After a change, the first request finds again what pages share (pagecache.shared).
    client.get(URL, params)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params).status_code == 200
    return len(queries)


@pytest.mark.usefixtures("no_page_cache")
@pytest.mark.parametrize("kind", ["", "ideer", "sider"])
def test_query_count_does_not_grow_with_the_number_of_results(client, site_tree, kind):
    IdeaFactory(published=True, title="Idébanken og lys 0")
    expected = search_queries(client, q="idébanken", type=kind)
    for n in range(1, 30):
        IdeaFactory(published=True, title=f"Idébanken og lys {n}")
    assert search_queries(client, q="idébanken", type=kind) == expected


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_full_text_search_on_postgresql(client, site_tree):
    from wagtail.search.backends import get_search_backend

    assert "postgres" in type(get_search_backend()).__module__
    IdeaFactory(published=True, title="Skilting ved barnehagene")
    html = search(client, q="barnehage")
    assert "Skilting ved barnehagene" in html
    assert 'href="/idebank/"' in search(client, q="idébanken")
    for query in HOSTILE:
        assert client.get(URL, {"q": query}).status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_full_text_search_finds_stories_on_postgresql(client, site_tree):
    from wagtail.search.backends import get_search_backend

    assert "postgres" in type(get_search_backend()).__module__
    story = make_story(
        title="Skilting ved skolene",
        body=[block("paragraph", "<p>Nye skilt ved alle barnehagene i kommunen.</p>")],
    )
    draft = make_story(title="Utkast om barnehagene")
    draft.unpublish()
    html = search(client, q="barnehage")
    assert f'<a href="{story.url}">Skilting ved skolene</a>' in pages_section(html)
    assert draft.title not in html


def test_search_page_is_described_but_not_indexed(client, site_tree):
    page = head(client.get(URL, {"q": "gatelys", "side": "2", "type": "ideer"}))
    assert one(page.links, "canonical") == "http://localhost/sok/?side=2"
    assert one(page.meta, "og:title") == "Search"
    assert one(page.meta, "robots") == "noindex, follow"
