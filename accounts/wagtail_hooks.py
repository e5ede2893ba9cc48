from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from .panels import TwoStepSettingsPanel
from .viewsets import TwoStepViewSet


@hooks.register("register_admin_viewset")
def register_two_step():
    return TwoStepViewSet()


@hooks.register("register_account_settings_panel")
def register_two_step_panel(request, user, profile):
    return TwoStepSettingsPanel(request, user, profile)


@hooks.register("register_log_actions")
def register_two_step_log_actions(actions):
    actions.register_action(
        "accounts.two_step_on",
        _("Turn on two-step verification"),
        _("Two-step verification turned on"),
    )
    actions.register_action(
        "accounts.two_step_off",
        _("Turn off two-step verification"),
        _("Two-step verification turned off"),
    )
