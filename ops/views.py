"""Health endpoints, the failed-work report and the page for a database outage."""

import logging
import sys

from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

from . import selectors

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    """The process is up and answers. Touches nothing else, so it never flaps."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    """The process can do its work: the database answers.

    The cache is reported but does not decide: without Redis the site still serves
    pages (ops.cache), and a proxy that dropped every app server for it would turn a
    cache outage into a full one.
    """
    database = _database_ok()
    return JsonResponse(
        {
            "status": "ok" if database else "unavailable",
            "database": "ok" if database else "unavailable",
            "cache": "ok" if _cache_ok() else "unavailable",
        },
        status=200 if database else 503,
    )


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except (DatabaseError, InterfaceError):
        return False


def _cache_ok() -> bool:
    cache = caches["default"]
    client = getattr(cache, "_cache", None)
    if hasattr(client, "get_client"):
        # The resilient Redis cache hides failures on purpose; ask Redis itself.
        from redis.exceptions import RedisError

        try:
            return bool(client.get_client(write=True).ping())
        except RedisError:
            return False
    cache.set("ops:readyz", 1, 5)
    return cache.get("ops:readyz") == 1


class FailedTasksView(ReportView):
    """Background work that failed for good, for administrators to look into."""

    page_title = _("Failed background work")
    header_icon = "warning"
    index_url_name = "ops_failed_tasks"
    index_results_url_name = "ops_failed_tasks_results"
    list_export = ["task_name", "finished_at", "attempts", "exception_class_path", "arguments"]
    export_headings = {
        "task_name": _("Task"),
        "finished_at": _("Failed at"),
        "attempts": _("Attempts"),
        "exception_class_path": _("Error"),
        "arguments": _("Arguments"),
    }
    columns = [
        Column("task_name", label=_("Task")),
        DateColumn("finished_at", label=_("Failed at")),
        Column("attempts", label=_("Attempts")),
        Column("exception_class_path", label=_("Error")),
        Column("arguments", label=_("Arguments")),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.failed_tasks()

    def decorate_paginated_queryset(self, object_list):
        for result in object_list:
            kwargs = dict(result.args_kwargs.get("kwargs", {}))
            result.attempts = kwargs.pop("attempt", 1)
            result.arguments = ", ".join(
                [
                    *map(repr, result.args_kwargs.get("args", [])),
                    *(f"{k}={v!r}" for k, v in kwargs.items()),
                ]
            )
        return object_list


def server_error(request):
    """A database that is down or restarting is a 503 to try again, not a crash.

    Django calls this inside its handler for any uncaught exception, whichever layer
    raised it, so the exception is still at hand. The page is rendered without the
    request's context processors: it must touch no database.
    """
    if not _database_outage(sys.exc_info()[1]):
        return defaults.server_error(request)
    logger.warning("Database unavailable: %s", sys.exc_info()[1])
    try:
        body = loader.get_template("503.html").render({})
    except Exception:
        logger.exception("The outage page failed too")
        body = "<!DOCTYPE html><title>503</title><p>Try again in a moment.</p>"
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "30"
    return response


def _database_outage(error) -> bool:
    """Whether a database error lies anywhere in the chain, Django's or the driver's own."""
    kinds = (OperationalError, InterfaceError, *_driver_errors())
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, kinds):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def _driver_errors() -> tuple[type[Exception], ...]:
    driver = connection.Database
    return (driver.OperationalError, driver.InterfaceError)
