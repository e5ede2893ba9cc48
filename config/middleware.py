import functools

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.csp import CSP


class LanguageMiddleware:
    """Activate the language the visitor chose, else bokmål.

    The browser's Accept-Language is deliberately ignored: a Norwegian municipality's
    site speaks its own written standard until the visitor picks another one.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class AdminContentSecurityPolicyMiddleware:
    """Give the Wagtail admin its own Content Security Policy (settings.ADMIN_CSP).

    Wagtail's admin still writes inline scripts and styles (InlinePanel, the date
    pickers, style attributes), which the strict public policy refuses. A preview is
    a public page rendered for the admin (Wagtail sends a dummy request for it
    through the middleware): it keeps the public policy, except that the admin may
    frame it. A view's own `@csp_override` still wins. Goes just after Django's CSP
    middleware, which reads the policy off the response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if hasattr(response, "_csp_config"):
            return response
        if getattr(request, "is_dummy", False):
            response._csp_config = {**settings.SECURE_CSP, "frame-ancestors": [CSP.SELF]}
        elif request.path.startswith(admin_prefix()):
            response._csp_config = settings.ADMIN_CSP
        return response


@functools.cache
def admin_prefix() -> str:
    return reverse("wagtailadmin_home")
