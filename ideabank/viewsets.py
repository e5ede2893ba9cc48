"""The idea bank in the Wagtail admin: where innovation staff triage what comes in.

Every change to an idea goes through `services`; the views here only collect what
the user typed, call the service, and turn its refusals into messages.
"""

import re
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch, Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import (
    ButtonsColumnMixin,
    Column,
    DateColumn,
    StatusFlagColumn,
    StatusTagColumn,
    TitleColumn,
)
from wagtail.admin.views import generic
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import BooleanRadioSelect
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy

import django_filters
from django_fsm import ConcurrentTransition
from django_fsm_log.models import StateLog

from . import conditions, privacy, selectors, services
from .choices import OPEN_STATUSES, Criterion, Source, Status
from .forms import AnswerForm, AssessmentForm, PublishForm, SenderLookupForm, TransitionForm
from .models import (
    CONTACT_PERMISSION,
    PERSONAL_DATA_PERMISSION,
    PUBLISH_PERMISSION,
    TRIAGE_PERMISSION,
    VIEW_PERMISSION,
    Assessment,
    EmployeeProfile,
    Idea,
    IdeaPhoto,
    ServiceArea,
)

# What identifies the sender. Never loaded for listings and exports, shown only
# to holders of CONTACT_PERMISSION.
CONTACT_FIELDS = ("name", "email", "phone", "submitted_by")
REFERENCE = re.compile(r"^\s*IDE-\d{4}-\d+\s*$", re.IGNORECASE)
# Other apps register functions under this hook name to add panels to the idea page.
IDEA_PANELS_HOOK = "ideabank_idea_inspect_panels"

TRANSITION_LABELS = {
    "start_review": _("Start review"),
    "accept": _("Take forward"),
    "decline": _("Decline"),
    "reopen": _("Reopen for review"),
    "merge": _("Merge into another idea"),
}
TRANSITION_HELP = {
    "start_review": _("Tell the sender that someone is looking at the idea."),
    "accept": _("The idea is taken forward into the innovation work."),
    "decline": _("Required: a public answer that says why the idea is not taken forward."),
    "reopen": _("Take a new look at a declined idea."),
    "merge": _("The same idea was sent before. Its sender follows the other idea from now."),
}


class IdeaPermissionPolicy(ModelPermissionPolicy):
    """Ideas arrive only through the public form, and only administrators delete them."""

    def user_has_permission(self, user, action):
        if action == "add":
            return False
        if action == "delete":
            return user.is_active and user.is_superuser
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = set(actions) - {"add"}
        users = Q(pk__in=super().users_with_any_permission(actions - {"delete"}).values("pk"))
        if "delete" in actions:
            users |= Q(is_active=True, is_superuser=True)
        return get_user_model().objects.filter(users)


# The listing


def capitalised(choices):
    return [(value, capfirst(label)) for value, label in choices]


class IdeaFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=capitalised(Status.choices),
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    service_areas = django_filters.ModelMultipleChoiceFilter(
        label=_("Service area"),
        queryset=ServiceArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        method="filter_service_areas",
    )
    source = django_filters.ChoiceFilter(
        label=_("Sent by"),
        choices=capitalised(Source.choices),
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Received"), widget=DateRangePickerWidget
    )
    is_published = django_filters.BooleanFilter(
        label=_("Published in the idea bank"), widget=BooleanRadioSelect
    )

    class Meta:
        model = Idea
        fields = ["status", "service_areas", "source", "created_at", "is_published"]

    def filter_service_areas(self, queryset, name, value):
        if not value:
            return queryset
        # A subquery instead of a join: an idea in two chosen areas is still one row.
        through = Idea.service_areas.through.objects.filter(servicearea__in=value)
        return queryset.filter(pk__in=through.values("idea_id"))


class IdeaTitleColumn(ButtonsColumnMixin, TitleColumn):
    """The title links to the inspect view, where triage happens; the row menu has the rest."""

    def __init__(self, name, *, get_buttons, **kwargs):
        super().__init__(name, **kwargs)
        self._get_buttons = get_buttons

    def get_buttons(self, instance, parent_context):
        return self._get_buttons(instance)


