from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets import Button

from blt.viewsets import FLOKE_BUTTONS_HOOK

from . import services
from .views import StartStoryView


@hooks.register("register_admin_urls")
def register_start_story_url():
    return [
        path("stories/start/<int:floke_pk>/", StartStoryView.as_view(), name="stories_start"),
    ]


@hooks.register(FLOKE_BUTTONS_HOOK)
def start_story_button(request, floke):
    if not services.may_start_story(request.user):
        return []
    return [
        Button(
            _("Start a story"),
            url=reverse("stories_start", args=[floke.pk]),
            icon_name="doc-full",
            priority=30,
        )
    ]
