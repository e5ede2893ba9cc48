"""Reads for the public pages, the private status page and the admin."""

import calendar
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Replace
from django.utils import timezone

from django_fsm_log.models import StateLog

from . import privacy
from .choices import CLOSED_STATUSES, FINISHED_FLOKE_PHASES, Status
from .models import Answer, Idea, IdeaPhoto, ServiceArea

PUBLIC_STATUSES = [s for s in Status if s != Status.WITHDRAWN]
# What `idea_card.html` shows of an idea; a listing reads no other column.
CARD_FIELDS = ("title", "reference", "status", "support_count")
MAX_SEARCH_WORDS = 12


def search_terms(text: str) -> str:
    """Words only: search syntax, quotes, NUL bytes and the like never reach the backend."""
    return " ".join(re.findall(r"\w+", text)[:MAX_SEARCH_WORDS])


def public_ideas(*, area: str = "", status: str = "", query: str = ""):
    """Published ideas, newest first, filtered; a search result when there is a query.

    Read as cards (`CARD_FIELDS`); other fields load when first used.
    """
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
        # Listed newest first, so relevance is not asked for: on SQLite it costs a second
        # full-text match per candidate row (seconds at 10,000 ideas).
        found = ideas.order_by().search(query, fields=None, order_by_relevance=False)
        ids = [idea.pk for idea in found[:1000]]
        ideas = Idea.objects.filter(pk__in=ids).order_by("-published_at", "-pk")
    return ideas.only(*CARD_FIELDS)


def area_choices() -> list[tuple[str, str]]:
    """(slug, name) of every service area, in their order; for the public filters.

    Service areas bump the page cache's generation, so they are read once per generation.
    """
    from pagecache.shared import shared

    return shared(
        "ideabank:area-choices", lambda: list(ServiceArea.objects.values_list("slug", "name"))
    )


def similar_ideas(title: str, *, limit: int = 5, request=None):
    """Published ideas whose title shares words with what the sender is typing."""
    words = [word for word in search_terms(title).split() if len(word) >= 3]
    if not words:
        return []
    ideas = Idea.objects.published().exclude(status=Status.WITHDRAWN)
    found = ideas.search(" ".join(words), fields=["title", "body"], operator="or")[:limit]
    return with_public_urls(list(found), request)


def own_pages() -> dict[str, tuple[int, str]]:
    """Where the idea bank and its form are in the page tree: (id, url_path) by kind.

    Every header links both; found once per generation rather than on every request.
    """
    from pagecache.shared import shared

    from .models import IdeaIndexPage, IdeaSubmitPage

    def find():
        found = {}
        for kind, model in (("index", IdeaIndexPage), ("submit", IdeaSubmitPage)):
            row = model.objects.live().order_by("path").values_list("pk", "url_path").first()
            if row is not None:
                found[kind] = row
        return found

    return shared("ideabank:own-pages", find)


def page_url(kind: str, request=None) -> str:
    """The URL of the idea bank ("index") or its form ("submit"); "" while there is none."""
    from pagecache.shared import page_url

    return page_url(own_pages().get(kind), request)


def area_names() -> dict[int, str]:
    """Every service area's name by id, in the areas' order; shared per generation."""
    from pagecache.shared import shared

    return shared(
        "ideabank:area-names", lambda: dict(ServiceArea.objects.values_list("pk", "name"))
    )


def area_names_of(relation, pks) -> dict[int, list[str]]:
    """The names of the service areas of each row in `pks`, through the many-to-many
    `relation` (`Idea.service_areas`, say), in the areas' order.

    One narrow query of ids; the names are shared. Cheaper than prefetching the areas
    as objects for every card in a listing.
    """
    if not pks:
        return {}
    names = area_names()
    order = {pk: n for n, pk in enumerate(names)}
    column = relation.field.m2m_column_name()
    rows = relation.through.objects.filter(**{f"{column}__in": pks}).values_list(
        column, "servicearea_id"
    )
    found = {}
    for pk, area in sorted(rows, key=lambda row: order.get(row[1], len(order))):
        if area in names:
            found.setdefault(pk, []).append(names[area])
    return found


def as_cards(ideas, request=None) -> list[Idea]:
    """Ideas ready for `idea_card.html`: each with its public URL and the names of its
    service areas (`area_names`)."""
    ideas = with_public_urls(list(ideas), request)
    found = area_names_of(Idea.service_areas, [idea.pk for idea in ideas])
    for idea in ideas:
        idea.area_names = found.get(idea.pk, [])
    return ideas


def with_public_urls(ideas, request=None):
    """Give each idea its public URL under the idea bank's."""
    base = page_url("index", request)
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


