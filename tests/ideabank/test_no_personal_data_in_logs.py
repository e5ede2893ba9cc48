"""The application's logs never name a sender: not when they send, are told, or are erased."""

import logging
from datetime import timedelta

from django.core.cache import caches
from django.core.management import call_command
from django.utils import timezone

import pytest

from ideabank import services
from ideabank.choices import Status
from ideabank.models import Idea
from tests.admin import login
from tests.factories import IdeaFactory

from .privacy_setup import add_photo, closed
from .test_submit import form_data

pytestmark = pytest.mark.django_db

NAME, EMAIL, PHONE = "Sigrun Hemmelig", "sigrun.hemmelig@example.org", "934 56 789"
SENDER = {"name": NAME, "email": EMAIL, "phone": PHONE}


@pytest.fixture(autouse=True)
def _fresh_counters():
    """These tests send ideas: leave no rate-limit counts behind for the tests after them."""
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def logs(caplog):
    """Every record at every level, also from Django's loggers, which do not propagate."""
    django_logger = logging.getLogger("django")
    django_logger.addHandler(caplog.handler)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    yield caplog
    django_logger.removeHandler(caplog.handler)


def written(caplog) -> str:
    parts = []
    for record in caplog.records:
        parts += [record.getMessage(), repr(record.args), record.exc_text or ""]
    return "\n".join(parts).lower()


def assert_no_sender_in(caplog):
    text = written(caplog)
    for value in (NAME, EMAIL, PHONE, PHONE.replace(" ", ""), "hemmelig"):
        assert value.lower() not in text


def test_sending_and_being_told_leaves_no_trace_of_the_sender_in_the_logs(
    client, site_tree, innovation, mailoutbox, django_capture_on_commit_callbacks, logs
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/idebank/send-inn/", form_data(**SENDER, title=""))  # refused first
        client.post("/idebank/send-inn/", form_data(**SENDER))
    idea = Idea.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_transition(idea=idea, name="start_review", by=innovation, description="Ja")
        services.idea_answer(idea=idea, text="Vi ser på det.", by=innovation)
        services.idea_transition(idea=idea, name="decline", by=innovation, description="Nei")

    assert len(mailoutbox) == 4  # receipt, two status changes and the answer went out
    assert "bad request: /idebank/send-inn/" in written(logs)  # Django's loggers are heard
    assert_no_sender_in(logs)


def test_erasure_by_the_sender_and_by_an_administrator_leaves_no_trace(
    client, site_tree, administrator, django_capture_on_commit_callbacks, logs
):
    own = IdeaFactory(**SENDER)
    requested = IdeaFactory(**SENDER)
    add_photo(requested)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/idebank/status/{own.token}/slett-kontaktinfo/")
        login(client, administrator)
        client.post("/admin/personal-data/", {"contact": EMAIL, "action": "find"})
        client.post("/admin/personal-data/", {"contact": EMAIL, "action": "export"})
        client.post(
            "/admin/personal-data/",
            {"contact": EMAIL, "action": "erase", "ideas": str(requested.pk)},
        )
        client.post("/admin/personal-data/", {"contact": PHONE, "action": "find"})

    assert Idea.objects.filter(email=EMAIL).count() == 0
    assert_no_sender_in(logs)


def test_retention_logs_counts_only(django_capture_on_commit_callbacks, logs):
    old = closed(IdeaFactory(**SENDER), Status.WITHDRAWN, timezone.now() - timedelta(days=800))
    add_photo(old)
    spam = closed(IdeaFactory(**SENDER), Status.DECLINED, timezone.now() - timedelta(days=90))
    Idea.objects.filter(pk=spam.pk).update(marked_spam_at=timezone.now() - timedelta(days=90))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention")

    assert "retention: 1 idea(s) anonymised, 1 spam idea(s) deleted" in written(logs)
    assert_no_sender_in(logs)
