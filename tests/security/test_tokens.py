"""The private status link: its key cannot be guessed, probed, derived, found or read in a log.

The token is the sender's only key to their idea (no account, no password), so the whole
of it is a secret: 256 bits from the operating system's random source, looked up whole,
and every wrong key gets the very same answer.
"""

import base64
import importlib
import io
import itertools
import logging
import re
import secrets
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from config.logging import RedactPrivateLinks
from ideabank import models
from ideabank.choices import Status
from ideabank.forms import FILL_TIME_SALT
from ideabank.models import Idea
from ideabank.views import TOKEN_SHAPE
from tests.admin import login
from tests.factories import IdeaFactory, with_status
from tests.stories.factories import make_story

pytestmark = pytest.mark.django_db

PRIVATE_PAGES = [
    ("get", "/idebank/status/{}/"),
    ("get", "/idebank/kvittering/{}/"),
    ("get", "/idebank/status/{}/trekk-tilbake/"),
    ("post", "/idebank/status/{}/trekk-tilbake/"),
    ("get", "/idebank/status/{}/slett-kontaktinfo/"),
    ("post", "/idebank/status/{}/slett-kontaktinfo/"),
]


def submit(client, **fields):
    data = {
        "title": "Benker i parken",
        "body": "Flere benker langs stien.",
        "started": signing.dumps(int(time.time()) - 60, salt=FILL_TIME_SALT),
        "submission_key": str(uuid.uuid4()),
        **fields,
    }
    return client.post("/idebank/send-inn/", data)


# The key itself


def test_a_new_token_is_32_bytes_from_the_operating_systems_random_source(monkeypatch):
    asked = []
    real = secrets.token_urlsafe
    monkeypatch.setattr(
        models.secrets, "token_urlsafe", lambda nbytes: asked.append(nbytes) or real(nbytes)
    )

    token = IdeaFactory().token

    assert models.Idea._meta.get_field("token").default is models.new_token
    assert asked == [32]
    assert len(base64.urlsafe_b64decode(token + "=")) == 32  # 256 bits
    assert TOKEN_SHAPE.fullmatch(token)


def test_tokens_look_like_random_bits():
    """Every bit of every token is a coin flip: no counter, no timestamp, no shared prefix."""
    tokens = [IdeaFactory().token for _ in range(100)]
    bits = "".join(
        f"{byte:08b}" for token in tokens for byte in base64.urlsafe_b64decode(token + "=")
    )

    assert len(set(tokens)) == len(tokens)
    assert len({token[:4] for token in tokens}) > 95
    # 25,600 fair coin flips land within 0.47 and 0.53 far beyond any reasonable doubt.
    assert 0.47 < bits.count("1") / len(bits) < 0.53


def test_the_token_is_nothing_but_the_random_value(client, site_tree, monkeypatch):
    """Not the reference, the id, the time or the form's key: the sent idea's token is
    exactly what the random source gave."""
    given = iter(["A" * 43, "B" * 43])
    real = secrets.token_urlsafe
    monkeypatch.setattr(
        models.secrets,
        "token_urlsafe",
        lambda nbytes: next(given) if nbytes == 32 else real(nbytes),
    )

    submit(client)
    submit(client)

    assert list(Idea.objects.order_by("pk").values_list("token", flat=True)) == ["A" * 43, "B" * 43]


def test_neighbouring_ideas_share_nothing_in_their_tokens(client, site_tree):
    for _ in range(3):
        submit(client)
    ideas = list(Idea.objects.order_by("pk"))

    references = [idea.reference for idea in ideas]
    assert references == sorted(references)  # the reference counts up, the token does not
    for one, other in itertools.pairwise(ideas):
        assert one.token[:6] != other.token[:6]
        for idea in (one, other):
            assert idea.reference.lower() not in idea.token.lower()
            assert idea.submission_key.hex not in idea.token


# Probing


def normalised(response) -> bytes:
    """The page without the path the language switcher repeats, in whatever encoding."""
    return re.sub(rb'name="next" value="[^"]*"', b'name="next" value=""', response.content)


def near_misses(token: str) -> list[str]:
    misses = [
        token[:-1],
        token[:32],
        token[:8],
        token + "A",
        token.swapcase(),
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        "A" + token[1:],
        token[1:] + token[0],
        token.upper(),
        token.replace("-", "_"),
    ]
    return [miss for miss in misses if miss != token]


def test_every_wrong_token_gets_the_same_answer(site_tree):
    """A near miss, an expired key and a key that never existed look the same: 404, same
    page, same headers. Nothing tells an attacker they are getting warmer."""
    idea = IdeaFactory()
    expired = with_status(IdeaFactory(), Status.WITHDRAWN)
    Idea.objects.filter(pk=expired.pk).update(closed_at=timezone.now() - timedelta(days=3650))
    never_existed = secrets.token_urlsafe(32)
    wrong = [*near_misses(idea.token), expired.token, "a" * 43, "%00", "' OR '1'='1", "å" * 40]

    for method, page in PRIVATE_PAGES:
        baseline = getattr(Client(), method)(page.format(never_existed))
        assert baseline.status_code == 404
        for token in wrong:
            response = getattr(Client(), method)(page.format(token))
            assert response.status_code == 404, (page, token)
            assert normalised(response) == normalised(baseline), token
            assert sorted(response.headers) == sorted(baseline.headers)
            assert not response.cookies
    assert Idea.objects.get(pk=idea.pk).status == Status.RECEIVED


