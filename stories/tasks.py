"""Background work for stories, through Django's tasks API."""

from django.db import IntegrityError, transaction
from django.tasks import task

from ops.retries import retried

from . import notifications
from .models import StoryNotice, StoryPage


@task
@retried
def send_story_published(story_id: int) -> int:
    """Tell the senders once per story, whether it is retried or published again.

    The claim and the sending share one transaction: a failed send, or a worker killed
    mid-send, leaves nothing claimed for the next attempt.
    """
    story = StoryPage.objects.filter(pk=story_id, floke__isnull=False).select_related("floke")
    story = story.first()
    if story is None:
        return 0
    with transaction.atomic():
        try:
            with transaction.atomic():
                StoryNotice.objects.create(story=story, floke=story.floke)
        except IntegrityError:
            return 0
        return notifications.send_story_published(story)
