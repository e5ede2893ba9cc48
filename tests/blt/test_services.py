"""Opening flokes, recording their work, and taking ideas into them."""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest
from django_fsm_log.models import StateLog

from blt import services
from blt.choices import ExperimentStatus, InsightKind, Phase
from blt.models import Floke, KeyFigure, TeamMember
from ideabank.choices import Status
from ideabank.models import Idea
from tests.factories import FlokeFactory, IdeaFactory, ServiceAreaFactory, with_status

NOT_ALLOWED = "You are not allowed to do that with this floke."


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def idea_logs(idea):
    return StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Idea), object_id=idea.pk
    )


# Opening a floke.


@pytest.mark.django_db
def test_innovation_staff_open_a_floke_they_own(innovation, employee):
    area = ServiceAreaFactory()

    floke = services.floke_create(
        by=innovation,
        title="  Familier som faller mellom tjenestene ",
        need_statement="Hvordan kan vi …?",
        service_areas=[area],
        team=[employee],
    )

    assert (floke.title, floke.phase, floke.owner) == (
        "Familier som faller mellom tjenestene",
        Phase.BEHOV,
        innovation,
    )
    assert list(floke.service_areas.all()) == [area]
    assert list(floke.team.all()) == [employee]
    assert ModelLogEntry.objects.for_instance(floke).get().action == "wagtail.create"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["employee", "communications"])
def test_only_innovation_staff_open_flokes(user_for_role, role):
    with pytest.raises(services.FlokeActionError, match=NOT_ALLOWED):
        services.floke_create(by=user_for_role(role), title="Floke")
    assert not Floke.objects.exists()


@pytest.mark.django_db
def test_a_floke_needs_a_title(innovation):
    with pytest.raises(services.FlokeActionError) as refused:
        services.floke_create(by=innovation, title="   ")
    assert refused.value.message == "Give the floke a title."


# Recording the work of a phase.


@pytest.mark.django_db
def test_recording_an_insight_says_when_and_by_whom(innovation):
    floke = FlokeFactory()

    insight = services.floke_add_insight(
        floke=floke,
        by=innovation,
        kind=InsightKind.OBSERVATION,
        summary=" Foreldre venter lenge i gangen. ",
        people_count=9,
        date=datetime.date(2026, 3, 2),
    )

    assert (insight.summary, insight.created_by, insight.date) == (
        "Foreldre venter lenge i gangen.",
        innovation,
        datetime.date(2026, 3, 2),
    )
    assert insight.created_at is not None
    assert list(floke.insights.all()) == [insight]
    log = ModelLogEntry.objects.for_instance(floke).get(action="blt.add_insight")
    assert (log.user, log.data["record"]) == (innovation, insight.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "summary", "message"),
    [
        (InsightKind.INTERVIEW, "  ", "Write what the insight is."),
        ("rumour", "Noe", "Choose what kind of insight this is."),
    ],
)
def test_an_insight_needs_a_kind_and_a_summary(innovation, kind, summary, message):
    floke = FlokeFactory()
    with pytest.raises(services.FlokeActionError) as refused:
        services.floke_add_insight(floke=floke, by=innovation, kind=kind, summary=summary)
    assert refused.value.message == message
    assert not floke.insights.exists()


@pytest.mark.django_db
def test_planning_an_experiment(innovation):
    floke = FlokeFactory()

    experiment = services.floke_add_experiment(
        floke=floke,
        by=innovation,
        title="Ukentlig innsjekk",
        hypothesis="Færre brudd",
        start=datetime.date(2026, 4, 1),
        end=datetime.date(2026, 6, 1),
        method="Innsjekk og utsjekk hver uke",
    )

    assert (experiment.status, experiment.created_by) == (ExperimentStatus.PLANNED, innovation)
    assert ModelLogEntry.objects.for_instance(floke).filter(action="blt.add_experiment").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"title": " "}, "Give the experiment a title."),
        ({"status": "maybe"}, "Choose the status of the experiment."),
        (
            {"start": datetime.date(2026, 6, 1), "end": datetime.date(2026, 4, 1)},
            "The experiment cannot end before it starts.",
        ),
    ],
)
def test_an_experiment_is_refused_with_a_reason(innovation, kwargs, message):
    floke = FlokeFactory()
    with pytest.raises(services.FlokeActionError) as refused:
        services.floke_add_experiment(floke=floke, by=innovation, **{"title": "Test", **kwargs})
    assert refused.value.message == message
    assert not floke.experiments.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["employee", "communications"])
