"""What pages share (the header's URLs, the tree's routes, whether anything is restricted)
is found once, and changes the moment pages change, with the page cache on or off."""

from wagtail.models import PageViewRestriction

import pytest

from pagecache import generation
from tests.factories import IdeaFactory
from tests.ideabank.test_submit import URL as FORM_URL
from tests.ideabank.test_submit import form_data
from tests.ops.test_cache_and_health import redis_down  # noqa: F401
from tests.stories.factories import make_story

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_restricted_story_asks_for_the_password_at_once(client, site_tree):
    story = make_story(title="Internt notat om barnehagene")
    assert "Internt notat om barnehagene" in page(client, story.url)

    restriction = PageViewRestriction.objects.create(
        page=story, restriction_type=PageViewRestriction.PASSWORD, password="hemmelig"
    )
    html = page(client, story.url)
    assert "Internt notat om barnehagene</h1>" not in html
    assert 'name="password"' in html
    assert "Internt notat om barnehagene" not in page(client, "/historier/")

    restriction.delete()
    assert "Internt notat om barnehagene" in page(client, story.url)


def test_a_restricted_section_covers_the_pages_below_it(client, site_tree):
    story = make_story(title="Under en låst side")
    PageViewRestriction.objects.create(
        page=site_tree.story_index, restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get(story.url)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"] or "login" in response["Location"]


def test_a_moved_idea_bank_is_linked_and_found_at_its_new_address(client, site_tree):
    assert 'href="/idebank/"' in page(client, "/")
    index = site_tree.idea_index
    index.slug = "ideer"
    index.save_revision().publish()

    html = page(client, "/")
    assert 'href="/ideer/"' in html
    assert 'href="/ideer/send-inn/"' in html
    assert client.get("/idebank/").status_code == 404
    assert "ideer/send-inn/" in page(client, "/ideer/")
    assert page(client, "/ideer/send-inn/")


def test_a_new_page_is_routed_to_at_once(client, site_tree):
    page(client, "/historier/")  # the index's children are now known
    story = make_story(title="Helt ny historie")
    assert "Helt ny historie" in page(client, story.url)


def test_an_unpublished_page_is_not_routed_to(client, site_tree):
    story = make_story(title="Snart borte")
    page(client, story.url)
    story.unpublish()
    assert client.get(story.url).status_code == 404


def test_a_sent_idea_leaves_the_cached_pages_alone_and_publishing_does_not(
    client, site_tree, innovation
):
    from ideabank import services

    waiting = IdeaFactory(reference="IDE-1999-0001")
    before = generation.current()
    assert client.post(FORM_URL, form_data()).status_code == 302
    assert generation.current() == before

    services.idea_publish(idea=waiting, by=innovation)
    assert generation.current() != before


def test_pages_are_served_while_the_cache_is_down(client, site_tree, redis_down):  # noqa: F811
    assert 'href="/idebank/send-inn/"' in page(client, "/")


def test_a_renamed_site_shows_its_new_name_at_once(client, site_tree):
    page(client, "/")
    site = site_tree.home.get_site()
    site.site_name = "Idébanken i Nordvik kommune"
    site.save()
    assert "Idébanken i Nordvik kommune" in page(client, "/")


def test_each_host_is_served_by_its_own_site(client, site_tree, settings):
    from wagtail.models import Site

    from stories.models import StandardPage

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "annen.example", "testserver"]
    other = site_tree.home.add_child(
        instance=StandardPage(title="Nabokommunens side", slug="nabo", body="<p>Hei.</p>")
    )
    Site.objects.create(hostname="annen.example", port=80, root_page=other, site_name="Nabo")
    assert "Nabokommunens side" not in page(client, "/")
    response = client.get("/", HTTP_HOST="annen.example")
    assert response.status_code == 200
    assert "Nabokommunens side</h1>" in response.content.decode()


def test_a_published_change_to_a_page_is_served_at_once(client, site_tree):
    story = make_story(title="Første utgave")
    assert "Første utgave</h1>" in page(client, story.url)
    story.title = "Andre utgave"
    story.save_revision().publish()
    assert "Andre utgave</h1>" in page(client, story.url)


def test_a_storys_new_topics_and_a_renamed_service_area_are_shown_at_once(client, site_tree):
    from tests.factories import ServiceAreaFactory

    area = ServiceAreaFactory(name="Helse", slug="helse")
    story = make_story(title="Om samarbeid", service_areas=[area], tags=["Samarbeid"])
    shown = page(client, story.url)
    assert ">Helse</a>" in shown and ">Samarbeid</a>" in shown

    story.tags.set(["Nabolag"])
    story.save_revision().publish()
    assert ">Nabolag</a>" in page(client, story.url)
    assert ">Samarbeid</a>" not in page(client, story.url)

    area.name = "Helse og omsorg"
    area.save()
    assert ">Helse og omsorg</a>" in page(client, story.url)


def test_a_visitor_with_a_session_gets_the_page_as_it_is_stored(
    client, site_tree, communications, django_assert_num_queries
):
    from wagtail.models import Page

    story = make_story(title="Låst for redigering")
    page(client, story.url)
    # A lock is draft state: it bumps nothing, so the shared page still says unlocked.
    Page.objects.filter(pk=story.pk).update(locked=True)
    client.force_login(communications)

    response = client.get(story.url)

    assert response.status_code == 200
    assert response.context["page"].locked


def test_a_new_service_area_is_offered_in_the_filters_at_once(client, site_tree):
    from tests.factories import ServiceAreaFactory

    assert "Vei og park" not in page(client, "/idebank/")
    ServiceAreaFactory(name="Vei og park", slug="vei-og-park")
    assert ">Vei og park</option>" in page(client, "/idebank/")
    assert ">Vei og park</option>" in page(client, "/historier/")


def test_a_new_topic_is_offered_in_the_story_filter_once_its_story_is_published(client, site_tree):
    assert "Nabolag" not in page(client, "/historier/")
    make_story(title="Om naboskap", tags=["Nabolag"])
    assert ">Nabolag</option>" in page(client, "/historier/")
