from django.urls import path

from wagtail.admin.viewsets.base import ViewSet

from .views import TwoStepView


class TwoStepViewSet(ViewSet):
    """The two-step verification page, reached from the account page."""

    name = "two_step"
    url_prefix = "account/two-step"

    def get_urlpatterns(self):
        return [path("", TwoStepView.as_view(), name="index")]
