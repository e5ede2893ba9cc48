from django.core.management.base import CommandError
from django.db import connections, transaction

from django_tasks_db.models import DBTaskResult, TaskResultStatus


@transaction.atomic
def tasks_requeue_abandoned(*, worker_id: str) -> int:
    """Put tasks last claimed by this worker id back in the queue, to be run again."""
    abandoned = [
        task.pk
        for task in DBTaskResult.objects.running().select_for_update()
        if task.worker_ids and task.worker_ids[-1] == worker_id
    ]
    return DBTaskResult.objects.filter(pk__in=abandoned).update(
        status=TaskResultStatus.READY, started_at=None
    )


def worker_id_lock(worker_id: str):
    """Hold a PostgreSQL lock named after the worker id for as long as the process lives.

    Two workers with one id would put back each other's running tasks and run them
    twice. The lock sits on a connection of its own, which the worker's connection
    housekeeping never closes. On SQLite (one machine, development) there is none.
    """
    if connections["default"].vendor != "postgresql":
        return None
    own = connections.create_connection("default")
    with own.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [f"worker:{worker_id}"])
        (locked,) = cursor.fetchone()
    if not locked:
        own.close()
        raise CommandError(
            f"A worker with the id {worker_id} is already running. "
            "Give this one another WORKER_SLOT or WORKER_ID."
        )
    return own


def database_analyze(using: str = "default") -> None:
    """Give SQLite's query planner statistics about the tables as they are now.

    Without them SQLite joins the full-text table the wrong way round and a search
    takes a quarter of a second at 10,000 ideas instead of a few milliseconds.
    PostgreSQL's autovacuum keeps its own statistics.
    """
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
