"""Serving the story index (the page models route here), and starting a story from a floke."""

import hashlib

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from blt.models import Floke
from pagecache.shared import shared

from . import selectors, services
from .forms import StoryFilterForm
from .models import STORIES_PER_PAGE


class CountingPaginator(Paginator):
    """Finds a page of stories and their count in one query, shared per generation.

    Stories are sorted on columns of two tables, so the listing reads every story to
    find a page anyway: a window count in that query costs less than a query of its
    own. Which stories a page shows, and how many there are, change only with what
    bumps the generation (a story published, moved or restricted; a floke moved), so
    those ids are shared under `key` and the stories read by primary key. A page with
    no rows (past the end, or an empty listing) is found Django's way, as is a page
    number too large to be a real one.
    """

    LAST_PAGE = 10_000

    def __init__(self, object_list, per_page, *, key: str):
        super().__init__(object_list, per_page)
        self.key = key

    def get_page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        if 1 <= number <= self.LAST_PAGE:
            ids, count = shared(f"{self.key}:{number}", lambda: self.ids_on(number))
            if ids:
                self.__dict__["count"] = count
                return self._get_page(selectors.stories_by_pk(ids), number, self)
        return super().get_page(number)

    def ids_on(self, number: int) -> tuple[list[int], int]:
        bottom = (number - 1) * self.per_page
        rows = self.object_list.annotate(listed=Window(Count("*"))).values_list("pk", "listed")
        rows = list(rows[bottom : bottom + self.per_page])
        return [pk for pk, _ in rows], (rows[0][1] if rows else 0)


def story_list(request, page):
    filters = StoryFilterForm(request.GET or None)
    criteria = filters.cleaned_or_empty()
    chosen = hashlib.sha256(repr(sorted(criteria.items())).encode()).hexdigest()
    paginator = CountingPaginator(
        selectors.public_stories(index=page, **criteria),
        STORIES_PER_PAGE,
        key=f"stories:index:{page.pk}:{chosen}",
    )
    stories = paginator.get_page(request.GET.get("side"))
    # The first row is above the fold: those pictures load at once.
    stories.object_list = selectors.as_cards(stories.object_list, request, eager=3)
    query = request.GET.copy()
    query.pop("side", None)
    return TemplateResponse(
        request,
        "stories/story_index_page.html",
        {
            "page": page,
            "self": page,
            "filters": filters,
            "stories": stories,
            "paginator": paginator,
            "query_string": query.urlencode(),
            "filtered": any(criteria.values()),
            "rss_url": page.feed_url("rss", request),
            "atom_url": page.feed_url("atom", request),
        },
    )


class StartStoryView(WagtailAdminTemplateMixin, TemplateView):
    """From a floke's admin page: make a draft story about it and open it in the editor."""

    template_name = "stories/admin/start_story.html"
    page_title = _("Start a story")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        self.floke = get_object_or_404(Floke, pk=kwargs["floke_pk"])
        self.index = services.story_index()
        if self.index is None:
            messages.error(request, _("There is no story index to put the story under."))
            return redirect("flokes:inspect", self.floke.pk)
        if not services.may_start_story(request.user, self.index):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.floke.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            floke=self.floke,
            index=self.index,
            floke_url=reverse("flokes:inspect", args=[self.floke.pk]),
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            story = services.story_start_from_floke(floke=self.floke, by=request.user)
        except services.StoryActionError as error:
            messages.error(request, error.message)
            return redirect("flokes:inspect", self.floke.pk)
        messages.success(request, _("The draft story is made. Write it in your own words."))
        return redirect("wagtailadmin_pages:edit", story.pk)
