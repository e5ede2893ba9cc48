"""Senders of linked ideas told about phase changes, and reminders about waiting work."""

from datetime import timedelta

from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone, translation

import pytest

from blt import notifications, services, tasks
from blt.choices import Phase
from blt.models import FlokeStep, ReminderSent
from ideabank.models import Idea
from pagecache import generation
from tests.factories import AnswerFactory, FlokeFactory, IdeaFactory, UserFactory, with_phase

pytestmark = pytest.mark.django_db

INTERNAL = "Intern: Kari mener budsjettet ikke holder."
PUBLIC = "Vi vil forstå behovet bedre før vi prøver noe nytt."


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def link(floke, **fields):
    idea = IdeaFactory(**fields)
    Idea.objects.filter(pk=idea.pk).update(floke=floke)
    return idea


@pytest.fixture
def floke(innovation):
    return with_phase(FlokeFactory(owner=innovation), Phase.LOSNING)


def step_back(floke, by, public_reason=PUBLIC):
    return services.floke_transition(
        floke=floke, name="step_back", by=by, description=INTERNAL, public_reason=public_reason
    )


def test_every_consenting_sender_of_many_ideas_is_emailed_exactly_once(
    floke, innovation, mailoutbox, django_capture_on_commit_callbacks
):
    kari = [link(floke, email="kari@example.org", language="nb") for _ in range(3)]
    link(floke, email="KARI@example.org ")  # the same person, another spelling
    ola = link(floke, email="ola@example.org", language="en")
    link(floke, email="nei@example.org", may_contact=False)
    link(floke, email="")
    IdeaFactory(email="other-floke@example.org")  # not linked

    with django_capture_on_commit_callbacks(execute=True):
        step_back(floke, innovation)

    assert sorted(mail.to[0].lower() for mail in mailoutbox) == [
        "kari@example.org",
        "ola@example.org",
    ]
    by_address = {mail.to[0].lower(): mail for mail in mailoutbox}
    for mail in mailoutbox:
        assert PUBLIC in mail.body
        assert INTERNAL not in mail.body
        assert innovation.username not in mail.body
    # Each sender's own private links, in their idea's language.
    assert all(
        f"/idebank/status/{idea.token}/" in by_address["kari@example.org"].body for idea in kari
    )
    assert f"/idebank/status/{ola.token}/" not in by_address["kari@example.org"].body
    assert f"/idebank/status/{ola.token}/" in by_address["ola@example.org"].body
    assert "has moved to a new phase: need." in by_address["ola@example.org"].body
    with translation.override("nb"):
        assert f": {Phase.BEHOV.label}." in by_address["kari@example.org"].body

    # A retried task sends nothing more.
    step = FlokeStep.objects.get(floke=floke)
    assert step.notified_at is not None
    assert tasks.send_phase_change.call(step.pk) == 0
    assert len(mailoutbox) == 2


def test_nothing_is_sent_before_commit(
    floke, innovation, mailoutbox, django_capture_on_commit_callbacks
):
    link(floke)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        step_back(floke, innovation)
    assert mailoutbox == []
    # The page cache also waits for the commit (pagecache.generation).
    sends = [callback for callback in callbacks if callback is not generation.bump]
    assert len(sends) == 1
    # The step's task queues one task per address, after its own commit.
    with django_capture_on_commit_callbacks(execute=True):
        sends[0]()
    assert len(mailoutbox) == 1


def test_nothing_is_sent_without_a_public_reason(
    floke, innovation, mailoutbox, django_capture_on_commit_callbacks
):
    link(floke)
    with django_capture_on_commit_callbacks(execute=True):
        step_back(floke, innovation, public_reason="   ")
    assert mailoutbox == []
    assert FlokeStep.objects.get(floke=floke).public_reason == ""


def test_nothing_is_sent_when_the_transition_is_refused(
    innovation, mailoutbox, django_capture_on_commit_callbacks
):
    floke = FlokeFactory()  # behov, no need statement, no insight: the gate is closed
    link(floke)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.GateClosed):
        services.floke_transition(
            floke=floke, name="to_losning", by=innovation, public_reason=PUBLIC
        )
    assert mailoutbox == []
    assert not FlokeStep.objects.exists()


def test_nothing_is_sent_when_the_surrounding_transaction_rolls_back(
    floke, innovation, mailoutbox, django_capture_on_commit_callbacks
):
    link(floke)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        step_back(floke, innovation)
        raise RuntimeError("something later in the same request failed")
    assert mailoutbox == []
    assert not FlokeStep.objects.exists()


def test_the_step_is_recorded_for_the_public(floke, innovation):
    moved = step_back(floke, innovation)
    step = FlokeStep.objects.get(floke=floke)
    assert (step.source, step.target, step.public_reason) == (Phase.LOSNING, Phase.BEHOV, PUBLIC)
    assert step.at == moved.phase_changed_at


# Reminders.


def stuck(owner, days, **fields):
    floke = FlokeFactory(owner=owner, **fields)
    FlokeFactory._meta.model.objects.filter(pk=floke.pk).update(
        phase_changed_at=timezone.now() - timedelta(days=days)
    )
    return floke


