"""Flokes in the Wagtail admin: who may see and do what, and what they see."""

import csv
import datetime
import io
import re

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest
from django_fsm_log.models import StateLog
from openpyxl import load_workbook

from blt import services
from blt.choices import ExperimentStatus, Phase
from blt.forms import staff_users
from blt.models import Experiment, Floke, Insight
from blt.viewsets import FlokeEditView
from config import roles
from ideabank.choices import Status
from ideabank.models import Idea
from tests.admin import login, messages_in, outcome
from tests.conftest import ROLES
from tests.factories import (
    BenefitFactory,
    CoCreationFactory,
    ExperimentFactory,
    FlokeFactory,
    IdeaFactory,
    InsightFactory,
    KeyFigureFactory,
    ServiceAreaFactory,
    TeamMemberFactory,
    UserFactory,
    with_phase,
    with_status,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def floke(db):
    return FlokeFactory(
        title="Familier som faller mellom tjenestene",
        service_areas=[ServiceAreaFactory(name="Oppvekst", slug="oppvekst")],
    )


def url(name, *args, query=""):
    return reverse(f"flokes:{name}", args=args) + query


def state_logs(floke):
    return StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Floke), object_id=floke.pk
    )


def enabled_buttons(html: str, floke) -> set[str]:
    prefix = re.escape(url("transition", floke.pk, "x")[: -len("x/")])
    return set(re.findall(rf'action="{prefix}(\w+)/"', html))


def ready_for_losning(floke):
    Floke.objects.filter(pk=floke.pk).update(need_statement="Hvordan kan vi samle tjenestene?")
    InsightFactory(floke=floke)
    return Floke.objects.get(pk=floke.pk)


# The permission matrix: every URL of the viewset, every role.

READERS = {"innovation", "administrator", "communications"}
EDITORS = {"innovation", "administrator"}
ADMINISTRATORS = {"administrator"}

GET_URLS = {
    "index": (lambda floke: url("index"), READERS),
    "results": (lambda floke: url("index_results"), READERS),
    "inspect": (lambda floke: url("inspect", floke.pk), READERS),
    "export csv": (lambda floke: url("index", query="?export=csv"), READERS),
    "export xlsx": (lambda floke: url("index", query="?export=xlsx"), READERS),
    "add": (lambda floke: url("add"), EDITORS),
    "edit": (lambda floke: url("edit", floke.pk), EDITORS),
    "history": (lambda floke: url("history", floke.pk), EDITORS),
    "delete": (lambda floke: url("delete", floke.pk), ADMINISTRATORS),
}


def expected(role, allowed):
    if role in ("anonymous", "employee"):
        return "login"
    return "ok" if role in allowed else "denied"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", GET_URLS)
def test_permission_matrix_for_every_page(client, user_for_role, floke, role, view):
    address, allowed = GET_URLS[view]

    response = login(client, user_for_role(role)).get(address(floke))

    assert outcome(response) == expected(role, allowed)


