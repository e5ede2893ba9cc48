from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BltConfig(AppConfig):
    name = "blt"
    verbose_name = _("BLT (need, solution, testing)")
