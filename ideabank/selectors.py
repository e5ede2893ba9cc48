"""Reads for the public pages, the private status page and the admin."""

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch

from django_fsm_log.models import StateLog

from .choices import Status
from .models import Answer, Idea, ServiceArea

PUBLIC_STATUSES = [s for s in Status if s != Status.WITHDRAWN]
MAX_SEARCH_WORDS = 12


def search_terms(text: str) -> str:
    """Words only: search syntax, quotes, NUL bytes and the like never reach the backend."""
    return " ".join(re.findall(r"\w+", text)[:MAX_SEARCH_WORDS])


def public_ideas(*, area: str = "", status: str = "", query: str = ""):
    """Published ideas, newest first, filtered; a search result when there is a query."""
    ideas = Idea.objects.published().exclude(status=Status.WITHDRAWN)
    if status:
        ideas = ideas.filter(status=status)
    if area:
        ideas = ideas.filter(
            id__in=Idea.service_areas.through.objects.filter(servicearea__slug=area).values(
                "idea_id"
            )
        )
    ideas = ideas.order_by("-published_at", "-pk")
    if query := search_terms(query):
        ids = [idea.pk for idea in ideas.search(query, fields=None)[:1000]]
        ideas = Idea.objects.filter(pk__in=ids).order_by("-published_at", "-pk")
    return ideas.prefetch_related(
        Prefetch("service_areas", queryset=ServiceArea.objects.only("name", "slug"))
    ).defer("body", "name", "email", "phone")


def similar_ideas(title: str, *, limit: int = 5, request=None):
    """Published ideas whose title shares words with what the sender is typing."""
    words = [word for word in search_terms(title).split() if len(word) >= 3]
    if not words:
        return []
    ideas = Idea.objects.published().exclude(status=Status.WITHDRAWN)
    found = ideas.search(" ".join(words), fields=["title", "body"], operator="or")[:limit]
    return with_public_urls(list(found), request)


def with_public_urls(ideas, request=None, *, index_page=None):
    """Give each idea its public URL, finding the idea bank page once for all of them."""
    from .models import IdeaIndexPage

    page = index_page or IdeaIndexPage.objects.live().only("url_path").first()
    base = page.get_url(request) if page is not None else ""
    for idea in ideas:
        idea.public_url = f"{base}{idea.pk}/" if base else ""
    return ideas


@dataclass
class TimelineEntry:
    at: datetime
    kind: str  # "received", "status" or "answer"
    status: str = ""
    status_label: str = ""
    text: str = ""


def timeline(idea: Idea) -> list[TimelineEntry]:
    """Dated public steps and answers, oldest first; never who on the staff did what."""
    entries = [
        TimelineEntry(
            at=idea.created_at,
            kind="received",
            status=Status.RECEIVED,
            status_label=Status.RECEIVED.label,
        )
    ]
    logs = StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Idea), object_id=idea.pk
    ).only("timestamp", "state", "description")
    entries += [
        TimelineEntry(
            at=log.timestamp,
            kind="status",
            status=log.state,
            status_label=Status(log.state).label,
            text=log.description or "",
        )
        for log in logs
    ]
    entries += [
        TimelineEntry(at=answer.created_at, kind="answer", text=answer.text)
        for answer in Answer.objects.filter(idea=idea).only("created_at", "text")
    ]
    return sorted(entries, key=lambda entry: entry.at)


def front_page_figures() -> dict:
    from django.utils import timezone

    from .models import IdeaIndexPage, IdeaSubmitPage

    year = timezone.localdate().year
    return {
        "ideas_this_year": Idea.objects.filter(created_at__year=year).count(),
        "latest_ideas": with_public_urls(list(public_ideas()[:3])),
        "idea_index": IdeaIndexPage.objects.live().first(),
        "submit_page": IdeaSubmitPage.objects.live().first(),
    }


def ideas_sent_by(user, *, limit: int = 10):
    """An employee's own ideas, newest first, for the list beside the form."""
    if not user.is_authenticated:
        return []
    return list(
        Idea.objects.filter(submitted_by=user).only(
            "reference", "title", "status", "token", "created_at", "closed_at"
        )[:limit]
    )


def idea_for_submission_key(value: str) -> Idea | None:
    """The idea a form has already created, if this is a replay of it."""
    try:
        key = uuid.UUID(str(value))
    except ValueError:
        return None
    return Idea.objects.filter(submission_key=key).only("token").first()
