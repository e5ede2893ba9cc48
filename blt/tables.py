"""The tables of the floke page, built from Wagtail's table component.

Each kind of record says which columns it shows; Wagtail renders them the same way
its own listings are rendered, so the floke page needs no table markup of its own.
"""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import Column, Table, TitleColumn


def person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def by(attribute: str):
    return lambda record: person(getattr(record, attribute)) or "-"


def text(attribute: str):
    """A cell with the record's own line breaks kept, and its text escaped."""

    def value(record):
        content = getattr(record, attribute)
        return mark_safe(linebreaks(content, autoescape=True)) if content else "-"

    return value


def date(attribute: str, fallback: str = "-", format: str = "SHORT_DATE_FORMAT"):
    def value(record):
        day = getattr(record, attribute)
        if isinstance(day, datetime.datetime):
            day = timezone.localtime(day)
        return date_format(day, format) if day else fallback

    return value


def display(attribute: str):
    return lambda record: capfirst(getattr(record, f"get_{attribute}_display")())


def first(name: str, label, accessor=None):
    """The first column: a link to edit the record, when the user may."""
    return TitleColumn(
        name,
        label=label,
        accessor=accessor or name,
        get_url=lambda record: getattr(record, "edit_url", None),
    )


def recorded_by():
    return Column("created_by", label=_("Recorded by"), accessor=by("created_by"))


def recorded_on():
    return Column("created_at", label=_("Recorded on"), accessor=date("created_at"))


def file_link(record):
    document = record.document
    return format_html('<a href="{}">{}</a>', document.url, document.filename)


COLUMNS = {
    "insight": lambda: [
        first("date", _("Date"), date("date")),
        Column("kind", label=_("Kind"), accessor=display("kind")),
        Column("summary", label=_("Summary"), accessor=text("summary")),
        Column("people_count", label=_("Number of people"), accessor=lambda r: r.people_count),
        recorded_by(),
    ],
    "co_creation": lambda: [
        first("date", _("Date"), date("date")),
        Column("activity", label=_("Activity")),
        Column("summary", label=_("Summary"), accessor=text("summary")),
        recorded_by(),
    ],
    "experiment": lambda: [
        first("title", _("Title")),
        Column("status", label=_("Status"), accessor=display("status")),
        Column(
            "period",
            label=_("Period"),
            accessor=lambda r: f"{date('start', '?')(r)} \N{EN DASH} {date('end', '?')(r)}",
        ),
        Column("hypothesis", label=_("Hypothesis"), accessor=text("hypothesis")),
        Column("method", label=_("Method"), accessor=text("method")),
        Column("participants", label=_("Participants"), accessor=text("participants")),
        Column("result", label=_("Result"), accessor=text("result")),
        Column("learnings", label=_("Learnings"), accessor=text("learnings")),
        recorded_by(),
        recorded_on(),
    ],
    "benefit": lambda: [
        first("term", _("Term"), display("term")),
        Column("planned", label=_("Planned benefit"), accessor=text("planned")),
        Column("indicator", label=_("Indicator"), accessor=lambda r: r.indicator or "-"),
        Column(
            "realised_value",
            label=_("Realised value"),
            accessor=lambda r: r.realised_value or "-",
        ),
        Column("realised_on", label=_("Realised on"), accessor=date("realised_on")),
        recorded_by(),
        recorded_on(),
    ],
    "key_figure": lambda: [
        first(
            "value",
            _("Value"),
            lambda r: f"{r.value.normalize():f} {r.unit}".strip(),
        ),
        Column("label", label=_("Label")),
        Column("as_of", label=_("As of"), accessor=date("as_of")),
        Column("source", label=_("Source"), accessor=lambda r: r.source or "-"),
        recorded_by(),
        recorded_on(),
    ],
    "team_member": lambda: [
        first("name", _("Name")),
        Column("role", label=_("Role"), accessor=lambda r: r.role or "-"),
        recorded_by(),
        recorded_on(),
    ],
    "attachment": lambda: [
        first("title", _("Title")),
        Column("file", label=_("File"), accessor=file_link),
        Column("description", label=_("Description"), accessor=text("description")),
        recorded_by(),
        recorded_on(),
    ],
}

CAPTIONS = {
    "insight": _("Insights"),
    "co_creation": _("Co-creation activities"),
    "experiment": _("Experiments"),
    "benefit": _("Benefits, planned and realised"),
    "key_figure": _("Key figures"),
    "team_member": _("Team members without a user account"),
    "attachment": _("Attachments"),
}


def record_table(kind: str, records) -> Table:
    return Table(COLUMNS[kind](), records, caption=CAPTIONS[kind])


def timeline_table(state_logs) -> Table:
    return Table(
        [
            Column(
                "timestamp",
                label=_("When"),
                accessor=date("timestamp", format="SHORT_DATETIME_FORMAT"),
            ),
            Column("by", label=_("Who"), accessor=by("by")),
            Column("source", label=_("From"), accessor="source_label"),
            Column("target", label=_("To"), accessor="target_label"),
            Column("description", label=_("Comment"), accessor=text("description")),
        ],
        state_logs,
        caption=_("Every phase change, with who made it"),
    )


def ideas_table(ideas, *, show_senders: bool) -> Table:
    columns = [
        TitleColumn(
            "reference",
            label=_("Reference number"),
            accessor=lambda item: item["idea"].reference,
            get_url=lambda item: item["url"],
        ),
        Column("title", label=_("Title"), accessor=lambda item: item["idea"].title),
    ]
    if show_senders:
        columns.append(Column("sender", label=_("Sender"), accessor=lambda item: item["sender"]))
    return Table(columns, ideas, caption=_("Linked ideas"))
