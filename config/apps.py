from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def create_roles(sender, **kwargs):
    # post_migrate is sent once per app with models; by the last one, every
    # permission the roles need exists.
    last = [config for config in apps.get_app_configs() if config.models_module][-1]
    if sender.label == last.label:
        from .roles import ensure_roles

        ensure_roles()


class ConfigConfig(AppConfig):
    """Project wiring: the staff roles and the demo content live here."""

    name = "config"
    verbose_name = "Idébank"

    def ready(self):
        post_migrate.connect(create_roles, dispatch_uid="config.create_roles")
