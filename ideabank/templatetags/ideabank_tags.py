from django import template
from django.conf import settings
from django.utils.translation import ngettext

from wagtail.models import Site

from ideabank import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def idea_bank_url(context, kind: str) -> str:
    """URL of the idea bank ("index") or its form ("submit")."""
    return selectors.page_url(kind, context.get("request"))


@register.simple_tag(takes_context=True)
def site_name(context) -> str:
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    return (site.site_name if site else "") or settings.WAGTAIL_SITE_NAME


@register.filter
def status_class(status: str) -> str:
    return f"status status--{status}"


@register.filter
def supporters(count: int) -> str:
    """ "3 supporters", in the active language.

    The same text as a `blocktrans count`, which costs several times more on every
    card of a listing.
    """
    return ngettext("%(counter)s supporter", "%(counter)s supporters", count) % {"counter": count}
