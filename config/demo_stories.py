"""Demo stories for a developer's machine: four case articles under /historier/.

The communications demo user writes each story as a Wagtail revision and an
editor (Redaksjon) publishes it (communications may edit pages, not publish them), so the
page history is what an editor would see. Each story is tied to its demo floke
(`config.demo_pipeline`), whose live phase, timeline and key figures the page shows.

The pictures are drawn here with Pillow from a fixed seed, so no file is downloaded
and every run draws the same ones. Stories are known by their slug and images by
their title: running the seeding again creates nothing twice.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO

from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.html import escape

from wagtail.images import get_image_model
from wagtail.models import PageLogEntry, Revision
from wagtail.rich_text import RichText

from PIL import Image, ImageDraw, ImageFilter

from blt.models import Floke
from config import demo_pipeline
from config.site_tree import ensure_site_tree
from ideabank.models import ServiceArea
from stories.models import StoryPage

IMAGE_SIZE = (1600, 900)
BYLINE = "Ingrid Dahl, kommunikasjonsavdelingen"
CREDIT = "Kommunikasjonsavdelingen (illustrasjon)"


@dataclass(frozen=True)
class DemoImage:
    title: str
    seed: str
    colours: tuple[str, ...]  # four corners of the background, then the shapes
    alt: str
    shape: str = "circles"


IMAGES = {
    image.seed: image
    for image in [
        DemoImage(
            "Demo: Familiehjelpa, hovedbilde",
            "familiehjelpa-hero",
            ("#1d4e89", "#2a7f62", "#3f88c5", "#8fd694", "#f4d35e", "#ffffff"),
            "Abstrakt illustrasjon i blått og grønt med myke, lyse sirkler.",
        ),
        DemoImage(
            "Demo: Familiehjelpa, samtale",
            "familiehjelpa-samtale",
            ("#f18f01", "#f7b267", "#c73e1d", "#f4d35e", "#fff3e0", "#6b2d1a"),
            "Abstrakt illustrasjon i oransje og gult med overlappende sirkler.",
        ),
        DemoImage(
            "Demo: Familielosen, hovedbilde",
            "familielos-hero",
            ("#0b3954", "#087e8b", "#1b998b", "#bfd7ea", "#ffffff", "#ff5a5f"),
            "Abstrakt illustrasjon i mørkeblått og turkis med bølgete linjer.",
            "waves",
        ),
        DemoImage(
            "Demo: Familielosen, dagbok",
            "familielos-dagbok",
            ("#bfd7ea", "#e0fbfc", "#98c1d9", "#3d5a80", "#ee6c4d", "#293241"),
            "Abstrakt illustrasjon i lyseblått og mørkeblått med avrundede rektangler i grått og "
            "rødt.",
            "squares",
        ),
        DemoImage(
            "Demo: Tidlig hjelp, hovedbilde",
            "tidlig-hjelp-hero",
            ("#386641", "#6a994e", "#a7c957", "#f2e8cf", "#fefae0", "#bc4749"),
            "Abstrakt illustrasjon i grønne toner med brune og lyse sirkler i ulike størrelser.",
        ),
        DemoImage(
            "Demo: Tidlig hjelp, helsestasjonen",
            "tidlig-hjelp-helsestasjon",
            ("#f2e8cf", "#fefae0", "#a7c957", "#e9c46a", "#386641", "#f4a261"),
            "Abstrakt illustrasjon i lys gult og grønt med bølgete linjer.",
            "waves",
        ),
        DemoImage(
            "Demo: Timebestilling, hovedbilde",
            "timebestilling-hero",
            ("#4a4e69", "#9a8c98", "#22223b", "#c9ada7", "#f2e9e4", "#e9c46a"),
            "Abstrakt illustrasjon i dempet lilla og grått med enkle rektangler.",
            "squares",
        ),
        DemoImage(
            "Demo: Timebestilling, skisser",
            "timebestilling-skisser",
            ("#f2e9e4", "#c9ada7", "#e0e1dd", "#9a8c98", "#4a4e69", "#f28482"),
            "Abstrakt illustrasjon i lyst grått og lilla med avrundede rektangler i rosa og grått.",
            "squares",
        ),
    ]
}


def draw(item: DemoImage) -> bytes:
    """A calm abstract picture: a four-corner gradient with soft shapes on top."""
    rng = random.Random(item.seed)
    width, height = IMAGE_SIZE
    corners = Image.new("RGB", (2, 2))
    for xy, colour in zip(((0, 0), (1, 0), (0, 1), (1, 1)), item.colours[:4], strict=True):
        corners.putpixel(xy, hex_rgb(colour))
    picture = corners.resize(IMAGE_SIZE, Image.Resampling.BICUBIC).convert("RGBA")
    layer = Image.new("RGBA", IMAGE_SIZE, (0, 0, 0, 0))
    pen = ImageDraw.Draw(layer)
    shapes = item.colours[4:]
    for number in range(rng.randint(9, 14)):
        colour = (*hex_rgb(shapes[number % len(shapes)]), rng.randint(40, 120))
        x, y = rng.randint(-100, width), rng.randint(-100, height)
        size = rng.randint(60, 420)
        if item.shape == "squares":
            box = (x, y, x + size, y + int(size * rng.uniform(0.4, 1.0)))
            pen.rounded_rectangle(box, radius=size // 8, fill=colour)
        elif item.shape == "waves":
            amplitude, phase = rng.randint(20, 90), rng.uniform(0, 6.28)
            turns = rng.uniform(0.8, 2.2)
            points = [
                (step, y + amplitude * wave(step / width * 6.28 * turns + phase))
                for step in range(0, width + 40, 40)
            ]
            pen.line(points, fill=colour, width=rng.randint(6, 28), joint="curve")
        else:
            pen.ellipse((x, y, x + size, y + size), fill=colour)
    layer = layer.filter(ImageFilter.GaussianBlur(3))
    picture = Image.alpha_composite(picture, layer).convert("RGB")
    output = BytesIO()
    picture.save(output, format="JPEG", quality=85)
    return output.getvalue()


def wave(x: float) -> float:
    # A smooth, cheap wave without importing math for one function.
    x = (x + 3.14159) % 6.28318 - 3.14159
    return 1.27324 * x - 0.405285 * x * abs(x)


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[index : index + 2], 16) for index in (1, 3, 5))


def ensure_images(report, *, by) -> dict:
    image_model = get_image_model()
    images = {}
    for key, item in IMAGES.items():
        image = image_model.objects.filter(title=item.title).first()
        if image is None:
            image = image_model(
                title=item.title,
                file=ImageFile(BytesIO(draw(item)), name=f"demo-{item.seed}.jpg"),
                uploaded_by_user=by,
            )
            image.save()
            report.images_created += 1
        images[key] = image
    return images


# Body blocks, as the editor would fill them in.


def paragraph(*texts: str, items: tuple[str, ...] = ()) -> tuple[str, RichText]:
    html = "".join(f"<p>{escape(text)}</p>" for text in texts)
    if items:
        html += "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"
    return ("paragraph", RichText(html))


def heading(text: str, level: str = "h2"):
    return ("heading", {"text": text, "level": level})


def quote(text: str, person: str, role: str):
    return ("quote", {"text": text, "person": person, "role": role})


def picture(image, *, caption: str, credit: str = CREDIT):
    return (
        "image",
        {
            "image": image,
            "alt_text": IMAGES[image_key(image)].alt,
            "decorative": False,
            "caption": caption,
            "credit": credit,
        },
    )


def image_key(image) -> str:
    return next(key for key, item in IMAGES.items() if item.title == image.title)


def key_figures(heading_text: str, *figures, as_of: datetime.date | None = None):
    return (
        "key_figures",
        {
            "heading": heading_text,
            "figures": [
                {"value": value, "label": label, "source": source, "as_of": as_of}
                for value, label, source in figures
            ],
        },
    )


def benefits(heading_text: str, *, short: list[str], long: list[str]):
    return ("benefits", {"heading": heading_text, "short_term": short, "long_term": long})


def fact_box(*, organisations="", supplier="", period="", contact="", heading_text="Fakta"):
    return (
        "fact_box",
        {
            "heading": heading_text,
            "organisations": organisations,
            "supplier": supplier,
            "period": period,
            "contact": contact,
        },
    )


def call_to_action(heading_text: str, text: str, link_text: str, page):
    return (
        "call_to_action",
        {"heading": heading_text, "text": text, "link_text": link_text, "page": page, "url": ""},
    )


def pipeline(floke, heading_text: str):
    """A related floke: the story's own floke is shown by the page itself."""
    return ("pipeline", {"floke": floke, "heading": heading_text, "show_timeline": False})