ACTIONS = {
    "transition": (
        lambda floke: url("transition", floke.pk, "to_losning"),
        {"transition-to_losning-expected_phase": Phase.BEHOV},
        lambda floke: Floke.objects.get(pk=floke.pk).phase == Phase.LOSNING,
    ),
    "insight": (
        lambda floke: url("record", floke.pk, "insight"),
        {"insight-kind": "interview", "insight-summary": "Mange møter."},
        lambda floke: Insight.objects.filter(floke=floke, summary="Mange møter.").exists(),
    ),
    "experiment": (
        lambda floke: url("record", floke.pk, "experiment"),
        {"experiment-title": "Innsjekk", "experiment-status": "planned"},
        lambda floke: Experiment.objects.filter(floke=floke).exists(),
    ),
    "create": (
        lambda floke: url("add"),
        {"title": "Ny floke fra kullet"},
        lambda floke: Floke.objects.filter(title="Ny floke fra kullet").exists(),
    ),
    "edit": (
        lambda floke: url("edit", floke.pk),
        {"title": "Nytt navn"},
        lambda floke: Floke.objects.get(pk=floke.pk).title == "Nytt navn",
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_permission_matrix_for_every_action(client, user_for_role, floke, role, action):
    floke = ready_for_losning(floke)
    address, data, done = ACTIONS[action]

    response = login(client, user_for_role(role)).post(address(floke), data)

    assert outcome(response) == expected(role, EDITORS)
    assert done(floke) is (role in EDITORS)
    if action == "transition":
        assert state_logs(floke).exists() is (role in EDITORS)


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_for_deleting(client, user_for_role, floke, role):
    response = login(client, user_for_role(role)).post(url("delete", floke.pk))

    assert outcome(response) == expected(role, ADMINISTRATORS)
    assert Floke.objects.filter(pk=floke.pk).exists() is (role not in ADMINISTRATORS)


def test_an_action_url_opened_in_the_browser_leads_back_to_the_floke(client, innovation, floke):
    response = login(client, innovation).get(url("record", floke.pk, "insight"))

    assert response.status_code == 302
    assert response.url == url("inspect", floke.pk) + "#need"


def test_an_unknown_transition_is_not_found(client, innovation, floke):
    response = login(client, innovation).post(url("transition", floke.pk, "delete"), {})

    assert response.status_code == 404


# Creating and editing


def test_create_goes_through_the_service(client, innovation):
    area = ServiceAreaFactory(name="NAV", slug="nav")
    mate = UserFactory(username="kollega", groups=[roles.COMMUNICATIONS])

    response = login(client, innovation).post(
        url("add"),
        {
            "title": "Ungdom uten jobb",
            "need_statement": "Hvordan kan vi …?",
            "description": "Fra innovasjonsskolen.",
            "service_areas": [area.pk],
            "team": [mate.pk],
        },
    )

    floke = Floke.objects.get(title="Ungdom uten jobb")
    assert response.url == url("inspect", floke.pk)
    assert floke.owner == innovation
    assert list(floke.team.all()) == [mate]
    assert list(floke.service_areas.all()) == [area]
    assert floke.phase == Phase.BEHOV


def test_the_edit_form_never_has_the_phase(client, innovation, floke):
    form = login(client, innovation).get(url("edit", floke.pk)).context["form"]

    assert "phase" not in form.fields
    assert "title" in form.fields


def test_edit_changes_the_text_and_not_the_phase(client, innovation, floke):
    floke = with_phase(floke, Phase.LOSNING)

    login(client, innovation).post(
        url("edit", floke.pk),
        {"title": "Nytt navn", "solution_what": "Én kontaktperson", "phase": Phase.IMPLEMENTED},
    )

    floke.refresh_from_db()
    assert (floke.title, floke.solution_what, floke.phase) == (
        "Nytt navn",
        "Én kontaktperson",
        Phase.LOSNING,
    )


def test_the_owner_and_team_are_changed_in_the_edit_form(client, innovation, floke):
    owner = UserFactory(first_name="Olga", last_name="Eier", groups=[roles.INNOVATION])
    mate = UserFactory(first_name="Tore", last_name="Team", groups=[roles.COMMUNICATIONS])
    floke.team.add(UserFactory(groups=[roles.INNOVATION]))

    response = login(client, innovation).post(
        url("edit", floke.pk),
        {
            "title": floke.title,
            "description": floke.description,
            "service_areas": [area.pk for area in floke.service_areas.all()],
            "owner": owner.pk,
            "team": [mate.pk],
        },
    )

    assert response.status_code == 302
    floke.refresh_from_db()
    assert (floke.owner, list(floke.team.all())) == (owner, [mate])
    log = ModelLogEntry.objects.for_instance(floke).get(action="wagtail.edit")
    assert log.data["changed"] == ["owner", "team"]
    assert (log.user, log.content_changed) == (innovation, True)


def test_only_staff_can_be_chosen_as_owner_or_team(client, innovation, floke, employee):
    inactive = UserFactory(groups=[roles.INNOVATION], is_active=False)
    superuser = UserFactory(is_superuser=True)
    login(client, innovation)

    form = client.get(url("edit", floke.pk)).context["form"]
    choices = set(form.fields["owner"].queryset)
    response = client.post(url("edit", floke.pk), {"title": floke.title, "team": [employee.pk]})

    assert innovation in choices and superuser in choices
    assert employee not in choices and inactive not in choices
    assert set(form.fields["team"].queryset) == choices
    assert "team" in response.context["form"].errors
    assert not Floke.objects.get(pk=floke.pk).team.exists()
    # People are listed by name.
    assert form.fields["owner"].label_from_instance(superuser) == superuser.get_full_name()


def test_an_owner_who_lost_access_does_not_block_saving(client, innovation, floke, employee):
    Floke.objects.filter(pk=floke.pk).update(owner=employee)

    response = login(client, innovation).post(
        url("edit", floke.pk), {"title": "Nytt navn", "owner": employee.pk}
    )

    assert response.status_code == 302
    assert Floke.objects.get(pk=floke.pk).title == "Nytt navn"
    assert employee not in staff_users()


def test_editing_the_solution_says_who_changed_it_and_when(client, innovation, floke):
    innovation.first_name, innovation.last_name = "Ina", "Innovasjon"
    innovation.save()
    login(client, innovation)

    client.post(url("edit", floke.pk), {"title": floke.title, "description": "Ny tekst"})
    unchanged = Floke.objects.get(pk=floke.pk)
    client.post(url("edit", floke.pk), {"title": floke.title, "solution_what": "Én kontakt"})
    changed = Floke.objects.get(pk=floke.pk)
    html = client.get(url("inspect", floke.pk)).content.decode()

    assert unchanged.solution_changed_at is None
    assert changed.solution_changed_by == innovation
    assert changed.solution_changed_at is not None
    assert "The solution was last changed by Ina Innovasjon on" in html


def test_a_solution_written_with_a_step_is_stamped_too(innovation, floke):
    floke = with_phase(floke, Phase.LOSNING)
    ExperimentFactory(floke=floke)

    moved = services.floke_transition(
        floke=floke,
        name="to_testing",
        by=innovation,
        solution_what="Én kontakt",
        solution_for_whom="Familier",
        solution_difference="Én dør inn",
    )

    assert (moved.phase, moved.solution_changed_by) == (Phase.TESTING, innovation)
    assert Floke.objects.get(pk=floke.pk).solution_changed_at == moved.solution_changed_at


# The owner and team without the right to change flokes: the texts the gates ask for.


@pytest.fixture
def teammate(db):
    """Someone who reads flokes (communications) and is on this floke's team."""
    return UserFactory(username="teammate", groups=[roles.COMMUNICATIONS])


def test_the_team_writes_the_texts_the_gates_ask_for(client, teammate, floke):
    floke.team.add(teammate)
    login(client, teammate)

    page = client.get(url("inspect", floke.pk))
    form = client.get(url("edit", floke.pk)).context["form"]
    response = client.post(
        url("edit", floke.pk),
        {
            "need_statement": "Hvordan kan vi samle tjenestene?",
            "solution_what": "Én kontakt",
            "title": "Kapret",
            "internal_notes": "Kapret",
        },
    )

    assert url("edit", floke.pk) in page.content.decode()
    assert set(form.fields) == set(services.GATE_TEXT_FIELDS)
    assert response.status_code == 302
    saved = Floke.objects.get(pk=floke.pk)
    assert (saved.need_statement, saved.solution_what) == (
        "Hvordan kan vi samle tjenestene?",
        "Én kontakt",
    )
    assert (saved.title, saved.internal_notes) == (floke.title, floke.internal_notes)
    assert saved.solution_changed_by == teammate


@pytest.mark.parametrize("relation", ["owner", "team"])
def test_the_owner_and_team_can_then_take_the_step(client, teammate, floke, relation):
    if relation == "owner":
        Floke.objects.filter(pk=floke.pk).update(owner=teammate)
    else:
        floke.team.add(teammate)
    InsightFactory(floke=floke)
    login(client, teammate)

    client.post(url("edit", floke.pk), {"need_statement": "Hvordan kan vi …?"})
    response = client.post(
        url("transition", floke.pk, "to_losning"),
        {"transition-to_losning-expected_phase": Phase.BEHOV},
    )

    assert response.status_code == 302
    assert Floke.objects.get(pk=floke.pk).phase == Phase.LOSNING


def test_readers_outside_the_team_cannot_edit(client, teammate, floke):
    login(client, teammate)

    page = client.get(url("inspect", floke.pk))
    response = client.post(url("edit", floke.pk), {"need_statement": "Kapret"})

    assert url("edit", floke.pk) not in page.content.decode()
    assert outcome(response) == "denied"
    assert Floke.objects.get(pk=floke.pk).need_statement == floke.need_statement


def test_edit_during_a_phase_change_asks_to_reload_and_keeps_the_text(
    client, innovation, floke, monkeypatch
):
    load = FlokeEditView.get_object

    def load_then_someone_else_acts(view, queryset=None):
        loaded = load(view, queryset)
        Floke.objects.filter(pk=floke.pk).update(phase=Phase.STOPPED)
        return loaded

    monkeypatch.setattr(FlokeEditView, "get_object", load_then_someone_else_acts)

    response = login(client, innovation).post(url("edit", floke.pk), {"title": "Min tittel"})

    assert response.status_code == 200
    assert services.conflict().message in messages_in(response)[0]
    assert "Min tittel" in response.content.decode()
    assert Floke.objects.get(pk=floke.pk).title == floke.title


# The floke page


def test_the_floke_page_shows_its_records(client, innovation, floke):
    Floke.objects.filter(pk=floke.pk).update(
        need_statement="Hvordan kan vi samle tjenestene rundt familien?",
        solution_what="Én fast kontaktperson",
    )
    InsightFactory(floke=floke, summary="Foreldrene har for mange møter.")
    CoCreationFactory(floke=floke, activity="Verksted med familiene")
    ExperimentFactory(floke=floke, title="Ukentlig innsjekk")
    BenefitFactory(floke=floke, planned="Færre brudd i oppfølgingen.")
    KeyFigureFactory(floke=floke, label="henvist gjennom 7 tjenester")
    TeamMemberFactory(floke=floke, name="Siri Kullet", role="Innovasjonsskolen")

    html = login(client, innovation).get(url("inspect", floke.pk)).content.decode()

    for text in (
        floke.title,
        "Oppvekst",
        "Hvordan kan vi samle tjenestene rundt familien?",
        "Én fast kontaktperson",
        "Foreldrene har for mange møter.",
        "Verksted med familiene",
        "Ukentlig innsjekk",
        "Færre brudd i oppfølgingen.",
        "henvist gjennom 7 tjenester",
        "Siri Kullet",
    ):
        assert text in html


def test_linked_ideas_show_senders_only_to_those_who_may_see_contact_details(
    client, innovation, floke
):
    IdeaFactory(reference="IDE-2026-0501", title="Samle tjenestene", name="Ola Innsender")
    Idea.objects.filter(reference="IDE-2026-0501").update(floke=floke)
    # Someone who may read flokes but not see who sent ideas, as communications do for ideas.
    reader = UserFactory(username="leser")
    reader.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_floke"),
    )

    staff_html = login(client, innovation).get(url("inspect", floke.pk)).content.decode()
    reader_response = login(client, reader).get(url("inspect", floke.pk))
    reader_html = reader_response.content.decode()

    assert "IDE-2026-0501" in staff_html and "Ola Innsender" in staff_html
    assert reader_response.status_code == 200
    assert "IDE-2026-0501" in reader_html and "Samle tjenestene" in reader_html
    assert "Ola Innsender" not in reader_html


def test_communications_read_the_floke_but_not_who_sent_its_ideas(client, communications, floke):
    IdeaFactory(name="Ola Innsender")
    Idea.objects.update(floke=floke)

    response = login(client, communications).get(url("inspect", floke.pk))

    assert outcome(response) == "ok"
    assert "Ola Innsender" not in response.content.decode()
    assert response.context["transitions"] == []
    assert response.context["record_forms"] == {}


def test_enabled_and_disabled_transition_buttons(client, innovation, floke):
    response = login(client, innovation).get(url("inspect", floke.pk))
    html = response.content.decode()

    # In Behov: moving on is blocked by the gate, stopping asks for its text in the form.
    assert enabled_buttons(html, floke) == {"stop"}
    blocked = {t["name"]: t["missing"] for t in response.context["transitions"]}
    assert blocked["to_losning"] == [
        "Write the need statement (“How might we …?”).",
        "Record at least one insight.",
    ]
    assert "Record at least one insight." in html
    assert re.search(r"<button[^>]*disabled[^>]*>\s*Move to Solution", html)


def test_a_ready_floke_has_the_button_enabled(client, innovation, floke):
    floke = ready_for_losning(floke)

    html = login(client, innovation).get(url("inspect", floke.pk)).content.decode()

    assert enabled_buttons(html, floke) == {"to_losning", "stop"}
    assert "disabled" not in html.split('id="transition-to_losning-heading"')[1][:200]


def test_people_who_may_not_move_the_floke_see_no_buttons(client, floke):
    reader = UserFactory(username="leser")
    reader.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_floke"),
    )

    response = login(client, reader).get(url("inspect", floke.pk))

    assert response.context["transitions"] == []
    assert response.context["record_forms"] == {}


