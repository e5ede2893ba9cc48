"""Background work for the idea bank, through Django's tasks API.

Tasks take ids, not objects, and load what they need: by the time a worker runs
one, the idea may have changed or its contact details may have been erased.
"""

from django.tasks import task

from . import notifications
from .models import Answer, Idea


@task
def send_receipt(idea_id: int) -> None:
    idea = Idea.objects.filter(pk=idea_id).first()
    if idea is not None:
        notifications.send_receipt(idea)


@task
def send_status_change(idea_id: int, status: str, description: str) -> None:
    idea = Idea.objects.filter(pk=idea_id).first()
    if idea is not None:
        notifications.send_status_change(idea, status, description)


@task
def send_answer(answer_id: int) -> None:
    answer = Answer.objects.select_related("idea").filter(pk=answer_id).first()
    if answer is not None:
        notifications.send_answer(answer)
