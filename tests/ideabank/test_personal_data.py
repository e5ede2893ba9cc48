"""An administrator exports, or erases, everything the idea bank holds about one sender."""

import json

from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from wagtail.models import ModelLogEntry

import pytest

from ideabank import services
from ideabank.choices import Status
from ideabank.models import Idea, IdeaPhoto
from tests.admin import login, messages_in, outcome
from tests.conftest import ROLES
from tests.factories import AnswerFactory, IdeaFactory, UserFactory, with_status

from .privacy_setup import add_photo

pytestmark = pytest.mark.django_db

URL = "/admin/personal-data/"
NOT_FOUND = "No idea was sent with this e-mail address or phone number. Check what you wrote."


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def ola(db):
    """Two ideas from Ola, one with a photo and an answer, and one idea from someone else."""
    first = with_status(IdeaFactory(title="Lys på gangveien", published=True), Status.DECLINED)
    add_photo(first)
    AnswerFactory(idea=first, text="Takk! Vi har sendt det videre.")
    second = IdeaFactory(title="Benk ved bussen", email="Ola@Example.org", phone="+47 91234567")
    other = IdeaFactory(name="Kari", email="kari@example.org", phone="22 33 44 55")
    return first, second, other


def post(client, **data):
    return client.post(URL, data)


# Who may


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, user_for_role, ola, role):
    client = login(client, user_for_role(role))

    pages = [
        client.get(URL),
        post(client, contact="ola@example.org", action="find"),
        post(client, contact="ola@example.org", action="export"),
        post(client, contact="ola@example.org", action="erase", ideas=str(ola[0].pk)),
    ]

    expected = {
        "anonymous": "login",
        "employee": "login",
        "innovation": "denied",
        "communications": "denied",
        "administrator": "ok",
    }[role]
    assert [outcome(page) for page in pages] == [expected] * 4
    if expected != "ok":
        assert Idea.objects.get(pk=ola[0].pk).email == "ola@example.org"
        assert not ModelLogEntry.objects.filter(action="ideabank.export_personal_data").exists()


def test_a_group_given_the_permission_may_use_it(client, innovation, ola):
    innovation.user_permissions.add(Permission.objects.get(codename="manage_personal_data"))

    assert outcome(login(client, innovation).get(URL)) == "ok"


def test_the_menu_shows_the_page_only_to_those_who_may_use_it(client, administrator, innovation):
    assert URL in login(client, administrator).get(reverse("wagtailadmin_home")).content.decode()
    client.logout()
    assert URL not in login(client, innovation).get(reverse("wagtailadmin_home")).content.decode()


def test_the_services_check_the_permission_too(innovation, ola):
    ideas = Idea.objects.filter(pk=ola[0].pk)
    with pytest.raises(services.IdeaActionError):
        services.personal_data_export(ideas=ideas, by=innovation)
    with pytest.raises(services.IdeaActionError):
        services.personal_data_erase(ideas=ideas, by=innovation)


# Finding the sender


def test_finds_every_idea_of_an_address_whatever_its_case(client, administrator, ola, english):
    response = post(login(client, administrator), contact=" OLA@example.ORG ", action="find")

    assert response.status_code == 200
    assert [idea.pk for idea in response.context["ideas"]] == [ola[0].pk, ola[1].pk]
    html = response.content.decode()
    assert ola[2].reference not in html
    assert "2 ideas from this sender" in html


@pytest.mark.parametrize("phone", ["91234567", "+47 912 34 567", "0047 91 23 45 67", "912-34-567"])
def test_finds_ideas_by_phone_whatever_the_spacing_and_country_code(
    client, administrator, ola, phone
):
    response = post(login(client, administrator), contact=phone, action="find")

    assert [idea.pk for idea in response.context["ideas"]] == [ola[0].pk, ola[1].pk]


