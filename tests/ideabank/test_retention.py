"""Retention: what identifies a sender is erased once nobody needs to reach them, and spam
is deleted once staff have had time to undo the mark."""

from datetime import timedelta
from io import StringIO

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest
from django_fsm_log.models import StateLog

from blt.choices import Phase
from ideabank import services, tasks
from ideabank.choices import FINISHED_FLOKE_PHASES, Status
from ideabank.models import Answer, Idea, IdeaPhoto
from ideabank.selectors import months_before
from tests.factories import AnswerFactory, IdeaFactory, UserFactory

from .privacy_setup import add_photo, closed, in_floke

pytestmark = pytest.mark.django_db

BODY = "Det er vanskelig å finne fram til inngangen for foreldre som henter barn."


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.IDEABANK_RETENTION_MONTHS = 12
    settings.IDEABANK_SPAM_RETENTION_DAYS = 30


def ago(**kwargs):
    return timezone.now() - timedelta(**kwargs)


def long_ago():
    """A little more than the twelve months of retention."""
    return months_before(timezone.now(), 12) - timedelta(days=1)


def not_long_ago():
    return months_before(timezone.now(), 12) + timedelta(days=1)


def contact(idea):
    idea.refresh_from_db()
    return (idea.name, idea.email, idea.phone, idea.may_contact, idea.submitted_by)


ERASED = ("", "", "", False, None)
KEPT = ("Ola Innsender", "ola@example.org", "912 34 567", True, None)


