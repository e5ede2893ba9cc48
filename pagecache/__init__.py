"""Whole public pages kept in the shared cache for anonymous visitors.

The middleware (`middleware.PageCacheMiddleware`) answers an anonymous GET or HEAD of a
public page from Django's default cache (Redis in production, shared by every app
process), keyed by method, scheme, host, path, query and language. Pages that depend on
the visitor are never stored: signed-in staff, previews, the private status and receipt
pages, responses that set cookies or say `private`/`no-store`, and visitors carrying a
session, messages or supporter cookie. A page's CSRF token is stored as a placeholder and
filled in for each visitor, so the support button keeps working from a cached page.

Every key holds a *generation* number kept in the same cache (`generation.py`). Anything
that changes what the public sees bumps it (`signals.py`), so all processes stop reading
the old pages at once; nothing is ever deleted by pattern. The generation is read when a
request starts, so a page rendered from data older than a bump is stored where nobody
looks. PAGE_CACHE_SECONDS (default 300, 0 turns it off) bounds how long a page lives.
docs/decisions/0019-full-page-cache.md explains the choices.

The same generation keys what every rendered page would otherwise look up again: the
URLs the header links to, the routes through the page tree and whether any page is
restricted (`shared.py`, `routing.py`; docs/decisions/0020).
"""