def test_finds_an_employees_ideas_by_their_account_address(client, administrator):
    employee = UserFactory(email="anne.ansatt@kommune.example")
    idea = IdeaFactory(submitted_by=employee, email="", name="", phone="")

    response = post(login(client, administrator), contact="anne.ansatt@kommune.example")

    assert [found.pk for found in response.context["ideas"]] == [idea.pk]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("ola@", "This is not a whole e-mail address. Write it like kari@example.org."),
        ("ola @example.org", "This is not a whole e-mail address. Write it like kari@example.org."),
        ("1234", "Write an e-mail address, or a phone number with at least 8 digits."),
        ("Ola Nordmann", "Write an e-mail address, or a phone number with at least 8 digits."),
        ("nobody@example.org", NOT_FOUND),
        ("99 99 99 99", NOT_FOUND),
    ],
)
def test_bad_input_gets_a_message_and_keeps_what_was_typed(
    client, administrator, ola, english, typed, message
):
    for action in ("find", "export", "confirm"):
        response = post(login(client, administrator), contact=typed, action=action)

        assert response.status_code == 200
        assert response.context["form"].errors["contact"] == [message]
        assert f'value="{typed}"' in response.content.decode()
    assert not ModelLogEntry.objects.filter(action="ideabank.export_personal_data").exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"contact": ""},
        {"contact": "a\x00b@example.org"},
        {"contact": "x" * 10_000 + "@example.org"},
        {"contact": "ola@example.org", "action": "erase", "ideas": "1 two \uff13"},
        {"contact": "ola@example.org", "action": "erase", "ideas": "9" * 40},
        {"contact": "ola@example.org", "action": "explode"},
    ],
)
def test_hostile_input_never_makes_a_server_error(client, administrator, ola, data):
    response = client.post(URL, data) if login(client, administrator) else None

    assert response.status_code == 200
    assert Idea.objects.filter(email__iexact="ola@example.org").count() == 2


def test_messages_are_in_bokmal_by_default(client, administrator, ola):
    response = post(login(client, administrator), contact="nobody@example.org")

    with translation.override("nb"):
        expected = gettext(NOT_FOUND)
    assert 'lang="nb"' in response.content.decode()
    assert response.context["form"].errors["contact"] == [expected]


# Export


def test_export_is_a_json_file_with_everything_stored_about_the_sender(client, administrator, ola):
    first, second, other = ola

    response = post(login(client, administrator), contact="ola@example.org", action="export")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="personal-data-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert [idea["reference"] for idea in data["ideas"]] == [first.reference, second.reference]
    exported = data["ideas"][0]
    assert exported["title"] == "Lys på gangveien"
    assert exported["body"] == first.body
    assert exported["status"] == Status.DECLINED
    assert exported["published"] is True
    assert exported["sender"]["name"] == "Ola Innsender"
    assert exported["sender"]["email"] == "ola@example.org"
    assert exported["sender"]["phone"] == "912 34 567"
    assert exported["sender"]["may_contact"] is True
    assert [answer["text"] for answer in exported["answers"]] == ["Takk! Vi har sendt det videre."]
    assert [photo["width"] for photo in exported["photos"]] == [40]
    assert data["ideas"][1]["sender"]["phone"] == "+47 91234567"
    assert other.reference not in response.content.decode()
    assert "token" not in exported and first.token not in response.content.decode()


def test_export_includes_the_employees_account_and_the_status_history(
    client, administrator, innovation
):
    employee = UserFactory(username="anne", first_name="Anne", last_name="Ansatt")
    idea = IdeaFactory(submitted_by=employee, email=employee.email)
    services.idea_transition(idea=idea, name="start_review", by=innovation, description="Vi ser")

    response = post(login(client, administrator), contact=employee.email, action="export")

    exported = json.loads(response.content)["ideas"][0]
    assert exported["sender"]["user"] == {
        "username": "anne",
        "name": "Anne Ansatt",
        "email": employee.email,
    }
    assert [(step["status"], step["public_answer"]) for step in exported["status_history"]] == [
        (Status.IN_REVIEW, "Vi ser")
    ]
    # Staff's names and internal scores are not the sender's data.
    assert innovation.username not in response.content.decode()


