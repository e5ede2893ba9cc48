from django import template
from django.conf import settings

from wagtail.models import Site

from ideabank.models import IdeaIndexPage, IdeaSubmitPage

register = template.Library()

PAGE_TYPES = {"index": IdeaIndexPage, "submit": IdeaSubmitPage}


@register.simple_tag(takes_context=True)
def idea_bank_url(context, kind: str) -> str:
    """URL of the idea bank's own pages, looked up once per request."""
    request = context.get("request")
    cache = getattr(request, "_idea_bank_urls", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request._idea_bank_urls = cache
    if kind not in cache:
        page = context.get("page")
        if not isinstance(page, PAGE_TYPES[kind]):
            page = PAGE_TYPES[kind].objects.live().only("url_path").first()
        cache[kind] = page.get_url(request) if page is not None else ""
    return cache[kind]


@register.simple_tag(takes_context=True)
def site_name(context) -> str:
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    return (site.site_name if site else "") or settings.WAGTAIL_SITE_NAME


@register.filter
def status_class(status: str) -> str:
    return f"status status--{status}"
