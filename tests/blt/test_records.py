"""Recording the work of each phase on the floke page, and correcting it later."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.models import ModelLogEntry

import pytest

from blt import services
from blt.choices import BenefitTerm, ExperimentStatus, Phase
from blt.models import Attachment, Benefit, CoCreation, KeyFigure, TeamMember
from tests.admin import login, messages_in, outcome
from tests.factories import (
    BenefitFactory,
    ExperimentFactory,
    FlokeFactory,
    UserFactory,
    with_phase,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def floke(db):
    return FlokeFactory(title="Familiehjelpa")


def add_url(floke, kind):
    return reverse("flokes:record", args=[floke.pk, kind])


def edit_url(floke, kind, record):
    return reverse("flokes:edit_record", args=[floke.pk, kind, record.pk])


ADDED = {
    "co_creation": (
        {"co_creation-activity": "Verksted med familiene", "co_creation-summary": "Åtte kom."},
        lambda floke: CoCreation.objects.get(floke=floke).activity == "Verksted med familiene",
    ),
    "benefit": (
        {
            "benefit-term": BenefitTerm.SHORT,
            "benefit-planned": "Færre henvisninger som faller bort",
            "benefit-indicator": "Henvisninger per måned",
        },
        lambda floke: Benefit.objects.get(floke=floke).indicator == "Henvisninger per måned",
    ),
    "key_figure": (
        {
            "key_figure-value": "35",
            "key_figure-unit": "familier",
            "key_figure-label": "henvist gjennom 7 tjenester",
            "key_figure-as_of": "2026-10-01",
            "key_figure-source": "Fagsystemet",
        },
        lambda floke: KeyFigure.objects.get(floke=floke).value == Decimal("35"),
    ),
    "team_member": (
        {"team_member-name": "Kari Nordmann", "team_member-role": "Innovasjonsskolen, kull 2"},
        lambda floke: TeamMember.objects.get(floke=floke).role == "Innovasjonsskolen, kull 2",
    ),
}


@pytest.mark.parametrize("kind", ADDED)
def test_innovation_staff_add_each_kind_of_record(client, innovation, floke, kind):
    data, stored = ADDED[kind]

    response = login(client, innovation).post(add_url(floke, kind), data)

    assert response.status_code == 302
    assert stored(floke)
    assert ModelLogEntry.objects.for_instance(floke).filter(action__startswith="blt.add_").exists()


@pytest.mark.parametrize("kind", ADDED)
def test_communications_read_flokes_but_cannot_add_records(client, communications, floke, kind):
    data, _stored = ADDED[kind]

    response = login(client, communications).post(add_url(floke, kind), data)

    assert outcome(response) == "denied"
    assert not (CoCreation.objects.exists() or Benefit.objects.exists())
    assert not (KeyFigure.objects.exists() or TeamMember.objects.exists())


def test_a_key_figure_without_a_number_keeps_what_was_typed(client, innovation, floke):
    response = login(client, innovation).post(
        add_url(floke, "key_figure"),
        {"key_figure-value": "mange", "key_figure-label": "familier henvist"},
    )

    form = response.context["record_forms"]["key_figure"]["form"]
    assert response.status_code == 200
    assert "value" in form.errors
    assert form["label"].value() == "familier henvist"
    assert not KeyFigure.objects.exists()


def test_an_unknown_kind_of_record_is_not_found(client, innovation, floke):
    response = login(client, innovation).post(add_url(floke, "rumour"), {})

    assert response.status_code == 404


def test_finishing_an_experiment_later_opens_the_gate_to_implemented(client, innovation, floke):
    floke = with_phase(floke, Phase.TESTING)
    experiment = ExperimentFactory(floke=floke, status=ExperimentStatus.RUNNING)
    assert services.missing_for(floke, "implement")

    login(client, innovation)
    page = client.get(edit_url(floke, "experiment", experiment))
    response = client.post(
        edit_url(floke, "experiment", experiment),
        {
            "experiment-title": experiment.title,
            "experiment-status": ExperimentStatus.FINISHED,
            "experiment-result": "Ventetiden gikk ned fra seks til to uker.",
            "experiment-learnings": "Én kontaktperson betyr mest.",
        },
    )

    assert page.status_code == 200
    assert response.url == reverse("flokes:inspect", args=[floke.pk]) + "#testing"
    experiment.refresh_from_db()
    assert experiment.status == ExperimentStatus.FINISHED
    floke.decision_note = "Vi tar det i bruk i hele kommunen."
    assert services.missing_for(floke, "implement") == []
    log = ModelLogEntry.objects.for_instance(floke).get(action="blt.edit_experiment")
    assert "result" in log.data["changed"]


def test_a_realised_benefit_is_filled_in_later(client, innovation, floke):
    benefit = BenefitFactory(floke=floke, realised_value="")

    login(client, innovation).post(
        edit_url(floke, "benefit", benefit),
        {
            "benefit-term": benefit.term,
            "benefit-planned": benefit.planned,
            "benefit-realised_value": "12 færre brudd",
            "benefit-realised_on": "2026-11-01",
        },
    )

    benefit.refresh_from_db()
    assert (benefit.realised_value, benefit.realised_on) == (
        "12 færre brudd",
        datetime.date(2026, 11, 1),
    )


def test_a_bad_edit_keeps_the_input_and_the_stored_record(client, innovation, floke):
    experiment = ExperimentFactory(floke=floke, title="Innsjekk")

    response = login(client, innovation).post(
        edit_url(floke, "experiment", experiment),
        {
            "experiment-title": "Ny tittel",
            "experiment-start": "2026-12-02",
            "experiment-end": "2026-11-02",
            "experiment-status": ExperimentStatus.PLANNED,
        },
    )

    assert response.status_code == 200
    assert response.context["form"]["title"].value() == "Ny tittel"
    assert (
        "The experiment cannot end before it starts." in response.context["form"].non_field_errors()
    )
    experiment.refresh_from_db()
    assert experiment.title == "Innsjekk"


def test_only_those_who_may_move_the_floke_edit_its_records(client, floke):
    experiment = ExperimentFactory(floke=floke, title="Innsjekk")
    reader = UserFactory(username="leser")
    reader.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_floke"])
    )

    login(client, reader)
    page = client.get(edit_url(floke, "experiment", experiment))
    post = client.post(
        edit_url(floke, "experiment", experiment),
        {"experiment-title": "Kapret", "experiment-status": ExperimentStatus.PLANNED},
    )

    assert (outcome(page), outcome(post)) == ("denied", "denied")
    experiment.refresh_from_db()
    assert experiment.title == "Innsjekk"


def test_a_record_of_another_floke_is_not_found(client, innovation, floke):
    other = ExperimentFactory(floke=FlokeFactory())

    response = login(client, innovation).get(edit_url(floke, "experiment", other))

    assert response.status_code == 404


def test_the_floke_page_links_each_record_to_its_edit_form(client, innovation, floke):
    experiment = ExperimentFactory(floke=floke, title="Innsjekk")

    response = login(client, innovation).get(reverse("flokes:inspect", args=[floke.pk]))

    assert edit_url(floke, "experiment", experiment) in response.content.decode()


# Attachments


def test_an_attachment_is_kept_where_only_signed_in_staff_can_open_it(client, innovation, floke):
    upload = SimpleUploadedFile("rapport.pdf", b"%PDF-1.4 rapport", "application/pdf")

    login(client, innovation).post(
        add_url(floke, "attachment"),
        {"attachment-title": "Sluttrapport", "attachment-file": upload},
    )

    attachment = Attachment.objects.get(floke=floke)
    document = attachment.document
    assert (attachment.title, document.title) == ("Sluttrapport", "Sluttrapport")
    assert document.collection.get_view_restrictions().exists()
    client.logout()
    response = client.get(document.url)
    assert response.status_code == 302
    assert "/login/" in response.url


def test_an_attachment_of_a_kind_we_do_not_keep_is_refused(client, innovation, floke):
    upload = SimpleUploadedFile("skript.html", b"<script>alert(1)</script>", "text/html")

    response = login(client, innovation).post(
        add_url(floke, "attachment"), {"attachment-title": "Skript", "attachment-file": upload}
    )

    assert response.status_code == 200
    assert "file" in response.context["record_forms"]["attachment"]["form"].errors
    assert not get_document_model().objects.exists()


def test_an_attachment_cannot_be_edited_only_added(client, innovation, floke):
    upload = SimpleUploadedFile("rapport.pdf", b"%PDF-1.4", "application/pdf")
    attachment = services.floke_add_attachment(
        floke=floke, by=innovation, title="Rapport", file=upload
    )

    response = login(client, innovation).get(edit_url(floke, "attachment", attachment))

    assert response.status_code == 404


# The help page


def test_the_help_page_lists_every_step_of_the_machine(client, innovation):
    response = login(client, innovation).get(reverse("blt_board:help"))

    text = response.content.decode()
    assert response.status_code == 200
    assert text.count("<line data-step=") == 9
    for label in ("Move to Solution", "Back one phase", "Stop the floke", "Reopen from Need"):
        assert label in text
    assert "Record at least one insight." in text


def test_the_help_page_is_for_staff_who_see_flokes(client, employee):
    response = login(client, employee).get(reverse("blt_board:help"))

    assert outcome(response) == "login"


def test_a_message_says_what_was_recorded(client, innovation, floke):
    response = login(client, innovation).post(
        add_url(floke, "team_member"), {"team_member-name": "Ola"}, follow=True
    )

    assert "The team member is added." in messages_in(response)