class IdeaIndexView(generic.IndexView):
    # Spreadsheets show the time as staff in the municipality read it.
    custom_field_preprocess = {
        "created_at": {
            "csv": lambda value: timezone.localtime(value).strftime("%Y-%m-%d %H:%M"),
            "xlsx": lambda value: timezone.make_naive(value),
        }
    }

    @cached_property
    def columns(self):
        return [
            Column("reference", label=_("Reference number"), sort_key="reference"),
            IdeaTitleColumn(
                "title",
                label=_("Title"),
                sort_key="title",
                get_url=self.get_inspect_url,
                get_buttons=self.get_list_buttons,
            ),
            StatusTagColumn(
                "status",
                accessor=lambda idea: capfirst(idea.get_status_display()),
                label=_("Status"),
                sort_key="status",
                primary=lambda idea: idea.status in OPEN_STATUSES,
            ),
            Column(
                "source",
                accessor=lambda idea: capfirst(idea.get_source_display()),
                label=_("Sent by"),
                sort_key="source",
            ),
            DateColumn("created_at", label=_("Received"), sort_key="created_at"),
            Column("score", label=_("Score"), sort_key="score"),
            StatusFlagColumn(
                "is_published",
                label=_("Published"),
                true_label=_("Published"),
                sort_key="is_published",
            ),
        ]

    def get_base_queryset(self):
        queryset = super().get_base_queryset().defer("body", *CONTACT_FIELDS)
        if self.is_export:
            queryset = queryset.prefetch_related(
                Prefetch("service_areas", queryset=ServiceArea.objects.only("name"))
            )
        return queryset

    def order_queryset(self, queryset):
        if self.ordering in ("score", "-score"):
            # Unscored ideas last whichever way, on every database.
            if self.ordering == "score":
                score = F("score").asc(nulls_last=True)
            else:
                score = F("score").desc(nulls_last=True)
            return queryset.order_by(score, "-created_at", "-pk")
        return super().order_queryset(queryset)

    def search_queryset(self, queryset):
        # Staff often have a reference number from an e-mail; find that idea directly.
        if self.is_searching and REFERENCE.match(self.search_query):
            return queryset.filter(reference__iexact=self.search_query.strip())
        if self.is_searching:
            self.search_query = selectors.search_terms(self.search_query)
            if not self.search_query:
                return queryset.none()
        return super().search_queryset(queryset)

    def to_row_dict(self, item):
        row = {}
        for field in self.list_export:
            if field == "service_areas":
                value = ", ".join(area.name for area in item.service_areas.all())
            elif field in ("status", "source"):
                value = capfirst(getattr(item, f"get_{field}_display")())
            elif field == "is_published":
                value = _("yes") if item.is_published else _("no")
            else:
                value = getattr(item, field)
            row[field] = value
        return row


# One idea


