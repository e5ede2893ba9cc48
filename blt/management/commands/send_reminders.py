from django.core.management.base import BaseCommand

from blt import tasks


class Command(BaseCommand):
    help = (
        "E-mail owners about flokes stuck in a phase and innovation staff about "
        "unanswered ideas. Run it daily (cron or the task worker's scheduler)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the task for the worker instead of running it now.",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = tasks.send_reminders.enqueue()
            self.stdout.write(f"Queued {result.id}")
            return
        sent = tasks.send_reminders.call()
        self.stdout.write(
            f"Sent {sent['stuck']} stuck-floke reminder(s) and "
            f"{sent['unanswered']} unanswered-idea reminder(s)."
        )
