"""When a story linked to a floke goes live, its senders hear about it after commit."""

from functools import partial

from django.db import transaction

from . import tasks
from .models import StoryNotice, StoryPage


def story_published(sender, instance, **kwargs):
    if instance.floke_id is None or StoryNotice.objects.filter(story=instance).exists():
        return
    transaction.on_commit(partial(tasks.send_story_published.enqueue, instance.pk))


def connect():
    from wagtail.signals import page_published

    page_published.connect(story_published, sender=StoryPage, dispatch_uid="stories-published")
