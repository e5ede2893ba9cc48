import functools

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.documents import get_document_model_string

from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from ideabank.choices import label

from . import conditions
from .choices import ACTIVE_PHASES, BenefitTerm, ExperimentStatus, InsightKind, Phase

MOVE_PERMISSION = conditions.MOVE_PERMISSION


class TransitionRefused(Exception):
    """A transition the machine allows in general, refused for this floke now."""


def permission_checked(method):
    """Refuse the step to anyone its declared `permission` does not let move this floke.

    django-fsm only reads `permission` when asked (`has_transition_perm`); with this the
    model itself refuses, whoever calls it, before the gates are looked at. There is no
    system caller that moves flokes, so `by=None` is refused like any stranger.
    """

    @functools.wraps(method)
    def checked(self, *args, by=None, **kwargs):
        step = method._django_fsm.get_transition(self.phase)
        # From a phase the step does not leave, django-fsm refuses it as not allowed.
        if step is not None and not step.has_perm(self, by):
            raise PermissionDenied(_("You are not allowed to do that with this floke."))
        return method(self, *args, by=by, **kwargs)

    return checked


class Floke(ConcurrentTransitionMixin, models.Model):
    """A problem worth solving, taken through Behov → Løsning → Testing."""

    title = models.CharField(_("title"), max_length=160)
    need_statement = models.TextField(
        _("need statement (“How might we …?”)"), max_length=1000, blank=True
    )
    description = models.TextField(_("description"), max_length=10000, blank=True)
    service_areas = models.ManyToManyField(
        "ideabank.ServiceArea",
        verbose_name=_("service areas"),
        related_name="flokes",
        blank=True,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_flokes",
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("team"), related_name="flokes", blank=True
    )
    public_summary = models.TextField(_("public summary"), max_length=3000, blank=True)
    internal_notes = models.TextField(_("internal notes"), max_length=10000, blank=True)

    solution_what = models.TextField(_("what the solution is"), max_length=3000, blank=True)
    solution_for_whom = models.TextField(_("who the solution is for"), max_length=2000, blank=True)
    solution_difference = models.TextField(
        _("how the solution differs from what is done today"), max_length=3000, blank=True
    )
    # The solution concept is text on the floke, not a record: who last changed it, and
    # when, is kept next to it (set by the services that write it).
    solution_changed_at = models.DateTimeField(_("solution last changed"), null=True, blank=True)
    solution_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("solution last changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.TextField(_("decision note"), max_length=5000, blank=True)
    stop_reason = models.TextField(_("why the floke was stopped"), max_length=3000, blank=True)
    learnings = models.TextField(_("learnings"), max_length=10000, blank=True)

    phase = FSMField(_("phase"), max_length=20, choices=Phase, default=Phase.BEHOV, protected=True)
    phase_changed_at = models.DateTimeField(_("in this phase since"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("floke")
        verbose_name_plural = _("flokes")
        permissions = [("move_floke", _("Can move flokes between BLT phases"))]
        indexes = [models.Index(fields=["phase", "-phase_changed_at"], name="floke_phase_idx")]

    def __str__(self):
        return self.title

    def get_phase_display(self):
        # Django's own translates every label to look one up; every story card asks.
        return label(Phase, self.phase)

    # The state machine. The service layer calls these inside a transaction and saves.

    @fsm_log_by
    @fsm_log_description
    @permission_checked
    @transition(
        field=phase,
        source=Phase.BEHOV,
        target=Phase.LOSNING,
        conditions=conditions.TO_LOSNING,
        permission=conditions.may_move,
    )
    def to_losning(self, *, by=None, description=""):
        """The need is understood well enough to work on solutions."""
        self.phase_changed_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @permission_checked
    @transition(
        field=phase,
        source=Phase.LOSNING,
        target=Phase.TESTING,
        conditions=conditions.TO_TESTING,
        permission=conditions.may_move,
    )
    def to_testing(self, *, by=None, description=""):
        """A described solution is ready to be tried out in a planned experiment."""
        self.phase_changed_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @permission_checked
    @transition(
        field=phase,
        source=Phase.TESTING,
        target=Phase.IMPLEMENTED,
        conditions=conditions.IMPLEMENT,
        permission=conditions.may_move,
    )
    def implement(self, *, by=None, description=""):
        """The experiments showed it works, and it was decided to take it into use."""
        self.phase_changed_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @permission_checked
    @transition(
        field=phase,
        source=Phase.LOSNING,
        target=Phase.BEHOV,
        permission=conditions.may_move,
        custom={"needs": [conditions.WHY_BACK]},
    )
    @transition(
        field=phase,
        source=Phase.TESTING,
        target=Phase.LOSNING,
        permission=conditions.may_move,
        custom={"needs": [conditions.WHY_BACK]},
    )
    def step_back(self, *, by=None, description=""):
        """Iterate: back one phase, saying why."""
        if not conditions.filled(description):
            raise TransitionRefused(conditions.WHY_BACK)
        self.phase_changed_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @permission_checked
    @transition(
        field=phase,
        source=ACTIVE_PHASES,
        target=Phase.STOPPED,
        conditions=conditions.STOP,
        permission=conditions.may_move,
    )
    def stop(self, *, by=None, description=""):
        """Stopping with learnings is a proper outcome, not an error."""
        self.phase_changed_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @permission_checked
    @transition(
        field=phase, source=Phase.STOPPED, target=Phase.BEHOV, permission=conditions.may_move
    )
    def reopen(self, *, by=None, description=""):
        """A stopped floke is taken up again from the need; its learnings stay."""
        # The old reason is kept in the log of the stop; a new stop needs a new one.
        self.stop_reason = ""
        self.phase_changed_at = timezone.now()


class FlokeStep(models.Model):
    """A phase change as the public may see it: when, from, to and the short public reason.

    The fsm log keeps who and the internal comment for staff; this row keeps only what
    a public timeline shows, so idea pages read it without touching the staff history
    (docs/decisions/0007).
    """

    floke = models.ForeignKey(Floke, on_delete=models.CASCADE, related_name="public_steps")
    at = models.DateTimeField(_("when"), default=timezone.now)
    source = models.CharField(_("from phase"), max_length=20, choices=Phase)
    target = models.CharField(_("to phase"), max_length=20, choices=Phase)
    public_reason = models.TextField(_("public reason"), max_length=1000, blank=True)
    # Set when the senders were told, so a retried task never e-mails them twice.
    notified_at = models.DateTimeField(_("senders told"), null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("public phase change")
        verbose_name_plural = _("public phase changes")

    def __str__(self):
        return f"{self.floke_id}: {self.source} → {self.target}"

    def get_source_display(self):
        return label(Phase, self.source)

    def get_target_display(self):
        return label(Phase, self.target)


class Record(models.Model):
    """Something recorded on a floke: dated, and by whom."""

    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]


class TeamMember(Record):
    """Someone without a user account on the team, e.g. from an innovation-school cohort."""

    floke = models.ForeignKey(Floke, on_delete=models.CASCADE, related_name="team_members")
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=120, blank=True)

    class Meta(Record.Meta):
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name


class Insight(Record):
    """What was learned about the need: an interview, an observation, numbers …"""

    floke = models.ForeignKey(Floke, on_delete=models.CASCADE, related_name="insights")
    kind = models.CharField(_("kind"), max_length=20, choices=InsightKind)
    summary = models.TextField(_("summary"), max_length=5000)
    people_count = models.PositiveIntegerField(_("number of people"), null=True, blank=True)
    date = models.DateField(_("date"), default=timezone.localdate)

    class Meta(Record.Meta):
        verbose_name = _("insight")
        verbose_name_plural = _("insights")

    def __str__(self):
        return self.summary[:60]


class CoCreation(Record):
    """A co-creation activity while the solution is developed."""

    floke = models.ForeignKey(Floke, on_delete=models.CASCADE, related_name="co_creations")
    activity = models.CharField(_("activity"), max_length=200)
    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(_("summary"), max_length=5000, blank=True)

    class Meta(Record.Meta):
        verbose_name = _("co-creation activity")
        verbose_name_plural = _("co-creation activities")

    def __str__(self):
        return self.activity


class Experiment(Record):
    """A time-boxed test of the solution, with check-in/check-out and learnings."""

    floke = models.ForeignKey(Floke, on_delete=models.CASCADE, related_name="experiments")
    title = models.CharField(_("title"), max_length=160)
    hypothesis = models.TextField(_("hypothesis"), max_length=3000, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    method = models.TextField(_("method"), max_length=3000, blank=True)
    participants = models.TextField(_("participants"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ExperimentStatus, default=ExperimentStatus.PLANNED
    )
    result = models.TextField(_("result"), max_length=5000, blank=True)
    learnings = models.TextField(_("learnings"), max_length=5000, blank=True)

    class Meta(Record.Meta):
        verbose_name = _("experiment")
        verbose_name_plural = _("experiments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__isnull=True)
                | models.Q(end__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="experiment_ends_after_start",
                violation_error_message=_("The experiment cannot end before it starts."),
            )
        ]

    def __str__(self):
        return self.title


class Benefit(Record):
    """A benefit planned, and later measured (gevinstrealisering)."""

    floke = models.ForeignKey(Floke, on_delete=models.CASCADE, related_name="benefits")
    term = models.CharField(_("term"), max_length=10, choices=BenefitTerm)
    planned = models.TextField(_("planned benefit"), max_length=2000)
    indicator = models.CharField(_("indicator"), max_length=200, blank=True)
    realised_value = models.CharField(_("realised value"), max_length=200, blank=True)
    realised_on = models.DateField(_("realised on"), null=True, blank=True)

    class Meta(Record.Meta):
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")

    def __str__(self):
        return self.planned[:60]


class KeyFigure(Record):
    """A number worth telling, e.g. “35 families referred through 7 services”."""

    floke = models.ForeignKey(Floke, on_delete=models.CASCADE, related_name="key_figures")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    label = models.CharField(_("label"), max_length=200)
    as_of = models.DateField(_("as of"), default=timezone.localdate)
    source = models.CharField(_("source of the figure"), max_length=200, blank=True)

    class Meta(Record.Meta):
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")

    def __str__(self):
        return f"{self.value} {self.unit} {self.label}".replace("  ", " ")


class Attachment(Record):
    """A document kept with the floke (a report, a presentation, a form)."""

    floke = models.ForeignKey(Floke, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)

    class Meta(Record.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title


class ReminderSent(models.Model):
    """A reminder e-mail claimed for one person, kind and day: a second run that day sends none.

    The row is the claim, written before the e-mail goes and removed again when sending
    fails, so a retry sends it. It lives in the database, not the cache, because without
    Redis each process has a cache of its own.
    """

    kind = models.CharField(max_length=20)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    claimed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "user", "day"], name="reminder_once_a_day")
        ]

    def __str__(self):
        return f"{self.kind} {self.user_id} {self.day}"