def test_only_staff_and_the_team_record_work(user_for_role, role, employee):
    floke = FlokeFactory()
    with pytest.raises(services.FlokeActionError, match=NOT_ALLOWED):
        services.floke_add_insight(
            floke=floke, by=user_for_role(role), kind=InsightKind.DATA, summary="Tall"
        )
    with pytest.raises(services.FlokeActionError, match=NOT_ALLOWED):
        services.floke_add_experiment(floke=floke, by=user_for_role(role), title="Test")

    floke.team.add(employee)
    services.floke_add_insight(floke=floke, by=employee, kind=InsightKind.DATA, summary="Tall")
    services.floke_add_experiment(floke=floke, by=employee, title="Test")
    assert (floke.insights.count(), floke.experiments.count()) == (1, 1)


@pytest.mark.django_db
def test_recorded_work_opens_the_gate(innovation):
    floke = services.floke_create(by=innovation, title="Floke", need_statement="Hvordan kan vi …?")
    services.floke_add_insight(floke=floke, by=innovation, kind=InsightKind.SURVEY, summary="Svar")

    moved = services.floke_transition(floke=floke, name="to_losning", by=innovation)

    assert moved.phase == Phase.LOSNING


# Taking ideas into flokes.


@pytest.mark.django_db
def test_accepting_an_idea_into_a_new_floke(innovation):
    area = ServiceAreaFactory()
    idea = with_status(IdeaFactory(title="Samlet oppfølging", service_areas=[area]), "in_review")

    floke = services.idea_accept_into_floke(
        idea=idea, by=innovation, description="Vi tar den videre i BLT."
    )

    idea.refresh_from_db()
    assert (idea.status, idea.floke) == (Status.ACCEPTED, floke)
    assert (floke.title, floke.description, floke.owner, floke.phase) == (
        "Samlet oppfølging",
        idea.body,
        innovation,
        Phase.BEHOV,
    )
    assert list(floke.ideas.all()) == [idea]
    assert list(floke.service_areas.all()) == [area]
    assert idea_logs(idea).get().description == "Vi tar den videre i BLT."
    joined = ModelLogEntry.objects.for_instance(floke).get(action="blt.idea_joined")
    assert joined.data == {"idea": idea.pk, "reference": idea.reference}


@pytest.mark.django_db
def test_a_new_floke_may_get_its_own_title(innovation):
    idea = with_status(IdeaFactory(), "in_review")
    floke = services.idea_accept_into_floke(idea=idea, by=innovation, title="Én dør inn")
    assert floke.title == "Én dør inn"


@pytest.mark.django_db
def test_many_ideas_join_one_floke(innovation):
    first, second = ServiceAreaFactory(), ServiceAreaFactory()
    floke = FlokeFactory(service_areas=[first])
    ideas = [
        with_status(IdeaFactory(service_areas=[first]), "in_review"),
        with_status(IdeaFactory(service_areas=[second]), "in_review"),
    ]

    for idea in ideas:
        assert services.idea_accept_into_floke(idea=idea, by=innovation, floke=floke) == floke

    assert Floke.objects.count() == 1
    assert set(floke.ideas.all()) == set(ideas)
    assert set(floke.service_areas.all()) == {first, second}
    assert {idea.status for idea in Idea.objects.all()} == {Status.ACCEPTED}


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["received", "declined", "merged", "withdrawn", "accepted"])
@pytest.mark.parametrize("into_existing", [False, True])
def test_only_ideas_under_review_are_accepted_and_nothing_half_done(
    innovation, status, into_existing
):
    floke = FlokeFactory() if into_existing else None
    idea = with_status(IdeaFactory(), status)

    with pytest.raises(services.FlokeActionError) as refused:
        services.idea_accept_into_floke(idea=idea, by=innovation, floke=floke)

    assert "That step is not possible while the idea is" in refused.value.message
    idea.refresh_from_db()
    assert (idea.status, idea.floke) == (status, None)
    assert Floke.objects.count() == (1 if into_existing else 0)
    assert not ModelLogEntry.objects.filter(action="blt.idea_joined").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["employee", "communications"])
