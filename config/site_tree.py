"""The page tree of DESIGN.md: / , /idebank/, /idebank/send-inn/, /historier/ and the
standard pages (accessibility statement, privacy notice, about the idea bank)."""

from dataclasses import dataclass

from django.conf import settings

from wagtail.models import Page, Site

from ideabank.models import IdeaIndexPage, IdeaSubmitPage
from stories.models import HomePage, SiteLinks, StandardPage, StoryIndexPage

from . import roles


@dataclass
class SiteTree:
    home: HomePage
    idea_index: IdeaIndexPage
    submit: IdeaSubmitPage
    story_index: StoryIndexPage
    accessibility: StandardPage
    privacy: StandardPage
    about: StandardPage


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
        site = Site.objects.create(
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
    privacy = standard_page(home, **PRIVACY)
    submit = IdeaSubmitPage.objects.first()
    if submit is None:
        submit = index.add_child(
            instance=IdeaSubmitPage(
                title="Send inn en idé",
                slug="send-inn",
                intro="<p>Fortell oss om en idé eller et problem. Det tar bare noen minutter, "
                "og du trenger ikke logge inn.</p>",
                # The form links the privacy notice of the site links setting itself.
                privacy_note="<p>Navn, e-post og telefon er frivillig. Vi bruker dem bare til å "
                "svare deg, og du kan slette dem selv når som helst fra lenken i "
                "kvitteringen.</p>",
            )
        )
    story_index = StoryIndexPage.objects.first()
    if story_index is None:
        story_index = home.add_child(
            instance=StoryIndexPage(
                title="Historier",
                slug="historier",
                lead="Hva skjer med idéene? Her forteller vi om arbeidet fra behov til "
                "løsning, også om det som ikke ble som vi trodde.",
            )
        )
    roles.ensure_story_desk(story_index)
    accessibility = standard_page(home, **ACCESSIBILITY)
    about = standard_page(home, **ABOUT)

    # Fill in only what is empty: editors may have chosen other pages or an external URL.
    links, _created = SiteLinks.objects.get_or_create(site=site)
    empty = {
        field: page
        for field, page in (
            ("accessibility_statement_page", accessibility),
            ("privacy_notice_page", privacy),
            ("about_page", about),
        )
        if getattr(links, f"{field}_id") is None
    }
    if empty:
        for field, page in empty.items():
            setattr(links, field, page)
        links.save()
    return SiteTree(
        home=home,
        idea_index=index,
        submit=submit,
        story_index=story_index,
        accessibility=accessibility,
        privacy=privacy,
        about=about,
    )


def standard_page(home: HomePage, *, slug: str, title: str, lead: str, body: str) -> StandardPage:
    page = StandardPage.objects.filter(slug=slug).first()
    if page is None:
        page = home.add_child(instance=StandardPage(title=title, slug=slug, lead=lead, body=body))
    return page


# Content in bokmål; editors own it once the page exists.

ACCESSIBILITY = {
    "slug": "tilgjengelighet",
    "title": "Tilgjengelighetserklæring",
    "lead": "Idébanken skal kunne brukes av alle, også med skjermleser, forstørrelse eller "
    "bare tastatur.",
    "body": "<h2>Hva vi har gjort</h2>"
    "<p>Nettstedet er laget for å følge kravene i WCAG 2.1 på nivå AA, slik forskrift om "
    "universell utforming av IKT krever. Vi tester sidene med automatiske verktøy og ved å "
    "bruke dem med tastatur og skjermleser.</p>"
    "<h2>Det vi vet ikke fungerer godt nok</h2>"
    "<p>Bilder som brukere laster opp sammen med en idé, har ikke alltid en god tekstbeskrivelse. "
    "Vi beskriver dem når vi publiserer idéen, men det kan ta litt tid.</p>"
    "<h2>Si fra om feil</h2>"
    "<p>Finner du noe som er vanskelig å bruke, vil vi gjerne vite det. Send oss en melding "
    "gjennom skjemaet for idéer og skriv at det gjelder tilgjengelighet, eller kontakt "
    "kommunens servicetorg. Du kan også klage til Tilsynet for universell utforming av IKT "
    "(Digitaliseringsdirektoratet) på uustatus.no.</p>"
    "<p>Den fullstendige erklæringen for kommunens nettsteder ligger på uustatus.no.</p>",
}

PRIVACY = {
    "slug": "personvern",
    "title": "Personvernerklæring",
    "lead": "Slik behandler vi opplysningene du gir oss når du sender inn en idé.",
    "body": "<h2>Hva vi samler inn</h2>"
    "<p>Du trenger ikke oppgi navn for å sende inn en idé. Velger du å gi oss navn, e-post "
    "eller telefonnummer, bruker vi dem bare til å gi deg kvittering, svare deg og fortelle "
    "hva som skjer med idéen.</p>"
    "<h2>Hvem som ser opplysningene</h2>"
    "<p>Kontaktopplysningene vises aldri på nettsiden. Bare de ansatte som behandler idéer, "
    "kan se dem. Selve idéen publiseres bare hvis du har sagt ja til det, og da uten navnet "
    "ditt.</p>"
    "<h2>Hvor lenge vi tar vare på dem</h2>"
    "<p>Kontaktopplysninger slettes automatisk en tid etter at idéen er ferdig behandlet. "
    "Du kan selv slette dem når som helst fra lenken i kvitteringen.</p>"
    "<h2>Dine rettigheter</h2>"
    "<p>Du har rett til innsyn, retting og sletting. Behandlingsgrunnlaget er samtykket ditt, "
    "og du kan trekke det tilbake. Spørsmål kan du rette til kommunens personvernombud. Mener "
    "du at vi ikke følger reglene, kan du klage til Datatilsynet.</p>",
}

ABOUT = {
    "slug": "om-idebanken",
    "title": "Om idébanken",
    "lead": "Idébanken er stedet der innbyggere og ansatte kan foreslå hvordan kommunen kan "
    "bli bedre.",
    "body": "<h2>Slik fungerer det</h2>"
    "<p>Alle kan sende inn en idé eller beskrive et problem. Vi leser alt som kommer inn, og "
    "svarer innen rimelig tid. Mange idéer kan løses direkte av den tjenesten det gjelder.</p>"
    "<p>Idéer som peker på et større behov, samler vi i en floke: et problem som er verdt å "
    "løse. En floke går gjennom tre faser: behov, løsning og testing. Først prøver vi å forstå "
    "behovet, så lager vi løsninger sammen med dem det gjelder, og til slutt tester vi dem i "
    "liten skala før noe tas i bruk.</p>"
    "<h2>Også det som stopper er verdt noe</h2>"
    "<p>Ikke alle floker ender med en ny løsning. Når vi stopper en floke, skriver vi ned hva "
    "vi lærte, slik at neste forsøk starter klokere.</p>"
    "<h2>Følg med</h2>"
    "<p>Under Historier forteller vi om arbeidet med flokene, og i idébanken kan du se hva "
    "som har skjedd med hver publiserte idé.</p>",
}
