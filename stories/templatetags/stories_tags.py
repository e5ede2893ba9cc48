from django import template
from django.core.cache import cache

from wagtail.models import Site

from ..models import SiteLinks, StoryIndexPage

register = template.Library()


def page_url(page, request) -> str:
    return page.get_url(request) if page is not None and page.live else ""


CACHE_SECONDS = 300


def cache_key(site) -> str:
    return f"stories:site-links:{site.pk if site else 0}"


def forget_site_links() -> None:
    cache.delete_many([cache_key(site) for site in Site.objects.all()] + [cache_key(None)])


@register.simple_tag(takes_context=True)
def site_links(context) -> dict:
    """URLs of the pages every header and footer links to.

    Kept a few minutes in the cache (cleared when the setting is saved), so the footer
    costs no query on most requests; a moved page shows its new URL within minutes.
    """
    request = context.get("request")
    cached = getattr(request, "_site_links", None)
    if cached is not None:
        return cached
    site = Site.find_for_request(request) if request is not None else None
    urls = cache.get(cache_key(site))
    if urls is None:
        urls = load_site_links(site, request)
        cache.set(cache_key(site), urls, CACHE_SECONDS)
    if request is not None:
        request._site_links = urls
    return urls


def load_site_links(site, request) -> dict:
    links = (
        SiteLinks.objects.filter(site=site)
        .select_related("accessibility_statement_page", "privacy_notice_page", "about_page")
        .first()
        if site is not None
        else None
    )
    index = StoryIndexPage.objects.live().only("url_path").first()
    urls = {"accessibility": "", "privacy": "", "about": ""}
    if links is not None:
        urls = {
            # The municipality's statement at uustatus.no wins over a local page.
            "accessibility": links.accessibility_statement_url
            or page_url(links.accessibility_statement_page, request),
            "privacy": page_url(links.privacy_notice_page, request),
            "about": page_url(links.about_page, request),
        }
    urls["stories"] = page_url(index, request)
    return urls
