"""Double clicks and simultaneous senders on a real PostgreSQL server."""

import threading
import uuid

from django.db import connection

import pytest

from ideabank import services
from ideabank.models import Idea

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


def run_at_once(count, act):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker(n):
        try:
            barrier.wait(timeout=10)
            results.append(act(n))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


def test_the_same_form_sent_twice_at_once_stores_one_idea():
    key = uuid.uuid4()
    results, errors = run_at_once(
        2,
        lambda n: services.idea_submit(
            submission=submission(), service_areas=[], photos=[], submission_key=key
        ),
    )
    assert errors == []
    assert Idea.objects.count() == 1
    assert {idea.pk for idea, _created in results} == {Idea.objects.get().pk}
    assert sorted(created for _idea, created in results) == [False, True]


def test_simultaneous_senders_get_unique_consecutive_references():
    _results, errors = run_at_once(
        8,
        lambda n: services.idea_submit(
            submission=submission(f"Idé {n}"),
            service_areas=[],
            photos=[],
            submission_key=uuid.uuid4(),
        ),
    )
    assert errors == []
    numbers = sorted(
        int(ref.rsplit("-", 1)[1]) for ref in Idea.objects.values_list("reference", flat=True)
    )
    assert numbers == list(range(1, 9))