def front_page_figures(request=None) -> dict:
    from django.utils import timezone

    from pagecache.shared import shared

    year = timezone.localdate().year
    return {
        # A new idea does not bump the generation (pagecache/signals.py): the count may
        # be a minute old, as the cached home page may be several.
        "ideas_this_year": shared(
            f"ideabank:ideas-in:{year}",
            lambda: Idea.objects.filter(created_at__year=year).count(),
            seconds=60,
        ),
        "latest_ideas": as_cards(public_ideas()[:3], request),
        "idea_index_url": page_url("index", request),
        "submit_url": page_url("submit", request),
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


# Retention and a sender's personal data (docs/decisions/0014)


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier, or that month's last day."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def ideas_past_retention(*, now: datetime | None = None):
    """Ideas whose sender nobody needs to reach any more, with something left to erase.

    Closed (declined, merged, withdrawn) longer than the retention period, or accepted
    into a floke that was implemented or stopped that long ago: until then the floke
    tells its senders about the work. An accepted idea without a floke is still open.
    """
    cutoff = months_before(now or timezone.now(), settings.IDEABANK_RETENTION_MONTHS)
    closed = Q(status__in=CLOSED_STATUSES, closed_at__lt=cutoff)
    finished = Q(
        status=Status.ACCEPTED,
        floke__phase__in=FINISHED_FLOKE_PHASES,
        floke__phase_changed_at__lt=cutoff,
    )
    # The sender may have erased their contact details already; photos can still be left.
    left_to_erase = Q(contact_erased_at__isnull=True) | Exists(
        IdeaPhoto.objects.filter(idea=OuterRef("pk"))
    )
    return Idea.objects.filter(closed | finished).filter(left_to_erase)


def spam_past_retention(*, now: datetime | None = None):
    """Declined ideas marked as spam longer ago than the days staff have to undo it."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.IDEABANK_SPAM_RETENTION_DAYS)
    return Idea.objects.filter(status=Status.DECLINED, marked_spam_at__lt=cutoff)


def _phone_digits(field: str):
    expression = F(field)
    for separator in privacy.PHONE_SEPARATORS:
        expression = Replace(expression, Value(separator), Value(""))
    return expression


def ideas_of_sender(contact: str):
    """Every idea sent with this e-mail address (also by an employee's account) or phone.

    E-mail addresses match whatever their case, phone numbers whatever their spaces,
    dashes and country code. An empty queryset when `contact` is neither.
    """
    contact = contact.strip()
    if "@" in contact:
        return Idea.objects.filter(
            Q(email__iexact=contact) | Q(submitted_by__email__iexact=contact)
        )
    variants = privacy.phone_variants(contact)
    if not variants:
        return Idea.objects.none()
    return (
        Idea.objects.exclude(phone="")
        .alias(phone_digits=_phone_digits("phone"))
        .filter(phone_digits__in=variants)
    )


def _when(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def personal_data(ideas) -> dict:
    """Everything stored about the sender of these ideas, as plain data for a JSON file.

    Staff's internal assessments and names are left out: they are about the idea and the
    staff, not the sender. A fixed number of queries, whatever the number of ideas.
    """
    ideas = list(
        ideas.select_related("submitted_by", "merged_into")
        .prefetch_related(
            Prefetch("service_areas", queryset=ServiceArea.objects.only("name")),
            Prefetch("photos", queryset=IdeaPhoto.objects.order_by("pk")),
            Prefetch("answers", queryset=Answer.objects.order_by("created_at", "pk")),
        )
        .order_by("created_at", "pk")
    )
    steps: dict[int, list] = {}
    for log in StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Idea),
        object_id__in=[idea.pk for idea in ideas],
    ).order_by("timestamp", "pk"):
        steps.setdefault(log.object_id, []).append(
            {
                "at": _when(log.timestamp),
                "status": log.state,
                "public_answer": log.description or "",
            }
        )
    return {
        "exported_at": _when(timezone.now()),
        "ideas": [_idea_data(idea, steps.get(idea.pk, [])) for idea in ideas],
    }


def _idea_data(idea: Idea, steps: list) -> dict:
    user = idea.submitted_by
    return {
        "reference": idea.reference,
        "title": idea.title,
        "body": idea.body,
        "concerns": idea.concerns,
        "service_areas": [area.name for area in idea.service_areas.all()],
        "source": idea.source,
        "status": idea.status,
        "received_at": _when(idea.created_at),
        "updated_at": _when(idea.updated_at),
        "closed_at": _when(idea.closed_at),
        "merged_into": idea.merged_into.reference if idea.merged_into else None,
        "published": idea.is_published,
        "published_at": _when(idea.published_at),
        "supporters": idea.support_count,
        "sender": {
            "name": idea.name,
            "email": idea.email,
            "phone": idea.phone,
            "may_contact": idea.may_contact,
            "may_publish": idea.may_publish,
            "language": idea.language,
            "user": {
                "username": user.get_username(),
                "name": user.get_full_name(),
                "email": user.email,
            }
            if user
            else None,
            "contact_erased_at": _when(idea.contact_erased_at),
        },
        "photos": [
            {
                "file": photo.image.name.rsplit("/", 1)[-1],
                "width": photo.width,
                "height": photo.height,
                "received_at": _when(photo.created_at),
            }
            for photo in idea.photos.all()
        ],
        "answers": [
            {"at": _when(answer.created_at), "text": answer.text} for answer in idea.answers.all()
        ],
        "status_history": steps,
    }