class IdeaInspectView(generic.InspectView):
    """Everything staff need to triage one idea, and the forms to act on it."""

    inspect_url_name = None
    photo_url_name = None
    history_url_name = None
    action_url_names = {}

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Forms the user sent and that need showing again, with their errors.
        self.bound_forms = {}
        self.personal_data_findings = []

    def get_object(self, queryset=None):
        ideas = Idea.objects.select_related("merged_into").prefetch_related(
            "service_areas", "photos"
        )
        return get_object_or_404(ideas, pk=self.pk)

    def get_page_subtitle(self):
        return str(self.object)

    def get_fields(self):
        return [
            "reference",
            "title",
            "body",
            "concerns",
            "service_areas",
            "source",
            "status",
            "merged_into",
            "created_at",
            "score",
            "support_count",
            "is_published",
            "published_at",
        ]

    def get_body_display_value(self):
        # linebreaks() escapes the text itself before adding <p> and <br>.
        return mark_safe(linebreaks(self.object.body, autoescape=True))

    def get_status_display_value(self):
        return capfirst(self.object.get_status_display())

    def get_source_display_value(self):
        return capfirst(self.object.get_source_display())

    def get_is_published_display_value(self):
        return _("Yes") if self.object.is_published else _("No")

    def get_merged_into_display_value(self):
        target = self.object.merged_into
        if target is None:
            return "-"
        return format_html(
            '<a href="{}">{}</a>', reverse(self.inspect_url_name, args=[target.pk]), target
        )

    def get_score_display_value(self):
        return self.object.score if self.object.score is not None else _("Not assessed")

    def get_published_at_display_value(self):
        return self.object.published_at or "-"

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if history_url := self.get_history_url():
            buttons.append(Button(_("History"), url=history_url, icon_name="history", priority=30))
        return buttons

    def get_history_url(self):
        # Wagtail's history view asks for more than view permission.
        if self.history_url_name and self.user_has_any_permission(["add", "change", "delete"]):
            return reverse(self.history_url_name, args=[self.object.pk])
        return None

    def action_url(self, name, *args):
        return reverse(self.action_url_names[name], args=[self.object.pk, *args])

    def get_inspect_url(self):
        return reverse(self.inspect_url_name, args=[self.object.pk])

    # What the page shows

    def get_contact_context(self):
        user = self.request.user
        if not user.has_perm(CONTACT_PERMISSION):
            return None
        idea = self.object
        return {
            "name": idea.name,
            "email": idea.email,
            "phone": idea.phone,
            "may_contact": idea.may_contact,
            "may_publish": idea.may_publish,
            "submitted_by": idea.submitted_by,
            "erased_at": idea.contact_erased_at,
        }

    def get_state_logs(self):
        """The fsm log with who did each step; the public timeline leaves that out."""
        labels = dict(Status.choices)
        logs = list(
            StateLog.objects.filter(
                content_type=ContentType.objects.get_for_model(Idea), object_id=self.object.pk
            )
            .select_related("by")
            .order_by("timestamp", "pk")
        )
        for entry in logs:
            entry.source_label = labels.get(entry.source_state, entry.source_state)
            entry.target_label = labels.get(entry.state, entry.state)
        return logs

    def get_photos(self):
        return [
            {
                "photo": photo,
                "number": number,
                "url": reverse(self.photo_url_name, args=[self.object.pk, photo.pk]),
            }
            for number, photo in enumerate(
                # Not yet re-encoded: it may still carry the sender's location.
                (photo for photo in self.object.photos.all() if photo.processed_at),
                start=1,
            )
        ]

    # The forms

    def get_form(self, prefix, form_class, **kwargs):
        if prefix in self.bound_forms:
            return self.bound_forms[prefix]
        return form_class(prefix=prefix, **kwargs)

    def get_transition_forms(self):
        idea = self.object
        available = {
            transition.name
            for transition in idea.get_available_user_status_transitions(self.request.user)
        }
        return [
            {
                "name": name,
                "label": TRANSITION_LABELS[name],
                "help": TRANSITION_HELP[name],
                "url": self.action_url("transition", name),
                "form": self.transition_form(name),
            }
            for name in services.STAFF_TRANSITIONS
            # Accepting needs a floke to join; the pipeline's panel offers it.
            if name in available and name not in services.INTO_FLOKE
        ]

    def transition_form(self, name, data=None):
        if data is None and f"transition-{name}" in self.bound_forms:
            return self.bound_forms[f"transition-{name}"]
        form = TransitionForm(
            data,
            prefix=f"transition-{name}",
            initial={"expected_status": self.object.status},
        )
        if name != "merge":
            del form.fields["into"]
        return form

    def get_assessment_initial(self):
        own = Assessment.objects.filter(idea=self.object, assessor=self.request.user).first()
        if own is None:
            return {}
        return {**{c: getattr(own, c) for c in Criterion.values}, "comment": own.comment}

    def get_spam_context(self):
        marked_at = self.object.marked_spam_at
        days = settings.IDEABANK_SPAM_RETENTION_DAYS
        return {
            "marked_at": marked_at,
            "deleted_after": marked_at + timedelta(days=days) if marked_at else None,
            "days": days,
            "url": self.action_url("unmark_spam" if marked_at else "mark_spam"),
        }

    def get_extra_panels(self):
        """Panels other apps add to the idea page through the `ideabank_idea_inspect_panels`
        hook, so the idea bank never imports them.

        Each hook takes (request, idea) and returns None or a Wagtail `Component`; one
        with `replaces_transitions` (a set of names) hides those plain transition forms.
        """
        panels = [hook(self.request, self.object) for hook in hooks.get_hooks(IDEA_PANELS_HOOK)]
        return [panel for panel in panels if panel is not None]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        idea = self.object
        can_triage = user.has_perm(TRIAGE_PERMISSION)
        can_publish = user.has_perm(PUBLISH_PERMISSION)
        extra_panels = self.get_extra_panels()
        replaced = set().union(
            *(getattr(panel, "replaces_transitions", ()) for panel in extra_panels)
        )
        context.update(
            idea=idea,
            photos=self.get_photos(),
            contact=self.get_contact_context(),
            timeline=selectors.timeline(idea),
            state_logs=self.get_state_logs(),
            answers=idea.answers.select_related("created_by"),
            assessments=idea.assessments.select_related("assessor").order_by("pk"),
            criteria=Criterion.choices,
            history_url=self.get_history_url(),
            transitions=[t for t in self.get_transition_forms() if t["name"] not in replaced],
            extra_panels=extra_panels,
            can_triage=can_triage,
            can_publish=can_publish,
            personal_data_findings=self.personal_data_findings,
        )
        if can_triage:
            context["answer_form"] = self.get_form("answer", AnswerForm)
            context["answer_url"] = self.action_url("answer")
            context["assessment_form"] = self.get_form(
                "assessment", AssessmentForm, initial=self.get_assessment_initial()
            )
            context["assessment_url"] = self.action_url("assess")
        if can_triage and idea.status == Status.DECLINED:
            context["spam"] = self.get_spam_context()
        if can_publish:
            if idea.is_published:
                context["unpublish_url"] = self.action_url("unpublish")
            elif idea.can_be_published:
                context["publish_form"] = self.get_form("publish", PublishForm)
                context["publish_url"] = self.action_url("publish")
        return context


