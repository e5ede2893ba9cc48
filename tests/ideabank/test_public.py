"""The public idea bank: only published ideas, filters, search, pages, support."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from ideabank import services
from ideabank.choices import Status
from tests.factories import AnswerFactory, IdeaFactory, ServiceAreaFactory, with_status

pytestmark = pytest.mark.django_db
URL = "/idebank/"


def test_only_published_ideas_are_listed_newest_first(client, site_tree):
    IdeaFactory(title="Ikke publisert")
    older = IdeaFactory(title="Eldre idé", published=True)
    newer = IdeaFactory(title="Nyere idé", published=True)
    older.published_at = newer.published_at.replace(year=2025)
    older.save(update_fields=["published_at"])

    html = client.get(URL).content.decode()
    assert "Ikke publisert" not in html
    assert html.index("Nyere idé") < html.index("Eldre idé")


def test_no_personal_data_on_public_pages(client, site_tree):
    idea = IdeaFactory(
        published=True, name="Hemmelig Navn", email="hemmelig@example.org", phone="987 65 432"
    )
    for url in (URL, f"{URL}{idea.pk}/"):
        html = client.get(url).content.decode()
        assert "Hemmelig Navn" not in html
        assert "hemmelig@example.org" not in html
        assert "987 65 432" not in html
        assert idea.token not in html


def test_filter_by_service_area_and_status(client, site_tree):
    school = ServiceAreaFactory(name="Skole", slug="skole")
    health = ServiceAreaFactory(name="Helse", slug="helse")
    IdeaFactory(title="Skoleidé", published=True, service_areas=[school])
    IdeaFactory(title="Helseidé", published=True, service_areas=[health])
    in_review = with_status(
        IdeaFactory(title="Vurderes", published=True, service_areas=[school]), Status.IN_REVIEW
    )

    html = client.get(URL, {"area": "skole"}).content.decode()
    assert "Skoleidé" in html and "Vurderes" in html and "Helseidé" not in html

    html = client.get(URL, {"area": "skole", "status": "in_review"}).content.decode()
    assert in_review.title in html and "Skoleidé" not in html


def test_text_search_finds_published_ideas(client, site_tree):
    IdeaFactory(title="Benker i parken", published=True)
    IdeaFactory(title="Gatelys i sentrum", published=True)
    IdeaFactory(title="Benker ved sjøen")  # not published

    html = client.get(URL, {"q": "benker"}).content.decode()
    assert "Benker i parken" in html
    assert "Gatelys i sentrum" not in html
    assert "Benker ved sjøen" not in html


def test_search_with_a_filter(client, site_tree):
    school = ServiceAreaFactory(name="Skole", slug="skole")
    IdeaFactory(title="Benker ved skolen", published=True, service_areas=[school])
    IdeaFactory(title="Benker i parken", published=True)
    html = client.get(URL, {"q": "benker", "area": "skole"}).content.decode()
    assert "Benker ved skolen" in html and "Benker i parken" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"area": "finnes-ikke"},
        {"status": "<script>"},
        {"side": "999"},
        {"side": "abc"},
        {"q": "x" * 500},
        {"q": "\ufffd\x00"},
    ],
)
def test_odd_query_strings_never_break_the_listing(client, site_tree, params):
    IdeaFactory(published=True)
    assert client.get(URL, params).status_code == 200


def test_twenty_ideas_per_page(client, site_tree):
    for n in range(25):
        IdeaFactory(title=f"Idé nummer {n:02d}", published=True)
    first = client.get(URL).content.decode()
    second = client.get(URL, {"side": 2}).content.decode()
    assert first.count('class="idea-card"') == 20
    assert second.count('class="idea-card"') == 5


def listing_queries(client) -> int:
    client.get(URL)  # the site's root paths are cached after the first request
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_listing_query_count_does_not_grow_with_the_number_of_ideas(client, site_tree):
    areas = [ServiceAreaFactory() for _ in range(3)]
    for _ in range(5):
        IdeaFactory(published=True, service_areas=areas)
    few = listing_queries(client)
    for _ in range(195):
        IdeaFactory(published=True, service_areas=areas)
    many = listing_queries(client)
    assert many == few
    assert few <= 12


def test_published_idea_page_shows_status_timeline_and_answers(client, site_tree, innovation):
    idea = IdeaFactory(published=True)
    services.idea_transition(
        idea=idea, name="start_review", by=innovation, description="Vi ser på dette nå."
    )
    AnswerFactory(idea=idea, text="Vi har snakket med rektor.")

    response = client.get(f"{URL}{idea.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert idea.title in html
    assert "Under vurdering" in html
    assert "Vi ser på dette nå." in html
    assert "Vi har snakket med rektor." in html
    assert innovation.get_full_name() not in html


@pytest.mark.parametrize("published", [False, True])
def test_unpublished_or_withdrawn_ideas_have_no_public_page(client, site_tree, published):
    idea = IdeaFactory(published=published)
    if published:
        idea = with_status(idea, Status.WITHDRAWN)
    assert client.get(f"{URL}{idea.pk}/").status_code == 404


def test_support_counts_once_per_browser(client, site_tree, settings):
    settings.LANGUAGE_CODE = "en"
    idea = IdeaFactory(published=True)
    url = f"{URL}{idea.pk}/stott/"
    first = client.post(url)
    client.post(url)
    idea.refresh_from_db(fields=["support_count"])
    assert first.status_code == 302
    assert idea.support_count == 1
    page = client.get(f"{URL}{idea.pk}/").content.decode()
    assert "1 person supports this idea." in page
    assert "You support this idea." in page

    other_browser = client.__class__()
    other_browser.post(url)
    idea.refresh_from_db(fields=["support_count"])
    assert idea.support_count == 2


def test_support_is_rate_limited_per_client_address(client, site_tree, settings):
    settings.IDEABANK = {**settings.IDEABANK, "SUPPORT_RATE": "2/h"}
    ideas = [IdeaFactory(published=True) for _ in range(3)]
    for idea in ideas:
        client.__class__().post(f"{URL}{idea.pk}/stott/")
    for idea in ideas:
        idea.refresh_from_db(fields=["support_count"])
    assert [idea.support_count for idea in ideas] == [1, 1, 0]


def test_support_needs_post_and_a_published_idea(client, site_tree):
    hidden = IdeaFactory()
    assert client.get(f"{URL}{hidden.pk}/stott/").status_code == 405
    assert client.post(f"{URL}{hidden.pk}/stott/").status_code == 404
