"""Background work for stories, through Django's tasks API."""

from django.db import IntegrityError, transaction
from django.tasks import task

from . import notifications
from .models import StoryNotice, StoryPage


@task
def send_story_published(story_id: int) -> int:
    """Tell the senders once per story: claim it first, so a retry or a republish sends nothing."""
    story = StoryPage.objects.filter(pk=story_id, floke__isnull=False).select_related("floke")
    story = story.first()
    if story is None:
        return 0
    try:
        with transaction.atomic():
            StoryNotice.objects.create(story=story, floke=story.floke)
    except IntegrityError:
        return 0
    try:
        return notifications.send_story_published(story)
    except Exception:
        # Not sent: let a retry claim it again.
        StoryNotice.objects.filter(story=story).delete()
        raise