class InspectFormAction:
    """POST one form from an inspect page; on success go back to it, else show it again.

    Mixed into an inspect view that keeps its forms in `bound_forms`. Subclasses say
    which refusals they expect (`conflict_error`, `action_error`) and what to do.
    """

    form_key = ""
    form_class = None
    conflict_error = services.Conflict
    action_error = services.IdeaActionError

    def get(self, request, *args, **kwargs):
        return redirect(self.get_inspect_url())

    def get_bound_form(self):
        return self.form_class(self.request.POST, prefix=self.form_key)

    def perform(self, form):
        raise NotImplementedError

    def refused(self, form, error):
        messages.error(self.request, error.message)

    def post(self, request, *args, **kwargs):
        form = self.get_bound_form()
        if form.is_valid():
            try:
                message = self.perform(form)
            except self.conflict_error as error:
                # The page the user acted on is stale: show them the current one.
                messages.error(request, error.message)
                return redirect(self.get_inspect_url())
            except self.action_error as error:
                self.refused(form, error)
            else:
                messages.success(request, message)
                return redirect(self.get_inspect_url())
        else:
            messages.error(request, _("Check the form: something is missing or wrong."))
        self.bound_forms[self.form_key] = form
        # Show what is true now, with the user's input kept.
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data())


class IdeaActionView(InspectFormAction, IdeaInspectView):
    action_permission = TRIAGE_PERMISSION

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.action_permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def refused(self, form, error):
        if isinstance(error, services.PersonalDataFound):
            self.personal_data_findings = error.findings
            form.needs_personal_data_check = True
            messages.warning(self.request, error.message)
        else:
            super().refused(form, error)


