"""Forms for the floke admin. They only collect input; `services` decides and writes."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ideabank.models import ServiceArea

from .choices import ACTIVE_PHASES, ExperimentStatus, InsightKind
from .models import Floke

# The text a transition form asks for together with the step, by transition.
TRANSITION_FORM_FIELDS = {
    "implement": ("decision_note",),
    "stop": ("stop_reason", "learnings"),
}


def staff_users():
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name")


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


class InsightForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=InsightKind.choices)
    summary = forms.CharField(
        label=_("Summary"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    people_count = forms.IntegerField(label=_("Number of people"), min_value=0, required=False)
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ExperimentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    hypothesis = forms.CharField(
        label=_("Hypothesis"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    start = forms.DateField(
        label=_("Start"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("End"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    method = forms.CharField(
        label=_("Method"),
        help_text=_("For example weekly check-in and check-out."),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    participants = forms.CharField(
        label=_("Participants"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ExperimentStatus.choices, initial=ExperimentStatus.PLANNED
    )
    result = forms.CharField(
        label=_("Result"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    learnings = forms.CharField(
        label=_("Learnings"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


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
