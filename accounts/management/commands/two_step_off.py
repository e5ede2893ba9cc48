from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts import services


class Command(BaseCommand):
    help = (
        "Turn off two-step verification for a staff member who has lost their phone. "
        "They sign in with their password and can set it up again with the new phone."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user called {username!r}.") from None
        services.two_step_turn_off(user=user, by=None)
        self.stdout.write(f"Two-step verification is off for {username}.")
