"""The day a thing happened, as public pages write it: "1. desember 2026".

Django's `date` filter parses its format and translates the month's name on every call,
about a tenth of a millisecond; a listing writes dozens of dates, most of them the same
few days. The text depends only on the day and the language, so it is made once for each.
"""

from datetime import date, datetime
from functools import lru_cache

from django import template
from django.utils import formats
from django.utils.translation import get_language, override

register = template.Library()

DAY_FORMAT = "j. F Y"


@lru_cache(maxsize=4096)
def written(day: date, language: str | None) -> str:
    with override(language):
        return formats.date_format(day, DAY_FORMAT)


@register.filter(expects_localtime=True)
def day(value) -> str:
    """`value|date:"j. F Y"` for a date or a datetime (in the site's time zone)."""
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        return ""
    return written(value, get_language())


@register.filter
def iso_day(value) -> str:
    """`value|date:"Y-m-d"` for a date, as `<time datetime>` takes it."""
    return value.isoformat() if isinstance(value, date) and not isinstance(value, datetime) else ""
