"""The sender's private status page: reached only by the secret link."""

from datetime import timedelta

from django.utils import timezone

import pytest

from ideabank import services
from ideabank.choices import Status
from ideabank.models import Idea
from tests.factories import IdeaFactory, with_status

pytestmark = pytest.mark.django_db


def status_url(idea):
    return f"/idebank/status/{idea.token}/"


def test_token_has_at_least_128_bits_and_is_unique():
    tokens = {IdeaFactory().token for _ in range(50)}
    assert len(tokens) == 50
    assert all(len(token) >= 43 for token in tokens)  # 32 random bytes, base64url


def test_status_page_shows_status_and_timeline_with_answers(client, site_tree, innovation):
    idea = IdeaFactory()
    services.idea_transition(
        idea=idea, name="start_review", by=innovation, description="Vi har begynt å se på idéen."
    )
    services.idea_answer(idea=idea, text="Kan du fortelle mer om stedet?", by=innovation)

    response = client.get(status_url(idea))
    html = response.content.decode()
    assert response.status_code == 200
    assert idea.reference in html
    assert "Vi har begynt å se på idéen." in html
    assert "Kan du fortelle mer om stedet?" in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("token", ["feil", "a" * 43, "a" * 500, "%00", "' OR 1=1 --"])
def test_wrong_token_is_a_plain_404(client, site_tree, token):
    IdeaFactory()
    assert client.get(f"/idebank/status/{token}/").status_code == 404
    assert client.get(f"/idebank/kvittering/{token}/").status_code == 404
    assert client.post(f"/idebank/status/{token}/trekk-tilbake/").status_code == 404


def test_expired_token_is_a_plain_404(client, site_tree, settings):
    settings.IDEABANK = {**settings.IDEABANK, "TOKEN_TTL_DAYS": 30}
    idea = with_status(IdeaFactory(), Status.DECLINED)
    Idea.objects.filter(pk=idea.pk).update(closed_at=timezone.now() - timedelta(days=31))
    assert client.get(status_url(idea)).status_code == 404


def test_token_never_appears_on_public_pages(client, site_tree):
    idea = IdeaFactory(published=True)
    for url in ("/", "/idebank/", f"/idebank/{idea.pk}/", "/idebank/send-inn/"):
        assert idea.token not in client.get(url).content.decode()


def test_confirm_pages_let_the_browser_send_its_origin_for_the_csrf_check(client, site_tree):
    # With "no-referrer" a browser posts the form with `Origin: null` and Django refuses it.
    idea = IdeaFactory()
    for action in ("trekk-tilbake", "slett-kontaktinfo"):
        response = client.get(f"{status_url(idea)}{action}/")
        assert response["Referrer-Policy"] == "same-origin"


def test_sender_withdraws_after_confirming(client, site_tree):
    idea = IdeaFactory(published=True)
    confirm = client.get(f"{status_url(idea)}trekk-tilbake/")
    assert confirm.status_code == 200
    assert Idea.objects.get(pk=idea.pk).status == Status.RECEIVED  # a GET changes nothing

    response = client.post(f"{status_url(idea)}trekk-tilbake/")
    idea.refresh_from_db()
    assert response.status_code == 302
    assert idea.status == Status.WITHDRAWN
    assert idea.is_published is False
    assert client.get(f"/idebank/{idea.pk}/").status_code == 404
    assert client.get(status_url(idea)).status_code == 200  # still followable


def test_an_accepted_idea_cannot_be_withdrawn(client, site_tree):
    idea = with_status(IdeaFactory(), Status.ACCEPTED)
    client.post(f"{status_url(idea)}trekk-tilbake/")
    assert Idea.objects.get(pk=idea.pk).status == Status.ACCEPTED


def test_sender_erases_contact_details_and_the_idea_stays(client, site_tree, employee, settings):
    settings.LANGUAGE_CODE = "en"
    idea = IdeaFactory(submitted_by=employee)
    assert client.get(f"{status_url(idea)}slett-kontaktinfo/").status_code == 200
    client.post(f"{status_url(idea)}slett-kontaktinfo/")
    idea.refresh_from_db()
    assert (idea.name, idea.email, idea.phone, idea.may_contact) == ("", "", "", False)
    assert idea.submitted_by is None
    assert idea.contact_erased_at is not None
    assert idea.body  # the idea text stays
    assert (
        "Your name and contact details were erased."
        in client.get(status_url(idea)).content.decode()
    )


def test_no_email_after_contact_details_are_erased(
    client, site_tree, innovation, mailoutbox, django_capture_on_commit_callbacks
):
    idea = IdeaFactory()
    services.idea_erase_contact(idea=idea)
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_transition(idea=idea, name="start_review", by=innovation, description="Ok")
    assert mailoutbox == []
