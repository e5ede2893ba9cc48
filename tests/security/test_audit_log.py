"""Every act on an idea, a floke or a story goes to Wagtail's audit log, by whom, and shows
in the object's history in the admin.

ACTS runs each service that changes something; every other public function of the
services modules is named in NOT_ACTS, so a service added later without a place here
fails `test_every_service_is_an_act_here_or_said_not_to_be`.
"""

import inspect
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from wagtail.models import ModelLogEntry, PageLogEntry

import pytest

from blt import services as blt_services
from blt.choices import BenefitTerm, ExperimentStatus, InsightKind, Phase
from blt.models import Benefit, CoCreation, KeyFigure, TeamMember
from ideabank import services as idea_services
from ideabank.choices import Status
from ideabank.models import Idea
from stories import services as story_services
from tests.admin import login
from tests.blt.test_transitions import ready
from tests.factories import (
    IdeaFactory,
    with_status,
)

pytestmark = pytest.mark.django_db

SCORES = dict.fromkeys(
    ["user_need", "management", "own_effort", "innovation", "benefit", "learning"], 3
)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def ready_floke(phase, owner):
    """A floke in `phase` with the work recorded that any next step needs."""
    return ready(phase, owner=owner)


def idea_in(status, **fields):
    return with_status(IdeaFactory(**fields), status)


def attachment(floke, by):
    return blt_services.floke_add_attachment(
        floke=floke, by=by, title="Rapport", file=SimpleUploadedFile("rapport.pdf", b"%PDF-1.4")
    )


def idea_act(status, act, action, by="innovation", **fields):
    """An act on an idea in `status`: run `act(idea, who)`, expect `action` by `by`."""

    def run(w):
        idea = idea_in(status, **fields)
        who = getattr(w, by) if by else None
        act(idea, who)
        return idea, action, who

    return run


def floke_act(phase, act, action, by="innovation"):
    def run(w):
        floke = ready_floke(phase, w.innovation)
        who = getattr(w, by)
        act(floke, who)
        return floke, action, who

    return run


def transition(name, **kwargs):
    return lambda idea, by: idea_services.idea_transition(
        idea=idea, name=name, by=by, description="Vi har sett på idéen.", **kwargs
    )


def floke_step(name, **fields):
    return lambda floke, by: blt_services.floke_transition(
        floke=floke, name=name, by=by, description="Besluttet i teamet.", **fields
    )


def record(model, **fields):
    return lambda floke, by: blt_services.floke_add_record(
        floke=floke, by=by, model=model, **fields
    )


def accept_into_new_floke(w):
    idea = idea_in(Status.IN_REVIEW)
    floke = blt_services.idea_accept_into_floke(idea=idea, by=w.innovation, title="Ny floke")
    assert logged(idea, "ideabank.transition", w.innovation)
    assert logged(floke, "wagtail.create", w.innovation)
    return floke, "blt.idea_joined", w.innovation


def accept_into_existing_floke(w):
    idea = idea_in(Status.IN_REVIEW)
    floke = ready_floke(Phase.BEHOV, w.innovation)
    blt_services.idea_accept_into_floke(idea=idea, by=w.innovation, floke=floke)
    assert logged(idea, "ideabank.transition", w.innovation)
    return floke, "blt.idea_joined", w.innovation


def start_story(w):
    floke = ready_floke(Phase.IMPLEMENTED, w.innovation)
    story = story_services.story_start_from_floke(floke=floke, by=w.communications)
    return story, "wagtail.create", w.communications


def delete_spam(w):
    idea = idea_in(Status.DECLINED)
    idea_services.idea_mark_spam(idea=idea, by=w.innovation)
    idea_services.ideas_delete_spam(ideas=Idea.objects.filter(pk=idea.pk))
    assert not Idea.objects.filter(pk=idea.pk).exists()
    return idea, "ideabank.delete_spam", None


def spam(idea, by):
    idea_services.idea_mark_spam(idea=idea, by=by)
    return Idea.objects.get(pk=idea.pk)


