from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from wagtail.models import Site

from ideabank.forms import IdeaForm
from ideabank.models import IdeaSubmitPage
from ideabank.views import render_form


def csrf_failure(request, reason=""):
    """An expired form: give the idea form back as typed, anything else a plain page."""
    page = IdeaSubmitPage.objects.live().first()
    if request.method == "POST" and page is not None and request.path == page.url:
        form = IdeaForm(request.POST)
        form.renew_guards()
        return render_form(request, page, form, [], status=403, expired=True)
    return TemplateResponse(request, "403_csrf.html", status=403)


def private_prefixes() -> list[str]:
    """Where the submitters' private links live: never for crawlers."""
    token = "0"
    return [
        reverse(f"ideabank:{name}", args=[token]).removesuffix(f"{token}/")
        for name in ("receipt", "status")
    ]


@require_GET
@cache_control(max_age=24 * 60 * 60, public=True)
def robots_txt(request):
    site = Site.find_for_request(request)
    root = site.root_url if site is not None else request.build_absolute_uri("/").rstrip("/")
    return TemplateResponse(
        request,
        "robots.txt",
        {
            "disallow": [
                reverse("wagtailadmin_home"),
                *private_prefixes(),
                reverse("ideabank:similar"),
                reverse("search:results"),
            ],
            "sitemap_url": root + reverse("sitemap"),
        },
        content_type="text/plain; charset=utf-8",
    )