@dataclass
class Context:
    images: dict
    related: Floke  # shown in the body's pipeline block
    submit: object  # the idea submission page
    as_of: datetime.date


@dataclass(frozen=True)
class DemoStory:
    slug: str
    title: str
    lead: str
    floke: str
    related: str
    days_ago: float
    hero: str
    hero_caption: str
    areas: tuple[str, ...]
    tags: tuple[str, ...]
    body: Callable[[Context], list]


def familiehjelpa_body(c: Context) -> list:
    return [
        paragraph(
            "Når et barn trenger hjelp, er det ikke alltid lett å vite hvor man skal begynne. "
            "Helsestasjon, barnehage, skole, PPT, barnevern og NAV har hver sin del av "
            "ansvaret. For familier som trenger flere av dem på en gang, blir det å finne "
            "fram nesten en jobb i seg selv.",
            "Familiehjelpa er et telefonnummer for alle som strever med noe som gjelder et "
            "barn. Den som svarer, tar seg tid til å høre hele historien, forteller hva "
            "kommunen kan tilby og følger opp til familien har kommet til riktig sted.",
        ),
        heading("Det startet som en floke på innovasjonsskolen"),
        paragraph(
            "Hvert år sender kommunen et kull ansatte til innovasjonsskolen, og hvert kull "
            "tar med seg en floke de vil løse. Kullet fra oppvekst ville finne ut hvordan "
            "foreldre til barn med store behov kan være med og forme tjenestene, som en del "
            "av arbeidet med den nye planen for helse og velferd.",
            "Kullet dro hjem til familiene og lot dem fortelle, uten skjema og uten dårlig tid.",
        ),
        quote(
            "Jeg trodde vi skulle komme tilbake med en lang liste over feil. I stedet møtte "
            "vi foreldre som var glade for at noen faktisk ville høre på dem. Det de fortalte, "
            "har jeg hatt med meg i mange beslutninger siden.",
            "Solveig Haug",
            "kommunalsjef for oppvekst og med i kullet",
        ),
        heading("Det familiene fortalte"),
        paragraph(
            "Tre ting gikk igjen i intervjuene:",
            items=(
                "Tjenestene er vanskelige å få oversikt over, både for familier og for ansatte.",
                "Hjelpen passer ikke alltid til behovet, og den kommer ofte for sent.",
                "Når familien blir møtt med forståelse, blir opplevelsen mye bedre, også når "
                "kommunen ikke kan løse alt.",
            ),
        ),
        picture(
            c.images["familiehjelpa-samtale"],
            caption="Familiehjelpa lytter først og finner riktig tjeneste etterpå.",
        ),
        heading("Fire uker med telefonen åpen"),
        paragraph(
            "Før noe ble vedtatt, prøvde teamet ut en familietelefon i fire uker. Hver mandag "
            "startet med en sjekk-inn om hva de ville lære den uken. Hver fredag hadde de "
            "sjekk-ut og skrev ned hva som hadde virket, og hva som ikke hadde det.",
            "I samtalene brukte de Duken, et arbeidsverktøy fra Asker velferdslab som gjør "
            "at familien selv er med og lager planen sin.",
        ),
        key_figures(
            "Utprøvingen i tall",
            ("35", "familier ringte i løpet av de fire ukene", "Loggen fra utprøvingen"),
            ("7", "tjenester tok imot familier fra telefonen", "Loggen fra utprøvingen"),
            ("10", "tverrfaglige nettverksgrupper", "Familiehjelpa"),
            ("over 100", "ansatte er med i nettverksgruppene", "Familiehjelpa"),
            as_of=c.as_of,
        ),
        quote(
            "Vi kan ikke løse alt i én samtale. Men familien skal alltid vite hva som skjer "
            "videre, og vi gir oss ikke før vi har lett overalt.",
            "Hege Lien",
            "teamleder i Familiehjelpa",
        ),
        heading("Nettverk på tvers av tjenestene"),
        paragraph(
            "Familiehjelpa har også satt i gang ti faste nettverksgrupper med over hundre "
            "ansatte. Der møtes blant andre barnehager, skoler, PPT, barnevernet, NAV, "
            "biblioteket, ungdomsklubbene, frivillige lag og idrettslag. Når du kjenner noen i "
            "de andre tjenestene og bruker de samme ordene, er det mye lettere å ta en "
            "telefon."
        ),
        benefits(
            "Gevinster",
            short=[
                "Familier kommer raskere til riktig tjeneste.",
                "Ansatte vet hvem de kan spørre i andre tjenester.",
            ],
            long=[
                "Færre familier havner i en krise før de får hjelp.",
                "Mindre behov for dyre tiltak når hjelpen kommer tidlig.",
            ],
        ),
        heading("Det er lov å feile"),
        paragraph(
            "Ingen hadde laget en slik tjeneste før, så teamet har prøvd seg fram i små steg. "
            "Det neste de vil finne ut av, er hva kommunen kan tilby familier der det holder "
            "på å ryke. I dag finnes det lite å sette inn tidlig, og mye som er dyrt når "
            "krisen først er stor."
        ),
        pipeline(c.related, "Også i arbeid: familielosen"),
        fact_box(
            heading_text="Fakta om Familiehjelpa",
            organisations="Oppvekst, med støtte fra helse og omsorg",
            period="Utprøving i fire uker, fast tjeneste fra januar",
            contact="Familiehjelpa, oppvekst. Ring kommunens sentralbord på hverdager.",
        ),
        call_to_action(
            "Har du en idé?",
            "Familiehjelpa begynte med en floke. Kjenner du et problem vi bør løse, eller har "
            "du en idé som kan gjøre kommunen bedre? Du trenger ikke logge inn.",
            "Send inn en idé",
            c.submit,
        ),
    ]


