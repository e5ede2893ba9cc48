from django.core.management.base import BaseCommand, CommandError

from blt import diagram


class Command(BaseCommand):
    help = "Write the BLT state diagram, drawn from the Floke model, to docs/blt-states.md."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Exit with an error if the file differs from the model, writing nothing.",
        )

    def handle(self, *args, check=False, **options):
        path = diagram.DOC_PATH
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if check:
            if current != diagram.document():
                raise CommandError(f"{path} is out of date: run manage.py blt_diagram")
            self.stdout.write(f"{path} is up to date.")
            return
        changed = diagram.write(path)
        self.stdout.write(f"{'Wrote' if changed else 'Unchanged:'} {path}")