@pytest.mark.parametrize("into_existing", [False, True])
def test_only_innovation_staff_accept_ideas_into_flokes(user_for_role, role, into_existing):
    floke = FlokeFactory() if into_existing else None
    idea = with_status(IdeaFactory(), "in_review")

    with pytest.raises(services.FlokeActionError, match=NOT_ALLOWED):
        services.idea_accept_into_floke(idea=idea, by=user_for_role(role), floke=floke)

    idea.refresh_from_db()
    assert (idea.status, idea.floke) == (Status.IN_REVIEW, None)
    assert not idea_logs(idea).exists()


@pytest.mark.django_db
def test_a_team_member_without_triage_rights_cannot_accept_ideas(employee):
    # Joining needs both: the floke's team and the right to triage ideas.
    floke = FlokeFactory(team=[employee])
    idea = with_status(IdeaFactory(), "in_review")

    with pytest.raises(services.FlokeActionError) as refused:
        services.idea_accept_into_floke(idea=idea, by=employee, floke=floke)

    assert refused.value.message == "You are not allowed to do that with this idea."
    assert Idea.objects.get(pk=idea.pk).floke is None


@pytest.mark.django_db
def test_an_idea_joins_only_one_floke(innovation):
    idea = with_status(IdeaFactory(), "in_review")
    services.idea_accept_into_floke(idea=idea, by=innovation)

    with pytest.raises(services.FlokeActionError):
        services.idea_accept_into_floke(idea=idea, by=innovation, floke=FlokeFactory())

    assert Idea.objects.get(pk=idea.pk).floke.ideas.count() == 1


@pytest.mark.django_db
def test_deleting_a_floke_leaves_its_ideas_standing(innovation):
    idea = with_status(IdeaFactory(), "in_review")
    floke = services.idea_accept_into_floke(idea=idea, by=innovation)

    floke.delete()

    idea.refresh_from_db()
    assert (idea.status, idea.floke) == (Status.ACCEPTED, None)


@pytest.mark.django_db
def test_a_key_figure_is_recorded_with_who_and_when(innovation):
    floke = FlokeFactory()

    figure = services.floke_add_record(
        floke=floke,
        by=innovation,
        model=KeyFigure,
        value=Decimal("35"),
        unit="familier",
        label=" henvist gjennom 7 tjenester ",
        as_of=None,
    )

    assert (figure.label, figure.created_by, figure.as_of) == (
        "henvist gjennom 7 tjenester",
        innovation,
        timezone.localdate(),
    )
    log = ModelLogEntry.objects.for_instance(floke).get(action="blt.add_keyfigure")
    assert log.data["record"] == figure.pk


@pytest.mark.django_db
def test_a_record_the_model_refuses_is_not_stored(innovation):
    floke = FlokeFactory()

    with pytest.raises(services.FlokeActionError):
        services.floke_add_record(floke=floke, by=innovation, model=TeamMember, name="  ")

    assert not floke.team_members.exists()


@pytest.mark.django_db
def test_only_floke_records_go_through_the_record_service(innovation):
    with pytest.raises(TypeError):
        services.floke_add_record(floke=FlokeFactory(), by=innovation, model=Floke, title="x")


@pytest.mark.django_db
def test_correcting_a_record_logs_what_changed(innovation):
    floke = FlokeFactory()
    experiment = services.floke_add_experiment(floke=floke, by=innovation, title="Innsjekk")

    services.floke_update_record(
        record=experiment,
        by=innovation,
        status=ExperimentStatus.FINISHED,
        result="Kortere ventetid",
        learnings="Én kontakt",
    )

    experiment.refresh_from_db()
    assert experiment.status == ExperimentStatus.FINISHED
    log = ModelLogEntry.objects.for_instance(floke).get(action="blt.edit_experiment")
    assert log.data["changed"] == ["learnings", "result", "status"]


