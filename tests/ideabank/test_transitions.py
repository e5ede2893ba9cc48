"""The idea's state machine, edge by edge, through the service that staff use."""

from django.contrib.contenttypes.models import ContentType

from wagtail.models import ModelLogEntry

import pytest
from django_fsm_log.models import StateLog

from ideabank import services
from ideabank.choices import Status
from ideabank.models import Idea
from tests.concurrency import run_at_once
from tests.factories import FlokeFactory, IdeaFactory, with_status

ALL_STATUSES = list(Status)

# (transition, source, target): every edge staff may take.
STAFF_EDGES = [
    ("start_review", Status.RECEIVED, Status.IN_REVIEW),
    ("accept", Status.IN_REVIEW, Status.ACCEPTED),
    ("decline", Status.IN_REVIEW, Status.DECLINED),
    ("reopen", Status.DECLINED, Status.IN_REVIEW),
    ("merge", Status.RECEIVED, Status.MERGED),
    ("merge", Status.IN_REVIEW, Status.MERGED),
]
SOURCES = {
    "start_review": {Status.RECEIVED},
    "accept": {Status.IN_REVIEW},
    "decline": {Status.IN_REVIEW},
    "reopen": {Status.DECLINED},
    "merge": {Status.RECEIVED, Status.IN_REVIEW},
}
WRONG_SOURCES = [
    (name, status)
    for name, sources in SOURCES.items()
    for status in ALL_STATUSES
    if status not in sources
]
NOT_ALLOWED = "You are not allowed to do that with this idea."


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def state_logs(idea):
    return StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Idea), object_id=idea.pk
    )


def fire(idea, name, by, *, description="Vi ser på saken.", **kwargs):
    if name == "merge":
        kwargs.setdefault("into", IdeaFactory())
    if name == "accept":
        kwargs.setdefault("floke", FlokeFactory())
    return services.idea_transition(idea=idea, name=name, by=by, description=description, **kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "source", "target"), STAFF_EDGES)
def test_innovation_staff_take_each_edge(innovation, name, source, target):
    idea = with_status(IdeaFactory(), source)

    result = fire(idea, name, innovation, expected_status=source)

    assert result.status == target
    assert Idea.objects.get(pk=idea.pk).status == target
    log = state_logs(idea).get()
    assert (log.by, log.source_state, log.state, log.transition, log.description) == (
        innovation,
        source,
        target,
        name,
        "Vi ser på saken.",
    )
    audit = ModelLogEntry.objects.for_instance(idea).get(action="ideabank.transition")
    assert audit.user == innovation
    assert audit.data == {
        "transition": name,
        "from": source,
        "to": target,
        "description": "Vi ser på saken.",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "source", "target"), STAFF_EDGES)
def test_administrators_take_each_edge(administrator, name, source, target):
    idea = with_status(IdeaFactory(), source)

    assert fire(idea, name, administrator).status == target


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "status"), WRONG_SOURCES)
def test_each_transition_is_refused_from_the_wrong_status(innovation, name, status):
    idea = with_status(IdeaFactory(), status)

    with pytest.raises(services.IdeaActionError) as refused:
        fire(idea, name, innovation)

    label = Status(status).label
    assert refused.value.message == f"That step is not possible while the idea is {label}."
    assert Idea.objects.get(pk=idea.pk).status == status
    assert not state_logs(idea).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["communications", "employee"])
@pytest.mark.parametrize(("name", "source", "target"), STAFF_EDGES)
def test_each_transition_is_refused_for_the_wrong_role(user_for_role, role, name, source, target):
    idea = with_status(IdeaFactory(), source)

    with pytest.raises(services.IdeaActionError) as refused:
        fire(idea, name, user_for_role(role), expected_status=source)

    assert refused.value.message == NOT_ALLOWED
    assert Idea.objects.get(pk=idea.pk).status == source
    assert not state_logs(idea).exists()


@pytest.mark.django_db
def test_anonymous_visitors_cannot_fire_staff_transitions():
    from django.contrib.auth.models import AnonymousUser

    idea = IdeaFactory()

    with pytest.raises(services.IdeaActionError, match=NOT_ALLOWED):
        fire(idea, "start_review", AnonymousUser())


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["withdraw", "save", "delete", "nonsense"])
def test_only_the_staff_transitions_can_be_named(innovation, name):
    idea = IdeaFactory()

    with pytest.raises(services.IdeaActionError) as refused:
        services.idea_transition(idea=idea, name=name, by=innovation)

    assert refused.value.message == "That is not a step staff can take."
    assert Idea.objects.get(pk=idea.pk).status == Status.RECEIVED


