"""Forms for the floke admin. They only collect input; `services` decides and writes."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import FileExtensionValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from ideabank.models import ServiceArea

from .choices import ACTIVE_PHASES
from .models import (
    Attachment,
    Benefit,
    CoCreation,
    Experiment,
    Floke,
    Insight,
    KeyFigure,
    TeamMember,
)
from .tables import person

# The text a transition form asks for together with the step, by transition.
TRANSITION_FORM_FIELDS = {
    "implement": ("decision_note",),
    "stop": ("stop_reason", "learnings"),
}


ADMIN_ACCESS = {"codename": "access_admin", "content_type__app_label": "wagtailadmin"}


def staff_users(*, keep=()):
    """Active people who can sign in to the admin, where flokes are run.

    `keep` are people already chosen, so a floke whose owner has since lost access can
    still be saved without choosing someone else first.
    """
    users = get_user_model().objects
    staff = users.filter(is_active=True).filter(
        Q(is_superuser=True)
        | Q(**{f"groups__permissions__{key}": value for key, value in ADMIN_ACCESS.items()})
        | Q(**{f"user_permissions__{key}": value for key, value in ADMIN_ACCESS.items()})
    )
    chosen = Q(pk__in=staff.values("pk")) | Q(pk__in=[pk for pk in keep if pk is not None])
    return users.filter(chosen).order_by("first_name", "last_name", "username")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class FlokeCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    need_statement = forms.CharField(
        label=_("Need statement (“How might we …?”)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    service_areas = forms.ModelMultipleChoiceField(
        label=_("Service areas"),
        queryset=ServiceArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    owner = UserChoiceField(
        label=_("Owner"),
        queryset=staff_users(),
        required=False,
        help_text=_("Leave empty to own the floke yourself."),
    )
    team = UsersChoiceField(label=_("Team"), queryset=staff_users(), required=False)

    def __init__(self, *args, instance=None, for_user=None, **kwargs):
        # Wagtail's create view passes these; a plain form has no use for them.
        super().__init__(*args, **kwargs)
        self.instance = instance


class FlokeEditForm(WagtailAdminModelForm):
    """The floke's edit form: owner and team are chosen among staff, by name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = []
        if self.instance.pk is not None:
            chosen = [self.instance.owner_id, *self.instance.team.values_list("pk", flat=True)]
        for name in ("owner", "team"):
            if name in self.fields:
                self.fields[name].queryset = staff_users(keep=chosen)
                self.fields[name].label_from_instance = person


class FlokeTransitionForm(forms.Form):
    expected_phase = forms.CharField(widget=forms.HiddenInput)
    description = forms.CharField(
        label=_("Comment (internal)"),
        help_text=_("Why the floke takes this step. Required when going back or stopping."),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    public_reason = forms.CharField(
        label=_("Public reason"),
        help_text=_("A short reason shown to the senders of linked ideas and on public pages."),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    decision_note = forms.CharField(
        label=_("Decision note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    stop_reason = forms.CharField(
        label=_("Why the floke is stopped"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    learnings = forms.CharField(
        label=_("Learnings"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, transition: str, **kwargs):
        super().__init__(*args, **kwargs)
        wanted = TRANSITION_FORM_FIELDS.get(transition, ())
        for name in ("decision_note", "stop_reason", "learnings"):
            if name not in wanted:
                del self.fields[name]

    @property
    def step_fields(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[name]
            for name in ("decision_note", "stop_reason", "learnings")
            if name in self.fields
        }


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def rows(count: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": count})


class RecordForm(forms.ModelForm):
    """A record's form; on a new record, a date left empty means today, as the model says."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            return
        for name, field in self.fields.items():
            if (
                isinstance(field, forms.DateField)
                and self._meta.model._meta.get_field(name).has_default()
            ):
                field.required = False
                field.show_hidden_initial = False


class InsightForm(RecordForm):
    class Meta:
        model = Insight
        fields = ["kind", "summary", "people_count", "date"]
        widgets = {"summary": rows(3), "date": DATE}


class CoCreationForm(RecordForm):
    class Meta:
        model = CoCreation
        fields = ["activity", "date", "summary"]
        widgets = {"summary": rows(3), "date": DATE}
        help_texts = {"activity": _("For example a workshop with families and the school.")}


class ExperimentForm(RecordForm):
    class Meta:
        model = Experiment
        fields = [
            "title",
            "hypothesis",
            "start",
            "end",
            "method",
            "participants",
            "status",
            "result",
            "learnings",
        ]
        widgets = {
            "hypothesis": rows(2),
            "start": DATE,
            "end": DATE,
            "method": rows(2),
            "participants": rows(2),
            "result": rows(2),
            "learnings": rows(2),
        }
        help_texts = {"method": _("For example weekly check-in and check-out.")}


class BenefitForm(RecordForm):
    class Meta:
        model = Benefit
        fields = ["term", "planned", "indicator", "realised_value", "realised_on"]
        widgets = {"planned": rows(2), "realised_on": DATE}
        help_texts = {
            "indicator": _("How you will know, e.g. “sick days per month”."),
            "realised_value": _("Fill in once the benefit is measured."),
        }


class KeyFigureForm(RecordForm):
    class Meta:
        model = KeyFigure
        fields = ["value", "unit", "label", "as_of", "source"]
        widgets = {"as_of": DATE}
        help_texts = {"label": _("For example “families referred through 7 services”.")}


class TeamMemberForm(RecordForm):
    class Meta:
        model = TeamMember
        fields = ["name", "role"]
        help_texts = {"role": _("For example “innovation school, cohort 2”.")}


class AttachmentForm(RecordForm):
    """Attach a document, or correct one: its title, what it is, or the file itself."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, text or CSV; at most 20 MB."),
        validators=[FileExtensionValidator(settings.WAGTAILDOCS_EXTENSIONS)],
    )

    class Meta:
        model = Attachment
        fields = ["title", "file", "description"]
        widgets = {"description": rows(2)}
        help_texts = {"description": _("What the document is, e.g. “the final report”.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # A new attachment without a title takes the file's name.
            self.fields["title"].required = False
        else:
            self.fields["file"].required = False
            self.fields["file"].help_text = _(
                "Choose a file only to replace %(file)s. PDF, Word, Excel, PowerPoint, "
                "OpenDocument, text or CSV; at most 20 MB."
            ) % {"file": self.instance.document.filename}

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file and file.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return file


MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


class AcceptIdeaForm(forms.Form):
    """Take an idea under review into the BLT work: a new floke, or one already running."""

    floke = forms.ModelChoiceField(
        label=_("Existing floke"),
        queryset=Floke.objects.filter(phase__in=ACTIVE_PHASES).only("title").order_by("title"),
        required=False,
        empty_label=_("A new floke"),
        help_text=_("Leave as “A new floke” to open a new one from this idea."),
    )
    title = forms.CharField(
        label=_("Title of the new floke"),
        max_length=160,
        required=False,
        help_text=_("Leave empty to use the idea's title."),
    )
    description = forms.CharField(
        label=_("Public answer"),
        help_text=_("Shown to the sender and on the public page."),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
