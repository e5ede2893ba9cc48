"""Crawlers find every public page and idea, and keep out of the private ones."""

import xml.etree.ElementTree as ET

import pytest

from ideabank.choices import Status
from tests.factories import IdeaFactory, with_status

pytestmark = pytest.mark.django_db
ROOT = "http://localhost"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap(client) -> dict[str, str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    tree = ET.fromstring(response.content)
    return {
        url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS)
        for url in tree.findall("s:url", NS)
    }


def test_sitemap_lists_the_pages_and_the_published_ideas_only(client, site_tree):
    published = IdeaFactory(published=True)
    unpublished = IdeaFactory()
    withdrawn = with_status(IdeaFactory(published=True), Status.WITHDRAWN)
    urls = sitemap(client)
    assert f"{ROOT}/" in urls
    assert f"{ROOT}/idebank/" in urls
    assert f"{ROOT}/idebank/send-inn/" in urls
    assert f"{ROOT}/idebank/{published.pk}/" in urls
    assert urls[f"{ROOT}/idebank/{published.pk}/"].startswith(str(published.updated_at.year))
    assert f"{ROOT}/idebank/{unpublished.pk}/" not in urls
    assert f"{ROOT}/idebank/{withdrawn.pk}/" not in urls
    assert not any("/status/" in url or "/kvittering/" in url for url in urls)


def test_sitemap_leaves_out_unpublished_pages(client, site_tree):
    site_tree.submit.unpublish()
    assert f"{ROOT}/idebank/send-inn/" not in sitemap(client)


def sitemap_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/sitemap.xml")
    with CaptureQueriesContext(connection) as queries:
        client.get("/sitemap.xml")
    return len(queries)


def test_sitemap_queries_do_not_grow_with_the_number_of_ideas(
    client, site_tree, django_assert_num_queries
):
    IdeaFactory(published=True)
    few = sitemap_queries(client)
    for _ in range(30):
        IdeaFactory(published=True)
    assert sitemap_queries(client) == few
    assert len(sitemap(client)) >= 31


def test_robots_txt_allows_the_site_and_points_to_the_sitemap(client, site_tree):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Allow: /" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /idebank/status/" in lines
    assert "Disallow: /idebank/kvittering/" in lines
    assert "Disallow: /sok/" in lines
    assert f"Sitemap: {ROOT}/sitemap.xml" in lines
    assert "Disallow: /" not in lines


def test_sitemap_lists_the_live_stories_and_not_the_drafts(client, site_tree):
    from tests.stories.factories import make_story

    live = make_story(title="Familiehjelpa ble til")
    draft = make_story(title="Ikke ferdig ennå", live=False)

    urls = sitemap(client)

    assert f"{ROOT}/historier/" in urls
    assert f"{ROOT}{live.url}" in urls
    assert not any(draft.slug in url for url in urls)
