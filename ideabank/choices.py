from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("idea status", "received")
    IN_REVIEW = "in_review", pgettext_lazy("idea status", "under review")
    ACCEPTED = "accepted", pgettext_lazy("idea status", "taken forward")
    DECLINED = "declined", pgettext_lazy("idea status", "not taken forward")
    MERGED = "merged", pgettext_lazy("idea status", "merged")
    WITHDRAWN = "withdrawn", pgettext_lazy("idea status", "withdrawn")


def label(choices: type[models.Choices], value):
    """The label of `value` among `choices`, or the value itself if it is none of them.

    What `get_FOO_display()` gives, without translating every label to find one.
    """
    try:
        return choices(value).label
    except ValueError:
        return value


OPEN_STATUSES = (Status.RECEIVED, Status.IN_REVIEW)
CLOSED_STATUSES = (Status.DECLINED, Status.MERGED, Status.WITHDRAWN)


class Source(models.TextChoices):
    RESIDENT = "resident", _("resident")
    EMPLOYEE = "employee", _("employee")


class Criterion(models.TextChoices):
    """What innovation staff score an idea on during triage, 1 to 5 each."""

    USER_NEED = "user_need", _("User need")
    MANAGEMENT = "management", _("Management backing")
    OWN_EFFORT = "own_effort", _("Own effort")
    INNOVATION = "innovation", _("Innovation potential")
    BENEFIT = "benefit", _("Benefit potential")
    LEARNING = "learning", _("Learning and transfer value")


# The floke phases in which the work is over, as blt stores them (its slugs never
# change). The idea bank reads them through the idea's relation and never imports blt.
FINISHED_FLOKE_PHASES = ("implemented", "stopped")


class ErasureReason(models.TextChoices):
    """Why a sender's contact details were erased; the label is the audit log's message."""

    SENDER = "sender", _("Contact details erased by the sender through the private link")
    REQUEST = "request", _("Contact details and photos erased at the sender's request")
    RETENTION = "retention", _("Contact details and photos erased after the retention period")
