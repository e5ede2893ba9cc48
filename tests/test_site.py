"""Site-wide behaviour: language choice, login for employees, who may open what."""

import pytest

from tests.conftest import ROLES
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def test_bokmal_is_the_default_whatever_the_browser_says(client, site_tree):
    response = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"})
    assert '<html lang="nb">' in response.content.decode()


@pytest.mark.parametrize("language", ["nn", "en", "nb"])
def test_language_switcher_sets_the_language_for_the_next_pages(client, site_tree, language):
    response = client.post("/sprak/", {"language": language, "next": "/idebank/"})
    assert response.status_code == 302
    assert response.url == "/idebank/"
    html = client.get("/idebank/").content.decode()
    assert f'<html lang="{language}">' in html


def test_unknown_language_falls_back_to_bokmal(client, site_tree):
    client.post("/sprak/", {"language": "xx", "next": "/"})
    client.cookies["django_language"] = "xx"
    assert '<html lang="nb">' in client.get("/").content.decode()


def test_language_switcher_refuses_to_redirect_off_site(client, site_tree):
    response = client.post("/sprak/", {"language": "en", "next": "https://evil.example/"})
    assert "evil.example" not in response.get("Location", "")


def test_employee_logs_in_and_comes_back_to_the_form(client, site_tree, employee):
    response = client.post(
        "/admin/login/?next=/idebank/send-inn/",
        {"username": employee.username, "password": PASSWORD, "next": "/idebank/send-inn/"},
    )
    assert response.status_code == 302
    assert response.url == "/idebank/send-inn/"
    assert 'value="Anne Ansatt"' in client.get("/idebank/send-inn/").content.decode()


def test_employee_sees_their_own_ideas_on_the_form(client, site_tree, employee):
    mine = IdeaFactory(title="Min egen idé", submitted_by=employee)
    IdeaFactory(title="Noen andres idé")
    client.force_login(employee)
    html = client.get("/idebank/send-inn/").content.decode()
    assert "Min egen idé" in html
    assert f"/idebank/status/{mine.token}/" in html
    assert "Noen andres idé" not in html


PUBLIC_URLS = ["/", "/idebank/", "/idebank/send-inn/", "/idebank/lignende/?title=benk"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_are_open_to_every_role(client, site_tree, user_for_role, role, url):
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_private_pages_open_only_with_the_token_whatever_the_role(
    client, site_tree, user_for_role, role
):
    idea = IdeaFactory()
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)
    assert client.get(f"/idebank/status/{idea.token}/").status_code == 200
    assert client.get(f"/idebank/status/{idea.token[:-1]}x/").status_code == 404
    assert client.get(f"/idebank/status/{idea.pk}/").status_code == 404
    assert client.get(f"/idebank/kvittering/{idea.reference}/").status_code == 404
