"""Every public form and endpoint, fed hostile and random input.

Whatever arrives, the answer is never a server error, and the database holds either one
whole new idea or nothing new: no idea without its reference or token, no photo row
without its idea or its file, no file without its row, no support counted twice.
"""

import re
import time
import uuid
from types import SimpleNamespace
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core import signing
from django.test import Client
from django.urls import reverse

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from ideabank.choices import Status
from ideabank.forms import FILL_TIME_SALT
from ideabank.models import Idea, Support
from tests.factories import IdeaFactory, ServiceAreaFactory, UserFactory, with_status
from tests.stories.factories import make_story

from . import fuzz
from .invariants import Counts, assert_complete, assert_no_partial_rows, clear_caches
from .strategies import (
    MULTIPART,
    TOO_LONG,
    field_names,
    hostile_text,
    multipart,
    photos,
    query_pairs,
    query_string,
    raw_values,
    token_variants,
    uploads,
)

pytestmark = pytest.mark.django_db

SUBMIT_URL = "/idebank/send-inn/"


@pytest.fixture
def world(site_tree, settings):
    """A small public site: ideas in several states, a story, a service area, a user."""
    # Generous limits: the rate limits have tests of their own, here they would only
    # turn later examples into 429s.
    settings.IDEABANK = {
        **settings.IDEABANK,
        "SUBMIT_RATE": "10000/h",
        "ATTEMPT_RATE": "10000/h",
        "SUPPORT_RATE": "10000/h",
    }
    area = ServiceAreaFactory(name="Oppvekst", slug="oppvekst")
    # References from a past year, so they never meet the ones the form hands out.
    old = iter(f"IDE-2001-{n:04d}" for n in range(1, 100))
    published = IdeaFactory(
        reference=next(old),
        title="Benker i parken ved skolen",
        published=True,
        service_areas=[area],
    )
    merged = with_status(
        IdeaFactory(reference=next(old), title="Benker igjen", published=True), Status.MERGED
    )
    hidden = IdeaFactory(
        reference=next(old), title="Upublisert idé om brannstasjonen", email="skjult@example.org"
    )
    declined = with_status(IdeaFactory(reference=next(old), published=True), Status.DECLINED)
    withdrawn = with_status(IdeaFactory(reference=next(old)), Status.WITHDRAWN)
    make_story(tags=["familie"], service_areas=[area])
    UserFactory(username="fuzzed", password="riktig hest batteri stift")
    return SimpleNamespace(
        area=area,
        published=published,
        merged=merged,
        hidden=hidden,
        declined=declined,
        withdrawn=withdrawn,
        ideas=[published, merged, hidden, declined, withdrawn],
    )


def receipts() -> set[str]:
    return {
        reverse("ideabank:receipt", args=[token])
        for token in Idea.objects.values_list("token", flat=True)
    }


def fresh_client() -> Client:
    clear_caches()
    return Client(enforce_csrf_checks=False)


def send(client, method, path, fields):
    """A request with the fields in the query string (GET, HEAD) or as a form body."""
    if method in ("get", "head"):
        return getattr(client, method)(f"{path}?{query_string(fields)}")
    return client.generic(
        method.upper(),
        path,
        query_string(fields),
        content_type="application/x-www-form-urlencoded",
    )


def assert_answered(response):
    assert response.status_code < 500, response.status_code


def assert_private_data_hidden(response, world):
    body = response.content.decode("utf-8", "replace")
    for idea in world.ideas:
        assert idea.token not in body
        assert idea.email not in body
    assert world.hidden.title not in body


# The submission form


def started_values():
    """The signed fill-time field: fresh, tampered, unsigned, signed for something else."""
    now = int(time.time())
    return st.one_of(
        st.sampled_from(
            [
                signing.dumps(now - 60, salt=FILL_TIME_SALT).encode(),
                signing.dumps(now + 3600, salt=FILL_TIME_SALT).encode(),
                signing.dumps("ikke et tall", salt=FILL_TIME_SALT).encode(),
                signing.dumps(now - 60, salt=FILL_TIME_SALT).encode() + b"x",
                signing.dumps(now - 60, salt="another.salt").encode(),
                str(now).encode(),
            ]
        ),
        raw_values(80),
    )


def submission_keys(replayed: uuid.UUID):
    return st.one_of(
        st.uuids().map(lambda key: str(key).encode()),
        st.just(str(replayed).encode()),
        st.just(replayed.hex.upper().encode()),
        raw_values(60),
    )


