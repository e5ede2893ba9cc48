"""Turning two-step verification on and off. Each change is logged on the user."""

from django.db import transaction

from wagtail.log_actions import log

import django_otp
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import selectors

DEVICE_NAME = "authenticator"


@transaction.atomic
def two_step_start(*, user) -> TOTPDevice:
    """A secret for the user's authenticator app; it counts once a code from the app confirms it.

    Reloading the page shows the same secret, so a code from an app that already
    scanned it still works.
    """
    device = selectors.pending_device(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def two_step_turn_on(*, request, device: TOTPDevice) -> TOTPDevice:
    """Confirm a device whose code the form has verified; this session counts as verified."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    django_otp.login(request, device)
    log(instance=device.user, action="accounts.two_step_on", user=request.user)
    return device


@transaction.atomic
def two_step_turn_off(*, user, by) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    log(instance=user, action="accounts.two_step_off", user=by)
