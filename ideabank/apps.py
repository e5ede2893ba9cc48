from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeabankConfig(AppConfig):
    name = "ideabank"
    verbose_name = _("Idea bank")

    def ready(self):
        from . import signals  # noqa: F401
