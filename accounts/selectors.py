from django_otp.plugins.otp_totp.models import TOTPDevice


def confirmed_device(user, *, for_verify: bool = False) -> TOTPDevice | None:
    """The authenticator app the user signs in with, if they have turned two-step on.

    `for_verify` locks the row, so two sign-ins at once cannot both use one code.
    """
    devices = TOTPDevice.objects.devices_for_user(user, confirmed=True)
    if for_verify:
        devices = devices.select_for_update()
    return devices.first()


def pending_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
