import io
from contextlib import nullcontext, redirect_stdout

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config import demo
from ops.services import database_analyze


class Command(BaseCommand):
    help = (
        "Create the pages, service areas, demo users, ideas, flokes and stories of a development "
        "site. Safe to run again: nothing is created twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even on a site set up for production (DJANGO_HTTPS=true).",
        )
        parser.add_argument(
            "--show-mail",
            action="store_true",
            help="Print the e-mails the demo ideas and flokes send through the console mailer.",
        )

    def handle(self, *args, force=False, show_mail=False, **options):
        if getattr(settings, "HTTPS", False) and not force:
            raise CommandError(
                "This site is set up for production (DJANGO_HTTPS=true). Demo users have "
                "known passwords; use --force if you really want them here."
            )
        # The console mailer prints every receipt and answer to demo senders; keep the
        # seeding output to what a developer needs.
        with nullcontext() if show_mail else redirect_stdout(io.StringIO()):
            report = demo.seed_demo()
        database_analyze()
        self.stdout.write(
            f"Demo content: {report.ideas_created} new ideas ({report.ideas_total} in all), "
            f"{report.flokes_created} new flokes ({report.flokes_total} in all), "
            f"{report.stories_created} new stories ({report.stories_total} in all), "
            f"{report.images_created} new images, {report.users_created} new users, "
            f"{report.areas_created} new service areas."
        )
        self.stdout.write("")
        self.stdout.write(demo.credentials_table())
