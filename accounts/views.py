"""Two-step verification from the staff member's own account page."""

import base64

from django.conf import settings
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

import segno

from . import selectors, services
from .forms import TwoStepCodeForm, TwoStepOffForm


def qr_code(device) -> str:
    """The device's secret as an SVG QR code, dark on light whatever the admin theme."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title=_("QR code for your authenticator app")
    )
    # segno writes all of the markup; the title it escapes.
    return mark_safe(svg)


def spaced_secret(device) -> str:
    """The secret in groups of four, for typing into an app that cannot scan."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


class TwoStepView(WagtailAdminTemplateMixin, View):
    """Turn two-step verification on (scan, then confirm with a code), or off again.

    Without a confirmed device the page shows a secret to scan and asks for the first
    code; with one it says two-step is on and offers to turn it off with the password.
    """

    template_name = "accounts/two_step.html"
    page_title = gettext_lazy("Two-step verification")
    header_icon = "key"

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("wagtailadmin_account"), "label": _("Account")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request):
        if selectors.confirmed_device(request.user) is not None:
            return self.render(off_form=TwoStepOffForm(user=request.user))
        pending = services.two_step_start(user=request.user)
        return self.render(pending=pending, form=TwoStepCodeForm(device=pending))

    def post(self, request):
        if selectors.confirmed_device(request.user) is not None:
            return self.turn_off(request)
        pending = selectors.pending_device(request.user)
        if pending is None:
            return redirect("two_step:index")
        form = TwoStepCodeForm(request.POST, device=pending)
        if not form.is_valid():
            return self.render(pending=pending, form=form)
        services.two_step_turn_on(request=request, device=pending)
        messages.success(
            request,
            _("Two-step verification is on. From now on you sign in with a code from your app."),
        )
        return redirect("wagtailadmin_account")

    def turn_off(self, request):
        if settings.STAFF_REQUIRE_2FA:
            messages.error(request, _("Two-step verification is required on this site."))
            return redirect("two_step:index")
        form = TwoStepOffForm(request.POST, user=request.user, request=request)
        if not form.is_valid():
            return self.render(off_form=form)
        services.two_step_turn_off(user=request.user, by=request.user)
        messages.success(request, _("Two-step verification is off."))
        return redirect("wagtailadmin_account")

    def render(self, **context):
        device = context.get("pending")
        if device is not None:
            context["qr_code"] = qr_code(device)
            context["secret"] = spaced_secret(device)
        context["required"] = settings.STAFF_REQUIRE_2FA
        return TemplateResponse(self.request, self.template_name, self.get_context_data(**context))
