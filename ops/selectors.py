from django.tasks import TaskResultStatus

from django_tasks_db.models import DBTaskResult

from .retries import WillRetry

RETRYING = f"{WillRetry.__module__}.{WillRetry.__qualname__}"


def failed_tasks():
    """Tasks that failed for good: a failed attempt that queued another is not one."""
    return (
        DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
        .exclude(exception_class_path=RETRYING)
        .order_by("-finished_at")
    )
