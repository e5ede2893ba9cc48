"""The BLT board: one column per phase, a card per floke, buttons to move the cards.

Moving a card goes through `services.floke_transition` like the floke page does; the
board offers the steps a button can take, and going back with a one-line reason.
Stopping needs a reason and learnings, so it is done on the floke page the card links.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import PermissionCheckedMixin, WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from django_fsm import can_proceed

from . import conditions, diagram, services
from .choices import TRANSITION_LABELS, Phase
from .models import Experiment, Floke, Insight
from .tables import person
from .viewsets import BOARD_MENU_HOOK, FlokeFilterSet, days_in_phase

# The steps a card can take: a button, or with one short reason when the step declares it
# needs one (going back). Stopping asks for a reason and learnings, which belong on the
# floke page.
BOARD_TRANSITIONS = ("to_losning", "to_testing", "implement", "step_back", "reopen")


def needs_reason(floke, name: str) -> bool:
    step = getattr(floke, name)._django_fsm.get_transition(floke.phase)
    return bool(step and step.custom.get("needs"))


def board_flokes(flokes=None):
    """Flokes with what their cards need, gates included, in a fixed number of queries."""
    return (
        (Floke.objects.all() if flokes is None else flokes)
        .select_related("owner")
        .only(
            "title",
            "phase",
            "phase_changed_at",
            "need_statement",
            "solution_what",
            "solution_for_whom",
            "solution_difference",
            "decision_note",
            "owner__first_name",
            "owner__last_name",
            "owner__username",
        )
        .annotate(
            **{
                conditions.INSIGHT_EXISTS: Exists(Insight.objects.filter(floke=OuterRef("pk"))),
                conditions.EXPERIMENT_EXISTS: Exists(
                    Experiment.objects.filter(floke=OuterRef("pk"))
                ),
                conditions.FINISHED_EXPERIMENT_EXISTS: Exists(
                    Experiment.objects.filter(conditions.FINISHED_WITH_LEARNINGS).filter(
                        floke=OuterRef("pk")
                    )
                ),
            }
        )
        .order_by("phase_changed_at", "pk")
    )


# Cards shown per column. A column holds the flokes longest in their phase first (the
# ones most likely stuck); implemented and stopped show the latest. The rest are one
# click away in the floke listing, filtered to that phase.
CARDS_PER_COLUMN = 20
CLOSED_PHASES = (Phase.IMPLEMENTED, Phase.STOPPED)


class BoardFilterSet(FlokeFilterSet):
    class Meta(FlokeFilterSet.Meta):
        fields = ["service_areas", "owner", "stuck"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The columns are the phases; a phase filter would only empty the others.
        del self.filters["phase"]


def ranked(flokes, phases, order):
    """The ids of the first cards of each column of `phases`, as a subquery."""
    return (
        flokes.filter(phase__in=phases)
        .annotate(rank=Window(RowNumber(), partition_by=F("phase"), order_by=order))
        .filter(rank__lte=CARDS_PER_COLUMN)
        .values("pk")
    )


def shown_flokes(flokes) -> dict[str, list]:
    """The cards of every column, in one query however many flokes there are.

    The columns are ranked on ids alone, so the gates are worked out for the shown cards
    only, not for every floke in the phase.
    """
    active = [phase for phase in Phase if phase not in CLOSED_PHASES]
    oldest_first = [F("phase_changed_at").asc(), F("pk").asc()]
    newest_first = [F("phase_changed_at").desc(), F("pk").desc()]
    rows = board_flokes().filter(
        Q(pk__in=ranked(flokes, active, oldest_first))
        | Q(pk__in=ranked(flokes, CLOSED_PHASES, newest_first))
    )
    columns = {phase.value: [] for phase in Phase}
    for floke in rows:
        columns[floke.phase].append(floke)
    for phase in CLOSED_PHASES:
        columns[phase].reverse()
    return columns


def movable_ids(flokes, user) -> set[int] | None:
    """Flokes this user may move; None means all of them (innovation staff)."""
    if user.has_perm(conditions.MOVE_PERMISSION):
        return None
    own = flokes.filter(Q(owner=user) | Q(team=user)).values_list("pk", flat=True)
    return set(own)


def url_for_ids(viewname: str, *rest):
    """A function from a floke's id to the URL `reverse(viewname, args=[id, *rest])`.

    Reversed once with a stand-in id: a board of a hundred cards would reverse hundreds
    of times.
    """
    marker = 987654321987
    head, tail = reverse(viewname, args=[marker, *rest]).split(str(marker))
    return lambda pk: f"{head}{pk}{tail}"


class Steps:
    """The board's steps per phase, worked out once per phase instead of once per card."""

    def __init__(self, user):
        self.user = user
        self.by_phase = {}
        self.move_url = {name: url_for_ids("blt_board:move", name) for name in BOARD_TRANSITIONS}
        # Translated once: a lazy label is translated again each time a card reads it.
        self.labels = {name: str(TRANSITION_LABELS[name]) for name in BOARD_TRANSITIONS}

    def open_from(self, floke) -> list[tuple[str, bool]]:
        """(step, whether it asks for a reason) for each step open from the floke's phase."""
        if floke.phase not in self.by_phase:
            self.by_phase[floke.phase] = [
                (name, needs_reason(floke, name))
                for name in BOARD_TRANSITIONS
                if can_proceed(getattr(floke, name), check_conditions=False)
            ]
        return self.by_phase[floke.phase]

    def for_card(self, floke) -> list[dict]:
        return [
            {
                "name": name,
                "id": f"card-{floke.pk}-{name}",
                "label": self.labels[name],
                "missing": services.missing_for(floke, name),
                "needs_reason": reason,
                "url": self.move_url[name](floke.pk),
            }
            for name, reason in self.open_from(floke)
        ]


