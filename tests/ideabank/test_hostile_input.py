"""Hostile and odd input gets a clear answer, never a server error."""

import logging
import time
import uuid

from django.core import signing
from django.test import Client

import pytest

from ideabank import services
from ideabank.choices import Status
from ideabank.forms import FILL_TIME_SALT
from ideabank.models import Idea
from tests.factories import IdeaFactory, with_status

from . import images

pytestmark = pytest.mark.django_db

SEARCHES = [
    '"',
    '"""',
    "---",
    "\x00\x00\x00",
    "*",
    "AND OR NOT",
    "(",
    "'; DROP TABLE x; --",
    "a" * 300,
    "\ufffd",
    "😀",
]


def form_data(**overrides):
    return {
        "title": "Benker i parken",
        "body": "Flere benker langs stien.",
        "started": signing.dumps(int(time.time()) - 60, salt=FILL_TIME_SALT),
        "submission_key": str(uuid.uuid4()),
        **overrides,
    }


@pytest.mark.parametrize("query", SEARCHES)
def test_search_syntax_and_odd_characters_never_break_public_search(client, site_tree, query):
    IdeaFactory(title="Benker i parken", published=True)
    assert client.get("/idebank/", {"q": query}).status_code == 200
    assert client.get("/idebank/lignende/", {"title": query}).status_code == 200
    response = client.post("/idebank/send-inn/", form_data(title=query, check_similar="1"))
    assert response.status_code == 200


def test_broken_utf8_in_the_address_never_breaks_a_page(client, site_tree):
    for url in (
        "/idebank/?q=%ED%A0%80%FF",
        "/idebank/lignende/?title=%C3%28%ED%A0%80",
        "/idebank/?area=%FF&status=%FE",
    ):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("query", SEARCHES)
def test_search_syntax_never_breaks_the_admin_search(client, site_tree, innovation, query):
    IdeaFactory(title="Benker i parken")
    client.force_login(innovation)
    assert client.get("/admin/ideas/", {"q": query}).status_code == 200


def test_text_that_grows_when_normalised_is_measured_after(client, site_tree, settings):
    settings.LANGUAGE_CODE = "en"
    # Each U+0958 becomes two code points in NFC.
    response = client.post("/idebank/send-inn/", form_data(title="\u0958" * 120))
    assert response.status_code == 400
    assert "at most 120 characters" in response.content.decode()
    assert Idea.objects.count() == 0


def test_out_of_range_service_area_ids_are_a_form_error(client, site_tree):
    response = client.post(
        "/idebank/send-inn/", form_data(service_areas=["99999999999999999999999"])
    )
    assert response.status_code == 400
    assert Idea.objects.count() == 0


def test_an_expired_form_comes_back_with_what_was_typed(site_tree):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/idebank/send-inn/", form_data(body="Det jeg skrev"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Det jeg skrev" in html
    assert 'role="alert"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert Idea.objects.count() == 0


def test_other_expired_forms_get_a_plain_page_in_bokmal(site_tree):
    idea = IdeaFactory()
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/idebank/status/{idea.token}/trekk-tilbake/")
    assert response.status_code == 403
    assert '<html lang="nb">' in response.content.decode()
    assert Idea.objects.get(pk=idea.pk).status == Status.RECEIVED


def test_not_found_pages_speak_the_visitors_language(client, site_tree):
    response = client.get("/idebank/status/finnes-ikke-i-det-hele-tatt-0000000000000/")
    assert response.status_code == 404
    assert '<html lang="nb">' in response.content.decode()


def test_too_many_files_is_a_clear_400(client, site_tree):
    files = [images.png(f"{n}.png") for n in range(11)]
    response = client.post("/idebank/send-inn/", form_data(photos=files))
    assert response.status_code == 400
    assert '<html lang="nb">' in response.content.decode()


def test_a_replay_at_the_rate_limit_still_gets_its_receipt(client, site_tree, settings):
    settings.IDEABANK = {**settings.IDEABANK, "SUBMIT_RATE": "1/h"}
    data = form_data()
    first = client.post("/idebank/send-inn/", data)
    again = client.post("/idebank/send-inn/", data)
    assert first.status_code == again.status_code == 302
    assert first.url == again.url


def test_refused_attempts_are_limited_too(client, site_tree, settings):
    settings.IDEABANK = {**settings.IDEABANK, "ATTEMPT_RATE": "3/h"}
    statuses = [
        client.post("/idebank/send-inn/", form_data(title="")).status_code for _ in range(4)
    ]
    assert statuses == [400, 400, 400, 429]


def test_merged_ideas_cannot_be_supported(client, site_tree):
    idea = with_status(IdeaFactory(published=True), Status.MERGED)
    client.post(f"/idebank/{idea.pk}/stott/")
    idea.refresh_from_db(fields=["support_count"])
    assert idea.support_count == 0


def test_private_links_are_redacted_in_logs(client, site_tree, caplog):
    token = "x" * 43
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(f"/idebank/status/{token}/")
    from config.logging import RedactPrivateLinks

    records = [record for record in caplog.records if record.name == "django.request"]
    assert records
    for record in records:
        RedactPrivateLinks().filter(record)
        assert token not in record.getMessage()


def test_deleting_an_idea_removes_its_photos(client, site_tree, django_capture_on_commit_callbacks):
    client.post("/idebank/send-inn/", form_data(photos=[images.png()]))
    idea = Idea.objects.get()
    photo = idea.photos.get()
    storage, name = photo.image.storage, photo.image.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        idea.delete()
    assert not storage.exists(name)


def test_answers_on_published_ideas_are_checked_for_personal_data(innovation):
    idea = IdeaFactory(published=True)
    with pytest.raises(services.PersonalDataFound):
        services.idea_answer(idea=idea, text="Ring Per på 912 34 567", by=innovation)
    assert not idea.answers.exists()
    services.idea_answer(
        idea=idea, text="Ring Per på 912 34 567", by=innovation, personal_data_checked=True
    )
    assert idea.answers.count() == 1


def test_public_reasons_on_published_ideas_are_checked_for_personal_data(innovation):
    idea = IdeaFactory(published=True)
    with pytest.raises(services.PersonalDataFound):
        services.idea_transition(
            idea=idea, name="start_review", by=innovation, description="Kontakt ola@example.org"
        )
    assert Idea.objects.get(pk=idea.pk).status == Status.RECEIVED


def test_answers_to_unpublished_ideas_are_private_and_not_checked(innovation):
    idea = IdeaFactory()
    services.idea_answer(idea=idea, text="Vi ringer deg på 912 34 567", by=innovation)
    assert idea.answers.count() == 1
