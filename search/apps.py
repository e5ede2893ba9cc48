from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """One search page over the site's pages and stories and the published ideas."""

    name = "search"
    verbose_name = _("Search")
