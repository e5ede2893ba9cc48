from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.views.account import BaseSettingsPanel

from . import selectors


class TwoStepSettingsPanel(BaseSettingsPanel):
    """Says on the account page whether two-step verification is on, and links to its page.

    Setting it up takes a scan and a code, more than the account page's one Save
    button can carry, so the panel holds no fields of its own.
    """

    name = "two_step"
    title = _("Two-step verification")
    order = 550
    template_name = "accounts/two_step_panel.html"

    def get_form(self):
        return forms.Form(prefix=self.name)

    def get_context_data(self):
        return {"is_on": selectors.confirmed_device(self.user) is not None}
