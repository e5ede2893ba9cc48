from django.core.paginator import Paginator
from django.http import QueryDict
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from wagtail.models import Site

from ideabank import selectors as ideabank_selectors

from . import selectors
from .forms import SearchForm

PER_PAGE = 10
# Without a chosen kind, each section shows its first few and links to the rest.
PREVIEW = 5


def section(results, *, kind: str, chosen: str, number):
    """One kind of result: a page of them when the kind is chosen, else a preview."""
    paginator = Paginator(results, PER_PAGE if chosen == kind else PREVIEW)
    return paginator.get_page(number if chosen == kind else 1)


@require_GET
def search(request):
    form = SearchForm(request.GET or None)
    terms = form.terms()
    chosen = form.kind()
    context = {"form": form, "terms": terms, "chosen": chosen}
    if terms:
        number = request.GET.get("side")
        pages = section(
            selectors.public_pages(terms=terms, site=Site.find_for_request(request)),
            kind="sider",
            chosen=chosen,
            number=number,
        )
        ideas = section(
            ideabank_selectors.public_ideas(query=terms), kind="ideer", chosen=chosen, number=number
        )
        pages.object_list = selectors.specific_pages(pages.object_list)
        ideas.object_list = ideabank_selectors.as_cards(ideas.object_list, request)
        query = QueryDict(mutable=True)
        query["q"] = form.cleaned_data["q"]
        context.update(
            pages=pages,
            ideas=ideas,
            total=pages.paginator.count + ideas.paginator.count,
            query=query.urlencode(),
        )
    return TemplateResponse(request, "search/results.html", context)
