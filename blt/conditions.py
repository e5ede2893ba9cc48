"""Pure predicates about flokes: the gates of the BLT machine and who may move a floke.

Each gate carries the sentence that tells staff what is missing, so a refused
transition can name every gap at once instead of the first one only.
"""

from collections.abc import Callable, Iterable

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import ExperimentStatus

MOVE_PERMISSION = "blt.move_floke"


def gate(missing):
    """Mark a predicate as a gate; `missing` says what to record when it fails."""

    def mark(predicate: Callable) -> Callable:
        predicate.missing = missing
        return predicate

    return mark


def filled(text: str) -> bool:
    return bool((text or "").strip())


BLANK = r"^\s*$"

# An experiment that counts as done: finished, with its result and learnings written.
FINISHED_WITH_LEARNINGS = (
    Q(status=ExperimentStatus.FINISHED) & ~Q(result__regex=BLANK) & ~Q(learnings__regex=BLANK)
)

# Names of the annotations a queryset of many flokes may carry (see `blt.views.board_flokes`),
# so the gates below read them instead of asking the database once per floke.
INSIGHT_EXISTS = "insight_exists"
EXPERIMENT_EXISTS = "experiment_exists"
FINISHED_EXPERIMENT_EXISTS = "finished_experiment_exists"


def annotated_or(floke, annotation: str, ask: Callable[[], bool]) -> bool:
    # `ask` is called only without the annotation: even building its query costs as
    # much as a card on the board.
    value = getattr(floke, annotation, None)
    return ask() if value is None else bool(value)


@gate(_("Write the need statement (“How might we …?”)."))
def has_need_statement(floke) -> bool:
    return filled(floke.need_statement)


@gate(_("Record at least one insight."))
def has_insight(floke) -> bool:
    return annotated_or(floke, INSIGHT_EXISTS, lambda: floke.insights.exists())


@gate(_("Describe what the solution is."))
def has_solution_what(floke) -> bool:
    return filled(floke.solution_what)


@gate(_("Describe who the solution is for."))
def has_solution_for_whom(floke) -> bool:
    return filled(floke.solution_for_whom)


@gate(_("Describe how the solution differs from what is done today."))
def has_solution_difference(floke) -> bool:
    return filled(floke.solution_difference)


@gate(_("Plan at least one experiment."))
def has_planned_experiment(floke) -> bool:
    # Any recorded experiment was planned once; a running or finished one still counts.
    return annotated_or(floke, EXPERIMENT_EXISTS, lambda: floke.experiments.exists())


@gate(_("Finish at least one experiment and record its result and learnings."))
def has_finished_experiment(floke) -> bool:
    return annotated_or(
        floke,
        FINISHED_EXPERIMENT_EXISTS,
        lambda: floke.experiments.filter(FINISHED_WITH_LEARNINGS).exists(),
    )


@gate(_("Write the decision note."))
def has_decision_note(floke) -> bool:
    return filled(floke.decision_note)


@gate(_("Write why the floke is stopped."))
def has_stop_reason(floke) -> bool:
    return filled(floke.stop_reason)


@gate(_("Write what was learned."))
def has_learnings(floke) -> bool:
    return filled(floke.learnings)


# What a step asks of the person taking it, checked in the transition method rather than
# by a gate (it is not part of the floke). Declared on the transition as
# `custom={"needs": [...]}`, so the help page lists it with the gates.
WHY_BACK = _("Write why the floke goes back a phase.")

TO_LOSNING = [has_need_statement, has_insight]
TO_TESTING = [
    has_solution_what,
    has_solution_for_whom,
    has_solution_difference,
    has_planned_experiment,
]
IMPLEMENT = [has_finished_experiment, has_decision_note]
STOP = [has_stop_reason, has_learnings]


def missing(floke, gates: Iterable[Callable]) -> list[str]:
    """What each failing gate says is missing, in the active language."""
    return [str(predicate.missing) for predicate in gates if not predicate(floke)]


def may_move(floke, user) -> bool:
    """Innovation staff may move any floke; its owner and team may move their own."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.has_perm(MOVE_PERMISSION):
        return True
    if floke.owner_id is not None and floke.owner_id == user.pk:
        return True
    return floke.team.filter(pk=user.pk).exists()
