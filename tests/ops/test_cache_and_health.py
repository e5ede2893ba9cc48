"""With Redis gone the site keeps serving pages, refuses ideas with a clear message,
and says it is not ready."""

import socket

from django.core.cache import caches

import pytest

from ops.cache import ResilientRedisCache
from tests.ideabank.test_submit import form_data

pytestmark = pytest.mark.django_db
REDIS = "redis://127.0.0.1:6379/15"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_cache(location: str) -> dict:
    return {
        "BACKEND": "ops.cache.ResilientRedisCache",
        "LOCATION": location,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }


def redis_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.fixture
def redis_down(settings):
    dead = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {"default": redis_cache(dead), "ratelimit": redis_cache(dead)}
    yield
    for alias in ("default", "ratelimit"):
        caches[alias].close()


@pytest.fixture
def redis_up(settings):
    if not redis_running():
        pytest.skip("needs Redis on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {**redis_cache(REDIS), "KEY_PREFIX": "test"},
        "ratelimit": {**redis_cache(REDIS), "KEY_PREFIX": "test-limits"},
    }
    caches["default"].clear()
    yield
    caches["default"].clear()


def test_a_dead_redis_reads_as_a_miss_and_is_then_left_alone_for_a_while(redis_down):
    cache = caches["default"]
    assert isinstance(cache, ResilientRedisCache)

    assert cache.get("page", "miss") == "miss"
    assert cache.available is False
    assert cache.set("page", "html") is None
    assert cache.add("page", "html") is False
    assert cache.incr("count") is None
    assert cache.get_many(["a", "b"]) == {}


def test_pages_still_render_without_redis(client, site_tree, redis_down):
    assert client.get("/").status_code == 200
    assert client.get("/idebank/").status_code == 200


def test_ideas_are_refused_with_a_clear_message_while_the_counters_are_down(
    client, site_tree, redis_down
):
    from ideabank.models import Idea

    response = client.post("/idebank/send-inn/", form_data(title="Benk ved bussen"))

    assert response.status_code == 503
    html = response.content.decode()
    assert "Vi kan ikke ta imot idéer akkurat nå" in html
    # What the sender wrote is kept.
    assert "Benk ved bussen" in html
    assert not Idea.objects.exists()


def test_healthz_answers_even_when_nothing_else_does(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_the_cache_down_but_stays_ready_since_pages_still_render(client, redis_down):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "unavailable"}


def test_readyz_is_not_ready_without_the_database(client, monkeypatch):
    from django.db import OperationalError, connection

    def down():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", down)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_health_checks_answer_head_requests(client):
    assert client.head("/healthz").status_code == 200


def test_readyz_is_ok_with_the_database_and_redis_up(client, redis_up):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_redis_is_shared_by_every_process(redis_up):
    from django.core.cache.backends.redis import RedisCache

    # Another app process: its own client, the same server and prefix.
    other = RedisCache(REDIS, {"KEY_PREFIX": "test"})
    caches["default"].set("published", "IDE-2026-0001")
    assert other.get("published") == "IDE-2026-0001"
    other.delete("published")
    assert caches["default"].get("published") is None


def test_a_database_outage_is_a_page_to_try_again_not_a_crash(client, site_tree, monkeypatch):
    from django.db import OperationalError

    from wagtail.models import Site

    def down(request):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Site, "find_for_request", down)
    client.raise_request_exception = False

    response = client.get("/idebank/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Prøv igjen om litt" in response.content.decode()


def test_an_error_raised_while_the_database_was_failing_is_still_an_outage(
    client, site_tree, monkeypatch
):
    from django.db import OperationalError

    from wagtail.models import Site

    def down(request):
        try:
            raise OperationalError("the database system is shutting down")
        except OperationalError:
            raise RuntimeError("cleaning up after the lost connection failed") from None

    monkeypatch.setattr(Site, "find_for_request", down)
    client.raise_request_exception = False

    assert client.get("/idebank/").status_code == 503