class IdeaTransitionView(IdeaActionView):
    def setup(self, request, *args, **kwargs):
        self.transition_name = kwargs.pop("name")
        if self.transition_name not in services.STAFF_TRANSITIONS:
            raise Http404
        super().setup(request, *args, **kwargs)
        self.form_key = f"transition-{self.transition_name}"

    def get_bound_form(self):
        return self.transition_form(self.transition_name, data=self.request.POST)

    def perform(self, form):
        idea = services.idea_transition(
            idea=self.object,
            name=self.transition_name,
            by=self.request.user,
            description=form.cleaned_data["description"],
            expected_status=form.cleaned_data["expected_status"],
            into=form.cleaned_data.get("into"),
            personal_data_checked=form.cleaned_data["personal_data_checked"],
        )
        return _("%(reference)s is now: %(status)s.") % {
            "reference": idea.reference,
            "status": idea.get_status_display(),
        }


class IdeaAnswerView(IdeaActionView):
    form_key = "answer"
    form_class = AnswerForm

    def perform(self, form):
        services.idea_answer(
            idea=self.object,
            text=form.cleaned_data["text"],
            by=self.request.user,
            personal_data_checked=form.cleaned_data["personal_data_checked"],
        )
        if conditions.can_be_contacted(self.object):
            return _("The answer is saved and sent to the sender.")
        return _("The answer is saved. The sender has not asked to be contacted.")


class IdeaAssessView(IdeaActionView):
    form_key = "assessment"
    form_class = AssessmentForm

    def perform(self, form):
        services.idea_assess(
            idea=self.object,
            assessor=self.request.user,
            scores={criterion: form.cleaned_data[criterion] for criterion in Criterion.values},
            comment=form.cleaned_data["comment"],
        )
        return _("Your assessment is saved.")


class IdeaPublishView(IdeaActionView):
    action_permission = PUBLISH_PERMISSION
    form_key = "publish"
    form_class = PublishForm

    def perform(self, form):
        idea = services.idea_publish(
            idea=self.object,
            by=self.request.user,
            personal_data_checked=form.cleaned_data["personal_data_checked"],
        )
        return _("%(reference)s is published in the idea bank.") % {"reference": idea.reference}


class IdeaUnpublishView(IdeaActionView):
    action_permission = PUBLISH_PERMISSION
    form_key = "unpublish"
    form_class = forms.Form

    def perform(self, form):
        idea = services.idea_unpublish(idea=self.object, by=self.request.user)
        return _("%(reference)s is no longer shown in the idea bank.") % {
            "reference": idea.reference
        }


class IdeaMarkSpamView(IdeaActionView):
    form_key = "spam"
    form_class = forms.Form

    def perform(self, form):
        idea = services.idea_mark_spam(idea=self.object, by=self.request.user)
        days = settings.IDEABANK_SPAM_RETENTION_DAYS
        return ngettext(
            "%(reference)s is marked as spam. It is deleted with its photos after %(days)s day.",
            "%(reference)s is marked as spam. It is deleted with its photos after %(days)s days.",
            days,
        ) % {"reference": idea.reference, "days": days}


class IdeaUnmarkSpamView(IdeaActionView):
    form_key = "spam"
    form_class = forms.Form

    def perform(self, form):
        idea = services.idea_unmark_spam(idea=self.object, by=self.request.user)
        return _("%(reference)s is no longer marked as spam and is kept.") % {
            "reference": idea.reference
        }


