from django import forms
from django.utils.translation import gettext_lazy as _

from ideabank.forms import clean_text
from ideabank.selectors import search_terms

MAX_QUERY_LENGTH = 200
KINDS = [("", _("Everything")), ("sider", _("Pages and stories")), ("ideer", _("Ideas"))]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, max_length=MAX_QUERY_LENGTH)
    type = forms.ChoiceField(label=_("Show"), required=False, choices=KINDS)

    def clean_q(self):
        return clean_text(self.cleaned_data["q"])

    def terms(self) -> str:
        """The words to search for; empty when nothing searchable was typed."""
        return search_terms(self.cleaned_data["q"]) if self.is_valid() else ""

    def kind(self) -> str:
        return self.cleaned_data["type"] if self.is_valid() else ""
