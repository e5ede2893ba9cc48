"""Background work: retried until it succeeds, kept in the database for a worker, and
failures for good shown to administrators."""

import datetime
import sys

from django.core.management import call_command
from django.tasks import TaskResultStatus, task
from django.utils import timezone

import pytest
from django_tasks_db.models import DBTaskResult

from ops import services
from ops.retries import retried
from tests.admin import login, outcome
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
attempts: list[str] = []


@task
@retried(attempts=3)
def flaky(name: str, failures: int) -> str:
    attempts.append(name)
    if len(attempts) <= failures:
        raise ConnectionError("mail server down")
    return name


@task
@retried(attempts=2)
def sent_to(address: str) -> None:
    raise ConnectionError(f"recipient refused: {address}")


@pytest.fixture(autouse=True)
def _worker_keeps_the_test_connection(monkeypatch):
    # Between tasks the worker closes connections that are not in autocommit mode; a
    # test's transaction is such a connection, and PostgreSQL would lose it.
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@pytest.fixture(autouse=True)
def _fresh_attempts():
    attempts.clear()
    # The worker imports tasks by path: this module must be importable under its name.
    assert sys.modules[flaky.func.__module__]


def test_without_a_queue_that_can_wait_a_failure_is_not_tried_again_in_the_request():
    with pytest.raises(ConnectionError):
        flaky.call("receipt", failures=2)
    assert attempts == ["receipt"]


def test_a_failed_task_is_tried_again_until_it_succeeds(settings):
    settings.TASKS = DATABASE_QUEUE
    flaky.enqueue("receipt", failures=2)
    for _attempt in range(3):
        DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
        call_command("worker", batch=True, verbosity=0)

    assert attempts == ["receipt", "receipt", "receipt"]
    last = DBTaskResult.objects.order_by("enqueued_at").last()
    assert last.status == TaskResultStatus.SUCCESSFUL
    assert last.args_kwargs["kwargs"]["attempt"] == 3


def test_a_retried_failure_stores_the_kind_of_error_not_its_text(settings):
    settings.TASKS = DATABASE_QUEUE
    sent_to.enqueue("kari@example.org")
    call_command("worker", batch=True, verbosity=0)

    first = DBTaskResult.objects.order_by("enqueued_at").first()
    assert first.exception_class_path == "ops.retries.WillRetry"
    assert "ConnectionError" in first.traceback
    assert "kari@example.org" not in first.traceback


def test_a_task_gives_up_after_its_last_attempt_with_the_real_error():
    with pytest.raises(ConnectionError):
        flaky.call("receipt", failures=3, attempt=3)
    assert attempts == ["receipt"]


def test_with_the_database_queue_a_retry_waits_and_carries_its_attempt_number(settings):
    settings.TASKS = DATABASE_QUEUE
    flaky.enqueue("receipt", failures=1)
    before = timezone.now()

    call_command("worker", batch=True, verbosity=0)

    first, retry = DBTaskResult.objects.order_by("enqueued_at")
    assert first.status == TaskResultStatus.FAILED
    assert first.exception_class_path == "ops.retries.WillRetry"
    assert retry.status == TaskResultStatus.READY
    assert retry.args_kwargs["kwargs"] == {"failures": 1, "attempt": 2}
    assert retry.run_after >= before + datetime.timedelta(minutes=1)

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    call_command("worker", batch=True, verbosity=0)
    retry.refresh_from_db()
    assert retry.status == TaskResultStatus.SUCCESSFUL
    assert retry.return_value == "receipt"


def test_a_worker_puts_back_what_its_previous_life_left_running(settings):
    settings.TASKS = DATABASE_QUEUE
    left = flaky.enqueue("receipt", failures=0)
    other = flaky.enqueue("answer", failures=0)
    DBTaskResult.objects.filter(pk=left.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=["web1-0"]
    )
    DBTaskResult.objects.filter(pk=other.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=["web2-0"]
    )

    assert services.tasks_requeue_abandoned(worker_id="web1-0") == 1

    statuses = {str(pk): status for pk, status in DBTaskResult.objects.values_list("pk", "status")}
    assert statuses[left.id] == TaskResultStatus.READY
    # Another host's worker may still be running its task.
    assert statuses[other.id] == TaskResultStatus.RUNNING


def test_a_worker_killed_mid_task_runs_it_again_after_restart(settings, monkeypatch):
    settings.TASKS = DATABASE_QUEUE
    monkeypatch.setenv("WORKER_ID", "web1")
    result = flaky.enqueue("receipt", failures=0)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=["web1-0"]
    )

    call_command("worker", batch=True, verbosity=0)

    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL
    assert attempts == ["receipt"]


def failed_for_good(settings):
    settings.TASKS = DATABASE_QUEUE
    flaky.using().enqueue("receipt", failures=9, attempt=3)
    call_command("worker", batch=True, verbosity=0)


@pytest.mark.parametrize("role", ROLES)
def test_only_administrators_see_failed_background_work(role, client, settings, request):
    failed_for_good(settings)
    user = None if role == "anonymous" else request.getfixturevalue(role)
    response = login(client, user).get("/admin/bakgrunnsjobber/")
    # Employees have no admin access at all, so Wagtail sends them to its login.
    expected = {"anonymous": "login", "employee": "login", "administrator": "ok"}
    assert outcome(response) == expected.get(role, "denied")


def test_the_report_lists_failures_for_good_not_attempts_that_were_retried(
    client, settings, administrator
):
    failed_for_good(settings)
    flaky.enqueue("answer", failures=99)
    call_command("worker", batch=True, verbosity=0)

    response = login(client, administrator).get("/admin/bakgrunnsjobber/")

    html = response.content.decode()
    assert "builtins.ConnectionError" in html
    assert "&#x27;receipt&#x27;" in html
    assert "&#x27;answer&#x27;" not in html
    assert DBTaskResult.objects.filter(exception_class_path="ops.retries.WillRetry").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_cannot_run_with_one_id():
    from django.core.management.base import CommandError

    first = services.worker_id_lock("web1-0")
    try:
        with pytest.raises(CommandError, match="already running"):
            services.worker_id_lock("web1-0")
        other = services.worker_id_lock("web1-1")
        other.close()
    finally:
        first.close()
    # Once the first process is gone, its id is free again.
    services.worker_id_lock("web1-0").close()
