import secrets

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.search import index

from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from modelsearch.queryset import SearchableQuerySetMixin

from . import conditions
from .choices import OPEN_STATUSES, Criterion, Source, Status, label
from .pages import IdeaIndexPage, IdeaSubmitPage  # noqa: F401 - pages are models too

VIEW_PERMISSION = "ideabank.view_idea"
TRIAGE_PERMISSION = "ideabank.triage_idea"
PUBLISH_PERMISSION = "ideabank.publish_idea"
CONTACT_PERMISSION = "ideabank.view_contact_details"
# Export and erase everything about one sender; no role has it, superusers do.
PERSONAL_DATA_PERMISSION = "ideabank.manage_personal_data"


class TransitionRefused(Exception):
    """A transition the machine allows in general, refused for this idea now."""


class ServiceArea(models.Model):
    """A part of the municipality an idea can be about (oppvekst, helse, NAV …)."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")

    def __str__(self):
        return self.name


class EmployeeProfile(models.Model):
    """What the submission form fills in for a logged-in employee."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employee_profile"
    )
    service_area = models.ForeignKey(
        ServiceArea,
        verbose_name=_("service area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("employee profile")
        verbose_name_plural = _("employee profiles")

    def __str__(self):
        return str(self.user)


class ReferenceSequence(models.Model):
    """The last reference number handed out in a year (IDE-2026-0042)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


def private_storage():
    return storages["private"]


def new_token() -> str:
    # 256 bits: the private status link is the sender's only key to their idea.
    return secrets.token_urlsafe(32)


class IdeaQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Idea(ConcurrentTransitionMixin, index.Indexed, models.Model):
    """What a resident or an employee sends to the idea bank."""

    reference = models.CharField(_("reference number"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("the idea or the problem"), max_length=5000)
    concerns = models.CharField(_("who it concerns"), max_length=200, blank=True)
    service_areas = models.ManyToManyField(
        ServiceArea, verbose_name=_("service areas"), related_name="ideas", blank=True
    )
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.RESIDENT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    name = models.CharField(_("name"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    may_contact = models.BooleanField(_("may be contacted"), default=False)
    may_publish = models.BooleanField(_("may be published"), default=False)
    language = models.CharField(_("language"), max_length=8, default="nb")

    status = FSMField(
        _("status"), max_length=20, choices=Status, default=Status.RECEIVED, protected=True
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_ideas",
    )
    # A string reference: the intake reaches its floke through the relation, never
    # through blt code (docs/decisions/0006).
    floke = models.ForeignKey(
        "blt.Floke",
        verbose_name=_("floke"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=2, null=True, blank=True)
    support_count = models.PositiveIntegerField(_("supporters"), default=0)

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    contact_erased_at = models.DateTimeField(_("contact details erased"), null=True, blank=True)
    # A flag on a declined idea rather than a status: spam is declined like any idea, and
    # the retention task deletes it a while after this time (docs/decisions/0014).
    marked_spam_at = models.DateTimeField(_("marked as spam"), null=True, blank=True)

    objects = IdeaQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("body"),
        index.AutocompleteField("title"),
        index.FilterField("is_published"),
        index.FilterField("status"),
        index.FilterField("source"),
        index.FilterField("created_at"),
        index.FilterField("published_at"),
        index.FilterField("id"),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        permissions = [
            ("triage_idea", _("Can triage ideas and change their status")),
            ("view_contact_details", _("Can see the sender's contact details")),
            ("publish_idea", _("Can publish ideas in the public idea bank")),
            ("manage_personal_data", _("Can export and erase all personal data of a sender")),
        ]
        indexes = [
            # The public listing's filter and order (newest first, read backwards, id as
            # the tie-break, so no sort is left); with status in it, the count of public
            # ideas is read from the index alone.
            models.Index(
                fields=["is_published", "published_at", "id", "status"], name="idea_listing_idx"
            ),
            # The same listing filtered by status: counted and paged within the status.
            models.Index(
                fields=["is_published", "status", "published_at", "id"],
                name="idea_listing_status_idx",
            ),
            models.Index(fields=["status", "-created_at"], name="idea_status_idx"),
            # The home page counts the ideas received this year.
            models.Index(fields=["created_at"], name="idea_created_idx"),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_status_display(self):
        # Django's own translates every label to look one up; every idea card asks.
        return label(Status, self.status)

    # The state machine. The service layer calls these inside a transaction and saves.

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status, source=Status.RECEIVED, target=Status.IN_REVIEW, permission=TRIAGE_PERMISSION
    )
    def start_review(self, *, by=None, description=""):
        """Innovation staff have started to look at the idea."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status, source=Status.IN_REVIEW, target=Status.ACCEPTED, permission=TRIAGE_PERMISSION
    )
    def accept(self, *, floke, by=None, description=""):
        """The idea is taken forward into the innovation work: it becomes, or joins, a floke."""
        if floke is None:
            raise TransitionRefused(
                _("An idea is accepted only into a floke: take it into a new or an existing floke.")
            )
        self.floke = floke

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status, source=Status.IN_REVIEW, target=Status.DECLINED, permission=TRIAGE_PERMISSION
    )
    def decline(self, *, by=None, description=""):
        """Not taken forward; the sender and the public are told why."""
        if not description.strip():
            raise TransitionRefused(_("Write a public answer that says why."))
        self.closed_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status, source=Status.DECLINED, target=Status.IN_REVIEW, permission=TRIAGE_PERMISSION
    )
    def reopen(self, *, by=None, description=""):
        """A declined idea gets a new look."""
        self.closed_at = None
        # Looking at it again means it was not spam after all.
        self.marked_spam_at = None

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status, source=OPEN_STATUSES, target=Status.MERGED, permission=TRIAGE_PERMISSION
    )
    def merge(self, *, into, by=None, description=""):
        """The same idea was already sent; follow the other one from now on."""
        if into is None or into.pk == self.pk:
            raise TransitionRefused(_("Choose another idea to merge this one into."))
        if into.status in (Status.MERGED, Status.WITHDRAWN):
            raise TransitionRefused(
                _("%(reference)s is merged or withdrawn and cannot take in other ideas.")
                % {"reference": into.reference}
            )
        self.merged_into = into
        self.closed_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=OPEN_STATUSES, target=Status.WITHDRAWN)
    def withdraw(self, *, by=None, description=""):
        """The sender takes the idea back through their private link."""
        self.closed_at = timezone.now()
        self.is_published = False

    @property
    def can_be_published(self) -> bool:
        return conditions.can_be_published(self)

    @property
    def token_is_valid(self) -> bool:
        return conditions.token_is_valid(self)

    @property
    def is_spam(self) -> bool:
        return self.marked_spam_at is not None


