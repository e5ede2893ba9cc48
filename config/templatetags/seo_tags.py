"""The page head every public page shares: description, canonical URL, Open Graph, Twitter."""

from django import template
from django.conf import settings
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page, Site

register = template.Library()

OG_LOCALES = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB"}
OG_IMAGE_SPEC = "fill-1200x630"
# The only query parameter that makes a different page of the same content.
CANONICAL_PARAMS = ("side",)


def root_url(request) -> str:
    """Scheme and host the site's pages are known by, as Wagtail builds full page URLs."""
    site = Site.find_for_request(request)
    if site is not None:
        return site.root_url
    return request.build_absolute_uri("/").rstrip("/")


def absolute(url: str, request) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return root_url(request) + url


def page_path(page, request) -> tuple[str, str]:
    """Root URL and path of a Wagtail page, as `get_full_url` builds them."""
    parts = page.get_url_parts(request)
    if parts is None:
        return root_url(request), request.path
    _site_id, base, path = parts
    return base or root_url(request), path


def canonical_url(request, page) -> str:
    """The page's full URL; a routable sub-page (one idea) keeps its own path.

    Query strings are dropped except the page number, so filters and searches do not
    compete with the listing they come from.
    """
    if page is None:
        url = root_url(request) + request.path
    else:
        base, path = page_path(page, request)
        url = base + (request.path if request.path.startswith(path) else path)
    kept = []
    for name in CANONICAL_PARAMS:
        value = request.GET.get(name, "")
        if value.isascii() and value.isdigit() and int(value) > 1:
            kept.append(f"{name}={int(value)}")
    return url + ("?" + "&".join(kept) if kept else "")


def page_description(page) -> str:
    if page is None:
        return ""
    get_meta_description = getattr(page, "get_meta_description", None)
    if callable(get_meta_description) and (description := get_meta_description()):
        return str(description)
    return getattr(page, "search_description", "") or ""


def page_image(page, request) -> dict | None:
    """A 1200x630 rendition of the page's share image, when the page has one."""
    get_meta_image = getattr(page, "get_meta_image", None)
    image = get_meta_image() if callable(get_meta_image) else None
    if image is None or not hasattr(image, "get_rendition"):
        return None
    rendition = image.get_rendition(OG_IMAGE_SPEC)
    alt = getattr(page, "get_meta_image_alt", None)
    return {
        "url": absolute(rendition.url, request),
        "width": rendition.width,
        "height": rendition.height,
        # A page that says what its image shows has the last word, also "nothing".
        "alt": alt() if callable(alt) else getattr(image, "default_alt_text", ""),
    }


DEFAULT_DESCRIPTION = _(
    "Ideas and problems from residents and employees, and what the municipality does with them."
)


@register.simple_tag(takes_context=True)
def page_meta(context) -> dict:
    """What the head says about this page, for `components/meta.html`.

    Wagtail pages describe themselves (`seo_title`, `get_meta_description()`,
    `search_description`, `get_meta_image()`, `og_type`). A view that is not a page of
    its own (one idea under the idea bank, the search page) passes `meta_title`,
    `meta_description` and `meta_type` to the include instead.
    """
    request = context.get("request")
    if request is None:
        return {}
    page = context.get("page")
    if not isinstance(page, Page):
        page = None
    # A routable sub-page (one idea) is not described by the page that serves it.
    own_page = (
        page
        if page is not None
        and (getattr(request, "is_preview", False) or request.path == page_path(page, request)[1])
        else None
    )
    site_name = getattr(Site.find_for_request(request), "site_name", "") or (
        settings.WAGTAIL_SITE_NAME
    )
    title = context.get("meta_title") or (
        (own_page.seo_title or own_page.title) if own_page is not None else ""
    )
    description = (
        context.get("meta_description") or page_description(own_page) or DEFAULT_DESCRIPTION
    )
    return {
        "title": title or site_name,
        "description": " ".join(strip_tags(str(description)).split()),
        "url": canonical_url(request, page),
        "type": context.get("meta_type") or getattr(own_page, "og_type", "website"),
        "site_name": site_name,
        "locale": OG_LOCALES.get((get_language() or "nb")[:2], "nb_NO"),
        "image": page_image(own_page, request) if own_page is not None else None,
    }