@pytest.mark.django_db
def test_a_correction_that_breaks_the_rules_keeps_the_stored_record(innovation):
    floke = FlokeFactory()
    experiment = services.floke_add_experiment(
        floke=floke, by=innovation, title="Innsjekk", start=datetime.date(2026, 4, 1)
    )

    with pytest.raises(services.FlokeActionError, match="cannot end before it starts"):
        services.floke_update_record(
            record=experiment, by=innovation, end=datetime.date(2026, 3, 1)
        )

    experiment.refresh_from_db()
    assert experiment.end is None


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["employee", "communications"])
def test_only_staff_and_the_team_correct_records(user_for_role, role, innovation):
    floke = FlokeFactory()
    experiment = services.floke_add_experiment(floke=floke, by=innovation, title="Innsjekk")

    with pytest.raises(services.FlokeActionError, match=NOT_ALLOWED):
        services.floke_update_record(record=experiment, by=user_for_role(role), title="Kapret")

    experiment.refresh_from_db()
    assert experiment.title == "Innsjekk"


# Editing a floke's text, owner and team.


@pytest.mark.django_db
def test_editing_logs_what_changed_and_stamps_the_solution(innovation):
    floke = FlokeFactory(title="Gammel tittel")

    services.floke_edit(
        floke=floke, by=innovation, title=" Ny tittel ", solution_for_whom="Familier"
    )

    saved = Floke.objects.get(pk=floke.pk)
    assert (saved.title, saved.solution_for_whom) == ("Ny tittel", "Familier")
    assert saved.solution_changed_by == innovation
    log = ModelLogEntry.objects.for_instance(floke).get(action="wagtail.edit")
    assert log.data["changed"] == ["solution_for_whom", "title"]


@pytest.mark.django_db
def test_saving_the_same_solution_again_is_no_change(innovation):
    floke = FlokeFactory(solution_what="Én kontakt")

    services.floke_edit(floke=floke, by=innovation, solution_what="Én kontakt")

    assert Floke.objects.get(pk=floke.pk).solution_changed_at is None
    assert not ModelLogEntry.objects.for_instance(floke).get().content_changed


@pytest.mark.django_db
@pytest.mark.parametrize("relation", ["owner", "team"])
def test_the_owner_and_team_write_only_the_texts_the_gates_ask_for(employee, relation):
    floke = FlokeFactory(**({"owner": employee} if relation == "owner" else {"team": [employee]}))

    services.floke_edit(floke=floke, by=employee, need_statement="Hvordan kan vi …?")
    with pytest.raises(services.FlokeActionError, match=NOT_ALLOWED):
        services.floke_edit(floke=floke, by=employee, title="Kapret")
    with pytest.raises(services.FlokeActionError, match=NOT_ALLOWED):
        services.floke_edit(floke=floke, by=employee, team=[])

    saved = Floke.objects.get(pk=floke.pk)
    assert saved.need_statement == "Hvordan kan vi …?"
    assert saved.title == floke.title


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["employee", "communications"])
def test_others_edit_nothing(user_for_role, role):
    floke = FlokeFactory()

    with pytest.raises(services.FlokeActionError, match=NOT_ALLOWED):
        services.floke_edit(floke=floke, by=user_for_role(role), need_statement="Kapret")

    assert Floke.objects.get(pk=floke.pk).need_statement == ""


@pytest.mark.django_db
def test_the_phase_is_not_a_field_to_edit(innovation):
    with pytest.raises(TypeError, match="phase"):
        services.floke_edit(floke=FlokeFactory(), by=innovation, phase=Phase.IMPLEMENTED)


@pytest.mark.django_db
def test_an_edit_after_a_step_the_user_did_not_see_is_a_conflict(innovation):
    floke = FlokeFactory(title="Slik den var")
    Floke.objects.filter(pk=floke.pk).update(phase=Phase.STOPPED)  # someone else

    with pytest.raises(services.Conflict):
        services.floke_edit(floke=floke, by=innovation, title="Min tittel")

    assert Floke.objects.get(pk=floke.pk).title == "Slik den var"


@pytest.mark.django_db
def test_a_new_floke_for_an_idea_is_not_kept_when_the_idea_cannot_join(innovation):
    idea = with_status(IdeaFactory(), Status.IN_REVIEW)
    Idea.objects.filter(pk=idea.pk).update(status=Status.DECLINED)  # someone else, meanwhile

    with pytest.raises(services.FlokeActionError):
        services.idea_accept_into_floke(idea=idea, by=innovation)

    assert not Floke.objects.exists()
    assert not ModelLogEntry.objects.filter(action="wagtail.create").exists()
