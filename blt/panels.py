"""The flow of ideas and flokes on the Wagtail admin home, for those who run the process."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.components import Component

from . import selectors
from .charts import bar_chart

VIEW_PERMISSIONS = ("blt.view_floke", "ideabank.triage_idea")

PERIOD_PARAMETER = "periode"
PERIODS = (30, 90, 180, 365)
DEFAULT_PERIOD = 365
STUCK_LIST_LENGTH = 20


def may_see_dashboard(user) -> bool:
    return any(user.has_perm(permission) for permission in VIEW_PERMISSIONS)


def period_days(request) -> int:
    """The chosen period in days; anything not on the list falls back to the default."""
    try:
        days = int(request.GET.get(PERIOD_PARAMETER, DEFAULT_PERIOD))
    except (TypeError, ValueError):
        return DEFAULT_PERIOD
    return days if days in PERIODS else DEFAULT_PERIOD


class FlowDashboardPanel(Component):
    """Where the ideas and flokes are now, where they stall, and how far they came."""

    name = "blt_flow_dashboard"
    order = 90
    template_name = "blt/dashboard/panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        now = timezone.now()
        period = period_days(self.request)
        since = now - timedelta(days=period)
        stuck_days = settings.BLT_STUCK_DAYS

        phases = selectors.flokes_per_phase(stuck_days=stuck_days, now=now)
        funnel = selectors.flow_funnel(since=since)
        stuck = [
            {
                "floke": floke,
                "url": reverse("flokes:inspect", args=[floke.pk]),
                "days": (now - floke.phase_changed_at).days,
            }
            for floke in selectors.long_stuck_flokes(days=stuck_days, now=now)[:STUCK_LIST_LENGTH]
        ]
        return {
            "backlog": selectors.triage_backlog(now=now),
            "phases": phases,
            "phase_chart": bar_chart(
                title=_("Flokes per phase"),
                rows=[(row["phase"].label, row["count"]) for row in phases],
            ),
            "stuck": stuck,
            "stuck_count": sum(row["stuck"] for row in phases),
            "stuck_days": stuck_days,
            "funnel": funnel,
            "funnel_chart": bar_chart(
                title=_("From idea to result, the last %(days)s days") % {"days": period},
                rows=[(step["label"], step["count"]) for step in funnel],
            ),
            "medians": selectors.median_days_in_phase(since=since, now=now),
            "period": period,
            "periods": PERIODS,
            "period_parameter": PERIOD_PARAMETER,
            "home_url": reverse("wagtailadmin_home"),
        }


def add_flow_dashboard_panel(request, panels):
    if may_see_dashboard(request.user):
        panels.append(FlowDashboardPanel(request))
