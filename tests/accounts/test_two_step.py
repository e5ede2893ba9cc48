"""Two-step verification: staff turn it on from their account page, and then sign in with a code."""

import io
import time

from django.contrib.auth import SESSION_KEY
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import forms, services
from tests.admin import messages_in

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOGIN_URL = "/admin/login/"
TWO_STEP_URL = "/admin/account/two-step/"


@pytest.fixture(autouse=True)
def _admin_in_english(innovation):
    """The admin speaks each user's language; the sign-in page speaks bokmål."""
    profile = UserProfile.get_for_user(innovation)
    profile.preferred_language = "en"
    profile.save()


def in_norwegian(text) -> str:
    with translation.override("nb"):
        return str(text)


def code(device, *, steps_ahead=0) -> str:
    """What the authenticator app shows, now or a few 30-second steps from now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def turn_on(client, user) -> TOTPDevice:
    client.force_login(user)
    client.get(TWO_STEP_URL)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(TWO_STEP_URL, {"code": code(device)})
    assert response.status_code == 302
    client.logout()
    return TOTPDevice.objects.get(pk=device.pk)


def sign_in(client, user, **fields):
    return client.post(LOGIN_URL, {"username": user.username, "password": PASSWORD, **fields})


def errors(response) -> list[str]:
    """The sign-in form's errors, as the page showed them."""
    return [in_norwegian(error) for error in response.context["form"].non_field_errors()]


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def test_the_account_page_says_two_step_is_off_and_links_to_turning_it_on(
    client, site_tree, innovation
):
    client.force_login(innovation)
    html = client.get(reverse("wagtailadmin_account")).content.decode()
    assert "Turn on two-step verification" in html
    assert f'href="{TWO_STEP_URL}"' in html


def test_the_set_up_page_shows_a_qr_code_and_the_secret_which_stay_on_reload(
    client, site_tree, innovation
):
    client.force_login(innovation)
    first = client.get(TWO_STEP_URL)
    assert first.status_code == 200
    html = first.content.decode()
    assert "<svg" in html and "QR code for your authenticator app" in html
    secret = first.context["secret"]
    assert len(secret.replace(" ", "")) == 32

    assert client.get(TWO_STEP_URL).context["secret"] == secret
    device = TOTPDevice.objects.get(user=innovation)
    assert not device.confirmed
    assert "issuer=Id%C3%A9banken" in device.config_url


def test_a_wrong_first_code_leaves_two_step_off(client, site_tree, innovation):
    client.force_login(innovation)
    client.get(TWO_STEP_URL)
    response = client.post(TWO_STEP_URL, {"code": "000000"})
    assert response.status_code == 200
    assert "That code is not right." in response.content.decode()
    assert not TOTPDevice.objects.get(user=innovation).confirmed


def test_the_right_first_code_turns_two_step_on_and_is_logged(client, site_tree, innovation):
    client.force_login(innovation)
    client.get(TWO_STEP_URL)
    device = TOTPDevice.objects.get(user=innovation)

    response = client.post(TWO_STEP_URL, {"code": code(device)}, follow=True)

    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert any("Two-step verification is on" in message for message in messages_in(response))
    assert "Manage two-step verification" in response.content.decode()
    entry = ModelLogEntry.objects.get(action="accounts.two_step_on")
    assert entry.object_id == str(innovation.pk) and entry.user == innovation


def test_once_on_the_password_alone_is_not_enough(client, site_tree, innovation):
    turn_on(client, innovation)
    response = sign_in(client, innovation)
    assert response.status_code == 200
    assert errors(response) == [in_norwegian(forms.LoginForm.otp_error_messages["token_required"])]
    assert not signed_in(client)
    assert 'value="correct horse' not in response.content.decode()


def test_a_wrong_code_is_refused_with_a_clear_message(client, site_tree, innovation):
    turn_on(client, innovation)
    response = sign_in(client, innovation, otp_token="000000")
    assert errors(response) == [in_norwegian(forms.WRONG_CODE)]
    assert not signed_in(client)


def test_wrong_codes_in_a_row_make_the_next_try_wait(client, site_tree, innovation):
    device = turn_on(client, innovation)
    sign_in(client, innovation, otp_token="000000")
    response = sign_in(client, innovation, otp_token=code(device, steps_ahead=1))
    assert errors(response) == [in_norwegian(forms.TOO_MANY_WRONG_CODES)]
    assert not signed_in(client)


