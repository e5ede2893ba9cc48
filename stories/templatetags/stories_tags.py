from django import template
from django.utils.safestring import mark_safe

from wagtail.models import Site

from pagecache.shared import page_url, shared

from .. import pictures
from ..models import SiteLinks, StoryIndexPage

register = template.Library()


@register.simple_tag(takes_context=True)
def site_links(context) -> dict:
    """URLs of the pages every header and footer links to.

    Found once per generation of the page cache (publishing, moving or unpublishing a
    page and saving the setting bump it), so the footer costs no query on most requests.
    """
    request = context.get("request")
    cached = getattr(request, "_site_links", None)
    if cached is not None:
        return cached
    site = Site.find_for_request(request) if request is not None else None
    targets = shared(f"stories:site-links:{site.pk if site else 0}", lambda: linked_pages(site))
    urls = {name: link_url(target, request) for name, target in targets.items()}
    if request is not None:
        request._site_links = urls
    return urls


def linked_pages(site) -> dict:
    """What each link points at, the same for every request: a URL, a page or nothing."""
    links = (
        SiteLinks.objects.filter(site=site)
        .select_related("accessibility_statement_page", "privacy_notice_page", "about_page")
        .first()
        if site is not None
        else None
    )

    def where(page):
        return (page.pk, page.url_path) if page is not None and page.live else None

    index = StoryIndexPage.objects.live().order_by("path").only("url_path").first()
    targets = {"accessibility": None, "privacy": None, "about": None, "stories": where(index)}
    if links is not None:
        targets.update(
            # The municipality's statement at uustatus.no wins over a local page.
            accessibility=links.accessibility_statement_url
            or where(links.accessibility_statement_page),
            privacy=where(links.privacy_notice_page),
            about=where(links.about_page),
        )
    return targets


def link_url(target, request) -> str:
    if isinstance(target, str):
        return target
    return page_url(target, request)


@register.simple_tag
def story_picture(image, kind: str, loading: str = "lazy", alt: str = "") -> str:
    """A story's `<picture>` of a kind in `stories.pictures`; `pictures.prepare` first."""
    if image is None:
        return ""
    return mark_safe(pictures.picture(image, kind, loading=loading or "lazy", alt=alt or ""))