def run_retention(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return tasks.apply_retention.call()


# Which ideas


@pytest.mark.parametrize("status", [Status.DECLINED, Status.MERGED, Status.WITHDRAWN])
def test_ideas_closed_longer_ago_than_the_retention_period_lose_contact_and_photos(
    status, django_capture_on_commit_callbacks
):
    idea = closed(IdeaFactory(body=BODY), status, long_ago())
    photo = add_photo(idea)
    storage, name = photo.image.storage, photo.image.name

    done = run_retention(django_capture_on_commit_callbacks)

    assert done == {"erased": 1, "spam_deleted": 0}
    assert contact(idea) == ERASED
    assert idea.contact_erased_at is not None
    assert (idea.title, idea.body, idea.status) == (idea.title, BODY, status)
    assert not IdeaPhoto.objects.filter(idea=idea).exists()
    assert not storage.exists(name)


@pytest.mark.parametrize("phase", [Phase.IMPLEMENTED, Phase.STOPPED])
def test_accepted_ideas_lose_contact_once_their_floke_finished_long_ago(
    phase, django_capture_on_commit_callbacks
):
    idea = in_floke(IdeaFactory(), phase, long_ago())

    run_retention(django_capture_on_commit_callbacks)

    assert contact(idea) == ERASED


def test_what_still_needs_the_sender_is_left_alone(django_capture_on_commit_callbacks):
    kept = [
        closed(IdeaFactory(), Status.DECLINED, not_long_ago()),
        closed(IdeaFactory(), Status.WITHDRAWN, ago(days=1)),
        # Open ideas are kept however old they are.
        IdeaFactory(created_at=ago(days=3 * 365)),
        IdeaFactory(created_at=ago(days=3 * 365), status=Status.IN_REVIEW),
        # The floke still tells its senders about the work.
        in_floke(IdeaFactory(), Phase.TESTING, long_ago()),
        in_floke(IdeaFactory(), Phase.IMPLEMENTED, not_long_ago()),
        # Accepted outside the pipeline: nothing says the work is over.
        IdeaFactory(status=Status.ACCEPTED, created_at=ago(days=3 * 365)),
    ]
    for idea in kept:
        add_photo(idea)

    assert run_retention(django_capture_on_commit_callbacks)["erased"] == 0

    for idea in kept:
        assert contact(idea) == KEPT
        assert idea.contact_erased_at is None
        assert idea.photos.count() == 1


def test_the_retention_period_is_a_setting(settings, django_capture_on_commit_callbacks):
    settings.IDEABANK_RETENTION_MONTHS = 3
    old = closed(IdeaFactory(), Status.DECLINED, ago(days=100))
    new = closed(IdeaFactory(), Status.DECLINED, ago(days=80))

    run_retention(django_capture_on_commit_callbacks)

    assert contact(old) == ERASED
    assert contact(new) == KEPT


def test_an_employees_idea_loses_the_link_to_their_account(
    employee, django_capture_on_commit_callbacks
):
    idea = closed(IdeaFactory(submitted_by=employee), Status.DECLINED, long_ago())

    run_retention(django_capture_on_commit_callbacks)

    assert contact(idea) == ERASED
    employee.refresh_from_db()  # the account itself is the municipality's, not the idea's


def test_answers_and_the_status_history_stay(django_capture_on_commit_callbacks):
    idea = closed(IdeaFactory(), Status.DECLINED, long_ago())
    AnswerFactory(idea=idea, text="Takk, men vi gjør ikke dette nå.")

    run_retention(django_capture_on_commit_callbacks)

    assert list(Answer.objects.filter(idea=idea).values_list("text", flat=True)) == [
        "Takk, men vi gjør ikke dette nå."
    ]


def test_months_are_calendar_months_and_the_end_of_a_month_is_kept():
    moment = timezone.now().replace(year=2026, month=3, day=31)
    assert months_before(moment, 1).date().isoformat() == "2026-02-28"
    assert months_before(moment, 12).date().isoformat() == "2025-03-31"
    assert months_before(moment, 15).date().isoformat() == "2024-12-31"


def test_the_finished_phases_are_the_ones_blt_stores():
    # The idea bank names blt's stored slugs without importing blt.
    assert set(FINISHED_FLOKE_PHASES) == {Phase.IMPLEMENTED.value, Phase.STOPPED.value}


# Safe to run again, and cheap


def test_running_it_again_changes_nothing(django_capture_on_commit_callbacks):
    idea = closed(IdeaFactory(), Status.DECLINED, long_ago())
    run_retention(django_capture_on_commit_callbacks)
    idea.refresh_from_db()
    first_erased_at = idea.contact_erased_at

    assert run_retention(django_capture_on_commit_callbacks) == {"erased": 0, "spam_deleted": 0}

    idea.refresh_from_db()
    assert idea.contact_erased_at == first_erased_at
    assert ModelLogEntry.objects.filter(action="ideabank.erase_contact").count() == 1


def test_photos_left_after_the_senders_own_erasure_go_and_the_first_time_is_kept(
    django_capture_on_commit_callbacks,
):
    idea = closed(IdeaFactory(), Status.WITHDRAWN, long_ago())
    add_photo(idea)
    services.idea_erase_contact(idea=idea)
    erased_at = idea.contact_erased_at

    assert run_retention(django_capture_on_commit_callbacks)["erased"] == 1

    idea.refresh_from_db()
    assert idea.contact_erased_at == erased_at
    assert idea.photos.count() == 0


def queries_for_retention(count: int, *, batch_size: int, photos: bool = True) -> int:
    for _ in range(count):
        idea = closed(IdeaFactory(), Status.DECLINED, long_ago())
        if photos:
            add_photo(idea)
    with CaptureQueriesContext(connection) as queries:
        done = services.ideas_apply_retention(batch_size=batch_size)
    assert done["erased"] == count
    Idea.objects.all().delete()
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_number_of_ideas():
    assert queries_for_retention(3, batch_size=50) == queries_for_retention(30, batch_size=50)


def test_work_goes_in_batches_of_a_fixed_number_of_queries():
    one_batch = queries_for_retention(10, batch_size=10)
    three_batches = queries_for_retention(30, batch_size=10)
    per_batch = (three_batches - one_batch) // 2

    assert three_batches == one_batch + 2 * per_batch
    assert per_batch <= 12


# The audit log


def test_each_erasure_is_in_the_audit_log_without_the_contact_details(
    django_capture_on_commit_callbacks,
):
    ideas = [closed(IdeaFactory(), Status.DECLINED, long_ago()) for _ in range(2)]

    run_retention(django_capture_on_commit_callbacks)

    entries = ModelLogEntry.objects.filter(action="ideabank.erase_contact").order_by("object_id")
    assert [entry.object_id for entry in entries] == [str(idea.pk) for idea in ideas]
    for entry in entries:
        assert entry.user is None
        assert entry.data == {"reason": "retention", "photos_removed": False}
        for value in KEPT[:3]:
            assert value not in f"{entry.label} {entry.data}"
    assert len({entry.uuid for entry in entries}) == 1  # one act


# Spam


def spam(marked_at, **kwargs) -> Idea:
    idea = closed(IdeaFactory(**kwargs), Status.DECLINED, marked_at)
    Idea.objects.filter(pk=idea.pk).update(marked_spam_at=marked_at)
    return Idea.objects.get(pk=idea.pk)


def test_spam_is_deleted_with_its_photos_and_history_after_the_grace_period(
    django_capture_on_commit_callbacks, innovation
):
    idea = spam(ago(days=31))
    photo = add_photo(idea)
    AnswerFactory(idea=idea)
    StateLog.objects.create(
        content_type=ContentType.objects.get_for_model(Idea),
        object_id=idea.pk,
        state=Status.DECLINED,
        source_state=Status.IN_REVIEW,
        transition="decline",
        by=innovation,
        description="Søppel",
    )
    storage, name = photo.image.storage, photo.image.name

    done = run_retention(django_capture_on_commit_callbacks)

    assert done["spam_deleted"] == 1
    assert not Idea.objects.filter(pk=idea.pk).exists()
    assert not IdeaPhoto.objects.exists()
    assert not Answer.objects.exists()
    assert not StateLog.objects.filter(object_id=idea.pk).exists()
    assert not storage.exists(name)
    entry = ModelLogEntry.objects.get(action="ideabank.delete_spam")
    assert (entry.object_id, entry.label, entry.deleted) == (str(idea.pk), idea.reference, True)


def test_new_spam_and_declined_ideas_that_are_not_spam_are_kept(
    django_capture_on_commit_callbacks,
):
    new_spam = spam(ago(days=29))
    declined = closed(IdeaFactory(), Status.DECLINED, ago(days=60))

    assert run_retention(django_capture_on_commit_callbacks)["spam_deleted"] == 0

    assert Idea.objects.filter(pk__in=[new_spam.pk, declined.pk]).count() == 2


def test_the_grace_period_is_a_setting(settings, django_capture_on_commit_callbacks):
    settings.IDEABANK_SPAM_RETENTION_DAYS = 7
    old, new = spam(ago(days=8)), spam(ago(days=6))

    run_retention(django_capture_on_commit_callbacks)

    assert list(Idea.objects.values_list("pk", flat=True)) == [new.pk]
    assert not Idea.objects.filter(pk=old.pk).exists()


def test_an_idea_merged_into_deleted_spam_is_kept(django_capture_on_commit_callbacks):
    target = spam(ago(days=31))
    merged = closed(IdeaFactory(merged_into=target), Status.MERGED, ago(days=40))

    run_retention(django_capture_on_commit_callbacks)

    merged.refresh_from_db()
    assert merged.merged_into is None


def queries_for_spam(count: int) -> int:
    for _ in range(count):
        add_photo(spam(ago(days=40)))
    with CaptureQueriesContext(connection) as queries:
        assert services.ideas_apply_retention(batch_size=100)["spam_deleted"] == count
    return len(queries)


def test_deleting_spam_costs_at_most_one_query_per_idea_more():
    # Wagtail's search index removes each deleted object on its own; the rest is per batch.
    few, many = queries_for_spam(2), queries_for_spam(12)
    assert many - few <= 10


# The command


def test_dry_run_counts_and_changes_nothing():
    idea = closed(IdeaFactory(), Status.DECLINED, long_ago())
    spam(ago(days=31))
    out = StringIO()

    call_command("apply_retention", "--dry-run", stdout=out)

    assert "Would delete 1 spam idea(s) and anonymise 1 idea(s)." in out.getvalue()
    assert contact(idea) == KEPT
    assert Idea.objects.count() == 2


def test_the_command_runs_the_task_and_says_what_it_did(django_capture_on_commit_callbacks):
    closed(IdeaFactory(), Status.DECLINED, long_ago())
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", stdout=out)
        call_command("apply_retention", stdout=out)

    assert out.getvalue().splitlines() == [
        "Deleted 0 spam idea(s) and anonymised 1 idea(s).",
        "Deleted 0 spam idea(s) and anonymised 0 idea(s).",
    ]


def test_the_task_can_be_queued_without_arguments():
    closed(IdeaFactory(), Status.DECLINED, long_ago())
    out = StringIO()

    call_command("apply_retention", "--enqueue", stdout=out)

    assert out.getvalue().startswith("Queued ")
    assert Idea.objects.get().contact_erased_at is not None  # the immediate backend ran it


def test_other_senders_are_untouched_by_a_batch(django_capture_on_commit_callbacks):
    other = UserFactory()
    old = closed(IdeaFactory(submitted_by=other), Status.DECLINED, long_ago())
    keep = IdeaFactory(submitted_by=other)

    run_retention(django_capture_on_commit_callbacks)

    assert contact(old) == ERASED
    keep.refresh_from_db()
    assert keep.submitted_by == other
