"""The BLT board: one column per phase, a card per floke, buttons to move the cards.

Moving a card goes through `services.floke_transition` like the floke page does; the
board offers the steps a button can take, and going back with a one-line reason.
Stopping needs a reason and learnings, so it is done on the floke page the card links.
"""

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
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

from . import conditions, services
from .choices import Phase
from .models import Experiment, Floke, Insight
from .viewsets import BOARD_MENU_HOOK, TRANSITION_LABELS, days_in_phase, person

# The steps a card can take: a button, or for going back one short reason. Stopping asks
# for a reason and learnings, which belong on the floke page.
BOARD_TRANSITIONS = ("to_losning", "to_testing", "implement", "step_back", "reopen")
NEEDS_REASON = {"step_back"}


def board_flokes():
    """Every floke with what its card needs, gates included, in a fixed number of queries."""
    return (
        Floke.objects.select_related("owner")
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


def card_steps(floke, user) -> list[dict]:
    """The board's steps open to this user from the floke's phase, with what blocks each."""
    steps = []
    for name in BOARD_TRANSITIONS:
        method = getattr(floke, name)
        if not can_proceed(method, check_conditions=False):
            continue
        meta = method._django_fsm
        if not meta.has_transition_perm(floke, floke.phase, user):
            continue
        steps.append(
            {
                "name": name,
                "label": TRANSITION_LABELS[name],
                "missing": services.missing_for(floke, name),
                "needs_reason": name in NEEDS_REASON,
                "url": reverse("blt_board:move", args=[floke.pk, name]),
            }
        )
    return steps


class BoardView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_policy = ModelPermissionPolicy(Floke)
    permission_required = "view"
    template_name = "blt/board/index.html"
    page_title = _("BLT board")
    header_icon = "tasks"

    def get_columns(self):
        flokes = list(board_flokes())
        user = self.request.user
        columns = []
        for phase in Phase:
            cards = [
                {
                    "floke": floke,
                    "url": reverse("flokes:inspect", args=[floke.pk]),
                    "owner": person(floke.owner),
                    "days": days_in_phase(floke),
                    "steps": card_steps(floke, user),
                }
                for floke in flokes
                if floke.phase == phase
            ]
            columns.append({"phase": phase.value, "label": capfirst(phase.label), "cards": cards})
        return columns

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["columns"] = self.get_columns()
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
        ]
