from django.db import transaction

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
