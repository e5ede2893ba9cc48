"""Queueing background work together with the change that asks for it."""

from functools import partial

from django.db import connection, transaction
from django.tasks import task_backends

from django_tasks_db import DatabaseBackend


def enqueue(task, *args, **kwargs) -> None:
    """Queue `task` for when the current transaction has committed.

    With the database queue the task row is written inside the transaction, so the
    change and its e-mail are stored together or not at all: a crash just after the
    commit cannot lose a receipt. Other backends act at once (the immediate one sends
    the e-mail there and then), so they wait for the commit.
    """
    if isinstance(task_backends[task.backend], DatabaseBackend) and connection.in_atomic_block:
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(partial(task.enqueue, *args, **kwargs))