ACTS = {
    # Ideas: triage
    "start review": idea_act(Status.RECEIVED, transition("start_review"), "ideabank.transition"),
    "decline": idea_act(Status.IN_REVIEW, transition("decline"), "ideabank.transition"),
    "reopen": idea_act(Status.DECLINED, transition("reopen"), "ideabank.transition"),
    "merge": idea_act(
        Status.IN_REVIEW,
        lambda idea, by: transition("merge", into=IdeaFactory())(idea, by),
        "ideabank.transition",
    ),
    "answer": idea_act(
        Status.IN_REVIEW,
        lambda idea, by: idea_services.idea_answer(idea=idea, text="Takk!", by=by),
        "ideabank.answer",
    ),
    "assess": idea_act(
        Status.IN_REVIEW,
        lambda idea, by: idea_services.idea_assess(idea=idea, assessor=by, scores=SCORES),
        "ideabank.assess",
    ),
    "publish": idea_act(
        Status.IN_REVIEW,
        lambda idea, by: idea_services.idea_publish(idea=idea, by=by),
        "ideabank.publish",
        name="",
        title="Benker i parken",
        body="Flere benker langs stien.",
    ),
    "unpublish": idea_act(
        Status.IN_REVIEW,
        lambda idea, by: idea_services.idea_unpublish(idea=idea, by=by),
        "ideabank.unpublish",
        published=True,
    ),
    "mark as spam": idea_act(Status.DECLINED, spam, "ideabank.mark_spam"),
    "not spam after all": idea_act(
        Status.DECLINED,
        lambda idea, by: idea_services.idea_unmark_spam(idea=spam(idea, by), by=by),
        "ideabank.unmark_spam",
    ),
    "delete spam (retention)": delete_spam,
    # Ideas: the sender's own acts and the administrator's for them
    "withdraw (sender)": idea_act(
        Status.IN_REVIEW,
        lambda idea, by: idea_services.idea_withdraw(idea=idea),
        "ideabank.transition",
        by=None,
    ),
    "erase contact details (sender)": idea_act(
        Status.IN_REVIEW,
        lambda idea, by: idea_services.idea_erase_contact(idea=idea),
        "ideabank.erase_contact",
        by=None,
    ),
    "export personal data": idea_act(
        Status.IN_REVIEW,
        lambda idea, by: idea_services.personal_data_export(
            ideas=Idea.objects.filter(pk=idea.pk), by=by
        ),
        "ideabank.export_personal_data",
        by="administrator",
    ),
    "erase personal data": idea_act(
        Status.IN_REVIEW,
        lambda idea, by: idea_services.personal_data_erase(
            ideas=Idea.objects.filter(pk=idea.pk), by=by
        ),
        "ideabank.erase_contact",
        by="administrator",
    ),
    "erase contact details (several)": idea_act(
        Status.IN_REVIEW,
        lambda idea, by: idea_services.ideas_erase_contact(
            ideas=Idea.objects.filter(pk=idea.pk), by=by, reason="request"
        ),
        "ideabank.erase_contact",
        by="administrator",
    ),
    # Flokes: the machine
    "to løsning": floke_act(Phase.BEHOV, floke_step("to_losning"), "blt.transition"),
    "to testing": floke_act(Phase.LOSNING, floke_step("to_testing"), "blt.transition"),
    "implement": floke_act(Phase.TESTING, floke_step("implement"), "blt.transition"),
    "step back": floke_act(Phase.TESTING, floke_step("step_back"), "blt.transition"),
    "stop": floke_act(
        Phase.LOSNING,
        floke_step("stop", stop_reason="Ingen eier.", learnings="Start smått."),
        "blt.transition",
    ),
    "reopen floke": floke_act(Phase.STOPPED, floke_step("reopen"), "blt.transition"),
    # Flokes: opening, correcting and recording the work
    "open a floke": lambda w: (
        blt_services.floke_create(by=w.innovation, title="Ny floke"),
        "wagtail.create",
        w.innovation,
    ),
    "edit a floke": floke_act(
        Phase.BEHOV,
        lambda floke, by: blt_services.floke_edit(floke=floke, by=by, title="Nytt navn"),
        "wagtail.edit",
    ),
    "record an insight": floke_act(
        Phase.BEHOV,
        lambda floke, by: blt_services.floke_add_insight(
            floke=floke, by=by, kind=InsightKind.INTERVIEW, summary="Foreldre forteller."
        ),
        "blt.add_insight",
    ),
    "plan an experiment": floke_act(
        Phase.LOSNING,
        lambda floke, by: blt_services.floke_add_experiment(
            floke=floke, by=by, title="Ukentlig innsjekk", status=ExperimentStatus.PLANNED
        ),
        "blt.add_experiment",
    ),
    "record a co-creation": floke_act(
        Phase.LOSNING, record(CoCreation, activity="Verksted"), "blt.add_cocreation"
    ),
    "plan a benefit": floke_act(
        Phase.TESTING,
        record(Benefit, term=BenefitTerm.SHORT, planned="Færre brudd."),
        "blt.add_benefit",
    ),
    "add a key figure": floke_act(
        Phase.TESTING,
        record(KeyFigure, value=Decimal(35), label="familier", as_of=date(2026, 3, 1)),
        "blt.add_keyfigure",
    ),
    "add a team member": floke_act(
        Phase.BEHOV, record(TeamMember, name="Kari", role="Skole"), "blt.add_teammember"
    ),
    "finish an experiment": floke_act(
        Phase.TESTING,
        lambda floke, by: blt_services.floke_update_record(
            record=floke.experiments.get(), by=by, result="Det virket.", learnings="Mye."
        ),
        "blt.edit_experiment",
    ),
    "attach a document": floke_act(Phase.BEHOV, attachment, "blt.add_attachment"),
    "correct an attachment": floke_act(
        Phase.BEHOV,
        lambda floke, by: blt_services.floke_update_attachment(
            record=attachment(floke, by), by=by, title="Riktig tittel"
        ),
        "blt.edit_attachment",
    ),
    "accept an idea into a new floke": accept_into_new_floke,
    "accept an idea into a floke": accept_into_existing_floke,
    # Stories
    "start a story from a floke": start_story,
}

