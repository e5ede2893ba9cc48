from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running the site: health checks, background work and its failures, the cache."""

    name = "ops"
    verbose_name = _("Operations")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks  # noqa: F401 - registers the deployment checks

        post_migrate.connect(analyze_after_migrate, sender=self)


def analyze_after_migrate(sender, using="default", **kwargs):
    from .services import database_analyze

    database_analyze(using)
