from django.conf import settings
from django.core.checks import Warning, register
from django.tasks import task_backends

from django_tasks_db import DatabaseBackend


@register(deploy=True)
def background_work_has_a_queue(app_configs, **kwargs):
    """In production e-mail must wait in the queue, not in the sender's web request."""
    if isinstance(task_backends["default"], DatabaseBackend):
        return []
    return [
        Warning(
            "Background work runs inside web requests and is not retried.",
            hint="Set DJANGO_TASKS=database and run `manage.py worker`.",
            id="ops.W001",
        )
    ]


@register(deploy=True)
def several_processes_share_one_cache(app_configs, **kwargs):
    """Rate limits and page invalidation only hold across processes with a shared cache."""
    if settings.REDIS_URL:
        return []
    return [
        Warning(
            "The cache and the rate-limit counters are per process.",
            hint="Set REDIS_URL when more than one app process serves the site.",
            id="ops.W002",
        )
    ]
