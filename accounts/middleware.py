import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import LazyObject, empty
from django.utils.http import urlencode

from django_otp.middleware import OTPMiddleware as BaseOTPMiddleware

from . import selectors

SEEN_KEY = "staff_seen_minute"


class OTPMiddleware(BaseOTPMiddleware):
    """django-otp's middleware, with request.user one lazy object deep instead of two.

    django-otp wraps the lazy user of Django's AuthenticationMiddleware in another
    lazy object. Wagtail's audit log looks through one wrapper to find what kind of
    object it logs, and through two silently logs nothing (account changes, two-step).
    """

    def _verify_user_sync(self, request, user):
        if isinstance(user, LazyObject):
            if user._wrapped is empty:
                user._setup()
            user = user._wrapped
        return super()._verify_user_sync(request, user)


def current_minute() -> int:
    return int(time.time() // 60)


class StaffSessionMiddleware:
    """Staff sessions end when the browser closes, or after SESSION_COOKIE_AGE without a request.

    Residents have no sessions; staff do, often on shared office computers. Wagtail's
    "Remember me" would give a cookie that outlives the browser, so it is overruled.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        # After the view, so the request that signs someone in counts too. Requests that
        # never read the session (the admin's icons and translations) leave it alone.
        if session.accessed and SESSION_KEY in session:
            if not session.get_expire_at_browser_close():
                session.set_expiry(0)
            # Saving the session restarts its server-side clock; once a minute is enough.
            minute = current_minute()
            if session.get(SEEN_KEY) != minute:
                session[SEEN_KEY] = minute
        return response


class RequireTwoStepMiddleware:
    """With STAFF_REQUIRE_2FA, staff see nothing of theirs until they have signed in with a code.

    Staff without an authenticator app are sent to set one up; a session that signed
    in without a code, from before the requirement, must sign in again.
    """

    # What the set-up page itself needs: the page, signing in and out, the admin's
    # translations and icons.
    OPEN_VIEWS = {
        "two_step:index",
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "wagtailadmin_javascript_catalog",
        "wagtailadmin_sprite",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.STAFF_REQUIRE_2FA or not self.must_verify(request):
            return None
        if selectors.confirmed_device(request.user) is None:
            return redirect("two_step:index")
        logout(request)
        return redirect(f"{reverse('wagtailadmin_login')}?{urlencode({'next': request.path})}")

    def must_verify(self, request) -> bool:
        user = request.user
        # Everywhere, not only under /admin/: staff also read login-restricted pages and
        # the floke attachments served at /dokumenter/.
        return (
            user.is_authenticated
            and request.resolver_match.view_name not in self.OPEN_VIEWS
            and not user.is_verified()
            and user.has_perm("wagtailadmin.access_admin")
        )
