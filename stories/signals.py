"""Publishing a story makes its renditions and tells the senders of the floke's ideas."""

from ops import queue

from . import tasks
from .models import StoryNotice, StoryPage


def story_published(sender, instance, **kwargs):
    queue.enqueue(tasks.make_renditions, instance.pk)
    if instance.floke_id is None or StoryNotice.objects.filter(story=instance).exists():
        return
    # A sender must be able to open the link they get.
    if instance.get_view_restrictions().exists():
        return
    queue.enqueue(tasks.send_story_published, instance.pk)


def connect():
    from wagtail.signals import page_published

    page_published.connect(story_published, sender=StoryPage, dispatch_uid="stories-published")
