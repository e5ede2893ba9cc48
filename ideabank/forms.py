import time
import unicodedata
import uuid
from html import escape

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from . import privacy
from .choices import Criterion
from .images import check_photo
from .models import Idea, ServiceArea
from .selectors import PUBLIC_STATUSES, area_choices

FILL_TIME_SALT = "ideabank.form-started"
ALLOWED_CONTROL = {"\n", "\r", "\t"}


def clean_text(value: str) -> str:
    """Plain text only: refuse what could not have been typed, normalise what could."""
    if "\ufffd" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise ValidationError(
            _("The text has characters we cannot read. Type or paste it again."),
            code="unicode",
        )
    if any(unicodedata.category(c) == "Cc" and c not in ALLOWED_CONTROL for c in value):
        raise ValidationError(
            _("The text has invisible control characters. Type or paste it again."),
            code="control",
        )
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", value).strip()


class PlainTextField(forms.CharField):
    """Text as typed, checked and normalised before its length is measured."""

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value) if value else value


class ServiceAreasField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        # Numbers beyond any database integer would overflow SQLite's driver.
        if any(len(str(pk)) > 18 for pk in value):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": ""}
            )
        return super()._check_values(value)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = (
            [f for f in (data or []) if f]
            if isinstance(data, list | tuple)
            else ([data] if data else [])
        )
        limit = settings.IDEABANK["MAX_PHOTOS"]
        if len(files) > limit:
            raise ValidationError(
                _("You can send at most %(limit)s photos.") % {"limit": limit}, code="too_many"
            )
        photos, errors = [], []
        for upload in files:
            try:
                photos.append(check_photo(upload))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return photos


