from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.documents import get_document_model, get_document_model_string
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy

from .choices import Phase
from .models import Floke
from .services import RECORD_MODELS
from .viewsets import (
    BOARD_MENU_HOOK,
    BLTViewSetGroup,
    DocumentPermissionPolicy,
    FlokePermissionPolicy,
    check_attachment_reader,
    idea_inspect_panel,
)

register_permission_policy(Floke, FlokePermissionPolicy(Floke), exact_class=True)
# Wagtail's document policy with floke attachments kept to the floke's staff.
register_permission_policy(
    get_document_model(),
    DocumentPermissionPolicy(
        get_document_model_string(),
        auth_model="wagtaildocs.Document",
        owner_field_name="uploaded_by_user",
    ),
    exact_class=True,
)
# After Wagtail's own check of the collection's restriction, which has order 0.
hooks.register("before_serve_document", check_attachment_reader, order=100)


@hooks.register("register_admin_viewset")
def register_blt():
    return BLTViewSetGroup()


# The idea bank's extension point: accept an idea into a floke from the idea's page.
hooks.register("ideabank_idea_inspect_panels", idea_inspect_panel)


def record_formatter(model, label, message):
    """“Insight recorded: …”, in the language of whoever reads the history."""

    def fill(text):
        return lazy(lambda: gettext(text) % {"record": model._meta.verbose_name}, str)()

    class RecordFormatter(LogFormatter):
        def format_message(self, log_entry):
            title = log_entry.data.get("title", "")
            return f"{capfirst(self.message)}: {title}" if title else capfirst(self.message)

    RecordFormatter.label = fill(label)
    RecordFormatter.message = fill(message)
    return RecordFormatter


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

    for model in RECORD_MODELS:
        name = model._meta.model_name
        actions.register_action(f"blt.add_{name}")(
            record_formatter(
                model, gettext_noop("Record %(record)s"), gettext_noop("%(record)s recorded")
            )
        )
        actions.register_action(f"blt.edit_{name}")(
            record_formatter(
                model, gettext_noop("Edit %(record)s"), gettext_noop("%(record)s changed")
            )
        )
    actions.register_action("blt.idea_joined", _("Take in idea"), _("Idea taken in"))


@hooks.register("construct_homepage_panels")
def register_flow_dashboard_panel(request, panels):
    from .panels import add_flow_dashboard_panel

    add_flow_dashboard_panel(request, panels)


@hooks.register("register_admin_viewset")
def register_blt_board():
    from .views import BoardViewSet

    return BoardViewSet()


@hooks.register(BOARD_MENU_HOOK)
def register_help_menu_item():
    from .views import BoardMenuItem

    return BoardMenuItem(
        _("How BLT works"), reverse_lazy("blt_board:help"), icon_name="help", order=900
    )
