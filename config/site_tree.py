"""The page tree of DESIGN.md: / , /idebank/ and /idebank/send-inn/."""

from dataclasses import dataclass

from django.conf import settings

from wagtail.models import Page, Site

from ideabank.models import IdeaIndexPage, IdeaSubmitPage
from stories.models import HomePage


@dataclass
class SiteTree:
    home: HomePage
    idea_index: IdeaIndexPage
    submit: IdeaSubmitPage


def ensure_site_tree(*, hostname: str = "localhost", port: int = 80) -> SiteTree:
    """Create the pages the product needs, once; editors own their text afterwards."""
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(
            instance=HomePage(
                title=settings.WAGTAIL_SITE_NAME,
                slug="hjem",
                intro="<p>Har du en idé som kan gjøre kommunen bedre, eller et problem vi bør "
                "løse? Send den inn. Vi leser alt og svarer deg.</p>",
            )
        )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=home,
            is_default_site=True,
            site_name=settings.WAGTAIL_SITE_NAME,
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    # Wagtail's own welcome page is not part of the product.
    Page.objects.filter(depth=2, content_type__model="page").exclude(pk=home.pk).delete()

    index = IdeaIndexPage.objects.first()
    if index is None:
        index = home.add_child(
            instance=IdeaIndexPage(
                title="Idébanken",
                slug="idebank",
                intro="<p>Her ser du idéer fra innbyggere og ansatte, og hva kommunen har "
                "gjort med dem.</p>",
            )
        )
    submit = IdeaSubmitPage.objects.first()
    if submit is None:
        submit = index.add_child(
            instance=IdeaSubmitPage(
                title="Send inn en idé",
                slug="send-inn",
                intro="<p>Fortell oss om en idé eller et problem. Det tar bare noen minutter, "
                "og du trenger ikke logge inn.</p>",
                privacy_note="<p>Navn, e-post og telefon er frivillig. Vi bruker dem bare til å "
                "svare deg, og du kan slette dem selv når som helst fra lenken i "
                "kvitteringen.</p>",
            )
        )
    return SiteTree(home=home, idea_index=index, submit=submit)
