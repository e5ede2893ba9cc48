"""Double clicks and simultaneous senders on a real PostgreSQL server."""

import uuid

import pytest

from ideabank import services
from ideabank.models import Idea
from tests.concurrency import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def submission(title="Samtidig idé"):
    return services.Submission(
        title=title,
        body="Sendt to ganger samtidig.",
        concerns="",
        name="",
        email="",
        phone="",
        may_contact=False,
        may_publish=False,
    )


def test_the_same_form_sent_twice_at_once_stores_one_idea():
    key = uuid.uuid4()

    def send():
        return services.idea_submit(
            submission=submission(), service_areas=[], photos=[], submission_key=key
        )

    results, errors, _written = run_at_once(send, send)
    assert errors == [None, None]
    assert Idea.objects.count() == 1
    assert {idea.pk for idea, _created in results} == {Idea.objects.get().pk}
    assert sorted(created for _idea, created in results) == [False, True]


def test_simultaneous_senders_get_unique_consecutive_references():
    def sender(n):
        return lambda: services.idea_submit(
            submission=submission(f"Idé {n}"),
            service_areas=[],
            photos=[],
            submission_key=uuid.uuid4(),
        )

    _results, errors, _written = run_at_once(*[sender(n) for n in range(8)])
    assert errors == [None] * 8
    numbers = sorted(
        int(ref.rsplit("-", 1)[1]) for ref in Idea.objects.values_list("reference", flat=True)
    )
    assert numbers == list(range(1, 9))