def lookups(queries) -> list[dict]:
    return [query for query in queries if '"ideabank_idea"' in query["sql"]]


def test_a_token_is_looked_up_whole_in_one_indexed_query(client, site_tree):
    """An equality match on the unique, indexed column: no prefix search, no scan of all
    tokens in Python, no query at all for what does not look like a token."""
    IdeaFactory()
    probe = secrets.token_urlsafe(32)

    with CaptureQueriesContext(connection) as shaped:
        client.get(f"/idebank/status/{probe}/")
    with CaptureQueriesContext(connection) as misshapen:
        client.get("/idebank/status/ikke-et-nokkel%00/")

    (query,) = lookups(shaped.captured_queries)
    assert re.search(r'WHERE "ideabank_idea"\."token" = ', query["sql"])
    assert "LIKE" not in query["sql"].upper()
    assert probe in query["sql"]  # the whole token, as one parameter
    assert lookups(misshapen.captured_queries) == []
    assert Idea._meta.get_field("token").unique  # so the database answers from an index


# Where the token may show up: only on the sender's own pages and in their e-mail


def test_the_token_is_on_no_public_page_feed_sitemap_or_search_result(client, site_tree):
    idea = IdeaFactory(title="Lys i lysløypa", published=True)
    make_story(title="Lysløypa ble lysere")
    pages = [
        "/",
        "/idebank/",
        f"/idebank/{idea.pk}/",
        "/idebank/?q=lysløypa",
        "/idebank/lignende/?title=Lys i lysløypa",
        "/sok/?q=lysløypa",
        "/sok/?q=lysløypa&type=ideer",
        "/historier/",
        "/historier/rss/",
        "/historier/atom/",
        "/sitemap.xml",
        "/robots.txt",
        "/idebank/send-inn/",
    ]

    for page in pages:
        assert client.get(page).status_code == 200, page
        assert idea.token not in client.get(page).content.decode(), page
    similar = client.get(
        "/idebank/lignende/?title=Lys i lysløypa", headers={"Accept": "application/json"}
    )
    assert similar.json()["ideas"] and idea.token not in similar.content.decode()


@pytest.mark.parametrize("role", ["innovation", "communications", "administrator"])
def test_staff_never_see_a_senders_token(client, user_for_role, site_tree, role):
    """Holding the token is acting as the sender (withdraw, erase): not even staff get it."""
    idea = IdeaFactory(published=True)
    login(client, user_for_role(role))

    for page in (
        f"/admin/ideas/inspect/{idea.pk}/",
        "/admin/ideas/",
        "/admin/ideas/?export=csv",
        f"/admin/ideas/history/{idea.pk}/",
    ):
        response = client.get(page)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert idea.token.encode() not in content, page


# Logs


def configured_handlers() -> list[logging.Handler]:
    return [logging.getHandlerByName(name) for name in settings.LOGGING["handlers"]]


def test_every_configured_log_handler_redacts_private_links():
    for handler in configured_handlers():
        assert any(isinstance(f, RedactPrivateLinks) for f in handler.filters), handler


@pytest.fixture
def written_log():
    """What the project's own handlers write, at every level, from every logger."""
    out = io.StringIO()
    handlers = [h for h in configured_handlers() if isinstance(h, logging.StreamHandler)]
    assert handlers
    loggers = [logging.getLogger(), logging.getLogger("django")]
    levels = [logger.level for logger in loggers]
    streams = [handler.setStream(out) for handler in handlers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    yield out
    for handler, stream in zip(handlers, streams, strict=True):
        handler.setStream(stream)
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def test_the_token_is_never_written_to_the_log(site_tree, written_log):
    client = Client()
    submit(client, email="kari@example.org", may_contact="on")
    idea = Idea.objects.get()
    client.get(f"/idebank/kvittering/{idea.token}/")
    client.get(f"/idebank/status/{idea.token}/")
    client.get(f"/idebank/status/{idea.token[:-1]}/")  # a 404: Django logs the path
    client.get(f"/idebank/status/{idea.token}/ukjent/")
    Client(enforce_csrf_checks=True).post(f"/idebank/status/{idea.token}/trekk-tilbake/")
    client.post(f"/idebank/status/{idea.token}/trekk-tilbake/")
    client.post(f"/idebank/status/{idea.token}/slett-kontaktinfo/")
    status_path = f"/idebank/status/{idea.token}/"
    logging.getLogger("ideabank").warning("Odd request: %(path)s", {"path": status_path})
    logging.getLogger("ideabank").warning(f"Odd request: {status_path}")

    written = written_log.getvalue()
    assert "Not Found: /idebank/status/…" in written  # the log was written, redacted
    assert "Forbidden (CSRF" in written
    assert idea.token not in written
    assert idea.token[:-1] not in written


def test_the_web_servers_access_log_never_shows_a_path():
    gunicorn = importlib.import_module("config.gunicorn")

    # %(r)s request line, %(U)s path, %(q)s query, %(f)s referer, %({…}i)s any header.
    for atom in ("%(r)s", "%(U)s", "%(q)s", "%(f)s", "i)s"):
        assert atom not in gunicorn.access_log_format