VALID = {
    "title": b"Benker i parken",
    "body": b"Flere benker langs stien, takk.",
    "concerns": "Eldre som går tur".encode(),
    "name": b"Kari",
    "email": b"kari@example.org",
    "phone": b"912 34 567",
    "may_contact": b"on",
    "may_publish": b"on",
    "website": b"",
}


@st.composite
def idea_posts(draw, *, area_pk: int, replayed: uuid.UUID):
    """A valid form with a few fields dropped, replaced or repeated, and some files.

    Few changes at a time, so that many examples still get through to storing the idea.
    """
    candidates = {
        **{name: raw_values(long=TOO_LONG) for name in VALID},
        "service_areas": st.one_of(
            st.just(str(area_pk).encode()),
            st.integers(-(2**70), 2**70).map(lambda n: str(n).encode()),
            raw_values(40),
        ),
        "started": started_values(),
        "submission_key": submission_keys(replayed),
    }
    base = {
        **VALID,
        "service_areas": str(area_pk).encode(),
        "started": signing.dumps(int(time.time()) - 60, salt=FILL_TIME_SALT).encode(),
        "submission_key": str(uuid.uuid4()).encode(),
    }
    changes = draw(
        st.dictionaries(
            st.sampled_from(sorted(base)),
            st.sampled_from(["drop", "replace", "repeat"]),
            max_size=3,
        )
    )
    fields = []
    for name, value in base.items():
        change = changes.get(name)
        if change != "drop":
            fields.append((name, draw(candidates[name]) if change == "replace" else value))
        if change == "repeat":
            fields.append((name, draw(candidates[name])))
    # Hypothesis favours the first choice of a sample: that is the common case here.
    if draw(st.sampled_from([False, False, True])):
        fields += draw(st.lists(st.tuples(field_names(), raw_values(40)), max_size=2))
    if draw(st.sampled_from([False] * 9 + [True])):
        fields.append(("check_similar", b"1"))
    files = draw(st.sampled_from([photos(), st.just([]), uploads()]).flatmap(lambda files: files))
    encoding = draw(st.sampled_from(["multipart"] * 6 + ["urlencoded", "no boundary", "plain"]))
    return SimpleNamespace(fields=fields, files=files, encoding=encoding)


def post_form(client, url, form):
    if form.encoding == "multipart":
        return client.post(url, multipart(form.fields, form.files), content_type=MULTIPART)
    if form.encoding == "urlencoded":
        return client.post(
            url, query_string(form.fields), content_type="application/x-www-form-urlencoded"
        )
    content_type = "multipart/form-data" if form.encoding == "no boundary" else "text/plain"
    return client.post(url, multipart(form.fields, form.files), content_type=content_type)


def test_the_idea_form_stores_one_whole_idea_or_nothing(world, django_capture_on_commit_callbacks):
    replayed = world.published

    @fuzz
    @given(form=idea_posts(area_pk=world.area.pk, replayed=replayed.submission_key))
    def send(form):
        before = Counts.now()
        newest = Idea.objects.order_by("-pk").values_list("pk", flat=True).first()

        # What runs once the idea is committed (the photos' re-encoding, the receipt) too.
        with django_capture_on_commit_callbacks(execute=True):
            response = post_form(fresh_client(), SUBMIT_URL, form)

        event(f"answered {response.status_code}")
        assert_answered(response)
        after = Counts.now()
        new_ideas = list(Idea.objects.filter(pk__gt=newest))
        assert len(new_ideas) == after.ideas - before.ideas <= 1
        if new_ideas:
            idea = new_ideas[0]
            assert_complete(idea)
            assert response.status_code == 302
            assert response.url == reverse("ideabank:receipt", args=[idea.token])
            assert after.photos - before.photos == idea.photos.count() <= 3
            assert after.files - before.files == idea.photos.count()
            event(f"stored with {idea.photos.count()} photos")
        else:
            assert (after.photos, after.files) == (before.photos, before.files)
            assert response.status_code in (200, 302, 400, 403, 413, 429)
            if response.status_code == 302:  # a form sent again gets the first receipt
                assert response.url in receipts()
        assert_no_partial_rows()

    send()