def familielos_body(c: Context) -> list:
    return [
        paragraph(
            "Barn og unge som får hjelp fra barnevernet, har ofte mange tjenester rundt seg. "
            "Hver tjeneste gjør sin del, men det er sjelden noen som ser hele familien. "
            "Nasjonale utredninger peker på det samme, så dette er ikke bare vårt problem.",
            "Tjenestene for barn og unge hos oss var organisert på ulike måter og fulgte "
            "ulike metoder. Målet med prosjektet er å finne en felles måte å samarbeide på, "
            "laget sammen med familiene og de ansatte. Arbeidet i seg selv skal også gjøre at "
            "de som jobber med barn, blir bedre kjent på tvers.",
        ),
        heading("Seks grupper, seks uker"),
        paragraph(
            "Prosjektgruppen ble delt i seks grupper, og hver gruppe testet sitt eget "
            "eksperiment i seks uker. Uken startet med sjekk-inn med designteamet på mandag, "
            "der gruppen bestemte hva den ville lære. I løpet av uken prøvde de små grep, og "
            "på fredag hadde de sjekk-ut og skrev ned læringen.",
            "Familiene som var med, dokumenterte også. Foreldrene skrev dagbok, og barna og "
            "ungdommene fikk en kalender med klistremerker der de kunne vise hvordan dagen "
            "hadde vært.",
        ),
        picture(
            c.images["familielos-dagbok"],
            caption="Dagbøker og klistremerkekalendere ga familiene en egen stemme i utprøvingen.",
        ),
        quote(
            "Det første familiene sa, var at det hjalp å ha én å ringe. Men vi så fort at én "
            "person ikke er nok når de andre rundt bordet ikke kan bestemme noe.",
            "Tone Aasen",
            "familieveileder i arbeidsgruppen",
        ),
        heading("Et steg tilbake for å komme videre"),
        paragraph(
            "Læringen fra første runde sendte floken tilbake til løsningsfasen. Arbeidsgruppen "
            "og lederne brukte noen uker på å avklare hva den som møter fra hver tjeneste, "
            "skal kunne bestemme. Nå er andre runde i gang."
        ),
        heading("Slik skal familielosen jobbe"),
        paragraph(
            "Familielosen er familiens faste kontakt mot tjenestene og passer på at hele "
            "familien blir hørt. Sammen setter losen og familien ned et familieteam med de "
            "tjenestene som er aktuelle, og gjerne en person familien stoler på.",
            "Teamet fatter ikke vedtak i møtene. Det avtaler hva som er best for familien "
            "framover, og hvem som gjør hva før neste gang. Losen er med i en avgrenset tid, "
            "for eksempel seks til tolv måneder, til familien klarer seg med mindre hjelp.",
        ),
        key_figures(
            "Utprøvingen så langt",
            ("6", "grupper testet små grep i seks uker", "Sjekk-ut-notater"),
            ("6", "familier er med i andre runde", "Arbeidsgruppen"),
            ("6 til 12", "måneder er losen med familien", "Løsningskonseptet"),
            as_of=c.as_of,
        ),
        benefits(
            "Gevinstene vi venter",
            short=[
                "Familien opplever at alle tjenestene hører det samme samtidig.",
                "Tjenestene blir bedre kjent og samarbeider mer, også utenom familieteamet.",
                "Kortere saksbehandling fordi tjenestene forplikter seg i møtet.",
                "Flere får riktig hjelp til riktig tid.",
            ],
            long=[
                "Færre barn og unge som strever psykisk.",
                "Færre familier i langvarige vansker.",
                "Færre saker til barnevernet.",
                "Bedre bruk av kommunens ressurser.",
            ],
        ),
        pipeline(c.related, "Les også om Familiehjelpa"),
        fact_box(
            heading_text="Fakta om prosjektet",
            organisations="Barnevern, PPT, helsestasjon, skole og NAV",
            supplier="Innleid tjenestedesignbyrå",
            period="To runder med utprøving; andre runde pågår",
            contact="Innovasjonsteamet, gjennom idébanken",
        ),
        call_to_action(
            "Del dine erfaringer",
            "Vi forteller mer når utprøvingen er ferdig. Har du erfaringer som forelder eller "
            "ansatt, vil vi gjerne høre dem.",
            "Send inn en idé eller erfaring",
            c.submit,
        ),
    ]


