"""Anonymous visitors get whole public pages from the shared cache; anything that changes
what the public sees shows on the next request, in every process."""

import re

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpResponse
from django.test import Client, RequestFactory

import pytest

from blt import services as blt_services
from blt.choices import Phase
from ideabank import services
from ideabank.models import Idea
from pagecache import generation
from pagecache.middleware import PageCacheMiddleware
from stories.models import SiteLinks
from tests.factories import FlokeFactory, IdeaFactory, with_phase
from tests.ideabank.test_submit import form_data
from tests.ops.test_cache_and_health import REDIS, redis_down, redis_up  # noqa: F401
from tests.stories.factories import make_story

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PUBLIC_REASON = "Vi vil forstå behovet bedre før vi prøver noe nytt."


def visit(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200
    return response


def html(response) -> str:
    return response.content.decode()


def cached(client, url) -> bool:
    return visit(client, url)["X-Cache"] == "hit"


@pytest.fixture
def idea(site_tree):
    return IdeaFactory(title="Benker langs turstien", published=True)


@pytest.fixture
def story(site_tree):
    return make_story(title="Familiehjelpa samlet tjenestene")


@pytest.fixture
def linked(site_tree, innovation):
    """A floke in Løsning with a published idea and a story linked to it."""
    floke = with_phase(FlokeFactory(owner=innovation), Phase.LOSNING)
    idea = IdeaFactory(title="Én dør inn for familiene", published=True)
    Idea.objects.filter(pk=idea.pk).update(floke=floke)
    story = make_story(title="Historien om flokens vei", floke=floke)
    return floke, f"/idebank/{idea.pk}/", story.url


# Hits


@pytest.mark.parametrize("url", ["/", "/historier/", "/idebank/", "idea", "story"])
def test_the_second_anonymous_visit_is_a_hit(client, idea, story, url):
    url = {"idea": f"/idebank/{idea.pk}/", "story": story.url}.get(url, url)

    first = visit(client, url)
    second = visit(Client(), url)

    assert first["X-Cache"] == "miss"
    assert second["X-Cache"] == "hit"
    assert TOKEN.sub("", html(second)) == TOKEN.sub("", html(first))


def test_a_hit_costs_no_query(client, idea, django_assert_num_queries):
    visit(client, "/idebank/")
    with django_assert_num_queries(0):
        assert cached(Client(), "/idebank/")


def test_filters_and_pages_are_cached_each_on_their_own(client, idea):
    visit(client, "/idebank/?status=received")
    assert cached(client, "/idebank/?status=received")
    assert not cached(client, "/idebank/?status=accepted")
    assert not cached(client, "/idebank/?side=2")


def test_a_very_long_query_string_is_rendered_and_not_stored(client, idea):
    url = "/idebank/?q=" + "benk" * 100
    assert "X-Cache" not in visit(client, url)
    assert "X-Cache" not in visit(client, url)


def test_head_is_cached_apart_from_get(client, idea):
    visit(client, "/idebank/")
    assert client.head("/idebank/")["X-Cache"] == "miss"
    assert client.head("/idebank/")["X-Cache"] == "hit"


def test_each_language_is_cached_on_its_own(client, idea):
    english = Client()
    english.cookies["django_language"] = "en"
    visit(client, "/idebank/")

    first, second = visit(english, "/idebank/"), visit(english, "/idebank/")

    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second["Content-Language"] == "en"
    assert '<html lang="en">' in html(second)
    bokmal = visit(Client(), "/idebank/")
    assert bokmal["X-Cache"] == "hit"
    assert bokmal["Content-Language"] == "nb"
    assert '<html lang="nb">' in html(bokmal)


def test_a_hit_gets_the_same_security_headers_as_a_fresh_page(client, idea):
    headers = [
        "Content-Security-Policy",
        "Permissions-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Content-Type",
        "Vary",
    ]
    miss, hit = visit(client, "/idebank/"), visit(client, "/idebank/")
    assert hit["X-Cache"] == "hit"
    assert {name: hit.get(name) for name in headers} == {name: miss.get(name) for name in headers}
    assert all(hit.get(name) for name in headers)


def test_a_page_rendered_while_the_data_changed_is_not_served_after_the_change(settings):
    # Another process commits a change (and bumps) while this one is still rendering
    # the page from the data as it was.
    def render_then_change(request):
        generation.bump()
        return HttpResponse("old")

    request = RequestFactory().get("/idebank/")
    PageCacheMiddleware(render_then_change)(request)

    response = PageCacheMiddleware(lambda request: HttpResponse("new"))(
        RequestFactory().get("/idebank/")
    )
    assert (response["X-Cache"], response.content) == ("miss", b"new")


# Never cached


def test_signed_in_staff_neither_get_nor_fill_cached_pages(client, idea, innovation):
    staff = Client()
    staff.force_login(innovation)
    assert "X-Cache" not in visit(staff, "/idebank/")
    assert visit(client, "/idebank/")["X-Cache"] == "miss"
    assert "X-Cache" not in visit(staff, "/idebank/")


def test_a_preview_neither_gets_nor_fills_a_cached_page(client, story):
    visit(client, story.url)
    story.title = "Utkast som ikke er publisert"
    story.save_revision()

    preview = story.make_preview_request()

    assert preview.status_code == 200
    assert "X-Cache" not in preview
    assert "Utkast som ikke er publisert" in preview.content.decode()
    live = visit(Client(), story.url)
    # Saving a draft changed nothing the public sees.
    assert live["X-Cache"] == "hit"
    assert "Utkast som ikke er publisert" not in html(live)


def test_the_admin_is_never_cached(client, site_tree):
    assert "X-Cache" not in client.get("/admin/login/")


def test_the_form_with_its_csrf_cookie_is_never_cached_and_its_token_works(site_tree):
    browser = Client(enforce_csrf_checks=True)
    first = visit(browser, "/idebank/send-inn/")
    second = visit(browser, "/idebank/send-inn/")

    assert first["X-Cache"] == second["X-Cache"] == "miss"
    assert "csrftoken" in first.cookies
    assert "no-store" in second["Cache-Control"]
    token = TOKEN.search(html(second)).group(1)
    response = browser.post(
        "/idebank/send-inn/", form_data(title="Lys i tunnelen", csrfmiddlewaretoken=token)
    )
    assert response.status_code == 302
    assert Idea.objects.filter(title="Lys i tunnelen").exists()


def test_the_support_button_works_from_a_cached_page(client, idea):
    url = f"/idebank/{idea.pk}/"
    visit(client, url)
    browser = Client(enforce_csrf_checks=True)
    page = visit(browser, url)
    assert page["X-Cache"] == "hit"
    # Each visitor gets a token of their own, with the cookie it belongs to.
    assert "csrftoken" in page.cookies
    token = TOKEN.search(html(page)).group(1)
    assert token != TOKEN.search(html(visit(Client(), url))).group(1)

    response = browser.post(f"{url}stott/", {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    idea.refresh_from_db(fields=["support_count"])
    assert idea.support_count == 1


def test_a_supporter_sees_their_own_page_and_everyone_else_the_new_count(client, idea):
    url = f"/idebank/{idea.pk}/"
    visit(client, url)
    supporter = Client()
    supporter.post(f"{url}stott/")

    own = visit(supporter, url)
    assert "X-Cache" not in own
    assert "Takk for støtten!" in html(own)
    assert "1 person støtter denne idéen." in html(own)
    others = visit(Client(), url)
    assert others["X-Cache"] == "miss"
    assert "Takk for støtten!" not in html(others)
    assert "1 person støtter denne idéen." in html(others)


def test_the_private_status_and_receipt_pages_are_never_cached(client, idea):
    for url in (f"/idebank/status/{idea.token}/", f"/idebank/kvittering/{idea.token}/"):
        for _ in range(2):
            response = visit(client, url)
            assert "X-Cache" not in response
            assert "no-store" in response["Cache-Control"]


# Invalidated by each change the public sees


def test_a_published_page_shows_at_once(client, story):
    visit(client, "/historier/")
    make_story(title="Ny historie om bibliotek").save_revision().publish()
    response = visit(client, "/historier/")
    assert response["X-Cache"] == "miss"
    assert "Ny historie om bibliotek" in html(response)


def test_an_unpublished_page_goes_at_once(client, story):
    visit(client, "/historier/")
    visit(client, story.url)
    story.unpublish()
    assert client.get(story.url).status_code == 404
    assert "Familiehjelpa samlet tjenestene" not in html(visit(client, "/historier/"))


def test_an_edited_story_shows_at_once(client, story):
    visit(client, story.url)
    story.title = "Familiehjelpa, ett år etter"
    story.save_revision().publish()
    assert "Familiehjelpa, ett år etter" in html(visit(client, story.url))


def test_a_story_linked_to_a_floke_shows_the_floke_at_once(client, story):
    floke = FlokeFactory(title="Familier som faller mellom tjenestene")
    visit(client, story.url)
    story.floke = floke
    story.save_revision().publish()
    assert "Familier som faller mellom tjenestene" in html(visit(client, story.url))


def test_a_published_idea_shows_at_once(client, site_tree, innovation):
    idea = IdeaFactory(title="Vannpost i parken")
    assert "Vannpost i parken" not in html(visit(client, "/idebank/"))
    services.idea_publish(idea=idea, by=innovation)
    assert "Vannpost i parken" in html(visit(client, "/idebank/"))


def test_an_unpublished_idea_goes_at_once(client, idea, innovation):
    visit(client, "/idebank/")
    services.idea_unpublish(idea=idea, by=innovation)
    assert "Benker langs turstien" not in html(visit(client, "/idebank/"))


def test_an_answer_shows_at_once(client, idea, innovation):
    visit(client, f"/idebank/{idea.pk}/")
    services.idea_answer(idea=idea, text="Vi setter ut tre benker i vår.", by=innovation)
    assert "Vi setter ut tre benker i vår." in html(visit(client, f"/idebank/{idea.pk}/"))


def test_a_status_change_shows_at_once(client, idea, innovation):
    url = f"/idebank/{idea.pk}/"
    assert "status--received" in html(visit(client, url))
    services.idea_transition(idea=idea, name="start_review", by=innovation)
    assert "status--in_review" in html(visit(client, url))


def test_a_floke_phase_change_shows_at_once_on_its_ideas_and_stories(client, linked, innovation):
    floke, idea_url, story_url = linked
    for url in (idea_url, story_url, "/"):
        visit(client, url)
        assert cached(client, url)

    blt_services.floke_transition(
        floke=floke,
        name="step_back",
        by=innovation,
        description="Vi må snakke med flere familier.",
        public_reason=PUBLIC_REASON,
    )

    for url in (idea_url, story_url):
        response = visit(client, url)
        assert response["X-Cache"] == "miss"
        assert "status--behov" in html(response)
        assert PUBLIC_REASON in html(response)
    assert visit(client, "/")["X-Cache"] == "miss"


def test_changed_site_links_show_at_once(client, site_tree):
    visit(client, "/")
    links, _created = SiteLinks.objects.get_or_create(site=site_tree.home.get_site())
    links.accessibility_statement_url = "https://uustatus.no/nb/erklaringer/publisert/abc"
    links.save()
    footer = html(visit(client, "/")).split("<footer")[1]
    assert 'href="https://uustatus.no/nb/erklaringer/publisert/abc"' in footer


def test_a_change_bumps_once_more_when_it_commits(innovation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        idea = IdeaFactory(published=True)
        services.idea_answer(idea=idea, text="Takk, vi ser på det.", by=innovation)
        services.idea_transition(idea=idea, name="start_review", by=innovation)
        before = generation.current()

    # Once per transaction, however many rows it wrote.
    assert callbacks.count(generation.bump) == 1
    assert generation.current() == before + 1


# Many processes, and the cache gone


def test_a_change_made_in_another_process_is_seen_here(client, idea, redis_up):  # noqa: F811
    url = f"/idebank/{idea.pk}/"
    visit(client, url)
    assert cached(client, url)
    Idea.objects.filter(pk=idea.pk).update(title="Benker og bord langs turstien")

    # Another app process: its own client on the same Redis and prefix.
    other = RedisCache(REDIS, {"KEY_PREFIX": "test"})
    other.incr(generation.KEY)

    response = visit(client, url)
    assert response["X-Cache"] == "miss"
    assert "Benker og bord langs turstien" in html(response)
    assert cached(Client(), url)


def test_pages_still_render_while_the_cache_is_down(client, idea, redis_down):  # noqa: F811
    for url in ("/", "/idebank/", f"/idebank/{idea.pk}/", "/historier/"):
        for _ in range(2):
            assert visit(client, url)["X-Cache"] == "miss"
    assert caches["default"].available is False


def test_turned_off_with_zero_seconds(client, idea, settings):
    settings.PAGE_CACHE_SECONDS = 0
    visit(client, "/idebank/")
    assert "X-Cache" not in visit(client, "/idebank/")