@pytest.mark.django_db
def test_an_idea_is_accepted_only_into_a_floke(innovation):
    idea = with_status(IdeaFactory(), Status.IN_REVIEW)

    with pytest.raises(services.IdeaActionError) as refused:
        services.idea_transition(idea=idea, name="accept", by=innovation, description="Ja!")

    assert refused.value.message == (
        "An idea is accepted only into a floke: take it into a new or an existing floke."
    )
    assert Idea.objects.get(pk=idea.pk).status == Status.IN_REVIEW
    assert not state_logs(idea).exists()


@pytest.mark.django_db
def test_accepting_links_the_idea_to_its_floke(innovation):
    idea = with_status(IdeaFactory(), Status.IN_REVIEW)
    floke = FlokeFactory()

    fire(idea, "accept", innovation, floke=floke)

    assert Idea.objects.get(pk=idea.pk).floke == floke


@pytest.mark.django_db
@pytest.mark.parametrize("description", ["", "   \n "])
def test_decline_needs_a_public_answer(innovation, description):
    idea = with_status(IdeaFactory(), Status.IN_REVIEW)

    with pytest.raises(services.IdeaActionError) as refused:
        fire(idea, "decline", innovation, description=description)

    assert refused.value.message == "Write a public answer that says why."
    idea.refresh_from_db()
    assert (idea.status, idea.closed_at) == (Status.IN_REVIEW, None)
    assert not state_logs(idea).exists()


@pytest.mark.django_db
def test_decline_closes_and_reopen_opens_again(innovation):
    idea = with_status(IdeaFactory(), Status.IN_REVIEW)

    declined = fire(idea, "decline", innovation, description="Ligger utenfor kommunens ansvar.")
    assert declined.closed_at is not None

    reopened = fire(declined, "reopen", innovation, description="")
    assert (reopened.status, reopened.closed_at) == (Status.IN_REVIEW, None)
    assert list(state_logs(idea).order_by("pk").values_list("state", flat=True)) == [
        Status.DECLINED,
        Status.IN_REVIEW,
    ]


@pytest.mark.django_db
def test_merge_points_to_the_other_idea(innovation):
    idea, target = IdeaFactory(), IdeaFactory()

    merged = fire(idea, "merge", innovation, into=target)

    assert (merged.status, merged.merged_into) == (Status.MERGED, target)
    assert merged.closed_at is not None


@pytest.mark.django_db
def test_merge_into_itself_is_refused(innovation):
    idea = IdeaFactory()

    with pytest.raises(services.IdeaActionError) as refused:
        fire(idea, "merge", innovation, into=idea)

    assert refused.value.message == "Choose another idea to merge this one into."
    assert Idea.objects.get(pk=idea.pk).status == Status.RECEIVED
    assert not state_logs(idea).exists()


@pytest.mark.django_db
def test_merge_without_a_target_is_refused(innovation):
    idea = IdeaFactory()

    with pytest.raises(services.IdeaActionError) as refused:
        services.idea_transition(idea=idea, name="merge", by=innovation, into=None)

    assert refused.value.message == "Choose another idea to merge this one into."


@pytest.mark.django_db
@pytest.mark.parametrize("target_status", [Status.MERGED, Status.WITHDRAWN])
def test_merge_into_a_merged_or_withdrawn_idea_is_refused(innovation, target_status):
    idea = IdeaFactory()
    target = with_status(IdeaFactory(reference="IDE-2026-0900"), target_status)

    with pytest.raises(services.IdeaActionError) as refused:
        fire(idea, "merge", innovation, into=target)

    assert refused.value.message == (
        "IDE-2026-0900 is merged or withdrawn and cannot take in other ideas."
    )
    assert Idea.objects.get(pk=idea.pk).merged_into is None
    assert not state_logs(idea).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.RECEIVED, Status.IN_REVIEW])
def test_the_sender_withdraws_an_open_idea(status):
    idea = with_status(IdeaFactory(published=True), status)

    withdrawn = services.idea_withdraw(idea=idea, description="Ikke aktuelt lenger")

    assert (withdrawn.status, withdrawn.is_published) == (Status.WITHDRAWN, False)
    log = state_logs(idea).get()
    assert (log.by, log.source_state, log.state, log.transition) == (
        None,
        status,
        Status.WITHDRAWN,
        "withdraw",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [Status.ACCEPTED, Status.DECLINED, Status.MERGED, Status.WITHDRAWN]
)
def test_a_closed_idea_cannot_be_withdrawn(status):
    idea = with_status(IdeaFactory(), status)

    with pytest.raises(services.IdeaActionError) as refused:
        services.idea_withdraw(idea=idea)

    assert refused.value.message == "This idea can no longer be withdrawn."
    assert Idea.objects.get(pk=idea.pk).status == status
    assert not state_logs(idea).exists()


