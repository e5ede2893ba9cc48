from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Phase(models.TextChoices):
    """The BLT phases of a floke; the slugs are stored and never change."""

    BEHOV = "behov", pgettext_lazy("floke phase", "need")
    LOSNING = "losning", pgettext_lazy("floke phase", "solution")
    TESTING = "testing", pgettext_lazy("floke phase", "testing")
    IMPLEMENTED = "implemented", pgettext_lazy("floke phase", "implemented")
    STOPPED = "stopped", pgettext_lazy("floke phase", "stopped")


ACTIVE_PHASES = (Phase.BEHOV, Phase.LOSNING, Phase.TESTING)


class InsightKind(models.TextChoices):
    INTERVIEW = "interview", _("interview")
    OBSERVATION = "observation", _("observation")
    SURVEY = "survey", _("survey")
    DATA = "data", _("data")
    OTHER = "other", _("other")


class ExperimentStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("experiment status", "planned")
    RUNNING = "running", pgettext_lazy("experiment status", "running")
    FINISHED = "finished", pgettext_lazy("experiment status", "finished")


class BenefitTerm(models.TextChoices):
    SHORT = "short", _("short term")
    LONG = "long", _("long term")


# What each transition of the floke machine is called on buttons and in the help.
TRANSITION_LABELS = {
    "to_losning": _("Move to Solution"),
    "to_testing": _("Move to Testing"),
    "implement": _("Mark as implemented"),
    "step_back": _("Back one phase"),
    "stop": _("Stop the floke"),
    "reopen": _("Reopen from Need"),
}