def test_the_right_code_signs_in_after_a_wrong_one(client, site_tree, innovation, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait between the tries
    device = turn_on(client, innovation)
    assert not signed_in(client) and sign_in(client, innovation, otp_token="123").status_code == 200

    response = sign_in(client, innovation, otp_token=code(device, steps_ahead=1))

    assert response.status_code == 302
    assert signed_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_a_code_works_only_once(client, site_tree, innovation):
    device = turn_on(client, innovation)
    used = code(device, steps_ahead=1)
    assert sign_in(client, innovation, otp_token=used).status_code == 302
    client.logout()
    assert errors(sign_in(client, innovation, otp_token=used)) == [in_norwegian(forms.WRONG_CODE)]


def test_a_wrong_password_says_nothing_about_two_step(client, site_tree, innovation):
    turn_on(client, innovation)
    response = client.post(LOGIN_URL, {"username": innovation.username, "password": "nope"})
    with translation.override("nb"):
        wrong_password = forms.LoginForm.error_messages["invalid_login"] % {
            "username_field": innovation._meta.get_field("username").verbose_name
        }
    assert errors(response) == [wrong_password]


def test_staff_without_two_step_sign_in_as_before(client, site_tree, innovation, employee):
    for user in (innovation, employee):
        assert sign_in(client, user).status_code == 302
        assert signed_in(client)
        client.logout()


def test_turning_it_off_needs_the_password(client, site_tree, innovation):
    turn_on(client, innovation)
    client.force_login(innovation)

    refused = client.post(TWO_STEP_URL, {"password": "nope"})
    assert "That is not your password." in refused.content.decode()
    assert TOTPDevice.objects.filter(user=innovation).exists()

    client.post(TWO_STEP_URL, {"password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=innovation).exists()
    assert ModelLogEntry.objects.filter(action="accounts.two_step_off").count() == 1
    client.logout()
    assert sign_in(client, innovation).status_code == 302


def test_when_the_site_requires_two_step_staff_must_set_it_up_first(
    client, site_tree, innovation, settings
):
    settings.STAFF_REQUIRE_2FA = True
    client.force_login(innovation)
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url == TWO_STEP_URL
    assert client.get(TWO_STEP_URL).status_code == 200

    device = TOTPDevice.objects.get(user=innovation)
    client.post(TWO_STEP_URL, {"code": code(device)})
    assert client.get("/admin/").status_code == 200


def test_when_required_it_cannot_be_turned_off(client, site_tree, innovation, settings):
    device = turn_on(client, innovation)
    settings.STAFF_REQUIRE_2FA = True
    sign_in(client, innovation, otp_token=code(device, steps_ahead=1))

    client.post(TWO_STEP_URL, {"password": PASSWORD})
    assert TOTPDevice.objects.filter(user=innovation).exists()


def test_when_required_a_session_signed_in_without_a_code_must_sign_in_again(
    client, site_tree, innovation, settings
):
    turn_on(client, innovation)
    settings.STAFF_REQUIRE_2FA = True
    client.force_login(innovation)  # as a session from before the requirement
    response = client.get("/admin/blt-board/")
    assert response.status_code == 302
    assert response.url == f"{LOGIN_URL}?next=%2Fadmin%2Fblt-board%2F"
    assert not signed_in(client)


def test_when_required_employees_without_admin_access_still_send_ideas(
    client, site_tree, employee, settings
):
    settings.STAFF_REQUIRE_2FA = True
    response = client.post(
        f"{LOGIN_URL}?next=/idebank/send-inn/",
        {"username": employee.username, "password": PASSWORD, "next": "/idebank/send-inn/"},
    )
    assert response.url == "/idebank/send-inn/"
    assert client.get("/idebank/send-inn/").status_code == 200


def test_turning_off_removes_every_device_of_the_user(site_tree, innovation, administrator):
    services.two_step_start(user=innovation)
    services.two_step_turn_off(user=innovation, by=administrator)
    assert not TOTPDevice.objects.filter(user=innovation).exists()


def test_changes_on_the_account_page_are_still_in_wagtails_history(client, site_tree, innovation):
    client.force_login(innovation)
    response = client.post(
        reverse("wagtailadmin_account"),
        {
            "name_email-first_name": "Inga",
            "name_email-last_name": "Innovatør",
            "name_email-email": innovation.email,
            "locale-preferred_language": "en",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
        },
    )
    assert response.status_code == 302
    assert ModelLogEntry.objects.filter(action="wagtail.edit", object_id=str(innovation.pk))


def test_an_administrator_turns_it_off_for_someone_who_lost_their_phone(
    client, site_tree, innovation
):
    turn_on(client, innovation)
    out = io.StringIO()
    call_command("two_step_off", innovation.username, stdout=out)
    assert "off for innovasjon" in out.getvalue()
    assert sign_in(client, innovation).status_code == 302
    with pytest.raises(CommandError):
        call_command("two_step_off", "nobody")