def tidlig_hjelp_body(c: Context) -> list:
    return [
        paragraph(
            "Det begynte med en ærlig beskjed fra lederen for de forebyggende tjenestene: "
            "De var ikke sikre på at de brukte de beste metodene, og det var uklart hvilke "
            "saker hvert team skulle ta. Derfor ba de om støtte fra et regionalt "
            "kompetansesenter for barn og unges psykiske helse."
        ),
        heading("Først et tydelig mål"),
        paragraph(
            "Lederne og kompetansesenteret møttes tre ganger for å bli enige om målet. Barn, "
            "unge og foreldre skal oppleve tjenesten som nyttig og lett å skjønne, og de andre "
            "tjenestene i kommunen skal vite hva de kan samarbeide om. Det betyr at det må "
            "være enkelt å se hvilken hjelp som tilbys, og hvem som gjør hva."
        ),
        quote(
            "Før vi ber andre samarbeide med oss, må vi selv vite hva vi tilbyr og hvem som "
            "gjør det.",
            "Randi Bekken",
            "leder for forebyggende tjenester",
        ),
        heading("Fra venting til tidlig hjelp"),
        paragraph(
            "Innsikten var tydelig. Familietjenesten fikk nesten ingen henvendelser fra "
            "helsestasjonen, og sakene kom først når familien trengte behandling. "
            "Helsesykepleierne møtte foreldre som strevde, men visste ikke hvem de kunne "
            "spørre uten å skrive en henvisning."
        ),
        picture(
            c.images["tidlig-hjelp-helsestasjon"],
            caption="Målet er at hjelpen kommer inn mens utfordringen ennå er liten.",
        ),
        heading("Løsningen som tar form"),
        paragraph(
            "Løsningen kaller vi triosamtaler. Når foreldre strever, kan helsesykepleieren "
            "invitere en familieveileder inn i samtalen. Familien kan få inntil tre samtaler "
            "uten henvisning. I tillegg skal helsestasjonen og familietjenesten ha faste "
            "veiledningsmøter, der jordmødre og helsesykepleiere kan ta opp det de lurer på.",
            "Løsningen er laget sammen med de ansatte. Arbeidet startet med en "
            "oppstartssamling og oppfølgingsdager der ledere og medarbeidere ble kjent med "
            "hverandres oppgaver. På en fagdag om psykisk helse hos de aller minste var det to "
            "av kommunens egne ansatte som koblet fagstoffet til hverdagen.",
        ),
        quote(
            "Det er mye lettere å be om hjelp for en familie når jeg vet hvem som svarer, og "
            "at jeg ikke må fylle ut et skjema først.",
            "Lise Nygård",
            "helsesykepleier",
        ),
        key_figures(
            "Underveis",
            ("3", "møter mellom lederne før målet var satt", "Prosjektgruppen"),
            ("3", "samtaler kan familien få uten henvisning", "Løsningskonseptet"),
            ("2", "helsestasjoner skal prøve ut triosamtaler", "Utprøvingsplanen"),
            as_of=c.as_of,
        ),
        benefits(
            "Gevinstene vi sikter mot",
            short=[
                "Flere familier får hjelp uten henvisning og venteliste.",
                "Helsesykepleierne blir tryggere på å be om hjelp for familien.",
            ],
            long=[
                "Flere saker løses tidlig og på et lavere nivå.",
                "Færre familier trenger behandling senere.",
            ],
        ),
        pipeline(c.related, "En floke vi jobber med: ventetid hos PPT"),
        fact_box(
            heading_text="Fakta",
            organisations="Helsestasjonen og familie- og nettverkstjenesten",
            supplier="Regionalt kompetansesenter for barn og unges psykiske helse",
            period="Utviklingsplan over tre år",
            contact="Forebyggende tjenester, gjennom kommunens sentralbord",
        ),
        call_to_action(
            "Kjenner du deg igjen?",
            "Jobber du med familier og ser noe som kan gjøres enklere? Send inn en idé, så "
            "tar vi den med i arbeidet.",
            "Send inn en idé",
            c.submit,
        ),
    ]


