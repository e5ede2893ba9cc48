from django.template.response import TemplateResponse

from ideabank.forms import IdeaForm
from ideabank.models import IdeaSubmitPage
from ideabank.views import render_form


def csrf_failure(request, reason=""):
    """An expired form: give the idea form back as typed, anything else a plain page."""
    page = IdeaSubmitPage.objects.live().first()
    if request.method == "POST" and page is not None and request.path == page.url:
        form = IdeaForm(request.POST)
        form.renew_guards()
        return render_form(request, page, form, [], status=403, expired=True)
    return TemplateResponse(request, "403_csrf.html", status=403)
