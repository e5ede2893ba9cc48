from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeabankConfig(AppConfig):
    name = "ideabank"
    verbose_name = _("Idea bank")
