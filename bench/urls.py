"""The site's URLs with a bare view in front: the floor every page is compared with."""

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.cache import cache_control


# Private, so the page cache never stores it: it stays a view run through every middleware.
@cache_control(private=True)
def bare(request):
    return HttpResponse("ok")


urlpatterns = [
    path("bench-bare/", bare, name="bench_bare"),
    path("", include("config.urls")),
]

handler500 = "ops.views.server_error"