def test_the_export_costs_the_same_queries_for_one_idea_or_many(client, administrator):
    login(client, administrator)
    post(client, contact="nobody@example.org")  # the session is saved on the first request
    counts = []
    for count in (1, 6):
        Idea.objects.all().delete()
        for _ in range(count):
            idea = IdeaFactory()
            add_photo(idea)
            AnswerFactory(idea=idea)
        with CaptureQueriesContext(connection) as queries:
            post(client, contact="ola@example.org", action="export")
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_export_is_in_the_audit_log_without_the_address(client, administrator, ola):
    post(login(client, administrator), contact="ola@example.org", action="export")

    entries = ModelLogEntry.objects.filter(action="ideabank.export_personal_data")
    assert sorted(entry.object_id for entry in entries) == sorted([str(ola[0].pk), str(ola[1].pk)])
    for entry in entries:
        assert entry.user == administrator
        assert entry.data == {"ideas": 2}
        assert "ola@example.org" not in f"{entry.label} {entry.data}".lower()


# Erasure


def test_erasure_asks_first_and_changes_nothing_until_confirmed(
    client, administrator, ola, english
):
    response = post(login(client, administrator), contact="ola@example.org", action="confirm")

    html = response.content.decode()
    assert "Erase the contact details and photos of 2 ideas?" in html
    assert f'name="ideas" value="{ola[0].pk} {ola[1].pk}"' in html
    assert Idea.objects.filter(email__iexact="ola@example.org").count() == 2


def test_erasure_anonymises_every_idea_of_the_sender_and_keeps_the_text(
    client, administrator, ola, english, django_capture_on_commit_callbacks
):
    first, second, other = ola
    photo = first.photos.get()
    storage, name = photo.image.storage, photo.image.name
    login(client, administrator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL,
            {"contact": "ola@example.org", "action": "erase", "ideas": f"{first.pk} {second.pk}"},
            follow=True,
        )

    assert messages_in(response) == [
        "The contact details and photos of 2 ideas are erased. The text of the ideas is kept."
    ]
    for idea in (first, second):
        idea.refresh_from_db()
        assert (idea.name, idea.email, idea.phone, idea.may_contact) == ("", "", "", False)
        assert idea.contact_erased_at is not None
    assert first.title == "Lys på gangveien" and first.is_published
    assert first.answers.count() == 1
    assert not IdeaPhoto.objects.filter(idea=first).exists()
    assert not storage.exists(name)
    other.refresh_from_db()
    assert other.email == "kari@example.org"

    entries = ModelLogEntry.objects.filter(action="ideabank.erase_contact")
    assert sorted(entry.object_id for entry in entries) == sorted([str(first.pk), str(second.pk)])
    assert {entry.user for entry in entries} == {administrator}
    assert {entry.data["reason"] for entry in entries} == {"request"}


def test_an_idea_sent_after_the_confirmation_is_not_erased(client, administrator, ola):
    first, second, _other = ola
    later = IdeaFactory()

    post(login(client, administrator), contact="ola@example.org", action="erase", ideas=first.pk)

    assert Idea.objects.get(pk=first.pk).email == ""
    assert Idea.objects.get(pk=later.pk).email == "ola@example.org"
    assert Idea.objects.get(pk=second.pk).email == "Ola@Example.org"


def test_erasing_again_says_there_is_nothing_left(client, administrator, ola, english):
    ids = f"{ola[0].pk} {ola[1].pk}"
    login(client, administrator)
    client.post(URL, {"contact": "ola@example.org", "action": "erase", "ideas": ids}, follow=True)

    response = client.post(
        URL, {"contact": "ola@example.org", "action": "erase", "ideas": ids}, follow=True
    )

    assert messages_in(response) == ["There was nothing left to erase for this sender."]
    assert ModelLogEntry.objects.filter(action="ideabank.erase_contact").count() == 2


def test_the_history_of_an_erased_idea_says_why(client, administrator, ola, english):
    post(login(client, administrator), contact="ola@example.org", action="erase", ideas=ola[0].pk)

    response = client.get(reverse("ideas:history", args=[ola[0].pk]))

    html = response.content.decode()
    assert "Contact details and photos erased at the sender&#x27;s request" in html
    assert "ola@example.org" not in html
