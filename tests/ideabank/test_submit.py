"""Sending an idea through /idebank/send-inn/: the happy path, bad input, spam and replays."""

import time
import uuid

from django.core import signing

import pytest
from PIL import Image

from ideabank.choices import Source, Status
from ideabank.forms import FILL_TIME_SALT
from ideabank.models import Idea
from tests.factories import IdeaFactory, ServiceAreaFactory

from . import images

pytestmark = pytest.mark.django_db
URL = "/idebank/send-inn/"


def form_data(**overrides):
    data = {
        "title": "Lys på gangveien til skolen",
        "body": "Gangveien er mørk om morgenen, og barna går der alene.",
        "concerns": "Skolebarn",
        "name": "Ola Nordmann",
        "email": "ola@example.org",
        "phone": "912 34 567",
        "may_contact": "on",
        "may_publish": "on",
        "website": "",
        "started": signing.dumps(int(time.time()) - 60, salt=FILL_TIME_SALT),
        "submission_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def send(client, django_capture_on_commit_callbacks=None, **overrides):
    return client.post(URL, form_data(**overrides))


def test_form_shows_every_field_with_autocomplete(client, site_tree):
    ServiceAreaFactory(name="Helse", slug="helse")
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    for name in (
        "title",
        "body",
        "service_areas",
        "concerns",
        "photos",
        "name",
        "email",
        "phone",
        "may_contact",
        "may_publish",
    ):
        assert f'name="{name}"' in html
    assert 'autocomplete="name"' in html
    assert 'autocomplete="email"' in html
    assert 'autocomplete="tel"' in html


def test_resident_sends_an_idea_and_gets_a_receipt_by_page_and_email(
    client, site_tree, mailoutbox, django_capture_on_commit_callbacks
):
    area = ServiceAreaFactory(name="Skole", slug="skole")
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, service_areas=[str(area.pk)])

    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response.url == f"/idebank/kvittering/{idea.token}/"
    assert idea.status == Status.RECEIVED
    assert idea.source == Source.RESIDENT
    assert idea.reference.startswith("IDE-") and idea.reference.endswith("-0001")
    assert list(idea.service_areas.all()) == [area]
    assert idea.is_published is False

    receipt = client.get(response.url)
    assert receipt.status_code == 200
    assert idea.reference in receipt.content.decode()
    assert f"/idebank/status/{idea.token}/" in receipt.content.decode()
    assert receipt["Referrer-Policy"] == "no-referrer"
    assert "no-store" in receipt["Cache-Control"]

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ola@example.org"]
    assert idea.reference in mailoutbox[0].subject
    assert f"/idebank/status/{idea.token}/" in mailoutbox[0].body


def test_the_receipt_email_waits_for_the_transaction_to_commit(
    client, site_tree, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send(client)
        assert Idea.objects.count() == 1
        assert mailoutbox == []
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1


def test_references_count_up_within_the_year(client, site_tree):
    send(client)
    send(client, title="En annen idé")
    assert sorted(Idea.objects.values_list("reference", flat=True))[-1].endswith("-0002")


def test_logged_in_employee_gets_name_and_service_filled_in_and_owns_the_idea(
    client, site_tree, employee
):
    from ideabank.models import EmployeeProfile

    area = ServiceAreaFactory(name="Barnehage", slug="barnehage")
    EmployeeProfile.objects.create(user=employee, service_area=area)
    client.force_login(employee)

    html = client.get(URL).content.decode()
    assert 'value="Anne Ansatt"' in html
    assert f'value="{area.pk}" id="id_service_areas_0" checked' in html

    send(client, name="Anne Ansatt")
    idea = Idea.objects.get()
    assert idea.source == Source.EMPLOYEE
    assert idea.submitted_by == employee


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Write a short title."),
        ({"body": "   "}, "body", "Describe your idea or the problem."),
        ({"title": "x" * 121}, "title", "at most 120 characters"),
        ({"body": "x" * 5001}, "body", "at most 5000 characters"),
        ({"email": "ola@"}, "email", "valid e-mail address"),
        ({"phone": "ring meg"}, "phone", "phone number with digits"),
        ({"body": "Ødelagt \ufffd tekst"}, "body", "characters we cannot read"),
        ({"title": "Null\x00byte"}, "title", "invisible control characters"),
        ({"body": "bell\x07"}, "body", "invisible control characters"),
        ({"service_areas": ["999999"]}, "service_areas", "Choose from the list"),
    ],
)
def test_bad_input_gets_a_message_by_the_field_and_keeps_the_rest(
    client, site_tree, settings, overrides, field, message
):
    settings.LANGUAGE_CODE = "en"
    response = send(client, **overrides)
    html = response.content.decode()

    assert response.status_code == 400
    assert Idea.objects.count() == 0
    assert message in html
    assert 'id="error-summary"' in html
    assert f'href="#id_{field}"' in html
    kept = form_data()
    for other in ("title", "body", "name", "email"):
        if other != field and other not in overrides:
            assert f"{kept[other]}" in html


def test_error_messages_are_in_bokmal_by_default(client, site_tree):
    html = send(client, title="").content.decode()
    assert 'lang="nb"' in html
    assert "Skriv en kort tittel." in html


