"""Reads for the search page."""

from wagtail.models import Page, Site


def public_pages(*, terms: str, site: Site | None):
    """Live, public pages of this site matching the words, best match first."""
    pages = Page.objects.live().public()
    pages = (
        pages.descendant_of(site.root_page, inclusive=True) if site else pages.filter(depth__gt=1)
    )
    return pages.search(terms)


def specific_pages(pages) -> list:
    """The specific pages of one page of results, in the same order: one query per type."""
    ids = [page.pk for page in pages]
    found = Page.objects.filter(pk__in=ids).specific().in_bulk()
    return [found[pk] for pk in ids if pk in found]
