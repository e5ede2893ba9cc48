"""Background work for the idea bank, through Django's tasks API.

Tasks take ids, not objects, and load what they need: by the time a worker runs
one, the idea may have changed or its contact details may have been erased.
"""

import logging

from django.tasks import task

from ops.retries import retried

from . import notifications
from .models import Answer, Idea, IdeaPhoto


@task
@retried
def send_receipt(idea_id: int) -> None:
    idea = Idea.objects.filter(pk=idea_id).first()
    if idea is not None:
        notifications.send_receipt(idea)


@task
@retried
def send_status_change(idea_id: int, status: str, description: str) -> None:
    idea = Idea.objects.filter(pk=idea_id).first()
    if idea is not None:
        notifications.send_status_change(idea, status, description)


@task
@retried
def send_answer(answer_id: int) -> None:
    answer = Answer.objects.select_related("idea").filter(pk=answer_id).first()
    if answer is not None:
        notifications.send_answer(answer)


logger = logging.getLogger(__name__)


@task
def apply_retention() -> dict[str, int]:
    """Daily: delete old spam and anonymise ideas closed long ago (docs/decisions/0014).

    Takes nothing and finds its own work, so a run that is missed or repeated does no harm.
    """
    # services enqueues the tasks above, so it is imported here, when the task runs.
    from . import services

    done = services.ideas_apply_retention()
    # Counts only: the log never names a sender.
    logger.info(
        "Retention: %d idea(s) anonymised, %d spam idea(s) deleted",
        done["erased"],
        done["spam_deleted"],
    )
    return done


@task
@retried
def process_photo(photo_id: int) -> bool:
    from . import services

    photo = IdeaPhoto.objects.filter(pk=photo_id, processed_at__isnull=True).first()
    return photo is not None and services.idea_photo_process(photo=photo)