def timebestilling_body(c: Context) -> list:
    return [
        paragraph(
            "Behovet var ekte. I en spørreundersøkelse svarte sju av ti foreldre at de vil "
            "bestille og flytte timer på helsestasjonen selv, på nett. Helsesekretærene brukte "
            "om lag to timer hver dag på telefoner om timer."
        ),
        heading("Skisser sammen med foreldre"),
        paragraph(
            "Innovasjonsteamet tegnet en enkel bestillingsside sammen med foreldre og "
            "helsesekretærer, og testet skissene på papir. Foreldrene ville ha få steg, en "
            "bekreftelse på SMS og mulighet til å flytte timen selv."
        ),
        picture(
            c.images["timebestilling-skisser"],
            caption="Papirskisser var nok til å teste idéen med foreldre.",
        ),
        heading("Så viste det seg at løsningen fantes"),
        paragraph(
            "Da vi møtte IT-avdelingen og leverandøren av journalsystemet, fikk vi vite at "
            "systemet kan kobles til den nasjonale løsningen for timebestilling og meldinger "
            "på helsenorge.no. En egen løsning ville gjort det samme en gang til, kostet mer å "
            "drifte og gitt foreldrene enda en innlogging å huske. Derfor stoppet vi floken."
        ),
        quote(
            "Det var litt flaut å oppdage det så sent. Men det hadde vært mye verre å bruke "
            "et år på å lage noe som allerede fantes.",
            "Jon Olsen",
            "innovasjonsrådgiver",
        ),
        heading("Hva vi lærte"),
        paragraph(
            "Dette tar vi med oss til neste floke:",
            items=(
                "Sjekk nasjonale fellesløsninger og hva leverandørene allerede tilbyr, før vi "
                "lager noe selv.",
                "Ta med IT og personvern fra første uke.",
                "Et ekte behov kan noen ganger løses ved å ta i bruk og gjøre kjent noe som "
                "finnes.",
            ),
        ),
        paragraph(
            "Det er lov å feile. Å stoppe en floke er ikke et nederlag når vi vet hvorfor, og "
            "når læringen blir brukt. Skissene fra verkstedet brukes nå når helsestasjonen "
            "forteller foreldre hvordan de bestiller time på helsenorge.no."
        ),
        key_figures(
            "Tallene bak",
            ("214", "foreldre svarte på undersøkelsen", "Spørreundersøkelse"),
            ("7 av 10", "ville bestille time på nett", "Spørreundersøkelse"),
            ("2 timer", "går med til telefoner om timer hver dag", "Helsestasjonen"),
            as_of=c.as_of,
        ),
        benefits(
            "Gevinster likevel",
            short=[
                "Helsestasjonen tar i bruk den nasjonale løsningen i stedet for å vente på en "
                "egen.",
                "Ingen penger brukt på å utvikle en løsning vi ikke trenger.",
            ],
            long=[
                "Færre telefoner om timer når foreldrene bruker helsenorge.no.",
                "En fast sjekk av nasjonale løsninger før nye digitale prosjekter starter.",
            ],
        ),
        pipeline(c.related, "Dette tester vi i stedet: varsel fra hjemmetjenesten"),
        fact_box(
            heading_text="Fakta",
            organisations="Helsestasjonen og innovasjonsteamet, med IT-avdelingen",
            period="Om lag seks uker",
            contact="Innovasjonsteamet, gjennom idébanken",
        ),
        call_to_action(
            "Har du en idé?",
            "Også idéer som ikke blir slik vi tenkte, gjør oss klokere. Send inn din.",
            "Send inn en idé",
            c.submit,
        ),
    ]


