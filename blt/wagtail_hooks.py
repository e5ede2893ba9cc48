from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.log_actions import LogFormatter

from .choices import Phase
from .viewsets import BLTViewSetGroup, idea_inspect_panel


@hooks.register("register_admin_viewset")
def register_blt():
    return BLTViewSetGroup()


# The idea bank's extension point: accept an idea into a floke from the idea's page.
hooks.register("ideabank_idea_inspect_panels", idea_inspect_panel)


@hooks.register("register_log_actions")
def register_floke_log_actions(actions):
    @actions.register_action("blt.transition")
    class TransitionFormatter(LogFormatter):
        label = _("Change phase")

        def format_message(self, log_entry):
            try:
                return _("Phase changed from %(source)s to %(target)s") % {
                    "source": Phase(log_entry.data["from"]).label,
                    "target": Phase(log_entry.data["to"]).label,
                }
            except (KeyError, TypeError, ValueError):
                return _("Phase changed")

        def format_comment(self, log_entry):
            return log_entry.data.get("description", "")

    actions.register_action("blt.add_insight", _("Record insight"), _("Insight recorded"))
    actions.register_action("blt.add_experiment", _("Record experiment"), _("Experiment recorded"))
    actions.register_action("blt.idea_joined", _("Take in idea"), _("Idea taken in"))


@hooks.register("construct_homepage_panels")
def register_flow_dashboard_panel(request, panels):
    from .panels import add_flow_dashboard_panel

    add_flow_dashboard_panel(request, panels)


@hooks.register("register_admin_viewset")
def register_blt_board():
    from .views import BoardViewSet

    return BoardViewSet()
