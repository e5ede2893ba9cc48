from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.images.forms import BaseImageForm

from blt.choices import Phase
from ideabank.forms import FilterSelect
from ideabank.selectors import area_choices

from . import images, selectors


class ImageForm(BaseImageForm):
    """Wagtail's image form (WAGTAILIMAGES_IMAGE_FORM_BASE): an upload is stored re-encoded."""

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file and "file" in self.changed_data:
            return images.reencoded(file)
        return file


class StoryFilterForm(forms.Form):
    area = forms.ChoiceField(label=_("Service area"), required=False, widget=FilterSelect)
    tag = forms.ChoiceField(label=_("Topic"), required=False, widget=FilterSelect)
    phase = forms.ChoiceField(
        label=_("Phase in the innovation work"), required=False, widget=FilterSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("All service areas")), *area_choices()]
        self.fields["tag"].choices = [("", _("All topics")), *selectors.tag_choices()]
        self.fields["phase"].choices = [("", _("All phases"))] + [
            (phase.value, phase.label.capitalize()) for phase in Phase
        ]

    def cleaned_or_empty(self) -> dict:
        if not self.is_bound:
            return {"area": "", "tag": "", "phase": ""}
        # A bad value drops that filter only; the others still apply.
        self.is_valid()
        return {name: self.cleaned_data.get(name, "") for name in ("area", "tag", "phase")}