class IdeaForm(forms.Form):
    """The submission form. Contact details are optional and asked for separately."""

    title = PlainTextField(
        label=_("Give your idea a short title"),
        max_length=120,
        error_messages={
            "required": _("Write a short title."),
            "max_length": _(
                "The title can be at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )
    body = PlainTextField(
        label=_("Describe the idea or the problem in your own words"),
        help_text=_(
            "What is hard today, and what could be better? Do not write about other "
            "people's health or private matters."
        ),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Describe your idea or the problem."),
            "max_length": _(
                "The description can be at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )
    service_areas = ServiceAreasField(
        label=_("Which service areas does it concern?"),
        help_text=_("Choose one or more, or none if you are unsure."),
        queryset=ServiceArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": _("Choose from the list."),
            "invalid_pk_value": _("Choose from the list."),
        },
    )
    concerns = PlainTextField(
        label=_("Who does it concern? (optional)"),
        help_text=_("For example: parents of young children, older people living at home."),
        max_length=200,
        required=False,
        error_messages={
            "max_length": _(
                "Keep this to at most %(limit_value)d characters (it has %(show_value)d)."
            )
        },
    )
    photos = PhotosField(
        label=_("Photos (optional)"),
        help_text=_(
            "Up to 3 photos, at most 10 MB each. We remove location and other hidden "
            "information from them."
        ),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    name = PlainTextField(
        label=_("Name (optional)"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"max_length": _("The name can be at most %(limit_value)d characters.")},
    )
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        help_text=_("We send the receipt and news about your idea here."),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Write a valid e-mail address, like navn@eksempel.no.")},
    )
    phone = forms.RegexField(
        label=_("Phone (optional)"),
        regex=r"^\+?[\d ]{8,20}$",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"invalid": _("Write a phone number with digits only, like 912 34 567.")},
    )
    may_contact = forms.BooleanField(label=_("You may contact me about the idea"), required=False)
    may_publish = forms.BooleanField(
        label=_("You may publish my idea in the idea bank (without my name)"), required=False
    )
    # Spam guards: a field people never see, and when the form was shown to them.
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    started = forms.CharField(widget=forms.HiddenInput)
    # One key per form shown: a replay of the same form returns the same receipt.
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    error_css_class = "has-error"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("started", signing.dumps(int(time.time()), salt=FILL_TIME_SALT))
            self.initial.setdefault("submission_key", uuid.uuid4())
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise ValidationError(
                _("We could not accept the form. Leave the hidden field empty and send again."),
                code="honeypot",
            )
        return ""

    def clean_started(self):
        minimum = settings.IDEABANK["MIN_FILL_SECONDS"]
        try:
            started = signing.loads(
                self.cleaned_data["started"], salt=FILL_TIME_SALT, max_age=24 * 3600
            )
        except signing.SignatureExpired:
            raise ValidationError(
                _("The form was open for too long. Check what you wrote and send it again."),
                code="expired",
            ) from None
        except signing.BadSignature:
            raise ValidationError(
                _("We could not accept the form. Check what you wrote and send it again."),
                code="tampered",
            ) from None
        if minimum and time.time() - float(started) < minimum:
            raise ValidationError(
                _("That was very fast. Check what you wrote and send it again."),
                code="too_fast",
            )
        return self.cleaned_data["started"]

    def renew_guards(self):
        """After an error, give the re-shown form a fresh start time."""
        data = self.data.copy()
        data["started"] = signing.dumps(int(time.time()), salt=FILL_TIME_SALT)
        self.data = data


class FilterSelect(forms.Select):
    """A select for the public filters, written without templates.

    Django's own renders two templates for each option, and even one template costs
    about 60 µs an option; a filter bar has dozens. Options have no attributes of their
    own here and no groups, so the markup is the select's and one line per option.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = "".join(
            f'\n  <option value="{escape(str(option["value"]))}"'
            f"{' selected' if option['selected'] else ''}>{escape(str(option['label']))}</option>"
            for _group, group_options, _index in widget["optgroups"]
            for option in group_options
        )
        attrs = flatatt(widget["attrs"])
        return mark_safe(f'<select name="{escape(widget["name"])}"{attrs}>{options}\n</select>')


class IdeaFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    area = forms.ChoiceField(label=_("Service area"), required=False, widget=FilterSelect)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=FilterSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("All service areas")), *area_choices()]
        self.fields["status"].choices = [("", _("All statuses"))] + [
            (status.value, status.label.capitalize()) for status in PUBLIC_STATUSES
        ]

    def cleaned_or_empty(self) -> dict:
        if self.is_valid():
            return {
                "query": clean_text(self.cleaned_data["q"]) if self._text_ok() else "",
                "area": self.cleaned_data["area"],
                "status": self.cleaned_data["status"],
            }
        return {"query": "", "area": "", "status": ""}

    def _text_ok(self) -> bool:
        try:
            clean_text(self.cleaned_data["q"])
        except ValidationError:
            return False
        return True


class PersonalDataCheckMixin(forms.Form):
    """Asked for only after the text was found to look like personal data."""

    personal_data_checked = forms.BooleanField(
        label=_("I have checked the text and it holds no personal data"), required=False
    )
    needs_personal_data_check = False


class TransitionForm(PersonalDataCheckMixin):
    description = forms.CharField(
        label=_("Public answer"),
        help_text=_("Shown to the sender and on the public page."),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    expected_status = forms.CharField(widget=forms.HiddenInput)
    into = forms.CharField(
        label=_("Reference number of the idea to merge into"), required=False, max_length=20
    )

    def clean_into(self):
        reference = self.cleaned_data["into"].strip().upper()
        if not reference:
            return None
        idea = Idea.objects.filter(reference=reference).first()
        if idea is None:
            raise ValidationError(
                _("No idea has the reference number %(reference)s."),
                params={"reference": reference},
            )
        return idea


class AnswerForm(PersonalDataCheckMixin):
    text = forms.CharField(
        label=_("Answer from the municipality"),
        help_text=_("Shown to the sender and, if the idea is published, on the public page."),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AssessmentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in Criterion:
            self.fields[criterion.value] = forms.TypedChoiceField(
                label=criterion.label,
                choices=[("", _("Choose"))] + [(n, str(n)) for n in range(1, 6)],
                coerce=int,
            )
        self.order_fields([*Criterion.values, "comment"])


class PublishForm(PersonalDataCheckMixin):
    pass


class SenderLookupForm(forms.Form):
    """An administrator finds one sender's ideas to export or erase what they hold."""

    contact = forms.CharField(
        label=_("The sender's e-mail address or phone number"),
        help_text=_(
            "As the sender gave it with their idea. Capital letters, spaces and the "
            "country code do not matter."
        ),
        max_length=254,
    )
    # The ideas the administrator confirmed erasing; an idea sent since is not touched.
    ideas = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_contact(self):
        value = self.cleaned_data["contact"].strip()
        if "@" in value:
            try:
                validate_email(value)
            except ValidationError:
                raise ValidationError(
                    _("This is not a whole e-mail address. Write it like kari@example.org."),
                    code="email",
                ) from None
        elif not privacy.phone_variants(value):
            raise ValidationError(
                _("Write an e-mail address, or a phone number with at least 8 digits."),
                code="contact",
            )
        return value

    def clean_ideas(self):
        words = self.cleaned_data["ideas"].split()
        # Numbers beyond any database integer would overflow SQLite's driver.
        if not all(word.isascii() and word.isdigit() and len(word) <= 18 for word in words):
            raise ValidationError(
                _("The page was out of date. Look the sender up again."), code="ideas"
            )
        return [int(word) for word in words]
