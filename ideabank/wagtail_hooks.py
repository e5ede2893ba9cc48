from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy

from .choices import ErasureReason, Status
from .models import Idea
from .viewsets import IdeaBankViewSetGroup, IdeaPermissionPolicy

# Registered before any view asks for it, so Wagtail never falls back to the default.
register_permission_policy(Idea, IdeaPermissionPolicy(Idea), exact_class=True)


@hooks.register("register_admin_viewset")
def register_idea_bank():
    return IdeaBankViewSetGroup()


@hooks.register("register_log_actions")
def register_idea_log_actions(actions):
    @actions.register_action("ideabank.transition")
    class TransitionFormatter(LogFormatter):
        label = _("Change status")

        def format_message(self, log_entry):
            try:
                return _("Status changed from %(source)s to %(target)s") % {
                    "source": Status(log_entry.data["from"]).label,
                    "target": Status(log_entry.data["to"]).label,
                }
            except (KeyError, TypeError, ValueError):
                return _("Status changed")

        def format_comment(self, log_entry):
            return log_entry.data.get("description", "")

    @actions.register_action("ideabank.answer")
    class AnswerFormatter(LogFormatter):
        label = _("Answer")
        message = _("Answered the sender")

        def format_comment(self, log_entry):
            return log_entry.data.get("answer", "")

    actions.register_action("ideabank.assess", _("Assess"), _("Assessed"))
    actions.register_action(
        "ideabank.publish", _("Publish in the idea bank"), _("Published in the idea bank")
    )
    actions.register_action(
        "ideabank.unpublish", _("Unpublish from the idea bank"), _("Removed from the idea bank")
    )

    @actions.register_action("ideabank.erase_contact")
    class EraseContactFormatter(LogFormatter):
        label = _("Erase contact details")
        message = _("Contact details erased")

        def format_message(self, log_entry):
            # Wagtail shows no comments in the history of a plain model: say why here.
            try:
                return ErasureReason(log_entry.data["reason"]).label
            except (KeyError, TypeError, ValueError):
                return self.message

    actions.register_action(
        "ideabank.export_personal_data",
        _("Export personal data"),
        _("The sender's personal data was exported"),
    )
    actions.register_action("ideabank.mark_spam", _("Mark as spam"), _("Marked as spam"))
    actions.register_action("ideabank.unmark_spam", _("Not spam"), _("No longer marked as spam"))
    actions.register_action(
        "ideabank.delete_spam", _("Delete spam"), _("Deleted as spam, with its photos")
    )
