from django.core.management.base import BaseCommand

from ideabank import selectors, tasks


class Command(BaseCommand):
    help = (
        "Delete ideas marked as spam once their grace period is over, and erase the "
        "contact details and photos of ideas closed longer than the retention period. "
        "Run it daily (cron or the task worker's scheduler), next to send_reminders."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count what would be deleted and anonymised; change nothing.",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the task for the worker instead of running it now.",
        )

    def handle(self, *args, dry_run=False, enqueue=False, **options):
        if dry_run:
            spam = selectors.spam_past_retention().count()
            erase = selectors.ideas_past_retention().count()
            self.stdout.write(
                f"Would delete {spam} spam idea(s) and anonymise {erase} idea(s). "
                "Nothing was changed."
            )
            return
        if enqueue:
            result = tasks.apply_retention.enqueue()
            self.stdout.write(f"Queued {result.id}")
            return
        done = tasks.apply_retention.call()
        self.stdout.write(
            f"Deleted {done['spam_deleted']} spam idea(s) and anonymised {done['erased']} idea(s)."
        )