# Public functions of the services modules that are no act of staff: checks, helpers of
# the acts above, background work, the public's support, and the sender's submission
# (the idea's history opens with its received date). An idea is taken forward only into
# a floke: "accept an idea into …" below.
NOT_ACTS = {
    idea_services: {
        "check_public_text",
        "conflict",
        "next_reference",
        "idea_submit",
        "log_many",
        "idea_support",
        "ideas_apply_retention",  # runs the erasure and spam deletion above, in batches
        "idea_photo_process",  # the background task that re-encodes a sent photo
    },
    blt_services: {
        "conflict",
        "not_allowed",
        "require_may_move",
        "missing_for",
        "stamp_solution",
        "editable_fields",
        "differs",
        "validated",
        "save_record",
        "attachment_collection",
    },
    story_services: {
        "story_index",
        "may_start_story",
        "paragraph",
        "figure_value",
        "draft_body",
        "draft_lead",
    },
}
# Which act above runs each service, by the service's name.
ACTED_BY = {
    "idea_transition": "start review",
    "idea_withdraw": "withdraw (sender)",
    "ideas_erase_contact": "erase contact details (several)",
    "idea_erase_contact": "erase contact details (sender)",
    "personal_data_export": "export personal data",
    "personal_data_erase": "erase personal data",
    "idea_mark_spam": "mark as spam",
    "idea_unmark_spam": "not spam after all",
    "ideas_delete_spam": "delete spam (retention)",
    "idea_answer": "answer",
    "idea_assess": "assess",
    "idea_publish": "publish",
    "idea_unpublish": "unpublish",
    "floke_transition": "to løsning",
    "floke_edit": "edit a floke",
    "floke_create": "open a floke",
    "floke_add_record": "record a co-creation",
    "floke_update_record": "finish an experiment",
    "floke_add_insight": "record an insight",
    "floke_add_experiment": "plan an experiment",
    "floke_add_attachment": "attach a document",
    "floke_update_attachment": "correct an attachment",
    "idea_accept_into_floke": "accept an idea into a floke",
    "story_start_from_floke": "start a story from a floke",
}


def logged(instance, action, user):
    entries = (
        PageLogEntry.objects.filter(page=instance)
        if hasattr(instance, "path")
        else ModelLogEntry.objects.for_instance(instance)
    )
    return entries.filter(action=action, user=user).order_by("-pk").first()


def history_url(instance) -> str:
    if hasattr(instance, "path"):
        return reverse("wagtailadmin_pages:history", args=[instance.pk])
    if isinstance(instance, Idea):
        return reverse("ideas:history", args=[instance.pk])
    return reverse("flokes:history", args=[instance.pk])


@pytest.fixture
def w(site_tree, innovation, communications, administrator):
    return SimpleNamespace(
        innovation=innovation, communications=communications, administrator=administrator
    )


def test_every_service_is_an_act_here_or_said_not_to_be():
    for module, not_acts in NOT_ACTS.items():
        public = {
            name
            for name, function in inspect.getmembers(module, inspect.isfunction)
            if function.__module__ == module.__name__ and not name.startswith("_")
        }
        assert public - not_acts - set(ACTED_BY) == set(), module.__name__
        assert not_acts <= public, module.__name__
    assert set(ACTED_BY.values()) <= set(ACTS)


@pytest.mark.parametrize("act", ACTS)
def test_every_act_is_in_the_audit_log_and_the_history(client, w, act):
    instance, action, user = ACTS[act](w)

    entry = logged(instance, action, user)

    assert entry is not None, f"{act}: no {action!r} by {user} in the audit log"
    # A deleted object's last word stays in the site history.
    page = reverse("wagtailadmin_reports:site_history") if entry.deleted else history_url(instance)
    html = login(client, w.administrator).get(page).content.decode()
    assert escape(str(entry.message)) in html, f"{act}: {entry.message!r} not in {page}"