def test_the_similar_ideas_endpoint_shows_only_public_ideas(world):
    @fuzz
    @given(pairs=query_pairs(["title"]), json=st.booleans())
    def ask(pairs, json):
        headers = {"Accept": "application/json"} if json else {}
        response = fresh_client().get(f"/idebank/lignende/?{query_string(pairs)}", headers=headers)

        assert_answered(response)
        assert_private_data_hidden(response, world)
        if json and response.status_code == 200:
            for idea in response.json()["ideas"]:
                assert set(idea) == {"title", "reference", "url"}

    ask()


# Query strings of the public listings, search, feeds and the sitemap

LISTINGS = {
    "/": [],
    "/idebank/": ["q", "area", "status", "side"],
    "/sok/": ["q", "type", "side"],
    "/historier/": ["area", "tag", "phase", "side"],
    "/historier/rss/": ["area", "tag"],
    "/historier/atom/": ["area", "tag"],
    "/sitemap.xml": ["p"],
    "/robots.txt": [],
}


def cookies():
    """Whatever a browser (or not a browser) keeps for the site."""
    names = ["django_language", "idebank_supporter", "sessionid", "csrftoken", "messages"]
    # Bytes as a server hands them to Django: decoded as latin-1 (PEP 3333).
    values = raw_values(60).map(lambda value: value.decode("latin-1"))
    return st.dictionaries(st.sampled_from(names), values, max_size=3)


@pytest.mark.parametrize("path", LISTINGS)
def test_listings_search_and_feeds_take_any_query_string(world, path):
    @fuzz
    @given(pairs=query_pairs(LISTINGS[path] or ["q"]), jar=cookies())
    def browse(pairs, jar):
        client = fresh_client()
        for name, value in jar.items():
            client.cookies[name] = value

        response = client.get(f"{path}?{query_string(pairs)}")

        assert_answered(response)
        assert response.status_code in (200, 400, 404)
        assert_private_data_hidden(response, world)

    browse()


# Addresses: idea pages, support buttons, pages, documents, password forms


def path_segments():
    return st.one_of(
        st.integers(0, 2**80).map(str),
        hostile_text(40).map(lambda text: quote(text.encode("utf-8"), safe="")),
        st.binary(min_size=1, max_size=20).map(lambda data: quote(data, safe="")),
    )


def test_made_up_addresses_are_never_a_server_error(world):
    templates = [
        "/idebank/{}/",
        "/historier/{}/",
        "/{}/",
        "/dokumenter/{}/{}",
        "/_util/authenticate_with_password/{}/{}/",
        "/idebank/kvittering/{}/",
    ]

    @fuzz
    @given(
        template=st.sampled_from(templates),
        segments=st.lists(path_segments(), min_size=2, max_size=2),
        method=st.sampled_from(["get", "post", "head", "put", "delete", "options"]),
    )
    def visit(template, segments, method):
        before = Counts.now()

        response = send(fresh_client(), method, template.format(*segments), [])

        assert_answered(response)
        assert Counts.now() == before
        assert_private_data_hidden(response, world)

    visit()


def test_the_support_button_counts_each_browser_once_for_public_ideas_only(world):
    supportable = {world.published.pk, world.declined.pk}

    @fuzz
    @given(
        idea=st.one_of(st.sampled_from([idea.pk for idea in world.ideas]), st.integers(0, 2**70)),
        jar=cookies(),
        body=st.lists(st.tuples(field_names(), raw_values(40)), max_size=3),
    )
    def support(idea, jar, body):
        client = fresh_client()
        for name, value in jar.items():
            client.cookies[name] = value
        before = Support.objects.count()

        response = client.post(
            f"/idebank/{idea}/stott/",
            query_string(body),
            content_type="application/x-www-form-urlencoded",
        )

        assert_answered(response)
        added = Support.objects.count() - before
        assert added in (0, 1)
        if added:
            assert Support.objects.latest("pk").idea_id in supportable
        if idea not in supportable:
            assert added == 0
        assert_no_partial_rows()

    support()


# The sender's private pages

# Each private page and the methods it takes; any other method is a 405 for every token.
STATUS_ACTIONS = {
    "status/{}/": {"get"},
    "kvittering/{}/": {"get"},
    "status/{}/trekk-tilbake/": {"get", "post"},
    "status/{}/slett-kontaktinfo/": {"get", "post"},
}
CONTACT = ("name", "email", "phone", "may_contact", "contact_erased_at", "submitted_by_id")


def snapshot():
    return {
        idea["pk"]: idea
        for idea in Idea.objects.values("pk", "status", "closed_at", "is_published", *CONTACT)
    }


