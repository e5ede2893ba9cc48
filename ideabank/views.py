import hashlib
import re
import secrets

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from django_fsm import can_proceed
from django_ratelimit.core import get_usage, is_ratelimited

from . import selectors, services
from .choices import Status
from .forms import IdeaFilterForm, IdeaForm
from .models import Idea

SUPPORTER_COOKIE = "idebank_supporter"
PRIVATE_HEADERS = {
    "Cache-Control": "no-store, private",
    "X-Robots-Tag": "noindex, nofollow",
}


def private(response, *, referrer_policy: str = "no-referrer"):
    """The private pages carry the sender's token in their URL: keep it out of caches,
    search engines and Referer headers."""
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    response["Referrer-Policy"] = referrer_policy
    return response


# A form posted from a "no-referrer" page carries `Origin: null`, which Django's CSRF
# check refuses; "same-origin" still keeps the token away from other sites.
CONFIRM_REFERRER_POLICY = "same-origin"


def rate_limited(request, exception=None):
    return TemplateResponse(request, "ideabank/rate_limited.html", status=429)


# Public idea bank


def idea_list(request, page):
    filters = IdeaFilterForm(request.GET or None)
    criteria = filters.cleaned_or_empty()
    ideas = selectors.public_ideas(**criteria)
    paginator = Paginator(ideas, 20)
    ideas_page = paginator.get_page(request.GET.get("side"))
    ideas_page.object_list = selectors.as_cards(ideas_page.object_list, request)
    query = request.GET.copy()
    query.pop("side", None)
    return TemplateResponse(
        request,
        "ideabank/idea_index_page.html",
        {
            "page": page,
            "self": page,
            "filters": filters,
            "ideas": ideas_page,
            "paginator": paginator,
            "query_string": query.urlencode(),
            "filtered": any(criteria.values()),
        },
    )


def idea_detail(request, page, pk):
    idea = (
        Idea.objects.published()
        .exclude(status=Status.WITHDRAWN)
        .prefetch_related("service_areas")
        .filter(pk=pk)
        .first()
    )
    if idea is None:
        raise Http404
    merged_into = (
        idea.merged_into if idea.merged_into_id and idea.merged_into.is_published else None
    )
    return TemplateResponse(
        request,
        "ideabank/idea_page.html",
        {
            "page": page,
            "self": page,
            "idea": idea,
            "timeline": selectors.timeline(idea),
            "merged_into": merged_into,
            "merged_into_url": page.idea_url(merged_into, request) if merged_into else "",
            "support_url": page.get_url(request) + page.reverse_subpage("support", args=[idea.pk]),
            "supported": supporter_id(request, create=False) is not None
            and idea.supports.filter(supporter=supporter_hash(request)).exists(),
        },
    )


def supporter_id(request, *, create: bool) -> str | None:
    value = request.get_signed_cookie(SUPPORTER_COOKIE, default=None, salt=SUPPORTER_COOKIE)
    if value is None and create:
        value = secrets.token_urlsafe(16)
    return value


def supporter_hash(request, value: str | None = None) -> str:
    value = value or supporter_id(request, create=False) or ""
    return hashlib.sha256(value.encode()).hexdigest()


