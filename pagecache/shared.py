"""Values many pages read and only a generation bump can change, found once for all.

The URLs of the pages every header links to, and whether any page is restricted at
all, cost queries on every request yet change only when pages are published, moved or
restricted, which bump the generation (`signals.py`). Kept in the shared cache under the
current generation, they are found by one request and read by every process until the
next bump. This holds with the page cache off (PAGE_CACHE_SECONDS=0) too: it is not a
cache of pages.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

from . import generation

# A bound for keys nobody reads any more; a bump, not this, is what makes them stale.
SECONDS = 24 * 60 * 60
MISSING = object()


def shared[T](name: str, find: Callable[[], T], *, seconds: int = SECONDS) -> T:
    """`find()`, or what it gave under the current generation, in any process.

    `seconds` bounds, for a value some change may leave unbumped, how old it can get.
    """
    number = generation.current()
    if number is None:
        return find()  # The cache cannot be reached: the database still can.
    key = f"pagecache:shared:{number}:{name}"
    memo = generation.read()
    if memo is not None and key in memo:
        return memo[key]
    value = cache.get(key, MISSING)
    if value is MISSING:
        value = find()
        cache.set(key, value, seconds)
    if memo is not None:
        memo[key] = value
    return value


def without_session(request) -> bool:
    """A visitor who cannot be signed in: one without a session cookie.

    Such a visitor is only ever shown pages as they are published.
    """
    return request is not None and settings.SESSION_COOKIE_NAME not in request.COOKIES


def restricted_paths() -> tuple[str, ...]:
    """Tree paths of the pages with a view restriction; usually none."""
    from wagtail.models import PageViewRestriction

    return shared(
        "restricted-paths",
        lambda: tuple(
            PageViewRestriction.objects.order_by().values_list("page__path", flat=True).distinct()
        ),
    )


class RestrictionShortcut:
    """A page model mixin: no query for view restrictions while no page has any.

    Wagtail looks up the restrictions of a page and its ancestors (two queries) on every
    request it serves; with no restriction anywhere the answer is known in advance.
    """

    def get_view_restrictions(self):
        if not restricted_paths():
            from wagtail.models import PageViewRestriction

            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


def page_url(where: tuple[int, str] | None, request=None) -> str:
    """The URL of a page known by its (id, url_path), as Page.get_url gives it.

    That URL depends on nothing but the page's place in the tree and the request's site
    (relative on its own site, absolute on another), so it is shared per site; and kept
    on the request, as a header, a footer and a listing ask for the same few pages.
    """
    if where is None:
        return ""
    urls = getattr(request, "_page_urls", None)
    if urls is None:
        urls = {}
        if request is not None:
            request._page_urls = urls
    if where not in urls:
        from wagtail.models import Page, Site

        pk, url_path = where
        site = Site.find_for_request(request) if request is not None else None
        path = hashlib.sha256(url_path.encode()).hexdigest()
        # An unsaved stand-in: a URL needs only the page's id and url_path.
        urls[where] = shared(
            f"url:{site.pk if site else 0}:{pk}:{path}",
            lambda: Page(pk=pk, url_path=url_path).get_url(request) or "",
        )
    return urls[where]