def unanswered(days, **fields):
    idea = IdeaFactory(**fields)
    Idea.objects.filter(pk=idea.pk).update(created_at=timezone.now() - timedelta(days=days))
    return idea


@pytest.fixture
def reminder_settings(settings):
    settings.BLT_STUCK_DAYS = 30
    settings.IDEABANK_ANSWER_REMINDER_DAYS = 14


def test_one_reminder_per_owner_lists_their_stuck_flokes(reminder_settings, mailoutbox):
    anne = UserFactory(email="anne@example.org")
    per = UserFactory(email="per@example.org")
    old = stuck(anne, 45, title="Gammel floke")
    older = stuck(anne, 60, title="Eldre floke")
    stuck(anne, 10, title="Fersk floke")
    done = stuck(anne, 90, title="Ferdig floke")
    with_phase(done, Phase.IMPLEMENTED)
    stuck(per, 31, title="Pers floke")
    stuck(None, 99, title="Uten eier")

    sent = tasks.send_reminders.call()

    assert sent == {"stuck": 2, "unanswered": 0}
    mails = {mail.to[0]: mail.body for mail in mailoutbox}
    assert set(mails) == {"anne@example.org", "per@example.org"}
    assert mails["anne@example.org"].index(older.title) < mails["anne@example.org"].index(old.title)
    assert "Fersk floke" not in mails["anne@example.org"]
    assert "Ferdig floke" not in mails["anne@example.org"]
    assert "Pers floke" in mails["per@example.org"]


def test_innovation_staff_are_reminded_of_unanswered_ideas(
    reminder_settings, mailoutbox, innovation, employee
):
    innovation.email = "innovasjon@example.org"
    innovation.save()
    waiting = unanswered(20, title="Ingen har svart")
    answered = unanswered(20, title="Besvart idé")
    AnswerFactory(idea=answered)
    unanswered(5, title="Ny idé")

    sent = tasks.send_reminders.call()

    assert sent == {"stuck": 0, "unanswered": 1}
    assert [mail.to for mail in mailoutbox] == [["innovasjon@example.org"]]
    assert waiting.reference in mailoutbox[0].body
    assert "Besvart idé" not in mailoutbox[0].body
    assert "Ny idé" not in mailoutbox[0].body


def test_reminders_are_sent_once_a_day(reminder_settings, mailoutbox, innovation):
    innovation.email = "innovasjon@example.org"
    innovation.save()
    stuck(innovation, 40)
    unanswered(20)

    call_command("send_reminders")
    # Another process, or one restarted: without Redis its cache knows nothing of the first.
    cache.clear()
    call_command("send_reminders")

    assert len(mailoutbox) == 2
    assert tasks.send_reminders.call() == {"stuck": 0, "unanswered": 0}
    assert set(ReminderSent.objects.values_list("kind", "user", "day")) == {
        ("stuck", innovation.pk, timezone.localdate()),
        ("unanswered", innovation.pk, timezone.localdate()),
    }


def test_the_next_day_reminds_again(reminder_settings, mailoutbox, innovation):
    stuck(innovation, 40)
    tasks.send_reminders.call()
    ReminderSent.objects.update(day=timezone.localdate() - timedelta(days=1))

    assert tasks.send_reminders.call() == {"stuck": 1, "unanswered": 0}
    assert len(mailoutbox) == 2


def test_a_reminder_that_failed_to_send_is_sent_by_the_retry(
    reminder_settings, mailoutbox, monkeypatch
):
    anne = UserFactory(email="anne@example.org")
    per = UserFactory(email="per@example.org")
    stuck(anne, 40)
    stuck(per, 40)
    attempts = []
    send = notifications.send_stuck_flokes

    def down_once_for_per(owner, flokes, **kwargs):
        attempts.append(owner.email)
        if owner == per and attempts.count(per.email) == 1:
            raise ConnectionError("mail server down")
        return send(owner, flokes, **kwargs)

    monkeypatch.setattr(notifications, "send_stuck_flokes", down_once_for_per)
    with pytest.raises(ConnectionError):
        tasks.send_reminders.call()
    tasks.send_reminders.call(attempt=2)  # what the queue runs later

    # Anne, already told, is not told again; Per's released claim lets the retry send.
    assert sorted(mail.to[0] for mail in mailoutbox) == ["anne@example.org", "per@example.org"]
    assert attempts.count(per.email) == 2
    assert attempts.count(anne.email) == 1
    assert ReminderSent.objects.filter(kind="stuck").count() == 2
    assert tasks.send_reminders.call() == {"stuck": 0, "unanswered": 0}


def test_a_claim_is_released_when_sending_fails(innovation):
    now = timezone.now()

    with pytest.raises(ConnectionError), tasks._first_today("stuck", innovation.pk, now) as first:
        assert first
        raise ConnectionError("mail server down")

    assert not ReminderSent.objects.exists()
    with tasks._first_today("stuck", innovation.pk, now) as first:
        assert first
    with tasks._first_today("stuck", innovation.pk, now) as first:
        assert not first
    assert ReminderSent.objects.count() == 1
