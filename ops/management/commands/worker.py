"""The task worker: `manage.py worker`, one command per worker process.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it
again. A worker that was killed mid-task would leave it RUNNING for ever, so each
worker has a stable id (the host name and a slot number) and, on start, puts back
the tasks its previous life had claimed: that process is gone, since only one
process runs with a given id (on PostgreSQL a lock makes sure of it).
"""

import os
import socket

from django.core.management import call_command
from django.core.management.base import BaseCommand

from ops import services


class Command(BaseCommand):
    help = "Run background tasks from the database queue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--slot",
            default=os.environ.get("WORKER_SLOT", "0"),
            help="Which worker this is on this host, when several run (default: 0).",
        )
        parser.add_argument("--batch", action="store_true", help="Run what waits, then stop.")
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args, slot, batch, interval, **options):
        worker_id = f"{os.environ.get('WORKER_ID') or socket.gethostname()}-{slot}"[:63]
        lock = services.worker_id_lock(worker_id)
        try:
            requeued = services.tasks_requeue_abandoned(worker_id=worker_id)
            if requeued:
                self.stdout.write(f"Put back {requeued} task(s) left running by {worker_id}.")
            call_command(
                "db_worker",
                worker_id=worker_id,
                batch=batch,
                interval=interval,
                reload=False,
                startup_delay=not batch,
                verbosity=options["verbosity"],
            )
        finally:
            if lock is not None:
                lock.close()
