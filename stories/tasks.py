"""Background work for stories, through Django's tasks API."""

from django.db import IntegrityError, transaction
from django.tasks import task

from blt import notifications as blt_notifications
from ops import queue
from ops.retries import retried

from . import notifications, pictures
from .models import StoryNotice, StoryPage


@task
@retried
def send_story_published(story_id: int) -> int:
    """Tell the senders once per story, whether it is retried or published again.

    The claim and the queueing share one transaction, so a failed run leaves nothing
    claimed for its retry; each address then has its own task and its own retries.
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
        recipients = blt_notifications.recipients(story.floke)
        for idea_ids in recipients:
            queue.enqueue(send_story_published_to, story_id, idea_ids)
    return len(recipients)


@task
@retried
def send_story_published_to(story_id: int, idea_ids: list[int]) -> bool:
    story = StoryPage.objects.filter(pk=story_id).first()
    return story is not None and notifications.send_story_published(story, idea_ids)


@task
@retried
def make_renditions(story_id: int) -> int:
    """Make the renditions of a story's pictures once it is published.

    So no visitor's request writes them: encoding a dozen AVIF files in a web worker
    makes the page slow for whoever comes first and the worker grow by tens of MB.
    """
    story = StoryPage.objects.live().filter(pk=story_id).select_related("hero_image").first()
    if story is None:
        return 0
    made = 0
    for image, kind in pictures.of_story(story):
        specs = pictures.renditions(kind)
        image.get_renditions(*specs)
        made += len(specs)
    return made
