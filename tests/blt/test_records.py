"""Recording the work of each phase on the floke page, and correcting it later."""

import datetime
import re
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


def attach(floke, by, title="Rapport", name="rapport.pdf", content=b"%PDF-1.4 rapport"):
    upload = SimpleUploadedFile(name, content, "application/pdf")
    return services.floke_add_attachment(floke=floke, by=by, title=title, file=upload)


def test_an_attachment_is_corrected_like_the_other_records(client, innovation, floke):
    attachment = attach(floke, innovation, title="Rapprot")
    file_name = attachment.document.file.name

    login(client, innovation)
    page = client.get(edit_url(floke, "attachment", attachment))
    response = client.post(
        edit_url(floke, "attachment", attachment),
        {"attachment-title": "Sluttrapport", "attachment-description": "Fra kull 2."},
    )

    assert page.status_code == 200
    assert "rapport" in page.context["form"]["file"].help_text
    assert response.url == reverse("flokes:inspect", args=[floke.pk]) + "#attachments"
    attachment.refresh_from_db()
    assert (attachment.title, attachment.description) == ("Sluttrapport", "Fra kull 2.")
    # The document keeps its file, and is called what the attachment is called.
    assert (attachment.document.title, attachment.document.file.name) == (
        "Sluttrapport",
        file_name,
    )
    log = ModelLogEntry.objects.for_instance(floke).get(action="blt.edit_attachment")
    assert log.data["changed"] == ["description", "title"]


def test_a_wrong_file_is_replaced(client, innovation, floke, django_capture_on_commit_callbacks):
    attachment = attach(floke, innovation)
    old = attachment.document.file
    old_name, storage = old.name, old.storage
    upload = SimpleUploadedFile("riktig.pdf", b"%PDF-1.4 den riktige", "application/pdf")

    with django_capture_on_commit_callbacks(execute=True):
        login(client, innovation).post(
            edit_url(floke, "attachment", attachment),
            {"attachment-title": "Rapport", "attachment-file": upload},
        )

    document = get_document_model().objects.get(pk=attachment.document_id)
    assert document.filename == "riktig.pdf"
    assert document.file.read() == b"%PDF-1.4 den riktige"
    assert document.file_size == len(b"%PDF-1.4 den riktige")
    assert not storage.exists(old_name)
    assert get_document_model().objects.count() == 1
    log = ModelLogEntry.objects.for_instance(floke).get(action="blt.edit_attachment")
    assert "file" in log.data["changed"]


def test_a_replacement_of_a_kind_we_do_not_keep_changes_nothing(client, innovation, floke):
    attachment = attach(floke, innovation)
    upload = SimpleUploadedFile("skript.html", b"<script>alert(1)</script>", "text/html")

    response = login(client, innovation).post(
        edit_url(floke, "attachment", attachment),
        {"attachment-title": "Skript", "attachment-file": upload},
    )

    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    attachment.refresh_from_db()
    assert (attachment.title, attachment.document.filename) == ("Rapport", "rapport.pdf")


def test_only_those_who_may_move_the_floke_correct_attachments(client, communications, floke):
    attachment = attach(floke, UserFactory(groups=["Innovasjon"]))

    response = login(client, communications).post(
        edit_url(floke, "attachment", attachment), {"attachment-title": "Kapret"}
    )

    assert outcome(response) == "denied"
    assert Attachment.objects.get(pk=attachment.pk).title == "Rapport"


# Each record dated and by whom


def test_every_record_table_says_who_recorded_it_and_when(client, innovation, floke):
    innovation.first_name, innovation.last_name = "Ina", "Innovasjon"
    innovation.save()
    services.floke_add_experiment(floke=floke, by=innovation, title="Innsjekk")
    services.floke_add_record(
        floke=floke, by=innovation, model=Benefit, term=BenefitTerm.SHORT, planned="Færre brudd"
    )
    services.floke_add_record(
        floke=floke, by=innovation, model=KeyFigure, value=Decimal("35"), label="familier"
    )
    services.floke_add_record(floke=floke, by=innovation, model=TeamMember, name="Siri")
    attach(floke, innovation)

    response = login(client, innovation).get(reverse("flokes:inspect", args=[floke.pk]))

    tables = response.context["record_tables"]
    for kind in ("experiment", "benefit", "key_figure", "team_member", "attachment"):
        html = tables[kind].render_html({"request": response.wsgi_request})
        assert "Recorded by" in html and "Recorded on" in html, kind
        assert "Ina Innovasjon" in html, kind


def test_a_team_member_is_recorded_with_who_and_when(innovation, floke):
    member = services.floke_add_record(floke=floke, by=innovation, model=TeamMember, name="Siri")

    member.refresh_from_db()
    assert member.created_by == innovation
    assert member.created_at is not None


# The help page


def test_the_help_page_lists_every_step_of_the_machine(client, innovation):
    response = login(client, innovation).get(reverse("blt_board:help"))

    text = response.content.decode()
    assert response.status_code == 200
    assert text.count("<line data-step=") == 9
    for label in ("Move to Solution", "Back one phase", "Stop the floke", "Reopen from Need"):
        assert label in text
    assert "Record at least one insight." in text


def test_the_help_page_says_going_back_needs_a_reason(client, innovation):
    response = login(client, innovation).get(reverse("blt_board:help"))

    html = response.content.decode()
    back = [step for step in response.context["drawing"]["steps"] if step["name"] == "step_back"]
    assert [step["needs"] for step in back] == [["Write why the floke goes back a phase."]] * 2
    rows = re.findall(r"<tr>.*?</tr>", html, re.S)
    back_rows = [row for row in rows if "Back one phase" in row]
    assert len(back_rows) == 2
    for row in back_rows:
        assert "Write why the floke goes back a phase." in row
        assert "Nothing more." not in row
    reopen = next(row for row in rows if "Reopen from Need" in row)
    assert "Nothing more." in reopen


def test_the_help_page_is_for_staff_who_see_flokes(client, employee):
    response = login(client, employee).get(reverse("blt_board:help"))

    assert outcome(response) == "login"


def test_a_message_says_what_was_recorded(client, innovation, floke):
    response = login(client, innovation).post(
        add_url(floke, "team_member"), {"team_member-name": "Ola"}, follow=True
    )

    assert "The team member is added." in messages_in(response)


def test_team_members_added_before_are_dated_from_the_history(innovation, floke):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("blt.migrations.0005_recorded_by_and_reminders")
    member = services.floke_add_record(floke=floke, by=innovation, model=TeamMember, name="Siri")
    unlogged = services.floke_add_record(floke=floke, by=innovation, model=TeamMember, name="Ola")
    added = datetime.datetime(2026, 3, 2, 10, 30, tzinfo=datetime.UTC)
    logs = ModelLogEntry.objects.for_instance(floke).filter(action="blt.add_teammember")
    logs.filter(data__record=member.pk).update(timestamp=added)
    logs.filter(data__record=unlogged.pk).delete()
    TeamMember.objects.update(created_by=None)  # as they were before the migration

    migration.date_team_members_from_the_log(apps, None)

    member.refresh_from_db()
    unlogged.refresh_from_db()
    assert (member.created_at, member.created_by) == (added, innovation)
    assert unlogged.created_by is None