@pytest.mark.django_db
def test_staff_cannot_withdraw_for_the_sender(innovation):
    idea = IdeaFactory()

    with pytest.raises(services.IdeaActionError):
        services.idea_transition(idea=idea, name="withdraw", by=innovation)

    assert Idea.objects.get(pk=idea.pk).status == Status.RECEIVED


@pytest.mark.django_db
def test_a_stale_page_gives_a_conflict_and_no_log_row(innovation):
    idea = IdeaFactory()
    fire(Idea.objects.get(pk=idea.pk), "start_review", innovation)

    # The user's page still said "received".
    with pytest.raises(services.Conflict) as conflict:
        fire(idea, "merge", innovation, expected_status=Status.RECEIVED)

    assert "Someone else changed this idea" in conflict.value.message
    assert "Reload" in conflict.value.message
    assert Idea.objects.get(pk=idea.pk).status == Status.IN_REVIEW
    assert state_logs(idea).count() == 1


@pytest.mark.django_db
def test_status_mail_goes_out_after_commit(
    innovation, mailoutbox, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(may_contact=True, email="ola@example.org")

    with django_capture_on_commit_callbacks() as callbacks:
        fire(idea, "start_review", innovation, description="Vi ser på den nå.")
        assert mailoutbox == []

    assert mailoutbox == []
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ola@example.org"]
    assert idea.reference in message.subject
    assert "Vi ser på den nå." in message.body
    # The sender learns what changed, never who on the staff did it.
    assert innovation.username not in message.body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("may_contact", "email"), [(False, "ola@example.org"), (True, ""), (False, "")]
)
def test_no_status_mail_unless_the_sender_allowed_contact(
    innovation, mailoutbox, django_capture_on_commit_callbacks, may_contact, email
):
    idea = IdeaFactory(may_contact=may_contact, email=email)

    with django_capture_on_commit_callbacks(execute=True):
        fire(idea, "start_review", innovation)

    assert Idea.objects.get(pk=idea.pk).status == Status.IN_REVIEW
    assert mailoutbox == []


@pytest.mark.django_db
def test_no_mail_when_the_transition_is_refused(
    innovation, mailoutbox, django_capture_on_commit_callbacks
):
    idea = with_status(IdeaFactory(), Status.IN_REVIEW)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(services.IdeaActionError),
    ):
        fire(idea, "decline", innovation, description="")

    assert callbacks == []
    assert mailoutbox == []


# Two staff members on the same idea at the same moment.


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_one_wins_one_gets_a_conflict(innovation, administrator):
    idea = IdeaFactory()
    target = IdeaFactory()  # the merge target

    def act(name, user):
        return lambda: services.idea_transition(
            idea=Idea.objects.get(pk=idea.pk),
            name=name,
            by=user,
            expected_status=Status.RECEIVED,
            into=target if name == "merge" else None,
        )

    results, errors, written = run_at_once(
        act("start_review", innovation),
        act("merge", administrator),
        hold_save_of=Idea,
        state_field="status",
    )

    # Both had moved the idea on in memory and raced to write: a real lost-update risk.
    assert sorted(written) == [Status.IN_REVIEW, Status.MERGED]
    winners = [value for value in results if isinstance(value, Idea)]
    losers = [error for error in errors if isinstance(error, services.Conflict)]
    assert (len(winners), len(losers)) == (1, 1), (results, errors)
    assert "Someone else changed this idea" in losers[0].message
    assert Idea.objects.get(pk=idea.pk).status == winners[0].status
    assert state_logs(idea).count() == 1
    assert (
        ModelLogEntry.objects.for_instance(idea).filter(action="ideabank.transition").count() == 1
    )


@pytest.mark.django_db
def test_emails_are_written_in_the_language_the_sender_used(
    innovation, mailoutbox, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(language="nn")
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_transition(idea=idea, name="start_review", by=innovation, description="Ok")
    assert mailoutbox[0].subject == f"Nytt om idéen din {idea.reference}"
    assert "under vurdering" in mailoutbox[0].body
