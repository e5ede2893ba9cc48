import contextlib
import hashlib
import re
from functools import cache as once

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.cache import get_max_age, patch_vary_headers
from django.utils.translation import get_language

from wagtail.models import Site

from ideabank.views import SUPPORTER_COOKIE

from . import generation
from .shared import shared, without_session

# Filters and page numbers are cached; a query string longer than any form makes is not.
MAX_QUERY_LENGTH = 256
# How Django's {% csrf_token %} writes the token, and what a stored page has instead.
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"')
CSRF_PLACEHOLDER = b'name="csrfmiddlewaretoken" value="pagecache-csrf-token"'
REFUSING = {"private", "no-store", "no-cache"}
# Set again on the way out for each response.
NOT_STORED = {"x-cache", "content-length"}


@once
def private_prefixes() -> tuple[str, ...]:
    """The admin, and the sender's pages whose URL holds their token."""
    token_pages = [
        reverse(name, args=["t"]).removesuffix("t/")
        for name in ("ideabank:status", "ideabank:receipt")
    ]
    return (reverse("wagtailadmin_home"), *token_pages)


def cookies_that_change_the_page() -> tuple[str, ...]:
    # The language cookie is part of the key; a CSRF token is filled in per visitor.
    return (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name, SUPPORTER_COOKIE)


def may_use_cache(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not getattr(request, "is_dummy", False)
        and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_LENGTH
        and not any(name in request.COOKIES for name in cookies_that_change_the_page())
        and not request.path_info.startswith(private_prefixes())
        # An invalid or old CSRF cookie is replaced on this response; render it.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def page_key(request, number: int) -> str:
    language = getattr(request, "LANGUAGE_CODE", None) or get_language()
    url = f"{request.method} {request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(f"{url} {language}".encode()).hexdigest()
    return f"pagecache:{number}:{digest}"


def is_cacheable(request, response) -> bool:
    cache_control = {
        part.strip().split("=")[0].lower() for part in response.get("Cache-Control", "").split(",")
    }
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    messages = getattr(request, "_messages", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not cache_control & REFUSING
        and get_max_age(response) != 0
        # Only what the key holds may vary; a view reading a cookie says Vary: Cookie.
        and vary <= {"accept-encoding"}
        and not getattr(request, "is_preview", False)
        and (user is None or user.is_anonymous)
        and not (session is not None and session.modified)
        and not (messages is not None and (messages.used or len(messages)))
        # A nonce in the page would not match the next response's policy.
        and not getattr(request, "_csp_nonce", None)
    )


def stored(response, csrf_used: bool) -> dict | None:
    body = response.content
    if csrf_used:
        body, found = CSRF_INPUT.subn(CSRF_PLACEHOLDER, body)
        if not found:
            return None  # The token went somewhere else in the page.
    return {
        "status": response.status_code,
        "headers": [(k, v) for k, v in response.headers.items() if k.lower() not in NOT_STORED],
        "body": body,
        "csrf": csrf_used,
        "csp": {
            name: getattr(response, name)
            for name in ("_csp_config", "_csp_ro_config")
            if hasattr(response, name)
        },
    }


def restored(entry: dict, request) -> HttpResponse:
    body = entry["body"]
    if entry["csrf"]:
        token = get_token(request).encode()
        body = body.replace(CSRF_PLACEHOLDER, b'name="csrfmiddlewaretoken" value="%s"' % token)
    response = HttpResponse(body, status=entry["status"])
    for header, value in entry["headers"]:
        response.headers[header] = value
    for name, value in entry["csp"].items():
        setattr(response, name, value)
    return response


class PageCacheMiddleware:
    """Serve anonymous visitors' GETs of public pages from the shared cache.

    Sits after the language and CSRF middleware (the key needs the language; a hit
    needs the visitor's CSRF cookie and gets it renewed on the way out) and after the
    security-header middleware, which so adds fresh headers to every hit; before
    authentication, which a hit never needs. See the package docstring.

    Every request, cached or not, reads the generation and the shared lookups once
    (`generation.pinned`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with generation.pinned():
            return self.serve(request)

    def serve(self, request):
        seconds = getattr(settings, "PAGE_CACHE_SECONDS", 0)
        if seconds <= 0 or not may_use_cache(request):
            return self.get_response(request)
        # Read before the page is rendered: a page made from data older than a bump is
        # stored under the old number, where no request looks any more.
        number = generation.current()
        key = page_key(request, number) if number is not None else None
        entry = cache.get(key) if key else None
        if entry is not None:
            response = restored(entry, request)
            response["X-Cache"] = "hit"
        else:
            response = self.get_response(request)
            if key and is_cacheable(request, response):
                max_age = get_max_age(response)
                csrf_used = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
                if (entry := stored(response, csrf_used)) is not None:
                    cache.set(key, entry, min(seconds, max_age or seconds))
            response["X-Cache"] = "miss"
        # What the page shows depends on the language cookie, for any cache downstream.
        patch_vary_headers(response, ("Cookie",))
        return response


class SharedSiteMiddleware:
    """Find the Wagtail site for the request's host once per generation, not per request.

    Wagtail keeps the site it finds on `request._wagtail_site` (Site.find_for_request);
    this fills that in from the shared lookups (`shared.py`). Sites bump the generation.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        host = split_domain_port(request._get_raw_host())[0]
        public = without_session(request)
        key = "site:" + hashlib.sha256(f"{host}:{request.get_port()}:{public}".encode()).hexdigest()
        # Without the database the view meets it as it is: /readyz reports it, pages 503.
        with contextlib.suppress(DatabaseError):
            request._wagtail_site = shared(key, lambda: find_site(request, public))
        return self.get_response(request)


def find_site(request, public: bool):
    site = Site._find_for_request(request)
    if site is not None and public:
        # Wagtail routes from `site.root_page.specific`; for a visitor who sees only
        # what is published, that row is shared with the site (routing.py says why).
        site.root_page.specific  # noqa: B018
    return site