@require_POST
def idea_support(request, page, pk):
    idea = Idea.objects.published().filter(pk=pk).first()
    if idea is None:
        raise Http404
    url = page.idea_url(idea, request)
    if is_ratelimited(
        request,
        group="ideabank.support",
        key="ip",
        rate=settings.IDEABANK["SUPPORT_RATE"],
        increment=True,
    ):
        messages.warning(
            request,
            _("You have supported many ideas in a short time. Wait a little and try again."),
        )
        return redirect(url)
    value = supporter_id(request, create=True)
    try:
        created = services.idea_support(idea=idea, supporter=supporter_hash(request, value))
    except services.IdeaActionError as error:
        messages.error(request, error.message)
        return redirect(url)
    if created:
        messages.success(request, _("Thank you for your support!"))
    else:
        messages.info(request, _("You have already supported this idea."))
    response = redirect(url + "#stott")
    response.set_signed_cookie(
        SUPPORTER_COOKIE,
        value,
        salt=SUPPORTER_COOKIE,
        max_age=5 * 365 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


# Sending an idea


def employee_initial(user) -> dict:
    if not user.is_authenticated:
        return {}
    initial = {"name": user.get_full_name(), "email": user.email}
    profile = getattr(user, "employee_profile", None)
    if profile is not None and profile.service_area_id:
        initial["service_areas"] = [profile.service_area_id]
    return initial


SUBMIT_LIMIT = {"group": "ideabank.submit", "key": "ip"}
# Every attempt counts here, so nobody can make the server decode photos without end.
ATTEMPT_LIMIT = {"group": "ideabank.attempt", "key": "ip"}


def submissions_used_up(request) -> bool:
    """Only ideas actually stored count, so a form with errors can be corrected freely."""
    usage = get_usage(request, **SUBMIT_LIMIT, rate=settings.IDEABANK["SUBMIT_RATE"])
    return usage is not None and usage["count"] >= usage["limit"]


def limits_unavailable() -> bool:
    """True while the rate-limit counters cannot be reached (see ops.cache)."""
    return not getattr(caches[settings.RATELIMIT_USE_CACHE], "available", True)


@never_cache
def submit(request, page):
    user = request.user if request.user.is_authenticated else None
    suggestions = []
    if request.method == "POST":
        form = IdeaForm(request.POST, request.FILES)
        if "check_similar" in request.POST:
            # The no-JavaScript way to see similar ideas: show them, keep what was typed.
            suggestions = selectors.similar_ideas(
                request.POST.get("title", "")[:120], request=request
            )
            form = IdeaForm(request.POST)
            form.renew_guards()
            return render_form(request, page, form, suggestions, checked_similar=True)
        if replayed := selectors.idea_for_submission_key(request.POST.get("submission_key", "")):
            return redirect("ideabank:receipt", token=replayed.token)
        if submissions_used_up(request) or is_ratelimited(
            request, increment=True, rate=settings.IDEABANK["ATTEMPT_RATE"], **ATTEMPT_LIMIT
        ):
            form.renew_guards()
            if limits_unavailable():
                # The counters are down: refuse rather than let spam through, and say so.
                return render_form(request, page, form, [], limits_unavailable=True, status=503)
            return render_form(request, page, form, [], rate_limited=True, status=429)
        if form.is_valid():
            data = form.cleaned_data
            idea, created = services.idea_submit(
                submission=services.Submission(
                    **{field: data[field] for field in services.Submission.__dataclass_fields__}
                ),
                service_areas=data["service_areas"],
                photos=data["photos"],
                submission_key=data["submission_key"],
                user=user,
                language=get_language(),
            )
            if created:
                get_usage(
                    request, **SUBMIT_LIMIT, rate=settings.IDEABANK["SUBMIT_RATE"], increment=True
                )
            return redirect("ideabank:receipt", token=idea.token)
        form.renew_guards()
        return render_form(request, page, form, [], status=400)
    form = IdeaForm(initial=employee_initial(request.user))
    return render_form(request, page, form, suggestions)


def render_form(request, page, form, suggestions, *, status=200, **extra):
    return TemplateResponse(
        request,
        "ideabank/idea_submit_page.html",
        {
            "page": page,
            "self": page,
            "form": form,
            "suggestions": suggestions,
            "similar_url": reverse("ideabank:similar"),
            "my_ideas": selectors.ideas_sent_by(request.user),
            **extra,
        },
        status=status,
    )


@require_GET
@vary_on_headers("Accept")
def similar(request):
    """Up to five published ideas like the title being typed, as HTML for the form."""
    title = request.GET.get("title", "")[:120]
    ideas = selectors.similar_ideas(title, request=request) if len(title.strip()) >= 3 else []
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(
            {
                "ideas": [
                    {"title": idea.title, "reference": idea.reference, "url": idea.public_url}
                    for idea in ideas
                ]
            }
        )
    return TemplateResponse(
        request, "ideabank/components/similar_ideas.html", {"suggestions": ideas, "checked": True}
    )


# The sender's private pages


TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{32,64}")


def idea_by_token(token: str) -> Idea:
    # Anything not shaped like a token never reaches the database (PostgreSQL refuses NUL).
    idea = Idea.objects.filter(token=token).first() if TOKEN_SHAPE.fullmatch(token) else None
    if idea is None or not idea.token_is_valid:
        raise Http404
    return idea


@never_cache
@require_GET
def receipt(request, token):
    idea = idea_by_token(token)
    return private(
        TemplateResponse(
            request,
            "ideabank/receipt.html",
            {
                "idea": idea,
                "status_url": request.build_absolute_uri(
                    reverse("ideabank:status", args=[idea.token])
                ),
            },
        )
    )


@never_cache
@require_GET
def status(request, token):
    idea = idea_by_token(token)
    return private(
        TemplateResponse(
            request,
            "ideabank/status.html",
            {
                "idea": idea,
                "timeline": selectors.timeline(idea),
                "can_withdraw": can_proceed(idea.withdraw),
                "merged_into": idea.merged_into if idea.merged_into_id else None,
            },
        )
    )


def confirm_page(request, idea, action: str):
    return private(
        TemplateResponse(request, "ideabank/confirm.html", {"idea": idea, "action": action}),
        referrer_policy=CONFIRM_REFERRER_POLICY,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def withdraw(request, token):
    idea = idea_by_token(token)
    if not can_proceed(idea.withdraw):
        messages.info(request, _("This idea can no longer be withdrawn."))
        return redirect("ideabank:status", token=idea.token)
    if request.method == "POST":
        try:
            services.idea_withdraw(idea=idea)
        except services.IdeaActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your idea is withdrawn."))
        return redirect("ideabank:status", token=idea.token)
    return confirm_page(request, idea, "withdraw")


@never_cache
@require_http_methods(["GET", "POST"])
def erase(request, token):
    idea = idea_by_token(token)
    if request.method == "POST":
        services.idea_erase_contact(idea=idea)
        messages.success(
            request, _("Your name and contact details are erased. The idea itself is kept.")
        )
        return redirect("ideabank:status", token=idea.token)
    return confirm_page(request, idea, "erase")