def photo_view(request, pk, photo_pk):
    """Stream a photo from private storage to staff who may see ideas; it has no public URL."""
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    photo = get_object_or_404(IdeaPhoto.objects.processed(), pk=photo_pk, idea_id=pk)
    try:
        file = photo.image.storage.open(photo.image.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(file, content_type="image/jpeg")
    patch_cache_control(response, private=True, no_store=True)
    return response


class IdeaEditView(generic.EditView):
    """Staff correct the text; status, contact details and token are not in the form."""

    def get_success_url(self):
        return reverse(self.inspect_url_name, args=[self.object.pk])

    def save_instance(self):
        idea = self.form.save(commit=False)
        # Only what the form edits: a score or a status written meanwhile stays.
        fields = [name for name in self.form.cleaned_data if name != "service_areas"]
        idea.save(update_fields=[*fields, "updated_at"])
        self.form.save_m2m()
        log(
            instance=idea,
            action="wagtail.edit",
            user=self.request.user,
            content_changed=self.form.has_changed(),
        )
        return idea

    def form_valid(self, form):
        try:
            response = super().form_valid(form)
        except ConcurrentTransition:
            self.produced_error_message = services.conflict().message
            return self.form_invalid(form)
        idea = self.object
        text = f"{idea.title}\n{idea.body}\n{idea.concerns}"
        if idea.is_published and (found := privacy.find_personal_data(text)):
            messages.warning(
                self.request,
                _(
                    "The published text may contain personal data (%(found)s). Check it, or "
                    "remove the idea from the idea bank."
                )
                % {"found": "; ".join(privacy.describe(found))},
            )
        return response


class IdeaViewSet(ModelViewSet):
    model = Idea
    name = "ideas"
    icon = "form"
    menu_label = _("Ideas")
    add_to_admin_menu = False
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True

    index_view_class = IdeaIndexView
    inspect_view_class = IdeaInspectView
    edit_view_class = IdeaEditView
    inspect_template_name = "ideabank/admin/inspect.html"

    filterset_class = IdeaFilterSet
    ordering = "-created_at"
    list_per_page = 50
    list_export = [
        "reference",
        "title",
        "status",
        "service_areas",
        "source",
        "created_at",
        "score",
        "support_count",
        "is_published",
    ]
    export_filename = "ideas"

    panels = [
        FieldPanel("title"),
        FieldPanel("body"),
        FieldPanel("concerns"),
        FieldPanel("service_areas", widget=forms.CheckboxSelectMultiple),
    ]

    action_views = {
        "transition": IdeaTransitionView,
        "answer": IdeaAnswerView,
        "assess": IdeaAssessView,
        "publish": IdeaPublishView,
        "unpublish": IdeaUnpublishView,
        "mark_spam": IdeaMarkSpamView,
        "unmark_spam": IdeaUnmarkSpamView,
    }

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            photo_url_name=self.get_url_name("photo"),
            history_url_name=self.get_url_name("history"),
            action_url_names={name: self.get_url_name(name) for name in self.action_views},
            **kwargs,
        )

    def action_view(self, name):
        return self.construct_view(self.action_views[name], **self.get_inspect_view_kwargs())

    def get_urlpatterns(self):
        # No add view: ideas arrive through the public form.
        urlpatterns = [pattern for pattern in super().get_urlpatterns() if pattern.name != "add"]
        return [
            *urlpatterns,
            path("photo/<int:pk>/<int:photo_pk>/", photo_view, name="photo"),
            path(
                "transition/<int:pk>/<str:name>/",
                self.action_view("transition"),
                name="transition",
            ),
            path("answer/<int:pk>/", self.action_view("answer"), name="answer"),
            path("assess/<int:pk>/", self.action_view("assess"), name="assess"),
            path("publish/<int:pk>/", self.action_view("publish"), name="publish"),
            path("unpublish/<int:pk>/", self.action_view("unpublish"), name="unpublish"),
            path("spam/<int:pk>/", self.action_view("mark_spam"), name="mark_spam"),
            path("not-spam/<int:pk>/", self.action_view("unmark_spam"), name="unmark_spam"),
        ]


class ServiceAreaViewSet(ModelViewSet):
    model = ServiceArea
    name = "service_areas"
    url_prefix = "service-areas"
    icon = "list-ul"
    menu_label = _("Service areas")
    add_to_admin_menu = False
    copy_view_enabled = False
    form_fields = ["name", "slug", "sort_order"]
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    sort_order_field = "sort_order"