def test_status_pages_answer_only_the_exact_token(world):
    owners = {idea.token: idea.pk for idea in world.ideas}
    real = st.sampled_from(sorted(owners))

    @fuzz
    @given(
        token=st.one_of(
            real,
            real.flatmap(token_variants),
            hostile_text(80),
            st.binary(min_size=1, max_size=60).map(lambda data: data.decode("latin-1")),
        ),
        action=st.sampled_from(sorted(STATUS_ACTIONS)),
        method=st.sampled_from(["get", "post", "post", "put"]),
        body=st.lists(st.tuples(field_names(), raw_values(40)), max_size=3),
    )
    def visit(token, action, method, body):
        before = snapshot()
        path = "/idebank/" + action.format(quote(token.encode("utf-8", "surrogatepass"), safe=""))

        response = send(fresh_client(), method, path, body)

        assert_answered(response)
        after = snapshot()
        changed = {pk for pk in after if after[pk] != before[pk]}
        allowed = method in STATUS_ACTIONS[action]
        if token not in owners:
            # A method the page never takes may be refused before the token is looked at.
            assert response.status_code in ({404} if allowed else {404, 405})
            assert not changed
            return
        if not allowed:
            assert response.status_code == 405
            assert not changed
            return
        assert changed <= {owners[token]}
        for pk in changed:
            old, new = before[pk], after[pk]
            if new["status"] != old["status"]:
                assert (method, action) == ("post", "status/{}/trekk-tilbake/")
                assert new["status"] == Status.WITHDRAWN and not new["is_published"]
                assert new["closed_at"] is not None
            if any(new[field] != old[field] for field in CONTACT):
                assert (method, action) == ("post", "status/{}/slett-kontaktinfo/")
                # All of the sender's details go at once, never some of them.
                assert (new["name"], new["email"], new["phone"]) == ("", "", "")
                assert not new["may_contact"] and new["submitted_by_id"] is None
                assert new["contact_erased_at"] is not None

    visit()


# The language switch


def test_the_language_switch_only_sets_a_known_language_and_stays_on_the_site(world):
    @fuzz
    @given(
        language=st.one_of(st.sampled_from([b"nb", b"nn", b"en", b"EN", b"de"]), raw_values(20)),
        next_url=st.one_of(
            st.sampled_from(
                [
                    b"/idebank/",
                    b"//evil.example/",
                    b"https://evil.example/",
                    b"/\\evil.example",
                    b"javascript:alert(1)",
                    b"/\r\nSet-Cookie: x=1",
                    b"\x00",
                ]
            ),
            raw_values(100),
        ),
        method=st.sampled_from(["get", "post"]),
    )
    def switch(language, next_url, method):
        client = fresh_client()
        data = query_string([("language", language), ("next", next_url)])

        if method == "post":
            response = client.post(
                "/sprak/", data, content_type="application/x-www-form-urlencoded"
            )
        else:
            response = client.get(f"/sprak/?{data}")

        assert_answered(response)
        if "Location" in response:
            location = response["Location"]
            assert "\r" not in location and "\n" not in location
            parts = urlsplit(location)
            assert parts.scheme in ("", "http") and parts.netloc in ("", "testserver")
        codes = {code for code, _name in settings.LANGUAGES}
        cookie = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
        if cookie is not None and cookie.value:
            # Django keeps any language it has a catalogue for ("EN", "de"), never more
            # than a language code; the site speaks only its own whatever the cookie says.
            assert re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]+)*", cookie.value), cookie.value
        assert client.get("/robots.txt")["Content-Language"] in codes

    switch()


# Logging in and resetting a password are public forms too

LOGIN_FORMS = {
    "/admin/login/": ["username", "password", "next", "remember"],
    "/_util/login/": ["username", "password", "next"],
    "/admin/password_reset/": ["email"],
}


@pytest.mark.parametrize("path", LOGIN_FORMS)
def test_login_and_password_forms_let_nobody_in_by_accident(world, path):
    @fuzz
    @given(
        fields=st.lists(
            st.tuples(
                st.one_of(st.sampled_from(LOGIN_FORMS[path]), field_names()),
                st.one_of(st.just(b"fuzzed"), raw_values(80)),
            ),
            max_size=6,
        )
    )
    def send(fields):
        client = fresh_client()

        response = client.post(
            path, query_string(fields), content_type="application/x-www-form-urlencoded"
        )

        assert_answered(response)
        assert "_auth_user_id" not in client.session
        if "Location" in response:
            assert urlsplit(response["Location"]).netloc in ("", "testserver")

    send()
