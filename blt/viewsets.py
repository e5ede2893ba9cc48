"""Flokes in the Wagtail admin: where innovation staff run the BLT process.

Every change to a floke goes through `services`; the views here only collect what
the user typed, call the service, and turn its refusals into messages.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import BooleanRadioSelect
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

import django_filters
from django_fsm import can_proceed
from django_fsm_log.models import StateLog

from ideabank.choices import Status as IdeaStatus
from ideabank.models import CONTACT_PERMISSION, Idea, ServiceArea
from ideabank.viewsets import InspectFormAction

from . import conditions, services, tables
from .choices import ACTIVE_PHASES, TRANSITION_LABELS, Phase
from .forms import (
    TRANSITION_FORM_FIELDS,
    AcceptIdeaForm,
    AttachmentForm,
    BenefitForm,
    CoCreationForm,
    ExperimentForm,
    FlokeCreateForm,
    FlokeEditForm,
    FlokeTransitionForm,
    InsightForm,
    KeyFigureForm,
    TeamMemberForm,
)
from .models import (
    Attachment,
    Benefit,
    CoCreation,
    Experiment,
    Floke,
    Insight,
    KeyFigure,
    TeamMember,
)
from .tables import person

VIEW_ATTACHMENT_PERMISSION = "blt.view_attachment"
BOARD_MENU_HOOK = "register_blt_menu_item"
# Hooks get (request, floke) and return header buttons for the floke page.
FLOKE_BUTTONS_HOOK = "register_floke_header_buttons"

# The text the transition forms ask for, and the gates that text opens: those are
# not shown as missing, the form asks for them with the step.
FORM_FIELDS = {name for names in TRANSITION_FORM_FIELDS.values() for name in names}
FORM_GATES = {conditions.has_decision_note, conditions.has_stop_reason, conditions.has_learnings}


@dataclass(frozen=True)
class RecordKind:
    """One kind of record on the floke page: its form, how it is added, what it is called."""

    model: type
    form: type
    panel: str
    legend: str
    button: str
    added: str
    add: Callable | None = None
    update: Callable | None = None
    editable: bool = True

    def create(self, floke, by, data):
        if self.add is not None:
            return self.add(floke=floke, by=by, **data)
        return services.floke_add_record(floke=floke, by=by, model=self.model, **data)

    def change(self, record, by, data):
        if self.update is not None:
            return self.update(record=record, by=by, **data)
        return services.floke_update_record(record=record, by=by, **data)


RECORDS = {
    "insight": RecordKind(
        Insight,
        InsightForm,
        panel="need",
        legend=_("Record an insight"),
        button=_("Record the insight"),
        added=_("The insight is recorded."),
        add=services.floke_add_insight,
    ),
    "co_creation": RecordKind(
        CoCreation,
        CoCreationForm,
        panel="solution",
        legend=_("Record a co-creation activity"),
        button=_("Record the activity"),
        added=_("The co-creation activity is recorded."),
    ),
    "experiment": RecordKind(
        Experiment,
        ExperimentForm,
        panel="testing",
        legend=_("Plan or record an experiment"),
        button=_("Record the experiment"),
        added=_("The experiment is recorded."),
        add=services.floke_add_experiment,
    ),
    "benefit": RecordKind(
        Benefit,
        BenefitForm,
        panel="results",
        legend=_("Plan a benefit"),
        button=_("Record the benefit"),
        added=_("The benefit is recorded."),
    ),
    "key_figure": RecordKind(
        KeyFigure,
        KeyFigureForm,
        panel="results",
        legend=_("Add a key figure"),
        button=_("Record the key figure"),
        added=_("The key figure is recorded."),
    ),
    "team_member": RecordKind(
        TeamMember,
        TeamMemberForm,
        panel="team-members",
        legend=_("Add a team member without a user account"),
        button=_("Add the team member"),
        added=_("The team member is added."),
    ),
    "attachment": RecordKind(
        Attachment,
        AttachmentForm,
        panel="attachments",
        legend=_("Attach a document"),
        button=_("Attach the document"),
        added=_("The document is attached."),
        add=services.floke_add_attachment,
        update=services.floke_update_attachment,
    ),
}


def days_in_phase(floke) -> int:
    return (timezone.now() - floke.phase_changed_at).days


def stuck_before() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=settings.BLT_STUCK_DAYS)


# The listing


class FlokeFilterSet(WagtailFilterSet):
    phase = django_filters.ChoiceFilter(
        label=_("Phase"),
        choices=[(value, capfirst(label)) for value, label in Phase.choices],
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    service_areas = django_filters.ModelMultipleChoiceFilter(
        label=_("Service area"),
        queryset=ServiceArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        method="filter_service_areas",
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"),
        # A semi-join, not a join with DISTINCT: the owners of 2,000 flokes are 25 rows.
        queryset=get_user_model()
        .objects.filter(Exists(Floke.objects.filter(owner=OuterRef("pk"))))
        .order_by("username"),
    )
    stuck = django_filters.BooleanFilter(
        label=_("Stuck"),
        help_text=_("In the same active phase for longer than the agreed number of days."),
        widget=BooleanRadioSelect,
        method="filter_stuck",
    )

    class Meta:
        model = Floke
        fields = ["phase", "service_areas", "owner", "stuck"]

    def filter_service_areas(self, queryset, name, value):
        if not value:
            return queryset
        # A subquery instead of a join: a floke in two chosen areas is still one row.
        through = Floke.service_areas.through.objects.filter(servicearea__in=value)
        return queryset.filter(pk__in=through.values("floke_id"))

    def filter_stuck(self, queryset, name, value):
        if value is None:
            return queryset
        stuck = {"phase__in": ACTIVE_PHASES, "phase_changed_at__lt": stuck_before()}
        return queryset.filter(**stuck) if value else queryset.exclude(**stuck)


class FlokeIndexView(generic.IndexView):
    custom_field_preprocess = {
        "created_at": {
            "csv": lambda value: timezone.localtime(value).strftime("%Y-%m-%d %H:%M"),
            "xlsx": lambda value: timezone.make_naive(value),
        }
    }

    @cached_property
    def columns(self):
        return [
            TitleColumn("title", label=_("Title"), sort_key="title", get_url=self.get_inspect_url),
            StatusTagColumn(
                "phase",
                accessor=lambda floke: capfirst(floke.get_phase_display()),
                label=_("Phase"),
                sort_key="phase",
                primary=lambda floke: floke.phase in ACTIVE_PHASES,
            ),
            Column("owner", accessor=lambda floke: person(floke.owner), label=_("Owner")),
            Column(
                "days_in_phase",
                accessor=days_in_phase,
                label=_("Days in phase"),
                sort_key="phase_changed_at",
            ),
            DateColumn("created_at", label=_("Created"), sort_key="created_at"),
        ]

    def get_inspect_url(self, instance):
        return reverse(self.inspect_url_name, args=[instance.pk])

    def get_base_queryset(self):
        queryset = (
            super()
            .get_base_queryset()
            .select_related("owner")
            .defer("description", "internal_notes", "learnings", "decision_note")
        )
        if self.is_export:
            queryset = queryset.prefetch_related(
                Prefetch("service_areas", queryset=ServiceArea.objects.only("name"))
            )
        return queryset

    def to_row_dict(self, item):
        row = {}
        for field in self.list_export:
            if field == "service_areas":
                value = ", ".join(area.name for area in item.service_areas.all())
            elif field == "phase":
                value = capfirst(item.get_phase_display())
            elif field == "owner":
                value = person(item.owner)
            elif field == "days_in_phase":
                value = days_in_phase(item)
            else:
                value = getattr(item, field)
            row[field] = value
        return row


class FlokeCreateView(generic.CreateView):
    """Staff open a floke directly, e.g. for a cohort's own problem."""

    inspect_url_name = None

    def get_form_class(self):
        return FlokeCreateForm

    def save_instance(self):
        data = self.form.cleaned_data
        return services.floke_create(
            by=self.request.user,
            title=data["title"],
            need_statement=data["need_statement"],
            description=data["description"],
            service_areas=data["service_areas"],
            owner=data["owner"],
            team=data["team"],
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.FlokeActionError as error:
            self.produced_error_message = error.message
            return self.form_invalid(form)

    def get_success_url(self):
        return reverse(self.inspect_url_name, args=[self.object.pk])


class FlokePermissionPolicy(ModelPermissionPolicy):
    """Model permissions, and one thing more: the owner and team may change their own floke.

    What they may change is narrower than for innovation staff (`services.editable_fields`):
    the texts the gates ask for, so they can take the steps they are allowed to take.
    """

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "change" and services.editable_fields(instance, user):
            return True
        return super().user_has_permission_for_instance(user, action, instance)


# The floke's form for its owner and team without the right to change flokes.
GATE_TEXT_PANELS = [FieldPanel(name) for name in services.GATE_TEXT_FIELDS]


class FlokeEditView(generic.EditView):
    """Staff correct the text; the phase moves only through transitions."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Whether this user may edit depends on the floke (its owner and team may).
        self.object = self.get_object()

    def user_has_permission(self, permission):
        if permission == "change":
            return self.user_has_permission_for_instance(permission, self.object)
        return super().user_has_permission(permission)

    def get_panel(self):
        if self.request.user.has_perm(services.CHANGE_PERMISSION):
            return super().get_panel()
        return ObjectList(GATE_TEXT_PANELS, base_form_class=FlokeEditForm).bind_to_model(Floke)

    def get_form_class(self):
        return self.panel.get_form_class()

    def get_success_url(self):
        return reverse(self.inspect_url_name, args=[self.object.pk])

    def save_instance(self):
        fields = {name: self.form.cleaned_data[name] for name in self.form.fields}
        return services.floke_edit(floke=self.form.instance, by=self.request.user, **fields)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.FlokeActionError as error:
            self.produced_error_message = error.message
            return self.form_invalid(form)


# One floke


class FlokeInspectView(generic.InspectView):
    """The floke page: its records, linked ideas, timeline and the next steps."""

    inspect_url_name = None
    action_url_names = {}

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.bound_forms = {}

    def get_object(self, queryset=None):
        flokes = Floke.objects.select_related("owner", "solution_changed_by").prefetch_related(
            "service_areas", "team"
        )
        return get_object_or_404(flokes, pk=self.pk)

    def get_edit_url(self):
        # The owner and team may edit their own floke's gate texts (FlokePermissionPolicy).
        if self.edit_url_name and self.user_has_permission_for_instance("change", self.object):
            return reverse(self.edit_url_name, args=[self.object.pk])
        return None

    def get_page_subtitle(self):
        return str(self.object)

    @cached_property
    def header_buttons(self):
        # Apps that build on the pipeline (stories) add their own acts on a floke here,
        # so blt never imports them.
        return [
            button
            for hook in hooks.get_hooks(FLOKE_BUTTONS_HOOK)
            for button in hook(self.request, self.object) or []
        ]

    def get_fields(self):
        return [
            "title",
            "phase",
            "phase_changed_at",
            "owner",
            "team",
            "service_areas",
            "description",
            "public_summary",
            "internal_notes",
            "created_at",
        ]

    def get_phase_display_value(self):
        return capfirst(self.object.get_phase_display())

    def get_owner_display_value(self):
        return person(self.object.owner) or "-"

    def get_team_display_value(self):
        return ", ".join(person(user) for user in self.object.team.all()) or "-"

    def get_description_display_value(self):
        return mark_safe(linebreaks(self.object.description, autoescape=True))

    def get_internal_notes_display_value(self):
        return mark_safe(linebreaks(self.object.internal_notes, autoescape=True))

    def get_public_summary_display_value(self):
        return mark_safe(linebreaks(self.object.public_summary, autoescape=True))

    def action_url(self, name, *args):
        return reverse(self.action_url_names[name], args=[self.object.pk, *args])

    def get_inspect_url(self):
        return reverse(self.inspect_url_name, args=[self.object.pk])

    def get_form(self, prefix, form_class, **kwargs):
        if prefix in self.bound_forms:
            return self.bound_forms[prefix]
        return form_class(prefix=prefix, **kwargs)

    def transition_form(self, name, data=None):
        prefix = f"transition-{name}"
        if data is None and prefix in self.bound_forms:
            return self.bound_forms[prefix]
        floke = self.object
        initial = {field: getattr(floke, field) for field in FORM_FIELDS}
        initial["expected_phase"] = floke.phase
        return FlokeTransitionForm(data, prefix=prefix, transition=name, initial=initial)

    def get_transitions(self):
        """Steps possible from this phase for this user: ready ones, and what blocks the rest."""
        floke, user = self.object, self.request.user
        transitions = []
        for name in services.TRANSITIONS:
            method = getattr(floke, name)
            if not can_proceed(method, check_conditions=False):
                continue
            meta = method._django_fsm
            if not meta.has_transition_perm(floke, floke.phase, user):
                continue
            step = meta.get_transition(floke.phase)
            missing = [
                str(gate.missing)
                for gate in step.conditions
                if gate not in FORM_GATES and not gate(floke)
            ]
            transitions.append(
                {
                    "name": name,
                    "label": TRANSITION_LABELS[name],
                    "missing": missing,
                    "url": self.action_url("transition", name),
                    "form": None if missing else self.transition_form(name),
                }
            )
        return transitions

    def get_state_logs(self):
        labels = dict(Phase.choices)
        logs = list(
            StateLog.objects.filter(
                content_type=ContentType.objects.get_for_model(Floke), object_id=self.object.pk
            )
            .select_related("by")
            .order_by("timestamp", "pk")
        )
        for entry in logs:
            entry.source_label = capfirst(labels.get(entry.source_state, entry.source_state))
            entry.target_label = capfirst(labels.get(entry.state, entry.state))
        return logs

    def get_ideas(self):
        show_senders = self.request.user.has_perm(CONTACT_PERMISSION)
        fields = ["reference", "title", "status"] + (["name"] if show_senders else [])
        ideas = self.object.ideas.only(*fields).order_by("reference")
        return [
            {
                "idea": idea,
                "url": reverse("ideas:inspect", args=[idea.pk]),
                "sender": (idea.name or "-") if show_senders else None,
            }
            for idea in ideas
        ]

    def get_records(self, may_record: bool) -> dict[str, list]:
        floke = self.object
        records = {
            "insight": floke.insights.select_related("created_by"),
            "co_creation": floke.co_creations.select_related("created_by"),
            "experiment": floke.experiments.select_related("created_by"),
            "benefit": floke.benefits.select_related("created_by"),
            "key_figure": floke.key_figures.select_related("created_by"),
            "team_member": floke.team_members.select_related("created_by"),
            "attachment": floke.attachments.select_related("document", "created_by"),
        }
        records = {name: list(queryset) for name, queryset in records.items()}
        if may_record:
            for name, items in records.items():
                if RECORDS[name].editable:
                    for record in items:
                        record.edit_url = self.action_url("edit_record", name, record.pk)
        return records

    def get_record_forms(self) -> dict[str, dict]:
        return {
            name: {
                "form": self.get_form(name, kind.form),
                "url": self.action_url("record", name),
                "legend": kind.legend,
                "button": kind.button,
            }
            for name, kind in RECORDS.items()
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        may_record = conditions.may_move(self.object, user)
        records = self.get_records(may_record)
        ideas = self.get_ideas()
        logs = self.get_state_logs()
        context.update(
            floke=self.object,
            record_tables={
                name: tables.record_table(name, items) for name, items in records.items() if items
            },
            ideas_table=ideas
            and tables.ideas_table(ideas, show_senders=user.has_perm(CONTACT_PERMISSION)),
            timeline_table=logs and tables.timeline_table(logs),
            transitions=self.get_transitions(),
            record_forms=self.get_record_forms() if may_record else {},
            diagram_url=reverse("blt_board:help"),
            solution_changed_by=person(self.object.solution_changed_by),
        )
        return context


class FlokeActionView(InspectFormAction, FlokeInspectView):
    conflict_error = services.Conflict
    action_error = services.FlokeActionError

    def dispatch(self, request, *args, **kwargs):
        # Readers (communications) see the page, but its forms are not theirs to send.
        if not conditions.may_move(self.object, request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def refused(self, form, error):
        super().refused(form, error)
        for item in error.missing:
            messages.error(self.request, item)


class FlokeTransitionView(FlokeActionView):
    def setup(self, request, *args, **kwargs):
        self.transition_name = kwargs.pop("name")
        if self.transition_name not in services.TRANSITIONS:
            raise Http404
        super().setup(request, *args, **kwargs)
        self.form_key = f"transition-{self.transition_name}"

    def get_bound_form(self):
        return self.transition_form(self.transition_name, data=self.request.POST)

    def perform(self, form):
        floke = services.floke_transition(
            floke=self.object,
            name=self.transition_name,
            by=self.request.user,
            description=form.cleaned_data["description"],
            public_reason=form.cleaned_data["public_reason"],
            expected_phase=form.cleaned_data["expected_phase"],
            **form.step_fields,
        )
        return _("%(title)s is now in: %(phase)s.") % {
            "title": floke.title,
            "phase": floke.get_phase_display(),
        }


class FlokeRecordView(FlokeActionView):
    """Add one record (an insight, an experiment, a benefit …) from the floke page."""

    def setup(self, request, *args, **kwargs):
        self.kind_name = kwargs.pop("kind")
        if self.kind_name not in RECORDS:
            raise Http404
        self.kind = RECORDS[self.kind_name]
        super().setup(request, *args, **kwargs)
        self.form_key = self.kind_name
        self.form_class = self.kind.form

    def get_bound_form(self):
        return self.form_class(self.request.POST, self.request.FILES, prefix=self.form_key)

    def perform(self, form):
        self.kind.create(self.object, self.request.user, form.cleaned_data)
        return self.kind.added

    def get_inspect_url(self):
        return f"{super().get_inspect_url()}#{self.kind.panel}"


class FlokeRecordEditView(FlokeInspectView):
    """Correct a record, or fill in what was learned later (a result, a realised value)."""

    def setup(self, request, *args, **kwargs):
        kind_name = kwargs.pop("kind")
        self.record_pk = kwargs.pop("record_pk")
        if kind_name not in RECORDS or not RECORDS[kind_name].editable:
            raise Http404
        self.kind_name = kind_name
        self.kind = RECORDS[kind_name]
        super().setup(request, *args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        self.record = get_object_or_404(self.kind.model, pk=self.record_pk, floke=self.object)
        if not conditions.may_move(self.object, request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Edit %(record)s") % {"record": self.kind.model._meta.verbose_name}

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = generic.InspectView.get_context_data(self, **kwargs)
        context.update(
            form=getattr(self, "form", None)
            or self.kind.form(instance=self.record, prefix=self.kind_name),
            record=self.record,
            back_url=self.back_url(),
        )
        return context

    def back_url(self):
        return f"{self.get_inspect_url()}#{self.kind.panel}"

    def post(self, request, *args, **kwargs):
        self.form = self.kind.form(
            request.POST, request.FILES, instance=self.record, prefix=self.kind_name
        )
        if self.form.is_valid():
            try:
                self.kind.change(self.record, request.user, self.form.cleaned_data)
            except services.FlokeActionError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The change is saved."))
                return redirect(self.back_url())
        else:
            messages.error(request, _("Check the form: something is missing or wrong."))
        return self.render_to_response(self.get_context_data())


# A floke's attachments among the site's documents

ATTACHMENT_PERMISSIONS = {"change": "blt.change_attachment", "delete": "blt.delete_attachment"}


class DocumentPermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's document permissions, except that a floke's attachment is the floke's record.

    Story staff may edit every document in the collections, and Wagtail counts deleting as
    editing; deleting an attachment's document would delete the record without a word in
    the floke's history. Only those who may change (or delete) attachments may do that.
    """

    def refused(self, user, actions) -> set[str]:
        return {
            action
            for action in actions
            if action in ATTACHMENT_PERMISSIONS
            and not user.has_perm(ATTACHMENT_PERMISSIONS[action])
        }

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if Attachment.objects.filter(document=instance).exists():
            actions = set(actions) - self.refused(user, actions)
        return bool(actions) and super().user_has_any_permission_for_instance(
            user, actions, instance
        )

    def instances_user_has_any_permission_for(self, user, actions):
        documents = super().instances_user_has_any_permission_for(user, actions)
        if not (refused := self.refused(user, actions)):
            return documents
        documents = documents.exclude(pk__in=Attachment.objects.values("document_id"))
        if others := set(actions) - refused:
            documents |= super().instances_user_has_any_permission_for(user, others)
        return documents


def check_attachment_reader(document, request):
    """Before a document is served: a floke's attachment only for those who may read it.

    Runs after Wagtail's own check of the collection's restriction (signed in), which
    alone would let in employees who sign in only to send ideas.
    """
    if not request.user.has_perm(VIEW_ATTACHMENT_PERMISSION) and (
        Attachment.objects.filter(document=document).exists()
    ):
        raise PermissionDenied


# Accepting an idea into a floke, from the idea's admin page


class AcceptIdeaPanel(Component):
    """Shown on an idea under review: take it into a new floke or one already running."""

    template_name = "blt/admin/includes/accept_idea_panel.html"
    replaces_transitions = {"accept"}

    def __init__(self, idea, form=None):
        self.idea = idea
        self.form = form or AcceptIdeaForm(prefix="accept")

    def get_context_data(self, parent_context):
        return {
            "idea": self.idea,
            "form": self.form,
            "url": reverse("flokes:accept_idea", args=[self.idea.pk]),
            "csrf_token": parent_context.get("csrf_token"),
        }


def idea_inspect_panel(request, idea):
    user = request.user
    if idea.status != IdeaStatus.IN_REVIEW:
        return None
    if not (user.has_perm(services.ADD_PERMISSION) or user.has_perm(conditions.MOVE_PERMISSION)):
        return None
    return AcceptIdeaPanel(idea)


@require_POST
def accept_idea_view(request, idea_pk):
    idea = get_object_or_404(Idea, pk=idea_pk)
    idea_url = reverse("ideas:inspect", args=[idea.pk])
    form = AcceptIdeaForm(request.POST, prefix="accept")
    if not form.is_valid():
        messages.error(request, _("Check the form: something is missing or wrong."))
        return redirect(idea_url)
    try:
        floke = services.idea_accept_into_floke(
            idea=idea,
            by=request.user,
            floke=form.cleaned_data["floke"],
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
        )
    except services.FlokeActionError as error:
        messages.error(request, error.message)
        return redirect(idea_url)
    messages.success(
        request,
        _("%(reference)s is taken into the floke “%(title)s”.")
        % {"reference": idea.reference, "title": floke.title},
    )
    if not request.user.has_perm("blt.view_floke"):
        return redirect(idea_url)
    return redirect(reverse("flokes:inspect", args=[floke.pk]))


class FlokeViewSet(ModelViewSet):
    model = Floke
    name = "flokes"
    icon = "tasks"
    menu_label = _("Flokes")
    add_to_admin_menu = False
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True

    index_view_class = FlokeIndexView
    add_view_class = FlokeCreateView
    edit_view_class = FlokeEditView
    inspect_view_class = FlokeInspectView
    inspect_template_name = "blt/admin/inspect.html"

    filterset_class = FlokeFilterSet
    search_fields = ["title", "need_statement", "description"]
    search_backend_name = None
    ordering = "-updated_at"
    list_per_page = 20
    list_export = ["title", "phase", "owner", "service_areas", "days_in_phase", "created_at"]
    export_headings = {
        "title": _("Title"),
        "phase": _("Phase"),
        "owner": _("Owner"),
        "service_areas": _("Service areas"),
        "days_in_phase": _("Days in phase"),
        "created_at": _("Created"),
    }
    export_filename = "flokes"

    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("owner"),
            FieldPanel("team", widget=forms.CheckboxSelectMultiple),
            FieldPanel("need_statement"),
            FieldPanel("description"),
            FieldPanel("public_summary"),
            FieldPanel("internal_notes"),
            FieldPanel("solution_what"),
            FieldPanel("solution_for_whom"),
            FieldPanel("solution_difference"),
            FieldPanel("decision_note"),
            FieldPanel("learnings"),
            FieldPanel("service_areas", widget=forms.CheckboxSelectMultiple),
        ],
        base_form_class=FlokeEditForm,
    )

    action_views = {
        "transition": FlokeTransitionView,
        "record": FlokeRecordView,
        "edit_record": FlokeRecordEditView,
    }

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(inspect_url_name=self.get_url_name("inspect"), **kwargs)

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            action_url_names={name: self.get_url_name(name) for name in self.action_views},
            **kwargs,
        )

    def action_view(self, name, **kwargs):
        return self.construct_view(
            self.action_views[name], **self.get_inspect_view_kwargs(**kwargs)
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "transition/<int:pk>/<str:name>/",
                self.action_view("transition"),
                name="transition",
            ),
            path("record/<int:pk>/<str:kind>/", self.action_view("record"), name="record"),
            path(
                "record/<int:pk>/<str:kind>/<int:record_pk>/",
                self.action_view("edit_record", template_name="blt/admin/record_edit.html"),
                name="edit_record",
            ),
            path("accept-idea/<int:idea_pk>/", accept_idea_view, name="accept_idea"),
        ]


class BLTViewSetGroup(ViewSetGroup):
    menu_label = _("BLT")
    menu_icon = "tasks"
    menu_order = 210
    items = (FlokeViewSet,)
    # The board is not a viewset of this group; its menu item joins through this hook.
    submenu_hook = BOARD_MENU_HOOK