def test_a_transition_through_the_admin(client, innovation, floke):
    floke = ready_for_losning(floke)

    response = login(client, innovation).post(
        url("transition", floke.pk, "to_losning"),
        {
            "transition-to_losning-expected_phase": Phase.BEHOV,
            "transition-to_losning-description": "Behovet er godt nok forstått.",
            "transition-to_losning-public_reason": "Vi jobber nå med løsninger.",
        },
        follow=True,
    )

    assert f"{floke.title} is now in: solution." in messages_in(response)
    log = state_logs(floke).get()
    assert (log.by, log.source_state, log.state) == (innovation, Phase.BEHOV, Phase.LOSNING)
    html = response.content.decode()
    assert "Behovet er godt nok forstått." in html  # on the timeline


def test_a_stale_page_gives_the_conflict_message(client, innovation, floke):
    floke = ready_for_losning(floke)
    page = login(client, innovation).get(url("inspect", floke.pk))
    stale = page.context["transitions"][0]["form"]["expected_phase"].value()
    services.floke_transition(floke=floke, name="to_losning", by=innovation)  # someone else

    response = client.post(
        url("transition", floke.pk, "stop"),
        {
            "transition-stop-expected_phase": stale,
            "transition-stop-stop_reason": "Ingen kapasitet.",
            "transition-stop-learnings": "Vi lærte mye.",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert services.conflict().message in messages_in(response)
    assert Floke.objects.get(pk=floke.pk).phase == Phase.LOSNING
    assert state_logs(floke).count() == 1


def test_a_closed_gate_is_explained_not_an_error(client, innovation, floke):
    response = login(client, innovation).post(
        url("transition", floke.pk, "stop"),
        {"transition-stop-expected_phase": Phase.BEHOV, "transition-stop-learnings": "Mye."},
    )

    assert response.status_code == 200
    assert "Write why the floke is stopped." in messages_in(response)
    assert response.context["transitions"][-1]["form"]["learnings"].value() == "Mye."
    assert Floke.objects.get(pk=floke.pk).phase == Phase.BEHOV


def test_step_back_without_a_reason_is_refused_with_the_models_message(client, innovation, floke):
    floke = with_phase(floke, Phase.LOSNING)

    response = login(client, innovation).post(
        url("transition", floke.pk, "step_back"),
        {"transition-step_back-expected_phase": Phase.LOSNING},
    )

    assert response.status_code == 200
    assert "Write why the floke goes back a phase." in messages_in(response)


def test_record_an_insight_and_an_experiment(client, innovation, floke):
    login(client, innovation)

    client.post(
        url("record", floke.pk, "insight"),
        {
            "insight-kind": "observation",
            "insight-summary": "Familiene venter lenge.",
            "insight-people_count": "8",
            "insight-date": "2026-11-02",
        },
    )
    client.post(
        url("record", floke.pk, "experiment"),
        {
            "experiment-title": "Ukentlig innsjekk",
            "experiment-start": "2026-11-02",
            "experiment-end": "2026-12-02",
            "experiment-status": ExperimentStatus.PLANNED,
        },
    )

    insight = Insight.objects.get(floke=floke)
    assert (insight.summary, insight.people_count, insight.created_by) == (
        "Familiene venter lenge.",
        8,
        innovation,
    )
    assert insight.date == datetime.date(2026, 11, 2)
    assert Experiment.objects.get(floke=floke).title == "Ukentlig innsjekk"


def test_an_experiment_ending_before_it_starts_keeps_the_form(client, innovation, floke):
    response = login(client, innovation).post(
        url("record", floke.pk, "experiment"),
        {
            "experiment-title": "Baklengs",
            "experiment-start": "2026-12-02",
            "experiment-end": "2026-11-02",
            "experiment-status": ExperimentStatus.PLANNED,
        },
    )

    form = response.context["record_forms"]["experiment"]["form"]
    assert response.status_code == 200
    assert form.non_field_errors() == ["The experiment cannot end before it starts."]
    assert form["title"].value() == "Baklengs"
    assert not Experiment.objects.exists()


# Accepting an idea from the idea's admin page


def idea_url(idea):
    return reverse("ideas:inspect", args=[idea.pk])


def test_the_idea_page_offers_the_floke_panel_instead_of_the_plain_accept(client, innovation):
    idea = with_status(IdeaFactory(), Status.IN_REVIEW)

    response = login(client, innovation).get(idea_url(idea))
    html = response.content.decode()

    assert url("accept_idea", idea.pk) in html
    assert "Take forward into a floke" in html
    assert "accept" not in {t["name"] for t in response.context["transitions"]}
    assert reverse("ideas:transition", args=[idea.pk, "decline"]) in html


def test_the_floke_panel_is_only_for_ideas_under_review(client, innovation):
    idea = IdeaFactory()

    html = login(client, innovation).get(idea_url(idea)).content.decode()

    assert url("accept_idea", idea.pk) not in html


def test_accept_an_idea_into_a_new_floke(client, innovation):
    area = ServiceAreaFactory(name="Helse", slug="helse")
    idea = with_status(IdeaFactory(title="Felles plan", service_areas=[area]), Status.IN_REVIEW)

    response = login(client, innovation).post(
        url("accept_idea", idea.pk),
        {"accept-title": "Én plan for familien", "accept-description": "Vi tar den videre."},
    )

    floke = Floke.objects.get(title="Én plan for familien")
    assert response.url == url("inspect", floke.pk)
    idea.refresh_from_db()
    assert (idea.status, idea.floke) == (Status.ACCEPTED, floke)
    assert list(floke.service_areas.all()) == [area]


def test_accept_an_idea_into_an_existing_floke(client, innovation, floke):
    idea = with_status(IdeaFactory(), Status.IN_REVIEW)

    response = login(client, innovation).post(
        url("accept_idea", idea.pk), {"accept-floke": floke.pk}, follow=True
    )

    idea.refresh_from_db()
    assert (idea.status, idea.floke) == (Status.ACCEPTED, floke)
    assert Floke.objects.count() == 1
    assert f"{idea.reference} is taken into the floke “{floke.title}”." in messages_in(response)
    assert idea.reference in response.content.decode()  # listed on the floke page


def test_accepting_an_idea_not_under_review_explains_why(client, innovation):
    idea = IdeaFactory()

    response = login(client, innovation).post(url("accept_idea", idea.pk), {}, follow=True)

    assert response.redirect_chain[-1][0] == idea_url(idea)
    assert messages_in(response)
    assert Idea.objects.get(pk=idea.pk).status == Status.RECEIVED
    assert not Floke.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_for_accepting_an_idea(client, user_for_role, role):
    idea = with_status(IdeaFactory(), Status.IN_REVIEW)

    response = login(client, user_for_role(role)).post(url("accept_idea", idea.pk), {})

    accepted = Idea.objects.get(pk=idea.pk).status == Status.ACCEPTED
    assert accepted is (role in EDITORS)
    assert Floke.objects.exists() is (role in EDITORS)
    if role in ("anonymous", "employee"):
        assert outcome(response) == "login"


# The listing and exports


@pytest.fixture
def listing(db, innovation):
    health = ServiceAreaFactory(name="Helse", slug="helse")
    school = ServiceAreaFactory(name="Skole", slug="skole")
    old = timezone.now() - datetime.timedelta(days=45)
    FlokeFactory(title="Ensomhet blant eldre", service_areas=[health], owner=innovation)
    stuck = FlokeFactory(title="Skolevegring", service_areas=[health, school])
    Floke.objects.filter(pk=stuck.pk).update(phase_changed_at=old, phase=Phase.LOSNING)
    done = FlokeFactory(title="Leksehjelp")
    Floke.objects.filter(pk=done.pk).update(phase_changed_at=old, phase=Phase.IMPLEMENTED)


def titles(response) -> list[str]:
    return sorted(floke.title for floke in response.context["object_list"])


@pytest.mark.parametrize(
    ("query", "expected_titles"),
    [
        ("", ["Ensomhet blant eldre", "Leksehjelp", "Skolevegring"]),
        ("?phase=losning", ["Skolevegring"]),
        ("?stuck=true", ["Skolevegring"]),
        ("?stuck=false", ["Ensomhet blant eldre", "Leksehjelp"]),
        ("?q=eldre", ["Ensomhet blant eldre"]),
    ],
)
def test_listing_filters_and_search(client, innovation, listing, query, expected_titles):
    response = login(client, innovation).get(url("index", query=query))

    assert titles(response) == expected_titles


def test_listing_filters_by_owner_and_service_area(client, innovation, listing):
    login(client, innovation)
    school = ServiceAreaFactory(slug="skole")

    by_owner = client.get(url("index", query=f"?owner={innovation.pk}"))
    by_area = client.get(url("index", query=f"?service_areas={school.pk}"))

    assert titles(by_owner) == ["Ensomhet blant eldre"]
    assert titles(by_area) == ["Skolevegring"]


def test_the_stuck_threshold_is_a_setting(client, innovation, listing, settings):
    settings.BLT_STUCK_DAYS = 60

    response = login(client, innovation).get(url("index", query="?stuck=true"))

    assert titles(response) == []


def test_listing_shows_the_columns(client, innovation, listing):
    html = login(client, innovation).get(url("index")).content.decode()

    for heading in ("Title", "Phase", "Owner", "Days in phase"):
        assert heading in html
    assert ">45<" in re.sub(r"\s+", "", html)


def test_csv_export(client, innovation, listing):
    response = login(client, innovation).get(url("index", query="?export=csv"))

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Title", "Phase", "Owner", "Service areas", "Days in phase", "Created"]
    by_title = {row[0]: row for row in rows[1:]}
    assert by_title["Skolevegring"][1:5] == ["Solution", "", "Helse, Skole", "45"]


def test_xlsx_export(client, innovation, listing):
    response = login(client, innovation).get(url("index", query="?export=xlsx"))

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row]
    assert "Skolevegring" in cells
    assert "Helse, Skole" in cells


def count_queries(client, address) -> int:
    # New rows may have changed what pages share (pagecache.shared): found again first.
    client.get(address)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


def make_flokes(count, areas, owner):
    for _ in range(count):
        FlokeFactory(service_areas=areas, owner=owner)


@pytest.mark.parametrize(
    "query",
    ["", "?phase=behov", "?stuck=true&q=familier", "?export=csv", "?export=xlsx"],
)
def test_listing_query_count_is_constant_from_5_to_500_flokes(client, innovation, query):
    areas = [ServiceAreaFactory(), ServiceAreaFactory()]
    owners = [innovation, UserFactory()]
    login(client, innovation)
    make_flokes(5, areas, owners[0])
    few = count_queries(client, url("index", query=query))

    make_flokes(495, areas, owners[1])
    many = count_queries(client, url("index", query=query))

    assert few == many
    assert many <= 15


def test_menu_has_the_blt_group(client, innovation):
    html = login(client, innovation).get(reverse("wagtailadmin_home")).content.decode()

    assert "BLT" in html
    assert url("index") in html
