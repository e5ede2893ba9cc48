from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import FailedTasksView


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("bakgrunnsjobber/", FailedTasksView.as_view(), name="ops_failed_tasks"),
        path(
            "bakgrunnsjobber/results/",
            FailedTasksView.as_view(results_only=True),
            name="ops_failed_tasks_results",
        ),
    ]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_reports_menu_item")
def register_failed_tasks_menu_item():
    return SuperuserMenuItem(
        _("Failed background work"),
        reverse("ops_failed_tasks"),
        name="failed-tasks",
        icon_name="warning",
        order=1000,
    )
