"""Wrong passwords at the admin sign-in: five from one address lock that username out there."""

from datetime import timedelta

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext

import pytest
from axes.models import AccessAttempt

pytestmark = pytest.mark.django_db

LOGIN_URL = "/admin/login/"
PASSWORD = "correct horse battery staple"
LOCKED_HEADING = "Too many failed attempts to sign in"


@pytest.fixture(autouse=True)
def _lockout_settings(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(hours=1)


def sign_in(client, username, password, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password}, **extra)


def fail(client, username, times, **extra):
    for _ in range(times):
        response = sign_in(client, username, "wrong password", **extra)
        assert response.status_code == 200
        assert SESSION_KEY not in client.session


def lock_out(client, username, **extra):
    fail(client, username, 4, **extra)
    assert sign_in(client, username, "wrong password", **extra).status_code == 429


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def test_four_wrong_passwords_still_let_the_right_one_in(client, site_tree, innovation):
    fail(client, innovation.username, 4)
    assert sign_in(client, innovation.username, PASSWORD).status_code == 302
    assert signed_in(client)


def test_the_fifth_wrong_password_locks_the_username_out_in_norwegian(
    client, site_tree, innovation
):
    fail(client, innovation.username, 4)
    response = sign_in(client, innovation.username, "wrong password")

    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="nb">' in html
    with translation.override("nb"):
        assert gettext(LOCKED_HEADING) in html
        assert gettext("Go to the front page") in html


def test_the_lockout_page_is_in_english_for_a_visitor_who_chose_english(
    client, site_tree, innovation
):
    client.cookies["django_language"] = "en"
    fail(client, innovation.username, 4)
    response = sign_in(client, innovation.username, "wrong password")

    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert LOCKED_HEADING in html
    assert "Try again in 59\xa0minutes" in html or "Try again in 1\xa0hour" in html


def test_the_right_password_during_the_lockout_is_refused_too(client, site_tree, innovation):
    lock_out(client, innovation.username)
    response = sign_in(client, innovation.username, PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)


def test_the_lockout_ends_after_the_cool_off(client, site_tree, innovation):
    lock_out(client, innovation.username)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(hours=1, minutes=1))
    assert sign_in(client, innovation.username, PASSWORD).status_code == 302
    assert signed_in(client)


def test_the_lockout_holds_one_username_at_one_address_only(
    client, site_tree, innovation, communications
):
    lock_out(client, innovation.username, REMOTE_ADDR="198.51.100.7")

    # The same person from another address, and a colleague from the same one, get in.
    assert (
        sign_in(client, innovation.username, PASSWORD, REMOTE_ADDR="198.51.100.8").status_code
        == 302
    )
    client.logout()
    assert (
        sign_in(client, communications.username, PASSWORD, REMOTE_ADDR="198.51.100.7").status_code
        == 302
    )


def test_behind_a_proxy_the_address_comes_from_the_client_ip_header(
    client, site_tree, innovation, settings
):
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    lock_out(client, innovation.username, HTTP_X_REAL_IP="203.0.113.5", **proxy)
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"

    locked = sign_in(client, innovation.username, PASSWORD, HTTP_X_REAL_IP="203.0.113.5", **proxy)
    assert locked.status_code == 429
    other = sign_in(client, innovation.username, PASSWORD, HTTP_X_REAL_IP="203.0.113.6", **proxy)
    assert other.status_code == 302


def test_a_test_that_signs_in_with_client_login_passes_a_request(client, site_tree, innovation):
    """django-axes needs the request to know the address; `force_login` needs nothing."""
    assert client.login(request=HttpRequest(), username=innovation.username, password=PASSWORD)


@pytest.mark.parametrize("address", [LOGIN_URL, "/_util/login/"])
def test_an_overlong_username_is_refused_not_an_error(client, site_tree, address):
    # django-axes stores the username in 255 characters; PostgreSQL refuses more.
    response = client.post(address, {"username": "å" * 5001, "password": "gjetting"})

    assert response.status_code == 200
    assert all(len(attempt.username) <= 255 for attempt in AccessAttempt.objects.all())
