"""Story publishing tells the senders of the floke's ideas; page changes refresh the menus."""

from django.db import transaction
from django.db.models.signals import post_save

from ops import queue

from . import tasks
from .models import SiteLinks, StoryNotice, StoryPage
from .templatetags.stories_tags import forget_site_links


def story_published(sender, instance, **kwargs):
    if instance.floke_id is None or StoryNotice.objects.filter(story=instance).exists():
        return
    # A sender must be able to open the link they get.
    if instance.get_view_restrictions().exists():
        return
    queue.enqueue(tasks.send_story_published, instance.pk)


def page_changed(sender, instance=None, **kwargs):
    transaction.on_commit(forget_site_links)


def connect():
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(story_published, sender=StoryPage, dispatch_uid="stories-published")
    # The header and footer link pages by URL; those change when a page goes or moves.
    page_published.connect(page_changed, dispatch_uid="stories-links-published")
    page_unpublished.connect(page_changed, dispatch_uid="stories-links-unpublished")
    post_page_move.connect(page_changed, dispatch_uid="stories-links-moved")
    post_save.connect(page_changed, sender=SiteLinks, dispatch_uid="stories-links-saved")
