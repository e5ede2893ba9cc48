"""Pages of the public idea bank. Their serving logic lives in views.py."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, route
from wagtail.fields import RichTextField
from wagtail.models import Page

from pagecache.routing import ChildRoute
from pagecache.shared import RestrictionShortcut


class IdeaIndexPage(RestrictionShortcut, RoutablePageMixin, ChildRoute, Page):
    """The public idea bank: published ideas, and a page for each of them."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["stories.HomePage"]
    subpage_types = ["ideabank.IdeaSubmitPage"]
    max_count = 1

    class Meta:
        verbose_name = _("idea bank")

    @route(r"^$")
    def index_route(self, request):
        from .views import idea_list

        return idea_list(request, self)

    @path("<int:pk>/")
    def idea_route(self, request, pk):
        from .views import idea_detail

        return idea_detail(request, self, pk)

    @path("<int:pk>/stott/", name="support")
    def support_route(self, request, pk):
        from .views import idea_support

        return idea_support(request, self, pk)

    def idea_url(self, idea, request=None) -> str:
        return self.get_url(request) + self.reverse_subpage("idea_route", args=[idea.pk])

    def get_sitemap_urls(self, request=None):
        """The idea bank itself and each published idea's page, in one query for the ideas."""
        from .selectors import public_ideas

        base = self.get_full_url(request)
        # `status` too: the state machine reads it when an idea is loaded.
        ideas = public_ideas().prefetch_related(None).only("pk", "status", "updated_at")
        return [
            *super().get_sitemap_urls(request),
            *(
                {
                    "location": base + self.reverse_subpage("idea_route", args=[idea.pk]),
                    "lastmod": idea.updated_at,
                }
                for idea in ideas
            ),
        ]


class IdeaSubmitPage(RestrictionShortcut, Page):
    """The form where residents and employees send an idea."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    privacy_note = RichTextField(
        _("how we handle personal data"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Shown beside the contact fields. Link to the privacy notice."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("privacy_note")]
    parent_page_types = ["ideabank.IdeaIndexPage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("idea submission page")

    def serve(self, request, *args, **kwargs):
        from .views import submit

        return submit(request, self)