STORIES = [
    DemoStory(
        slug="familiehjelpa",
        title="Familiehjelpa: én telefon når familien trenger hjelp",
        lead=(
            "Mange foreldre vet ikke hvem i kommunen de skal ringe når et barn trenger hjelp. "
            "Nå kan de ringe Familiehjelpa. Tjenesten begynte som en floke på "
            "innovasjonsskolen og ble prøvd ut før den ble fast."
        ),
        floke=demo_pipeline.FAMILIEHJELPA,
        related=demo_pipeline.FAMILIELOS,
        days_ago=30,
        hero="familiehjelpa-hero",
        hero_caption="Familiehjelpa tar imot samtaler fra alle som er bekymret for et barn.",
        areas=("oppvekst", "barnevern", "helse-og-omsorg"),
        tags=("familie", "innovasjonsskolen", "tidlig innsats"),
        body=familiehjelpa_body,
    ),
    DemoStory(
        slug="familielosen",
        title="Familielosen skal holde tråden for familien",
        lead=(
            "Familier med barn som trenger mye hjelp, blir ofte sin egen koordinator. Nå "
            "tester kommunen en familielos og et fast familieteam der tjenestene møter med "
            "mandat."
        ),
        floke=demo_pipeline.FAMILIELOS,
        related=demo_pipeline.FAMILIEHJELPA,
        days_ago=14,
        hero="familielos-hero",
        hero_caption="Familielosen er familiens faste kontakt mot tjenestene.",
        areas=("barnevern", "oppvekst"),
        tags=("familie", "samhandling", "tjenestedesign"),
        body=familielos_body,
    ),
    DemoStory(
        slug="samtaler-uten-henvisning",
        title="Samtaler uten henvisning: hjelp før saken blir stor",
        lead=(
            "Helsestasjonen og familietjenesten vil at familier skal få hjelp mens problemet "
            "ennå er lite. Med støtte fra et kompetansesenter lager de nå en ny måte å "
            "samarbeide på."
        ),
        floke=demo_pipeline.TJENESTESTOTTE,
        related=demo_pipeline.PPT_VENTETID,
        days_ago=6,
        hero="tidlig-hjelp-hero",
        hero_caption="Helsestasjonen og familietjenesten lager løsningen sammen.",
        areas=("helse-og-omsorg", "oppvekst"),
        tags=("helsestasjon", "tidlig innsats", "samskaping"),
        body=tidlig_hjelp_body,
    ),
    DemoStory(
        slug="hvorfor-vi-stoppet-timebestillingen",
        title="Hvorfor vi ikke laget vår egen timebestilling",
        lead=(
            "Foreldre ville bestille time på helsestasjonen uten å ringe. Vi begynte å lage "
            "en løsning, men stoppet etter seks uker. Her er hva vi lærte."
        ),
        floke=demo_pipeline.TIMEBESTILLING,
        related=demo_pipeline.HJEMMETJENESTE_SMS,
        days_ago=95,
        hero="timebestilling-hero",
        hero_caption="Noen ganger er den beste løsningen en som allerede finnes.",
        areas=("helse-og-omsorg",),
        tags=("læring", "digitalisering", "helsestasjon"),
        body=timebestilling_body,
    ),
]