class IdeaPhotoQuerySet(models.QuerySet):
    def processed(self):
        return self.filter(processed_at__isnull=False)


class IdeaPhoto(models.Model):
    """A photo sent with an idea, re-encoded without metadata, never public by URL."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("photo"),
        storage=private_storage,
        upload_to="ideas/%Y/%m/",
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    # Empty until the background task has re-encoded the upload; until then nobody sees it.
    processed_at = models.DateTimeField(_("re-encoded"), null=True, blank=True)

    objects = IdeaPhotoQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.image.name


class Answer(models.Model):
    """The municipality's public answer to an idea, shown to the sender and the public."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("answer"), max_length=3000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("answered"), default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("answer from the municipality")
        verbose_name_plural = _("answers from the municipality")

    def __str__(self):
        return self.text[:60]


def score_field(criterion):
    return models.PositiveSmallIntegerField(
        criterion.label, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class Assessment(models.Model):
    """One staff member's triage score of an idea, 1 to 5 on each criterion."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    user_need = score_field(Criterion.USER_NEED)
    management = score_field(Criterion.MANAGEMENT)
    own_effort = score_field(Criterion.OWN_EFFORT)
    innovation = score_field(Criterion.INNOVATION)
    benefit = score_field(Criterion.BENEFIT)
    learning = score_field(Criterion.LEARNING)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "assessor"], name="one_assessment_per_assessor")
        ]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self):
        return f"{self.idea.reference}: {self.total}"

    @property
    def total(self) -> int:
        return sum(getattr(self, criterion) for criterion in Criterion.values)


class Support(models.Model):
    """One browser's support for a published idea; only a hash of its cookie is kept."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    supporter = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "supporter"], name="one_support_per_browser")
        ]

    def __str__(self):
        return f"{self.idea_id}"
