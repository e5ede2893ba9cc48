"""Innovation staff mark a declined idea as spam in the admin, and can take it back."""

from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest

from ideabank import services
from ideabank.choices import Status
from tests.admin import login, messages_in, outcome
from tests.conftest import ROLES
from tests.factories import IdeaFactory, with_status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    settings.IDEABANK_SPAM_RETENTION_DAYS = 30


@pytest.fixture
def declined(db):
    return with_status(IdeaFactory(published=True), Status.DECLINED)


def url(name, idea):
    return reverse(f"ideas:{name}", args=[idea.pk])


@pytest.mark.parametrize("role", ROLES)
def test_only_triage_staff_may_mark_spam(client, user_for_role, declined, role):
    response = login(client, user_for_role(role)).post(url("mark_spam", declined))

    expected = {
        "anonymous": "login",
        "employee": "login",
        "innovation": "ok",
        "communications": "denied",
        "administrator": "ok",
    }[role]
    assert outcome(response) == expected
    declined.refresh_from_db()
    assert declined.is_spam is (expected == "ok")


def test_marking_spam_says_when_it_is_deleted_and_takes_it_off_the_idea_bank(
    client, innovation, declined
):
    page = login(client, innovation).get(url("inspect", declined))
    assert url("mark_spam", declined) in page.content.decode()
    assert "Spam is deleted with its photos 30 days after it is marked." in page.content.decode()

    response = client.post(url("mark_spam", declined), follow=True)

    assert messages_in(response) == [
        f"{declined.reference} is marked as spam. It is deleted with its photos after 30 days."
    ]
    declined.refresh_from_db()
    assert declined.is_spam and not declined.is_published
    assert url("unmark_spam", declined) in response.content.decode()
    assert ModelLogEntry.objects.filter(
        action="ideabank.mark_spam", object_id=str(declined.pk), user=innovation
    ).exists()


def test_a_mistake_can_be_undone(client, innovation, declined):
    services.idea_mark_spam(idea=declined, by=innovation)

    response = login(client, innovation).post(url("unmark_spam", declined), follow=True)

    assert messages_in(response) == [
        f"{declined.reference} is no longer marked as spam and is kept."
    ]
    declined.refresh_from_db()
    assert not declined.is_spam
    assert declined.status == Status.DECLINED


def test_reopening_a_spam_idea_means_it_was_not_spam(innovation, declined):
    services.idea_mark_spam(idea=declined, by=innovation)

    services.idea_transition(idea=declined, name="reopen", by=innovation, description="Sjekk")

    declined.refresh_from_db()
    assert declined.status == Status.IN_REVIEW
    assert not declined.is_spam


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.IN_REVIEW, Status.ACCEPTED])
def test_only_declined_ideas_can_be_marked(client, innovation, status):
    idea = with_status(IdeaFactory(), status)

    page = login(client, innovation).get(url("inspect", idea))
    assert url("mark_spam", idea) not in page.content.decode()
    response = client.post(url("mark_spam", idea))

    assert response.status_code == 200
    assert messages_in(response) == ["Only a declined idea can be marked as spam."]
    idea.refresh_from_db()
    assert not idea.is_spam


def test_marking_twice_is_refused_with_a_message(client, innovation, declined):
    services.idea_mark_spam(idea=declined, by=innovation)

    response = login(client, innovation).post(url("mark_spam", declined))

    assert messages_in(response) == ["Only a declined idea can be marked as spam."]


def test_communications_see_no_spam_controls(client, communications, declined):
    page = login(client, communications).get(url("inspect", declined))

    assert url("mark_spam", declined) not in page.content.decode()