def seed_stories(report, *, users, clock) -> None:
    """Write and publish the demo stories once, each tied to its demo floke."""
    tree = ensure_site_tree()
    writer = users["kommunikasjon"]
    publisher = users["redaksjon"]
    images = ensure_images(report, by=writer)
    for story in STORIES:
        if StoryPage.objects.filter(slug=story.slug).exists():
            continue
        publish_story(story, tree=tree, images=images, writer=writer, by=publisher, clock=clock)
        report.stories_created += 1
    report.stories_total = StoryPage.objects.filter(
        slug__in=[story.slug for story in STORIES]
    ).count()


def publish_story(story: DemoStory, *, tree, images, writer, by, clock) -> StoryPage:
    published = clock.at(story.days_ago, hour=10, minute=0, after=None)
    written = published - datetime.timedelta(days=1, hours=2)
    floke = Floke.objects.filter(title=story.floke).first()
    context = Context(
        images=images,
        related=Floke.objects.filter(title=story.related).first(),
        submit=tree.submit,
        as_of=timezone.localdate(published),
    )
    page = StoryPage(
        title=story.title,
        slug=story.slug,
        lead=story.lead,
        hero_image=images[story.hero],
        hero_alt_text=IMAGES[story.hero].alt,
        hero_caption=story.hero_caption,
        hero_credit=CREDIT,
        byline=BYLINE,
        date=timezone.localdate(published),
        body=story.body(context),
        floke=floke,
        owner=writer,
        live=False,
    )
    tree.story_index.add_child(instance=page)
    page.service_areas.set(ServiceArea.objects.filter(slug__in=story.areas))
    page.tags.add(*story.tags)
    revision = page.save_revision(user=writer, log_action=True)
    revision.publish(user=by)
    # Move the page's history to the days it happened.
    Revision.objects.filter(pk=revision.pk).update(created_at=written)
    entries = PageLogEntry.objects.filter(page=page)
    entries.filter(action="wagtail.publish").update(timestamp=published)
    entries.exclude(action="wagtail.publish").update(timestamp=written)
    StoryPage.objects.filter(pk=page.pk).update(
        first_published_at=published,
        last_published_at=published,
        latest_revision_created_at=written,
    )
    return page
