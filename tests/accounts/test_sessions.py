"""Staff sessions end when the browser closes or after eight hours without a request."""

from datetime import timedelta

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

import pytest

from accounts.middleware import SEEN_KEY

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
EIGHT_HOURS = 8 * 60 * 60


@pytest.fixture(autouse=True)
def _eight_hours(settings):
    settings.SESSION_COOKIE_AGE = EIGHT_HOURS


def stored(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_the_session_cookie_ends_with_the_browser_even_with_remember_me(
    client, site_tree, innovation
):
    response = client.post(
        "/admin/login/",
        {"username": innovation.username, "password": PASSWORD, "remember": "on"},
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert client.session.get_expire_at_browser_close()


def test_the_server_forgets_the_session_eight_hours_after_the_last_request(
    client, site_tree, innovation
):
    client.force_login(innovation)
    client.get("/admin/")
    left = stored(client).expire_date - timezone.now()
    assert timedelta(hours=8) - timedelta(minutes=1) < left <= timedelta(hours=8)


def test_each_request_moves_the_end_of_the_session_on(client, site_tree, innovation):
    client.force_login(innovation)
    client.get("/admin/")
    session = client.session
    session[SEEN_KEY] = 0  # last seen long ago
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )

    client.get("/admin/")

    assert stored(client).expire_date > timezone.now() + timedelta(hours=7, minutes=59)


def test_after_eight_idle_hours_staff_must_sign_in_again(client, site_tree, innovation):
    client.force_login(innovation)
    client.get("/admin/")
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
    assert SESSION_KEY not in client.session


def test_residents_get_no_session_at_all(client, site_tree):
    for url in ("/", "/idebank/", "/idebank/send-inn/"):
        assert "sessionid" not in client.get(url).cookies
    assert not Session.objects.exists()
