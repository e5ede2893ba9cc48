from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase

from ideabank import selectors as ideabank_selectors
from pagecache.routing import ChildRoute
from pagecache.shared import RestrictionShortcut

from .blocks import StoryBodyBlock

STORIES_PER_PAGE = 12
DESCRIPTION_LENGTH = 160


def plain_description(html_or_text: str) -> str:
    return Truncator(" ".join(strip_tags(html_or_text or "").split())).chars(DESCRIPTION_LENGTH)


class MetaMixin:
    """What the SEO meta component asks every page: a description and an image."""

    def get_meta_description(self) -> str:
        return self.search_description or plain_description(getattr(self, "lead", ""))

    def get_meta_image(self):
        return None


class HomePage(RestrictionShortcut, ChildRoute, MetaMixin, Page):
    """The front page: what the idea bank is, a way in to send an idea, stories and numbers."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["ideabank.IdeaIndexPage", "stories.StoryIndexPage", "stories.StandardPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_meta_description(self) -> str:
        return self.search_description or plain_description(self.intro)

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(ideabank_selectors.front_page_figures(request))
        context.update(selectors.pipeline_figures())
        context["latest_stories"] = selectors.latest_stories(request, limit=3)
        return context


class StoryIndexPage(RestrictionShortcut, MetaMixin, RoutablePageMixin, ChildRoute, Page):
    """The stories, newest first, with filters and RSS and Atom feeds."""

    lead = models.TextField(_("lead"), max_length=600, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("lead")]
    parent_page_types = ["stories.HomePage"]
    subpage_types = ["stories.StoryPage"]
    max_count = 1

    class Meta:
        verbose_name = _("story index")

    @path("")
    def index_route(self, request):
        from .views import story_list

        return story_list(request, self)

    @path("rss/", name="rss")
    def rss_route(self, request):
        from .feeds import StoryRssFeed

        return StoryRssFeed(self)(request)

    @path("atom/", name="atom")
    def atom_route(self, request):
        from .feeds import StoryAtomFeed

        return StoryAtomFeed(self)(request)

    def feed_url(self, name: str, request=None) -> str:
        return self.get_url(request) + self.reverse_subpage(name)


class StoryTag(TaggedItemBase):
    content_object = ParentalKey(
        "stories.StoryPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class StoryPage(RestrictionShortcut, MetaMixin, Page):
    """A case article; when linked to a floke it shows the floke's live pipeline data."""

    lead = models.TextField(
        _("lead"), max_length=600, help_text=_("One to three sentences shown under the title.")
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("main image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_alt_text = models.CharField(
        _("alternative text"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for those who cannot see it."),
    )
    hero_decorative = models.BooleanField(_("the image is decorative only"), default=False)
    hero_caption = models.CharField(_("caption"), max_length=300, blank=True)
    hero_credit = models.CharField(_("photo credit"), max_length=120, blank=True)
    byline = models.CharField(
        _("byline"), max_length=160, blank=True, help_text=_("The author or the unit.")
    )
    date = models.DateField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_(
            "Shown on the story; stories are listed newest first by this date. Leave empty "
            "to use the day the story is first published."
        ),
    )
    # The date above, or else the day of first publication: what listings sort by, kept
    # as a column so they read it from an index rather than work it out for every story.
    published_on = models.DateField(_("published on"), null=True, editable=False)
    service_areas = ParentalManyToManyField(
        "ideabank.ServiceArea", verbose_name=_("service areas"), related_name="stories", blank=True
    )
    tags = ClusterTaggableManager(through=StoryTag, verbose_name=_("tags"), blank=True)
    body = StreamField(StoryBodyBlock(), verbose_name=_("body"))
    floke = models.ForeignKey(
        "blt.Floke",
        verbose_name=_("floke"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
        help_text=_("The story then shows the floke's phase, timeline, key figures and learnings."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        MultiFieldPanel(
            [
                FieldPanel("hero_image"),
                FieldRowPanel([FieldPanel("hero_alt_text"), FieldPanel("hero_decorative")]),
                FieldRowPanel([FieldPanel("hero_caption"), FieldPanel("hero_credit")]),
            ],
            heading=_("Main image"),
        ),
        FieldRowPanel([FieldPanel("byline"), FieldPanel("date")]),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("floke"), FieldPanel("service_areas"), FieldPanel("tags")],
            heading=_("Links and topics"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.SearchField("byline"),
        index.FilterField("date"),
    ]
    parent_page_types = ["stories.StoryIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        # Listings are newest first; ties (stories of one day) are few.
        indexes = [models.Index(fields=["published_on"], name="story_published_on_idx")]

    def clean(self):
        super().clean()
        if self.hero_image_id and not self.hero_decorative and not self.hero_alt_text.strip():
            raise ValidationError(
                {
                    "hero_alt_text": _(
                        "Describe the image for those who cannot see it, or mark it as decorative."
                    )
                }
            )

    og_type = "article"
    # What a story page always shows; read with the page when it is routed to.
    route_select_related = ("hero_image", "floke")
    route_prefetch_related = ("service_areas", "tags")

    @property
    def hero_alt(self) -> str:
        return "" if self.hero_decorative else self.hero_alt_text

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        # A draft saved (update_fields without either date) leaves the live row as it was.
        if fields is None or {"date", "first_published_at"} & set(fields):
            self.published_on = self.date or (
                timezone.localdate(self.first_published_at) if self.first_published_at else None
            )
            if fields is not None:
                kwargs["update_fields"] = {*fields, "published_on"}
        return super().save(*args, **kwargs)

    def get_meta_image_alt(self) -> str:
        return self.hero_alt

    def get_meta_image(self):
        return self.hero_image

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        # The hero stays cached on the page, renditions loaded, for get_meta_image().
        context.update(selectors.story_context(self))
        context["story_index"] = self.get_parent()
        # As routing read them (route_prefetch_related), or as the preview holds them.
        context["service_areas"] = list(self.service_areas.all())
        context["story_tags"] = sorted(self.tags.all(), key=lambda tag: tag.name)
        return context


class StoryNotice(models.Model):
    """The senders of a story's floke were told about it; a story is told once.

    A row of its own, not a page field: publishing an older revision would bring an
    empty field back and tell everyone again.
    """

    story = models.OneToOneField(StoryPage, on_delete=models.CASCADE, related_name="notice")
    floke = models.ForeignKey("blt.Floke", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(_("senders told"), default=timezone.now)

    class Meta:
        verbose_name = _("story notice")
        verbose_name_plural = _("story notices")

    def __str__(self):
        return f"{self.story_id}: {self.sent_at:%Y-%m-%d}"


class StandardPage(RestrictionShortcut, MetaMixin, Page):
    """A plain page: the accessibility statement, the privacy notice, about the idea bank."""

    lead = models.TextField(_("lead"), max_length=600, blank=True)
    body = RichTextField(
        _("body"),
        features=["h2", "h3", "bold", "italic", "link", "document-link", "ol", "ul"],
    )

    content_panels = [*Page.content_panels, FieldPanel("lead"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("lead"), index.SearchField("body")]
    parent_page_types = ["stories.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("standard page")

    def get_meta_description(self) -> str:
        return (
            self.search_description or plain_description(self.lead) or plain_description(self.body)
        )


@register_setting(icon="link")
class SiteLinks(BaseSiteSetting):
    """Pages every footer links to; the accessibility statement may live elsewhere.

    Municipalities usually publish the statement at uustatus.no, so an external address,
    when given, wins over the page; the page is the fallback.
    """

    accessibility_statement_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Used when no external statement is given below."),
    )
    accessibility_statement_url = models.URLField(
        _("external accessibility statement"),
        blank=True,
        help_text=_(
            "The statement at uustatus.no. When filled in, the site links here instead of "
            "the page above."
        ),
    )
    privacy_notice_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy notice page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    about_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("about the idea bank page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("accessibility_statement_page"),
        FieldPanel("accessibility_statement_url"),
        FieldPanel("privacy_notice_page"),
        FieldPanel("about_page"),
    ]

    class Meta:
        verbose_name = _("site links")

    def save(self, *args, **kwargs):
        from django.core.cache import cache

        super().save(*args, **kwargs)
        cache.delete(f"stories:site-links:{self.site_id}")