class BoardView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_policy = ModelPermissionPolicy(Floke)
    permission_required = "view"
    template_name = "blt/board/index.html"
    page_title = _("BLT board")
    header_icon = "tasks"

    def get_columns(self, flokes):
        user = self.request.user
        counts = dict(flokes.order_by().values_list("phase").annotate(count=Count("pk")))
        shown = shown_flokes(flokes)
        movable = movable_ids(flokes, user)
        steps = Steps(user)
        listing = reverse("flokes:index")
        inspect_url = url_for_ids("flokes:inspect")
        columns = []
        for phase in Phase:
            cards = [
                {
                    "floke": floke,
                    # Ids as text: a number in a template is localised on every use.
                    "pk": str(floke.pk),
                    "url": inspect_url(floke.pk),
                    "owner": person(floke.owner) or "-",
                    "days": str(days_in_phase(floke)),
                    "steps": steps.for_card(floke)
                    if movable is None or floke.pk in movable
                    else [],
                }
                for floke in shown[phase.value]
            ]
            count = counts.get(phase.value, 0)
            columns.append(
                {
                    "phase": phase.value,
                    "label": capfirst(phase.label),
                    "cards": cards,
                    "count": count,
                    "more": count - len(cards),
                    "more_url": f"{listing}?{urlencode({'phase': phase.value})}",
                }
            )
        return columns

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = BoardFilterSet(self.request.GET or None, queryset=Floke.objects.all())
        flokes = filters.qs if filters.is_bound and filters.is_valid() else Floke.objects.all()
        context["filters"] = filters
        context["columns"] = self.get_columns(flokes)
        context["help_url"] = reverse("blt_board:help")
        return context


class HelpView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """How BLT works: the machine drawn from the model, and what each step needs."""

    permission_policy = ModelPermissionPolicy(Floke)
    permission_required = "view"
    template_name = "blt/help.html"
    page_title = _("How the BLT process works")
    header_icon = "help"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["drawing"] = diagram.drawing()
        context["board_url"] = reverse("blt_board:index")
        return context


class BoardMoveView(PermissionCheckedMixin, View):
    """POST from a card: fire one step, say how it went, and go back to the board."""

    permission_policy = ModelPermissionPolicy(Floke)
    permission_required = "view"
    http_method_names = ["post"]

    def post(self, request, pk, name):
        if name not in BOARD_TRANSITIONS:
            raise Http404
        floke = get_object_or_404(Floke, pk=pk)
        if not conditions.may_move(floke, request.user):
            raise PermissionDenied
        try:
            moved = services.floke_transition(
                floke=floke,
                name=name,
                by=request.user,
                expected_phase=request.POST.get("expected_phase") or None,
                description=request.POST.get("description", ""),
            )
        except services.GateClosed as error:
            messages.error(
                request,
                _("“%(title)s” cannot move yet. Still missing: %(missing)s")
                % {"title": floke.title, "missing": " ".join(error.missing)},
            )
        except services.FlokeActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(title)s is now in: %(phase)s.")
                % {"title": moved.title, "phase": moved.get_phase_display()},
            )
        return redirect("blt_board:index")


class BoardMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("blt.view_floke")


class BoardViewSet(ViewSet):
    """The board's URLs, and its entry in the BLT menu."""

    name = "blt_board"
    url_prefix = "blt-board"
    icon = "tasks"
    menu_label = _("Board")
    menu_item_class = BoardMenuItem
    menu_hook = BOARD_MENU_HOOK

    def get_urlpatterns(self):
        return [
            path("", BoardView.as_view(), name="index"),
            path("move/<int:pk>/<str:name>/", BoardMoveView.as_view(), name="move"),
            path("help/", HelpView.as_view(), name="help"),
        ]
