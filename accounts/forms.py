from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from django_otp.forms import OTPAuthenticationFormMixin

from . import selectors

CODE_WIDGET_ATTRS = {
    "autocomplete": "one-time-code",
    "inputmode": "numeric",
    "maxlength": "6",
    "spellcheck": "false",
}

WRONG_CODE = _("That code is not right. Enter the code your authenticator app shows now.")
TOO_MANY_WRONG_CODES = _("Too many wrong codes. Wait a minute, then try again.")


class LoginForm(OTPAuthenticationFormMixin, WagtailLoginForm):
    """Wagtail's sign-in, asking for a code from the authenticator app of users who turned it on.

    One form for both: the code field is there for everyone, and only a user with a
    confirmed device must fill it in. Whether a user has one is only told after their
    password is right.
    """

    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("Only if you have turned on two-step verification."),
        required=False,
        widget=forms.TextInput(attrs=CODE_WIDGET_ATTRS),
    )

    otp_error_messages = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": _(
            "Your account uses two-step verification. Enter your password again, "
            "and the code your authenticator app shows."
        ),
        "invalid_token": WRONG_CODE,
        "n_failed_attempts": TOO_MANY_WRONG_CODES,
        "verification_not_allowed": TOO_MANY_WRONG_CODES,
    }

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is not None and selectors.confirmed_device(user) is not None:
            self.clean_otp(user)
        return cleaned_data

    def _chosen_device(self, user):
        # A user has at most one device, so there is nothing to choose.
        return selectors.confirmed_device(user, for_verify=True)

    def _update_form(self, user):
        # django-otp would render the password back into the page; it is typed again instead.
        pass


class TwoStepCodeForm(forms.Form):
    """The first code from a newly scanned secret: proof that the app has it right."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=6,
        widget=forms.TextInput(attrs=CODE_WIDGET_ATTRS),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = self.cleaned_data["code"].strip().replace(" ", "")
        allowed, _details = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(TOO_MANY_WRONG_CODES, code="throttled")
        if not self.device.verify_token(code):
            raise forms.ValidationError(WRONG_CODE, code="invalid_token")
        return code


class TwoStepOffForm(forms.Form):
    """Turning two-step off asks for the password, so an unattended session cannot do it."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_password(self):
        password = self.cleaned_data["password"]
        # Through authenticate(), so django-axes counts a wrong password here too.
        checked = authenticate(self.request, username=self.user.get_username(), password=password)
        if checked is None or checked.pk != self.user.pk:
            raise forms.ValidationError(_("That is not your password."), code="wrong_password")
        return password
