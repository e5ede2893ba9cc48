"""The floke's BLT machine, edge by edge, through the service that staff use."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied

from wagtail.models import ModelLogEntry

import pytest
from django_fsm_log.models import StateLog

from blt import services
from blt.choices import ExperimentStatus, Phase
from blt.models import Floke
from tests.concurrency import run_at_once
from tests.factories import (
    ExperimentFactory,
    FlokeFactory,
    InsightFactory,
    TeamMemberFactory,
    UserFactory,
    with_phase,
)

ALL_PHASES = list(Phase)
ACTIVE = [Phase.BEHOV, Phase.LOSNING, Phase.TESTING]

# (transition, source, target): every edge of the machine.
EDGES = [
    ("to_losning", Phase.BEHOV, Phase.LOSNING),
    ("to_testing", Phase.LOSNING, Phase.TESTING),
    ("implement", Phase.TESTING, Phase.IMPLEMENTED),
    ("step_back", Phase.LOSNING, Phase.BEHOV),
    ("step_back", Phase.TESTING, Phase.LOSNING),
    ("stop", Phase.BEHOV, Phase.STOPPED),
    ("stop", Phase.LOSNING, Phase.STOPPED),
    ("stop", Phase.TESTING, Phase.STOPPED),
    ("reopen", Phase.STOPPED, Phase.BEHOV),
]
SOURCES = {
    "to_losning": {Phase.BEHOV},
    "to_testing": {Phase.LOSNING},
    "implement": {Phase.TESTING},
    "step_back": {Phase.LOSNING, Phase.TESTING},
    "stop": set(ACTIVE),
    "reopen": {Phase.STOPPED},
}
WRONG_SOURCES = [
    (name, phase)
    for name, sources in SOURCES.items()
    for phase in ALL_PHASES
    if phase not in sources
]
# Texts a step needs from its form; passed along so every edge can be taken.
STEP_FIELDS = {"stop": {"stop_reason": "Ingen eier i tjenestene.", "learnings": "Start smått."}}
NOT_ALLOWED = "You are not allowed to do that with this floke."

NEED = "Write the need statement (“How might we …?”)."
INSIGHT = "Record at least one insight."
WHAT = "Describe what the solution is."
FOR_WHOM = "Describe who the solution is for."
DIFFERS = "Describe how the solution differs from what is done today."
EXPERIMENT = "Plan at least one experiment."
FINISHED = "Finish at least one experiment and record its result and learnings."
DECISION = "Write the decision note."
STOP_REASON = "Write why the floke is stopped."
LEARNINGS = "Write what was learned."


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def state_logs(floke):
    return StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Floke), object_id=floke.pk
    )


def audit_logs(floke):
    return ModelLogEntry.objects.for_instance(floke).filter(action="blt.transition")


def ready(phase, **kwargs) -> Floke:
    """A floke in `phase` with the work recorded that the next step forward needs."""
    floke = FlokeFactory(
        need_statement="Hvordan kan vi hjelpe familier å få én samlet oppfølging?",
        solution_what="Én fast kontaktperson for familien.",
        solution_for_whom="Familier med tjenester fra tre eller flere områder.",
        solution_difference="Familien forteller historien sin én gang.",
        decision_note="Tas i bruk i alle barnehager fra høsten.",
        **kwargs,
    )
    InsightFactory(floke=floke)
    ExperimentFactory(floke=floke, finished=True)
    return with_phase(floke, phase)


def fire(floke, name, by, *, description="Vi har gjort jobben.", **kwargs):
    fields = {**STEP_FIELDS.get(name, {}), **kwargs}
    return services.floke_transition(
        floke=floke, name=name, by=by, description=description, **fields
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "source", "target"), EDGES)
def test_innovation_staff_take_each_edge(innovation, name, source, target):
    floke = ready(source)

    result = fire(floke, name, innovation, expected_phase=source, public_reason="Videre!")

    assert result.phase == target
    assert Floke.objects.get(pk=floke.pk).phase == target
    log = state_logs(floke).get()
    assert (log.by, log.source_state, log.state, log.transition, log.description) == (
        innovation,
        source,
        target,
        name,
        "Vi har gjort jobben.",
    )
    audit = audit_logs(floke).get()
    assert audit.user == innovation
    assert audit.data == {
        "transition": name,
        "from": source,
        "to": target,
        "description": "Vi har gjort jobben.",
        "public_reason": "Videre!",
        "fields": STEP_FIELDS.get(name, {}),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "source", "target"), EDGES)
def test_administrators_take_each_edge(administrator, name, source, target):
    assert fire(ready(source), name, administrator).phase == target


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "phase"), WRONG_SOURCES)
def test_each_transition_is_refused_from_the_wrong_phase(innovation, name, phase):
    floke = ready(phase)

    with pytest.raises(services.FlokeActionError) as refused:
        fire(floke, name, innovation)

    label = Phase(phase).label
    assert refused.value.message == f"That step is not possible while the floke is in {label}."
    assert Floke.objects.get(pk=floke.pk).phase == phase
    assert not state_logs(floke).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["save", "delete", "nonsense", "_change_state"])
def test_only_the_steps_of_the_process_can_be_named(innovation, name):
    floke = ready(Phase.BEHOV)

    with pytest.raises(services.FlokeActionError) as refused:
        fire(floke, name, innovation)

    assert refused.value.message == "That is not a step in the BLT process."


@pytest.mark.django_db
def test_only_the_texts_a_step_needs_can_be_passed_along(innovation):
    with pytest.raises(TypeError, match="phase"):
        fire(ready(Phase.BEHOV), "to_losning", innovation, phase=Phase.TESTING)


# The gates: a refused step names every missing piece of work, and changes nothing.


def assert_refused(floke, name, by, missing, **kwargs):
    phase = Floke.objects.get(pk=floke.pk).phase
    with pytest.raises(services.GateClosed) as refused:
        fire(floke, name, by, **kwargs)
    assert refused.value.missing == missing
    assert refused.value.message == " ".join(missing)
    assert Floke.objects.get(pk=floke.pk).phase == phase
    assert not state_logs(floke).exists()
    assert not audit_logs(floke).exists()


@pytest.mark.django_db
def test_behov_to_losning_needs_a_need_statement_and_an_insight(innovation):
    floke = FlokeFactory()
    assert_refused(floke, "to_losning", innovation, [NEED, INSIGHT])

    InsightFactory(floke=floke)
    assert_refused(floke, "to_losning", innovation, [NEED])

    # Whitespace is not a need statement.
    assert_refused(floke, "to_losning", innovation, [NEED], need_statement="  \n ")

    moved = fire(floke, "to_losning", innovation, need_statement=" Hvordan kan vi …? ")
    assert (moved.phase, moved.need_statement) == (Phase.LOSNING, "Hvordan kan vi …?")


@pytest.mark.django_db
def test_an_insight_alone_is_not_enough(innovation):
    floke = FlokeFactory(need_statement="Hvordan kan vi …?")
    assert_refused(floke, "to_losning", innovation, [INSIGHT])


@pytest.mark.django_db
def test_losning_to_testing_needs_a_solution_concept_and_a_planned_experiment(innovation):
    floke = with_phase(FlokeFactory(), Phase.LOSNING)
    assert_refused(floke, "to_testing", innovation, [WHAT, FOR_WHOM, DIFFERS, EXPERIMENT])

    Floke.objects.filter(pk=floke.pk).update(solution_what="Én kontaktperson.")
    assert_refused(floke, "to_testing", innovation, [FOR_WHOM, DIFFERS, EXPERIMENT])

    ExperimentFactory(floke=floke, status=ExperimentStatus.PLANNED)
    assert_refused(floke, "to_testing", innovation, [FOR_WHOM, DIFFERS])

    moved = fire(
        floke,
        "to_testing",
        innovation,
        solution_for_whom="Familier med mange tjenester.",
        solution_difference="Én dør inn.",
    )
    assert moved.phase == Phase.TESTING
    assert Floke.objects.get(pk=floke.pk).solution_difference == "Én dør inn."


@pytest.mark.django_db
@pytest.mark.parametrize(
    "experiment",
    [
        None,
        {"status": ExperimentStatus.PLANNED},
        {"status": ExperimentStatus.RUNNING, "result": "Bra", "learnings": "Mye"},
        {"status": ExperimentStatus.FINISHED, "result": "", "learnings": "Mye"},
        {"status": ExperimentStatus.FINISHED, "result": "Bra", "learnings": " "},
    ],
)
def test_implementing_needs_a_finished_experiment_with_result_and_learnings(innovation, experiment):
    floke = with_phase(FlokeFactory(decision_note="Vedtatt i kommunestyret."), Phase.TESTING)
    if experiment is not None:
        ExperimentFactory(floke=floke, **experiment)

    assert_refused(floke, "implement", innovation, [FINISHED])


@pytest.mark.django_db
def test_implementing_needs_a_decision_note(innovation):
    floke = with_phase(FlokeFactory(), Phase.TESTING)
    assert_refused(floke, "implement", innovation, [FINISHED, DECISION])

    ExperimentFactory(floke=floke, finished=True)
    assert_refused(floke, "implement", innovation, [DECISION])

    moved = fire(floke, "implement", innovation, decision_note="Tas i bruk fra høsten.")
    assert moved.phase == Phase.IMPLEMENTED
    assert Floke.objects.get(pk=floke.pk).decision_note == "Tas i bruk fra høsten."


@pytest.mark.django_db
@pytest.mark.parametrize("phase", ACTIVE)
def test_stopping_needs_a_reason_and_learnings(innovation, phase):
    floke = with_phase(FlokeFactory(), phase)
    assert_refused(
        floke, "stop", innovation, [STOP_REASON, LEARNINGS], stop_reason="", learnings=""
    )
    assert_refused(floke, "stop", innovation, [LEARNINGS], learnings="")
    assert_refused(floke, "stop", innovation, [STOP_REASON], stop_reason="  ")

    stopped = fire(floke, "stop", innovation)
    assert stopped.phase == Phase.STOPPED
    saved = Floke.objects.get(pk=floke.pk)
    assert (saved.stop_reason, saved.learnings) == ("Ingen eier i tjenestene.", "Start smått.")


@pytest.mark.django_db
@pytest.mark.parametrize("phase", [Phase.LOSNING, Phase.TESTING])
@pytest.mark.parametrize("description", ["", "  \n"])
def test_stepping_back_needs_a_reason(innovation, phase, description):
    floke = ready(phase)

    with pytest.raises(services.FlokeActionError) as refused:
        fire(floke, "step_back", innovation, description=description)

    assert refused.value.message == "Write why the floke goes back a phase."
    assert Floke.objects.get(pk=floke.pk).phase == phase
    assert not state_logs(floke).exists()
    assert not audit_logs(floke).exists()


@pytest.mark.django_db
def test_reopening_keeps_the_learnings_and_asks_for_a_new_stop_reason(innovation):
    floke = fire(ready(Phase.LOSNING), "stop", innovation)

    reopened = fire(floke, "reopen", innovation, description="Ny leder vil prøve igjen.")

    saved = Floke.objects.get(pk=floke.pk)
    assert (reopened.phase, saved.stop_reason, saved.learnings) == (
        Phase.BEHOV,
        "",
        "Start smått.",
    )
    logged = audit_logs(floke).order_by("pk").first().data["fields"]
    assert logged["stop_reason"] == "Ingen eier i tjenestene."
    with pytest.raises(services.GateClosed) as refused:
        fire(saved, "stop", innovation, stop_reason="")
    assert refused.value.missing == [STOP_REASON]


@pytest.mark.django_db
def test_a_floke_runs_the_whole_way_and_the_log_is_its_history(innovation):
    floke = ready(Phase.BEHOV)
    for name in ["to_losning", "to_testing", "step_back", "to_testing", "implement"]:
        floke = fire(floke, name, innovation)

    assert list(state_logs(floke).order_by("pk").values_list("source_state", "state")) == [
        (Phase.BEHOV, Phase.LOSNING),
        (Phase.LOSNING, Phase.TESTING),
        (Phase.TESTING, Phase.LOSNING),
        (Phase.LOSNING, Phase.TESTING),
        (Phase.TESTING, Phase.IMPLEMENTED),
    ]
    assert audit_logs(floke).count() == 5


@pytest.mark.django_db
def test_each_step_restarts_the_clock_of_the_phase(innovation):
    floke = ready(Phase.BEHOV)
    before = floke.phase_changed_at

    moved = fire(floke, "to_losning", innovation)

    assert Floke.objects.get(pk=floke.pk).phase_changed_at == moved.phase_changed_at > before


def test_the_phase_is_never_written_directly(db):
    floke = FlokeFactory()
    with pytest.raises(AttributeError):
        floke.phase = Phase.IMPLEMENTED


# Who may move a floke: innovation staff any floke, its owner and team their own.


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("employee", False),
        ("communications", False),
        ("innovation", True),
        ("administrator", True),
    ],
)
@pytest.mark.parametrize(("name", "source", "target"), EDGES)
def test_permission_matrix(user_for_role, role, allowed, name, source, target):
    floke = ready(source)
    user = user_for_role(role) or AnonymousUser()

    if allowed:
        assert fire(floke, name, user, expected_phase=source).phase == target
        assert state_logs(floke).count() == 1
    else:
        with pytest.raises(services.FlokeActionError) as refused:
            fire(floke, name, user, expected_phase=source)
        assert refused.value.message == NOT_ALLOWED
        assert Floke.objects.get(pk=floke.pk).phase == source
        assert not state_logs(floke).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("relation", ["owner", "team"])
@pytest.mark.parametrize(("name", "source", "target"), EDGES)
def test_the_owner_and_team_move_their_own_floke_without_the_permission(
    employee, relation, name, source, target
):
    assert not employee.has_perm("blt.move_floke")
    floke = ready(source, **({"owner": employee} if relation == "owner" else {"team": [employee]}))

    assert fire(floke, name, employee).phase == target
    assert state_logs(floke).get().by == employee


@pytest.mark.django_db
def test_the_owner_and_team_cannot_move_other_flokes(employee):
    mine = ready(Phase.BEHOV, owner=employee)
    other = ready(Phase.BEHOV, owner=UserFactory(), team=[UserFactory()])
    TeamMemberFactory(floke=other, name=employee.get_full_name())

    assert fire(mine, "to_losning", employee).phase == Phase.LOSNING
    with pytest.raises(services.FlokeActionError, match=NOT_ALLOWED):
        fire(other, "to_losning", employee)


@pytest.mark.django_db
def test_an_inactive_owner_cannot_move_the_floke(employee):
    employee.is_active = False
    employee.save()
    floke = ready(Phase.BEHOV, owner=employee)

    with pytest.raises(services.FlokeActionError, match=NOT_ALLOWED):
        fire(floke, "to_losning", employee)


# The model itself refuses, whoever calls it: not only the service checks permission.


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["stranger", "nobody", "anonymous", "communications"])
@pytest.mark.parametrize(("name", "source", "target"), EDGES)
def test_the_model_refuses_who_may_not_move_the_floke(communications, who, name, source, target):
    floke = ready(source)
    by = {
        "stranger": UserFactory(),
        "nobody": None,
        "anonymous": AnonymousUser(),
        "communications": communications,
    }[who]

    with pytest.raises(PermissionDenied) as refused:
        getattr(floke, name)(by=by, description="Fordi.")

    assert str(refused.value) == NOT_ALLOWED
    assert floke.phase == source
    floke.save()
    assert Floke.objects.get(pk=floke.pk).phase == source
    assert not state_logs(floke).exists()


@pytest.mark.django_db
def test_the_model_refuses_before_it_looks_at_the_gates():
    floke = FlokeFactory()  # nothing recorded: the gate to Løsning is closed

    with pytest.raises(PermissionDenied):
        floke.to_losning(by=UserFactory())


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["innovation", "owner", "team"])
@pytest.mark.parametrize(("name", "source", "target"), EDGES)
def test_the_model_lets_who_may_move_the_floke_take_the_step(
    innovation, employee, who, name, source, target
):
    relation = {"owner": {"owner": employee}, "team": {"team": [employee]}}.get(who, {})
    floke = ready(source, **relation)
    for field, value in STEP_FIELDS.get(name, {}).items():
        setattr(floke, field, value)
    by = innovation if who == "innovation" else employee

    getattr(floke, name)(by=by, description="Vi har gjort jobben.")
    floke.save()

    assert Floke.objects.get(pk=floke.pk).phase == target
    assert state_logs(floke).get().by == by


@pytest.mark.django_db
def test_permission_is_checked_before_the_gates(employee):
    # Someone without access learns nothing about the floke's work.
    with pytest.raises(services.FlokeActionError) as refused:
        fire(FlokeFactory(), "to_losning", employee)

    assert not isinstance(refused.value, services.GateClosed)
    assert refused.value.message == NOT_ALLOWED


# Two people on the same floke.


@pytest.mark.django_db
def test_a_stale_page_gives_a_conflict_and_no_log_row(innovation):
    floke = ready(Phase.BEHOV)
    fire(Floke.objects.get(pk=floke.pk), "to_losning", innovation)

    # The user's page still said "behov".
    with pytest.raises(services.Conflict) as conflict:
        fire(floke, "stop", innovation, expected_phase=Phase.BEHOV)

    assert "Someone else moved this floke" in conflict.value.message
    assert "Reload" in conflict.value.message
    assert Floke.objects.get(pk=floke.pk).phase == Phase.LOSNING
    assert state_logs(floke).count() == 1
    assert audit_logs(floke).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_one_wins_one_gets_a_conflict(innovation, administrator):
    floke = ready(Phase.BEHOV)

    def act(name, user):
        return lambda: fire(Floke.objects.get(pk=floke.pk), name, user, expected_phase=Phase.BEHOV)

    results, errors, written = run_at_once(
        act("to_losning", innovation),
        act("stop", administrator),
        hold_save_of=Floke,
        state_field="phase",
    )

    # Both had moved the floke on in memory and raced to write: a real lost-update risk.
    assert sorted(written) == sorted([Phase.LOSNING, Phase.STOPPED])
    winners = [value for value in results if isinstance(value, Floke)]
    losers = [error for error in errors if isinstance(error, services.Conflict)]
    assert (len(winners), len(losers)) == (1, 1), (results, errors)
    assert "Someone else moved this floke" in losers[0].message
    assert Floke.objects.get(pk=floke.pk).phase == winners[0].phase
    assert state_logs(floke).count() == 1
    assert audit_logs(floke).count() == 1