def test_error_messages_in_nynorsk_when_chosen(client, site_tree):
    client.cookies["django_language"] = "nn"
    html = send(client, title="").content.decode()
    assert 'lang="nn"' in html
    assert "Skriv ein kort tittel." in html


def test_line_breaks_from_browsers_are_stored_as_newlines(client, site_tree):
    send(client, body="Første linje\r\nAndre linje")
    assert Idea.objects.get().body == "Første linje\nAndre linje"


def test_html_and_script_are_stored_as_text_and_shown_escaped(client, site_tree):
    send(client, title="<script>alert('x')</script>", body="<b>fet</b> <img src=x onerror=1>")
    idea = Idea.objects.get()
    assert idea.title == "<script>alert('x')</script>"
    html = client.get(f"/idebank/status/{idea.token}/").content.decode()
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(" in html
    assert "&lt;img src=x onerror=1&gt;" in html


def test_accepted_photos_are_re_encoded_without_metadata(client, site_tree, settings):
    send(client, photos=[images.jpeg_with_gps(), images.png()])
    idea = Idea.objects.get()
    photos = list(idea.photos.all())
    assert len(photos) == 2
    for photo in photos:
        with Image.open(photo.image.path) as stored:
            assert stored.format == "JPEG"
            assert not stored.getexif()
            assert "exif" not in stored.info
    assert photos[0].image.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    with pytest.raises(ValueError, match="no public URL"):
        photos[0].image.url  # noqa: B018 - reading it is the behaviour under test


@pytest.mark.parametrize(
    ("photos", "message"),
    [
        (lambda: [images.png(f"{n}.png") for n in range(4)], "at most 3 photos"),
        (lambda: [images.oversized()], "larger than 10 MB"),
        (lambda: [images.not_an_image()], "not a photo we can read"),
        (lambda: [images.png_header_only(8000, 6000)], "more than 40 megapixels"),
        (lambda: [images.png_header_only(60000, 60000)], "more than 40 megapixels"),
    ],
    ids=["too-many", "too-big", "fake-image", "over-40-megapixels", "decompression-bomb"],
)
def test_bad_photos_are_refused_with_a_message(client, site_tree, settings, photos, message):
    settings.LANGUAGE_CODE = "en"
    response = send(client, photos=photos())
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Idea.objects.count() == 0
    assert "Lys på gangveien til skolen" in response.content.decode()


def test_filled_honeypot_is_refused_without_an_error_page(client, site_tree):
    response = send(client, website="http://spam.example")
    assert response.status_code == 400
    assert Idea.objects.count() == 0
    assert "Lys på gangveien til skolen" in response.content.decode()


def test_a_form_sent_faster_than_a_person_can_type_is_refused(client, site_tree, settings):
    settings.IDEABANK = {**settings.IDEABANK, "MIN_FILL_SECONDS": 3}
    response = send(client, started=signing.dumps(int(time.time()), salt=FILL_TIME_SALT))
    assert response.status_code == 400
    assert Idea.objects.count() == 0


def test_a_tampered_start_time_is_refused(client, site_tree):
    response = send(client, started="forged")
    assert response.status_code == 400
    assert Idea.objects.count() == 0


def test_rate_limit_per_client_address_shows_a_friendly_message(client, site_tree, settings):
    settings.IDEABANK = {**settings.IDEABANK, "SUBMIT_RATE": "2/h"}
    assert send(client, title="En").status_code == 302
    assert send(client, title="To").status_code == 302
    response = send(client, title="Tre")
    assert response.status_code == 429
    assert Idea.objects.count() == 2
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Tre" in html  # what was typed is kept


def test_replaying_the_same_form_returns_the_same_receipt(
    client, site_tree, mailoutbox, django_capture_on_commit_callbacks
):
    data = form_data()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(URL, data)
        second = client.post(URL, data)
        third = client.post(URL, {**data, "title": "Endret"})
    assert Idea.objects.count() == 1
    assert first.url == second.url == third.url
    assert len(mailoutbox) == 1


def test_similar_published_ideas_are_suggested_while_typing(client, site_tree):
    IdeaFactory(title="Lys på skoleveien", published=True)
    IdeaFactory(title="Lys i lysløypa", published=True)
    IdeaFactory(title="Lys ved barnehagen")  # not published
    response = client.get("/idebank/lignende/", {"title": "lys skoleveien"})
    html = response.content.decode()
    assert "Lys på skoleveien" in html
    assert "Lys ved barnehagen" not in html


def test_similar_ideas_without_javascript_keep_what_was_typed(client, site_tree):
    IdeaFactory(title="Benker langs turstien", published=True)
    response = send(client, title="Flere benker", body="Tekst jeg skrev", check_similar="1")
    html = response.content.decode()
    assert response.status_code == 200
    assert Idea.objects.count() == 1  # only the factory's
    assert "Benker langs turstien" in html
    assert "Tekst jeg skrev" in html


def test_no_more_than_five_suggestions(client, site_tree):
    for n in range(8):
        IdeaFactory(title=f"Sykkelparkering {n}", published=True)
    response = client.get(
        "/idebank/lignende/", {"title": "sykkelparkering"}, headers={"accept": "application/json"}
    )
    assert len(response.json()["ideas"]) == 5
