"""RSS and Atom feeds of the stories under a story index."""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from . import selectors

FEED_SIZE = 20


class StoryRssFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.index_page

    def title(self, index):
        return index.title

    def link(self, index):
        return index.get_url(self.request)

    def description(self, index):
        return index.lead or index.title

    def items(self, index):
        return selectors.public_stories(index=index)[:FEED_SIZE]

    def item_title(self, story):
        return story.title

    def item_description(self, story):
        return story.lead

    def item_link(self, story):
        return story.get_url(self.request)

    def item_pubdate(self, story):
        return timezone.make_aware(datetime.combine(story.published_on, time(12)))

    def item_updateddate(self, story):
        return self.item_pubdate(story)


class StoryAtomFeed(StoryRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, index):
        return self.description(index)