class EmployeeProfileViewSet(ModelViewSet):
    """Which service an employee works in, so the idea form can fill it in."""

    model = EmployeeProfile
    name = "employee_profiles"
    url_prefix = "employee-profiles"
    icon = "user"
    menu_label = _("Employees' services")
    add_to_admin_menu = False
    copy_view_enabled = False
    form_fields = ["user", "service_area"]
    list_display = ["user", "service_area"]
    list_filter = ["service_area"]
    search_fields = ["user__first_name", "user__last_name", "user__username"]

    def get_queryset(self, request):
        return EmployeeProfile.objects.select_related("user", "service_area")


# One sender's personal data: export and erasure on request (docs/decisions/0014)


class PersonalDataView(WagtailAdminTemplateMixin, TemplateView):
    """An administrator answers a sender who asks what is stored about them, or to erase it.

    Everything is POSTed, so the address looked up never appears in a URL or an access log.
    """

    template_name = "ideabank/admin/personal_data.html"
    page_title = _("A sender's personal data")
    header_icon = "user"
    http_method_names = ["get", "post"]
    actions = ("find", "export", "confirm", "erase")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERSONAL_DATA_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get(self, request, *args, **kwargs):
        return self.show(SenderLookupForm())

    def show(self, form, *, ideas=(), confirm=False):
        return self.render_to_response(
            self.get_context_data(
                form=form,
                ideas=ideas,
                confirm=confirm,
                idea_ids=" ".join(str(idea.pk) for idea in ideas),
            )
        )

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action not in self.actions:
            action = "find"
        form = SenderLookupForm(request.POST)
        if not form.is_valid():
            return self.show(form)
        ideas = selectors.ideas_of_sender(form.cleaned_data["contact"])
        if action == "erase":
            ideas = ideas.filter(pk__in=form.cleaned_data["ideas"])
        found = list(
            ideas.annotate(photo_count=Count("photos"))
            .only("reference", "title", "status", "created_at", "name", "email", "phone")
            .order_by("created_at", "pk")
        )
        if not found and action == "erase":
            messages.info(request, _("There was nothing left to erase for this sender."))
            return redirect("personal_data:index")
        if not found:
            form.add_error(
                "contact",
                _(
                    "No idea was sent with this e-mail address or phone number. "
                    "Check what you wrote."
                ),
            )
            return self.show(form)
        if action == "export":
            return self.export(ideas)
        if action == "confirm":
            return self.show(form, ideas=found, confirm=True)
        if action == "erase":
            return self.erase(ideas)
        return self.show(form, ideas=found)

    def export(self, ideas):
        data = services.personal_data_export(ideas=ideas, by=self.request.user)
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        filename = f"personal-data-{timezone.localdate().isoformat()}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        patch_cache_control(response, private=True, no_store=True)
        return response

    def erase(self, ideas):
        count = services.personal_data_erase(ideas=ideas, by=self.request.user)
        messages.success(
            self.request,
            ngettext(
                "The contact details and photos of %(count)s idea are erased. "
                "The text of the idea is kept.",
                "The contact details and photos of %(count)s ideas are erased. "
                "The text of the ideas is kept.",
                count,
            )
            % {"count": count},
        )
        return redirect("personal_data:index")


class PersonalDataMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERSONAL_DATA_PERMISSION)


class PersonalDataViewSet(ViewSet):
    name = "personal_data"
    url_prefix = "personal-data"
    icon = "user"
    menu_label = _("A sender's personal data")
    menu_item_class = PersonalDataMenuItem

    def get_urlpatterns(self):
        return [path("", PersonalDataView.as_view(), name="index")]


class IdeaBankViewSetGroup(ViewSetGroup):
    menu_label = _("Idea bank")
    menu_icon = "form"
    menu_order = 200
    items = (IdeaViewSet, ServiceAreaViewSet, EmployeeProfileViewSet, PersonalDataViewSet)
