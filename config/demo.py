"""Demo content and demo users for a developer's machine (`manage.py seed_demo`).

Every idea goes through `ideabank.services`, exactly as if a resident had sent it and
the innovation team had handled it, so the status history, the audit log and the
public answers are real. Only the dates are moved afterwards, so that the history is
spread over the past months instead of the last few seconds.

Ideas that were taken forward join their demo floke through `blt.services` while they
are seeded; the flokes' own work (insights, experiments, phase changes) follows in
`config.demo_pipeline`, and the stories told about them in `config.demo_stories`.

Running the seeding again changes nothing: each demo idea carries a submission key
derived from its slug, flokes, stories and images are known by their titles, and users,
groups and service areas are fetched before they are created.
"""

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from wagtail.models import ModelLogEntry

from django_fsm_log.models import StateLog

from config import demo_pipeline, demo_stories, roles
from config.demo_pipeline import (
    ELDRE,
    FAMILIEHJELPA,
    FAMILIELOS,
    FRITID,
    HJEMMETJENESTE_SMS,
    KLARSPRAK,
    PPT_VENTETID,
    TJENESTESTOTTE,
)
from config.site_tree import ensure_site_tree
from ideabank import services
from ideabank.choices import Criterion
from ideabank.models import Answer, EmployeeProfile, Idea, ServiceArea, Support

# Never change: the submission keys of the demo ideas are derived from it.
NAMESPACE = uuid.UUID("5f0c6f4e-8a52-4d0e-9d38-3c1b8f2a7e61")

CLOSING_ACTIONS = ("decline", "merge", "withdraw")

# The history of the demo ideas is spread over at most this many days back.
HISTORY_DAYS = 180


@dataclass(frozen=True)
class DemoUser:
    role: str
    username: str
    password: str
    first_name: str
    last_name: str
    group: str = ""
    superuser: bool = False
    service_area: str = ""

    @property
    def email(self) -> str:
        return f"{self.username}@kommune.example"


ROLE_USERS = [
    DemoUser(
        role="Employee",
        username="ansatt",
        password="ansatt-demo",
        first_name="Marte",
        last_name="Berg",
        group=roles.EMPLOYEE,
        service_area="barnehage",
    ),
    DemoUser(
        role="Innovation staff",
        username="innovasjon",
        password="innovasjon-demo",
        first_name="Jon",
        last_name="Olsen",
        group=roles.INNOVATION,
    ),
    DemoUser(
        role="Communications",
        username="kommunikasjon",
        password="kommunikasjon-demo",
        first_name="Ingrid",
        last_name="Dahl",
        group=roles.COMMUNICATIONS,
    ),
    DemoUser(
        role="Editor (approves stories)",
        username="redaksjon",
        password="redaksjon-demo",
        first_name="Rune",
        last_name="Vik",
        group=roles.EDITORS,
    ),
    DemoUser(
        role="Administrator",
        username="admin",
        password="admin-demo",
        first_name="Ada",
        last_name="Admin",
        superuser=True,
    ),
]


def colleague(username: str, first_name: str, last_name: str, service_area: str) -> DemoUser:
    return DemoUser(
        "Employee", username, "", first_name, last_name, roles.EMPLOYEE, service_area=service_area
    )


# Colleagues of the demo employee who have sent ideas from their own service. They
# cannot log in: they exist so that employees' ideas come from the right places.
COLLEAGUES = [
    colleague("lise.nav", "Lise", "Haugen", "nav"),
    colleague("per.ppt", "Per", "Lund", "ppt"),
    colleague("hanne.barnevern", "Hanne", "Moen", "barnevern"),
    colleague("tor.skole", "Tor", "Bakke", "skole"),
    colleague("nina.helse", "Nina", "Strand", "helse-og-omsorg"),
]

SERVICE_AREAS = [
    ("oppvekst", "Oppvekst"),
    ("barnehage", "Barnehage"),
    ("skole", "Skole"),
    ("ppt", "PPT"),
    ("barnevern", "Barnevern"),
    ("helse-og-omsorg", "Helse og omsorg"),
    ("nav", "NAV"),
    ("kultur-og-fritid", "Kultur og fritid"),
    ("teknisk-og-miljo", "Teknisk og miljø"),
]


@dataclass(frozen=True)
class Step:
    """One thing that happened to a demo idea, `day` days after it came in."""

    action: str
    day: float
    text: str = ""
    into: str = ""
    scores: tuple[int, ...] = ()
    checked: bool = False
    floke: str = ""  # title of the demo floke an accepted idea joins (config.demo_pipeline)


def review(day, text=""):
    return Step("start_review", day, text)


def accept(day, text, *, floke=""):
    """With `floke`, the idea is accepted into that demo floke (opened if need be)."""
    return Step("accept", day, text, floke=floke)


def decline(day, text):
    return Step("decline", day, text)


def reopen(day, text):
    return Step("reopen", day, text)


def merge(day, into, text):
    """`text` may name the other idea as {reference}."""
    return Step("merge", day, text, into=into)


def answer(day, text):
    return Step("answer", day, text)


def assess(day, *scores, comment=""):
    """Scores from 1 to 5, in the order of `ideabank.choices.Criterion`."""
    return Step("assess", day, comment, scores=scores)


def publish(day, *, checked=False):
    """`checked`: staff have seen that what looks like personal data is not."""
    return Step("publish", day, checked=checked)


def withdraw(day, text=""):
    return Step("withdraw", day, text)


@dataclass(frozen=True)
class DemoIdea:
    slug: str
    title: str
    body: str
    areas: tuple[str, ...]
    days_ago: float
    steps: tuple[Step, ...] = ()
    concerns: str = ""
    employee: str = ""  # username of the employee who sent it; empty for a resident
    name: str = ""
    email: str = ""
    phone: str = ""
    may_contact: bool = False
    may_publish: bool = False
    supporters: int = 0
    submission_key: uuid.UUID = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "submission_key", uuid.uuid5(NAMESPACE, f"idea/{self.slug}"))


IDEAS = [
    # Families who do not know where to turn, and services that do not hang together.
    DemoIdea(
        slug="ett-sted-a-ringe-for-familier",
        title="Ett sted å ringe når familien trenger hjelp",
        body=(
            "Sønnen vår har store og sammensatte behov. Vi har hatt kontakt med "
            "helsestasjonen, barnehagen, PPT, fastlegen og barnevernet. Hver gang noe nytt "
            "skjer, vet vi ikke hvem vi skal ringe. Vi blir sendt fra kontor til kontor og "
            "må forklare alt fra starten hver gang.\n\n"
            "Det hadde hjulpet oss mye med ett nummer å ringe. Der bør det sitte noen som "
            "hører på hele historien, finner ut hva vi trenger og sørger for at vi kommer "
            "til riktig sted."
        ),
        concerns="Foreldre til barn med store eller sammensatte behov",
        areas=("oppvekst", "barnevern", "helse-og-omsorg"),
        days_ago=172,
        name="Hilde",
        email="hilde@example.org",
        may_contact=True,
        may_publish=True,
        supporters=41,
        steps=(
            review(2, "Takk! Innovasjonsteamet ser på idéen din nå."),
            assess(5, 5, 5, 4, 4, 5, 5, comment="Tydelig behov. Mange familier sier det samme."),
            accept(
                12,
                "Vi tar idéen videre. Flere familier har fortalt oss det samme som deg. "
                "Før vi lager en løsning, skal vi snakke med familier og ansatte for å "
                "forstå behovet bedre.",
                floke=FAMILIEHJELPA,
            ),
            publish(12),
            answer(
                48,
                "Nå har vi intervjuet tolv familier hjemme hos dem. De fleste sier at "
                "tjenestene våre er vanskelige å få oversikt over, og at hjelpen ofte kommer "
                "for sent. Vi prøver derfor ut en egen telefon for familier, med ansatte fra "
                "oppvekst som tar imot samtalene.",
            ),
            answer(
                120,
                "Familiehjelpa er nå en fast tjeneste. I utprøvingen på fire uker ringte 35 "
                "familier, og de fikk hjelp fra sju ulike tjenester. Takk for at du sendte "
                "oss idéen!",
            ),
        ),
    ),
    DemoIdea(
        slug="fast-kontaktperson-for-familien",
        title="Én fast kontaktperson for familier med mange tjenester",
        body=(
            "Mange av familiene vi følger opp, har fem eller seks tjenester rundt seg. Alle "
            "gjør sin del, men ingen har ansvar for helheten. Foreldrene blir slitne av å "
            "koordinere oss.\n\n"
            "Jeg foreslår at familien får én kontaktperson som har oversikten, kaller inn "
            "til felles møter og passer på at tjenestene gjør det de har lovet. "
            "Kontaktpersonen er med i en avgrenset tid, for eksempel seks til tolv "
            "måneder, til familien klarer seg med mindre hjelp."
        ),
        concerns="Barn og unge med særlige behov og familiene deres",
        areas=("barnevern", "oppvekst"),
        days_ago=160,
        employee="hanne.barnevern",
        supporters=23,
        steps=(
            review(1),
            assess(3, 5, 4, 4, 4, 5, 4),
            accept(
                10,
                "Vi tar idéen videre. Flere har pekt på det samme: at familien ikke skal "
                "måtte være koordinator selv. Vi samler arbeidet i én floke.",
                floke=FAMILIELOS,
            ),
            publish(11),
            answer(
                70,
                "En arbeidsgruppe fra barnevern, PPT, helsestasjon og NAV tester nå en "
                "ordning med én kontaktperson for seks familier. Hver fredag samler vi det "
                "vi har lært den uken.",
            ),
        ),
    ),
    DemoIdea(
        slug="nettverksgrupper-pa-tvers",
        title="Faste nettverksgrupper for ansatte som jobber med barn",
        body=(
            "Vi i PPT samarbeider med barnehager, skoler, helsestasjonen, barnevernet og "
            "NAV. Likevel kjenner vi ofte ikke hverandre, og det tar tid å finne rett "
            "person.\n\n"
            "Jeg foreslår faste grupper på tvers av tjenestene. Gruppene møtes noen ganger "
            "i halvåret, drøfter saker uten navn og lærer hverandres fagspråk. Det er mye "
            "lettere å ta en telefon når du vet hvem som svarer."
        ),
        areas=("ppt", "oppvekst", "skole", "barnehage"),
        days_ago=150,
        employee="per.ppt",
        supporters=17,
        steps=(
            review(2),
            assess(6, 4, 5, 5, 3, 4, 5),
            accept(
                14,
                "Vi tar idéen videre. Ledergruppen i oppvekst støtter den. Vi starter med "
                "tre grupper i høst og ser etter et halvt år om det virker.",
                floke=FAMILIEHJELPA,
            ),
            publish(15),
            answer(
                110,
                "Nå er det ti nettverksgrupper med over hundre ansatte fra mange tjenester. "
                "Deltakerne sier at de nå vet hvem de skal ringe i andre tjenester.",
            ),
        ),
    ),
    DemoIdea(
        slug="slippe-a-fortelle-alt-pa-nytt",
        title="Slippe å fortelle alt på nytt til hver tjeneste",
        body=(
            "Datteren vår får hjelp fra flere steder i kommunen. Hver gang vi møter en ny "
            "person, må vi fortelle hele historien igjen. Det er tungt, og noen ganger "
            "glemmer vi ting som er viktige. Kan ikke de som hjelper oss, snakke sammen "
            "først, med vår tillatelse?"
        ),
        concerns="Familier som får hjelp fra flere tjenester",
        areas=("oppvekst", "helse-og-omsorg"),
        days_ago=118,
        name="Jonas",
        may_publish=True,
        steps=(
            review(3),
            merge(
                5,
                "ett-sted-a-ringe-for-familier",
                "Takk! Vi har fått en idé om det samme før. Vi slår dem sammen, så du kan "
                "følge saken videre på {reference}.",
            ),
        ),
    ),
    DemoIdea(
        slug="noen-som-samler-motene",
        title="Noen som samler alle møtene rundt barnet",
        body=(
            "I fjor hadde vi over tjue møter med ulike tjenester om sønnen vår. Mange av "
            "dem handlet om det samme. Vi ønsker oss én person som samler alle til ett møte "
            "og holder orden på hvem som skal gjøre hva."
        ),
        areas=("oppvekst", "barnevern"),
        days_ago=96,
        name="Sara",
        email="sara@example.org",
        may_contact=True,
        may_publish=True,
        steps=(
            review(2),
            merge(
                4,
                "fast-kontaktperson-for-familien",
                "Denne idéen ligner mye på en som allerede er tatt videre. Vi har slått dem "
                "sammen. Du kan følge arbeidet på {reference}.",
            ),
        ),
    ),
    DemoIdea(
        slug="oversikt-over-hjelp-for-barn",
        title="En enkel oversikt over hjelp for barn og unge",
        body=(
            "Da vi trengte hjelp til sønnen vår, brukte jeg flere kvelder på å finne ut "
            "hva kommunen tilbyr. Informasjonen ligger spredt på mange sider. Lag én side "
            "med alle tilbudene, hvem de passer for og hvordan man tar kontakt."
        ),
        areas=("oppvekst",),
        days_ago=140,
        name="Eirik",
        may_publish=True,
        supporters=12,
        steps=(
            review(4),
            assess(8, 4, 3, 5, 2, 4, 3),
            accept(
                20,
                "Vi tar idéen videre. Kommunikasjonsavdelingen lager en ny side om hjelp "
                "for barn, unge og familier, sammen med tjenestene.",
            ),
            publish(20),
            answer(
                75,
                "Den nye siden er klar. Du finner den under «Barn og familie» på "
                "kommunens nettside. Si gjerne fra hvis noe mangler.",
            ),
        ),
    ),
    DemoIdea(
        slug="samtaler-uten-henvisning",
        title="Samtaler på helsestasjonen uten henvisning",
        body=(
            "Helsesykepleierne møter foreldre som strever, men som ikke trenger en "
            "henvisning. Hvis vi kunne invitere en familieveileder inn i samtalen med en "
            "gang, kunne familien få hjelp tidligere og slippe ventelister. Vi kan prøve "
            "opptil tre samtaler før noen trenger å søke om noe."
        ),
        areas=("helse-og-omsorg", "oppvekst"),
        days_ago=64,
        employee="nina.helse",
        supporters=9,
        steps=(
            review(3, "Vi snakker med helsestasjonen og familieveilederne om idéen."),
            assess(10, 5, 4, 4, 3, 5, 4),
            publish(10),
            accept(
                12,
                "Vi tar idéen videre. Helsestasjonen og familietjenesten skal finne ut "
                "sammen hvordan familier kan få hjelp tidlig, uten henvisning.",
                floke=TJENESTESTOTTE,
            ),
        ),
    ),
    DemoIdea(
        slug="hjelp-for-krisen-blir-stor",
        title="Hjelp til familier før krisen blir stor",
        body=(
            "Når en familie først er i full krise, har vi mange tiltak, og de er dyre. Når "
            "problemene er små og ferske, har vi nesten ingenting. Jeg ønsker at vi samler "
            "tjenestene for å finne tiltak vi kan sette inn tidlig, og at vi prøver noen "
            "av dem i liten skala."
        ),
        areas=("barnevern", "oppvekst", "helse-og-omsorg"),
        days_ago=41,
        employee="hanne.barnevern",
        steps=(
            review(6),
            accept(
                8,
                "Vi tar idéen videre i arbeidet med tidlig hjelp sammen med helsestasjonen.",
                floke=TJENESTESTOTTE,
            ),
        ),
    ),
    # Barnehage and school.
    DemoIdea(
        slug="barnehagesoknad-pa-klarsprak",
        title="Søknaden om barnehageplass må bli lettere å forstå",
        body=(
            "Jeg søkte barnehageplass i vinter og skjønte ikke hva flere av spørsmålene "
            "betydde. Ordene var vanskelige, og jeg visste ikke om jeg hadde rett til "
            "redusert pris. Skriv søknaden på enkelt språk og forklar fristene tydelig."
        ),
        areas=("barnehage",),
        days_ago=133,
        name="Amina",
        may_publish=True,
        supporters=27,
        steps=(
            review(1),
            accept(
                9,
                "Vi tar idéen videre. Vi skal skrive om søknaden og teste den nye teksten "
                "med foreldre før neste hovedopptak.",
                floke=KLARSPRAK,
            ),
            publish(9),
            answer(
                58,
                "Fem foreldre har testet den nye søknaden sammen med oss. Vi har fjernet "
                "elleve spørsmål og skrevet resten på nytt. Den nye søknaden er ute nå.",
            ),
        ),
    ),
    DemoIdea(
        slug="beskjed-om-henting-i-barnehagen",
        title="Digital beskjed når noen andre skal hente barnet",
        body=(
            "Foreldre ringer eller skriver lapper når en besteforelder eller nabo skal "
            "hente. Beskjeden kommer ikke alltid fram til den som står i garderoben. En "
            "knapp i foreldreappen ville gjort det tryggere for alle."
        ),
        areas=("barnehage",),
        days_ago=12,
        employee="ansatt",
    ),
    DemoIdea(
        slug="felles-innkjop-barnehagene",
        title="Felles innkjøp av uteutstyr til barnehagene",
        body=(
            "Hver barnehage kjøper regntøy, akebrett og verktøy hver for seg. Hvis vi "
            "handlet sammen, kunne vi fått bedre kvalitet og lavere pris, og lånt utstyr "
            "av hverandre ved behov."
        ),
        areas=("barnehage",),
        days_ago=7,
        employee="ansatt",
    ),
    DemoIdea(
        slug="lekeplassen-apen-i-helgene",
        title="Åpne barnehagens lekeplass for nabolaget i helgene",
        body=(
            "Barnehagen i gata vår har den beste lekeplassen i området, men porten er "
            "stengt i helgene. Kan den være åpen for alle når barnehagen er stengt?"
        ),
        areas=("barnehage", "kultur-og-fritid"),
        days_ago=105,
        name="Thomas",
        email="thomas@example.org",
        may_contact=True,
        may_publish=True,
        supporters=4,
        steps=(
            review(2),
            decline(
                8,
                "Utelekeplassene i de kommunale barnehagene er allerede åpne for alle "
                "utenom åpningstiden. Porten er lukket for å holde småbarn inne, ikke "
                "låst. Vi ser at dette ikke var kjent, og setter opp skilt ved alle "
                "portene.",
            ),
            publish(8),
        ),
    ),
    DemoIdea(
        slug="trygg-skolevei-storgata",
        title="Trygg skolevei langs Storgata",
        body=(
            "Barna som går til Sentrum skole, må krysse Storgata der bilene kjører fort og "
            "det ikke er fotgjengerfelt. Om vinteren er det mørkt og glatt. Vi ønsker et "
            "opphøyd gangfelt og bedre lys ved krysset."
        ),
        concerns="Elever ved Sentrum skole og foreldrene deres",
        areas=("skole", "teknisk-og-miljo"),
        days_ago=165,
        name="Foreldrerådet ved Sentrum skole",
        email="fau.sentrum@example.org",
        may_contact=True,
        may_publish=True,
        supporters=58,
        steps=(
            review(1, "Vi har sendt saken til vegavdelingen og skolen."),
            assess(4, 5, 4, 3, 2, 5, 2),
            accept(
                15,
                "Vi tar idéen videre. Vegavdelingen har målt farten i Storgata og ser at "
                "mange kjører for fort.",
            ),
            publish(15),
            answer(
                90,
                "Det opphøyde gangfeltet er bygget, og krysset har fått nye lys. Takk for "
                "at dere sa fra.",
            ),
        ),
    ),
    DemoIdea(
        slug="leksehjelp-pa-biblioteket",
        title="Gratis leksehjelp på biblioteket",
        body=(
            "Ikke alle barn har noen hjemme som kan hjelpe med lekser. Biblioteket er "
            "åpent og varmt om ettermiddagen. Kan frivillige eller studenter gi leksehjelp "
            "der et par dager i uka?"
        ),
        areas=("skole", "kultur-og-fritid"),
        days_ago=58,
        name="Ingeborg",
        may_publish=True,
        supporters=19,
        steps=(
            review(2),
            publish(3),
            answer(
                20,
                "Vi snakker med biblioteket og frivilligsentralen om hvordan dette kan "
                "gjøres. Vi svarer igjen når vi vet mer.",
            ),
        ),
    ),
    DemoIdea(
        slug="for-mange-apper-fra-skolen",
        title="Skolen sender beskjeder i for mange apper",
        body=(
            "Jeg har tre barn på to skoler og får beskjeder i fire ulike apper og på "
            "e-post. Det er lett å gå glipp av noe viktig. Kan skolene bli enige om én "
            "kanal?"
        ),
        areas=("skole",),
        days_ago=9,
        name="Kristin",
        may_publish=True,
    ),
    DemoIdea(
        slug="foreldremote-med-tolk",
        title="Foreldremøter med tolk og på kveldstid",
        body=(
            "Mange foreldre med annet morsmål enn norsk kommer ikke på foreldremøtene. "
            "Noen jobber skift, andre forstår lite av det som blir sagt. Vi vil prøve "
            "foreldremøter på kveldstid med tolk til de største språkgruppene."
        ),
        areas=("skole",),
        days_ago=122,
        employee="tor.skole",
        supporters=8,
        steps=(
            review(1),
            accept(
                7,
                "Vi tar idéen videre og prøver den ut på to skoler dette skoleåret.",
            ),
            publish(8),
            answer(
                80,
                "På det første kveldsmøtet kom dobbelt så mange foreldre som før. Vi "
                "fortsetter, og flere skoler vil være med.",
            ),
        ),
    ),
    DemoIdea(
        slug="mobilfri-skoledag",
        title="Mobilfri skoledag for alle elever",
        body=(
            "Barna bruker mobilen i friminuttene i stedet for å leke. Jeg mener alle "
            "skolene i kommunen bør ha helt mobilfri skoledag."
        ),
        areas=("skole",),
        days_ago=88,
        name="Ole",
        may_publish=True,
        steps=(
            review(2),
            decline(
                6,
                "Alle grunnskolene i kommunen har allerede regler om at mobilen skal ligge "
                "i sekken eller i et skap i skoletiden. Hver skole følger opp reglene selv. "
                "Ta kontakt med rektor hvis du opplever at reglene ikke blir fulgt.",
            ),
            publish(6),
        ),
    ),
    DemoIdea(
        slug="ferieaktiviteter-for-alle-barn",
        title="Ferieaktiviteter for barn som ikke reiser bort",
        body=(
            "Mange barn er hjemme hele sommerferien uten noe å gjøre. Et gratis tilbud "
            "med aktiviteter noen uker i juli ville betydd mye for dem, og for foreldre "
            "som må jobbe."
        ),
        areas=("kultur-og-fritid", "oppvekst"),
        days_ago=30,
        name="Fatima",
        may_publish=True,
        supporters=14,
        steps=(
            review(3),
            publish(4),
            accept(
                22,
                "Vi tar idéen videre sammen med andre idéer om fritid for barn i familier "
                "med dårlig råd.",
                floke=FRITID,
            ),
        ),
    ),
    # PPT.
    DemoIdea(
        slug="kortere-ventetid-hos-ppt",
        title="Kortere ventetid hos PPT",
        body=(
            "Vi har ventet i over et halvt år på utredning hos PPT. I mellomtiden får "
            "ikke datteren min den hjelpen hun trenger på skolen. Kan det finnes noe "
            "skolen kan gjøre mens vi venter?"
        ),
        areas=("ppt", "skole"),
        days_ago=75,
        name="Linda",
        email="linda@example.org",
        may_contact=True,
        may_publish=True,
        supporters=33,
        steps=(
            review(2),
            assess(7, 5, 4, 3, 3, 4, 3),
            publish(7),
            answer(
                25,
                "Takk! Vi snakker nå med PPT og noen skoler om hvordan ventetiden oppleves, "
                "før vi bestemmer hva vi gjør.",
            ),
            accept(
                50,
                "Vi tar idéen videre. Først vil vi forstå bedre hvordan ventetiden oppleves "
                "for familier og skoler, og hva skolen kan gjøre i mellomtiden.",
                floke=PPT_VENTETID,
            ),
        ),
    ),
    DemoIdea(
        slug="ppt-kommer-til-barnehagen",
        title="PPT kan møte barnet i barnehagen",
        body=(
            "Små barn viser sjelden hva de kan på et ukjent kontor. Hvis vi i PPT "
            "observerte barnet i barnehagen, ville vi fått et bedre bilde og sluppet "
            "ekstra møter for foreldrene."
        ),
        areas=("ppt", "barnehage"),
        days_ago=5,
        employee="per.ppt",
    ),
    # NAV.
    DemoIdea(
        slug="brev-fra-nav-pa-klarsprak",
        title="Brevene fra NAV er vanskelige å forstå",
        body=(
            "Jeg fikk et brev om sosialhjelp og skjønte ikke om jeg hadde fått ja eller "
            "nei. Jeg ringte kontaktsenteret på 55 55 33 33 og fikk det forklart der. "
            "Skriv det viktigste først, med vanlige ord."
        ),
        areas=("nav",),
        days_ago=145,
        name="Per Arne",
        may_publish=True,
        supporters=21,
        steps=(
            review(2),
            accept(
                16,
                "Vi tar idéen videre. NAV-kontoret går gjennom de ti brevene som sendes "
                "oftest, sammen med brukere.",
                floke=KLARSPRAK,
            ),
            # The number is NAV's public switchboard, not the sender's own.
            publish(16, checked=True),
            answer(
                85,
                "Seks av de ti brevene er skrevet om. Nå står svaret i første avsnitt, og "
                "vi forklarer hva du kan gjøre hvis du er uenig.",
            ),
        ),
    ),
    DemoIdea(
        slug="time-hos-nav-uten-bankid",
        title="Bestille time hos NAV uten BankID",
        body=(
            "Jeg har ikke BankID og må møte opp på NAV-kontoret for å bestille en time. "
            "Det tar en halv dag med buss. Det burde gå an å bestille på telefon eller i "
            "et enkelt skjema."
        ),
        areas=("nav",),
        days_ago=35,
        name="Ahmed",
        steps=(review(5),),
    ),
    DemoIdea(
        slug="ungdomsveileder-pa-skolen",
        title="NAV-veileder med fast kontordag på videregående",
        body=(
            "Ungdom som står i fare for å slutte på skolen, kommer ofte til oss for sent. "
            "Hvis en veileder fra NAV satt på den videregående skolen én dag i uka, kunne "
            "vi fanget dem opp tidligere, sammen med rådgiverne."
        ),
        areas=("nav", "skole"),
        days_ago=128,
        employee="lise.nav",
        supporters=11,
        steps=(
            review(2),
            assess(5, 4, 5, 4, 3, 4, 4),
            accept(12, "Vi tar idéen videre og prøver den ut ett semester."),
            publish(13),
        ),
    ),
    DemoIdea(
        slug="sommerjobb-for-ungdom",
        title="Sommerjobb i kommunen for ungdom",
        body=(
            "Det er vanskelig for ungdom å få sin første jobb. Kommunen kunne tilby "
            "sommerjobber i parker, på sykehjem og på biblioteket, med en voksen som "
            "følger dem opp."
        ),
        areas=("nav", "kultur-og-fritid"),
        days_ago=170,
        name="Mathias (16 år)",
        may_publish=True,
        supporters=36,
        steps=(
            review(3),
            accept(
                21,
                "Vi tar idéen videre. Allerede i år får 40 ungdommer jobb i kommunen i tre "
                "uker i juli og august.",
            ),
            publish(21),
            answer(
                150,
                "Sommerjobbene ble en suksess: 38 av 40 fullførte, og mange vil søke igjen "
                "neste år.",
            ),
        ),
    ),
    # Helse og omsorg.
    DemoIdea(
        slug="beskjed-nar-hjemmetjenesten-er-forsinket",
        title="Beskjed når hjemmetjenesten blir forsinket",
        body=(
            "Mor er 87 år og venter på hjemmetjenesten hver morgen. Når de er sent ute, "
            "blir hun urolig og ringer meg på jobb. En SMS til henne eller meg om at de "
            "kommer senere, ville gjort dagen mye roligere."
        ),
        concerns="Eldre som får hjemmetjenester, og pårørende",
        areas=("helse-og-omsorg",),
        days_ago=155,
        name="Bente",
        email="bente@example.org",
        phone="900 00 017",
        may_contact=True,
        may_publish=True,
        supporters=29,
        steps=(
            review(1),
            assess(4, 4, 4, 4, 3, 4, 3),
            accept(
                11,
                "Vi tar idéen videre. Hjemmetjenesten prøver ut varsling på SMS i én sone først.",
                floke=HJEMMETJENESTE_SMS,
            ),
            publish(11),
            answer(
                95,
                "Vi har laget løsningen sammen med pårørende og hjemmetjenesten: en kort SMS "
                "med nytt tidspunkt. Når SMS-tjenesten er koblet til turplanleggingen, "
                "prøver vi den ut i én sone.",
            ),
        ),
    ),
    DemoIdea(
        slug="besoksvenn-for-eldre",
        title="Besøksvenn for eldre som bor alene",
        body=(
            "Mange eldre sitter alene hele uka. Jeg vil gjerne besøke noen en time i uka, "
            "men vet ikke hvordan jeg kommer i kontakt med dem som ønsker besøk."
        ),
        areas=("helse-og-omsorg", "kultur-og-fritid"),
        days_ago=110,
        name="Gunnar",
        email="gunnar@example.org",
        may_publish=True,
        supporters=15,
        steps=(
            review(4),
            accept(
                14,
                "Vi tar idéen videre sammen med frivilligsentralen, som skal koble "
                "besøksvenner og eldre.",
                floke=ELDRE,
            ),
            publish(14),
        ),
    ),
    DemoIdea(
        slug="trygghetsalarm-som-virker-ute",
        title="Trygghetsalarm som også virker utendørs",
        body=(
            "Far har trygghetsalarm, men den virker bare inne i huset. Han går ikke tur "
            "lenger fordi han er redd for å falle. Finnes det alarmer med GPS som "
            "kommunen kan låne ut?"
        ),
        areas=("helse-og-omsorg",),
        days_ago=48,
        name="Elin",
        may_publish=True,
        supporters=7,
        steps=(review(3), publish(5)),
    ),
    DemoIdea(
        slug="faste-vikarer-i-hjemmetjenesten",
        title="Faste vikarer i hjemmetjenesten",
        body=(
            "Brukerne våre møter nye ansikter nesten hver uke når vi bruker vikarer. "
            "En liten gruppe faste vikarer som kjenner rutinene og brukerne, ville gitt "
            "tryggere hjelp og mindre opplæring."
        ),
        areas=("helse-og-omsorg",),
        days_ago=15,
        employee="nina.helse",
    ),
    DemoIdea(
        slug="enklere-a-soke-avlastning",
        title="Enklere å søke om avlastning",
        body=(
            "Vi har et barn med funksjonsnedsettelse og trenger avlastning. Søknaden er "
            "lang, og vi må legge ved de samme papirene hvert år. Det burde holde å si fra "
            "om det som er endret."
        ),
        areas=("helse-og-omsorg", "oppvekst"),
        days_ago=3,
        name="Camilla",
    ),
    DemoIdea(
        slug="digital-hjelp-for-eldre",
        title="Hjelp til å bruke digitale tjenester for eldre",
        body=(
            "Alt skal gjøres på nett nå, men mange eldre har aldri lært det. Kunne "
            "kommunen hatt en fast dag der noen hjelper med BankID, Helsenorge og "
            "e-post?"
        ),
        areas=("helse-og-omsorg", "kultur-og-fritid"),
        days_ago=138,
        name="Randi",
        may_publish=True,
        supporters=24,
        steps=(
            review(2),
            decline(
                10,
                "Vi har dessverre ikke folk til å gi slik hjelp nå. Vi tar idéen fram "
                "igjen hvis vi finner en samarbeidspartner.",
            ),
            reopen(
                40,
                "Biblioteket og seniorsenteret har tilbudt seg å hjelpe, så vi ser på "
                "idéen på nytt.",
            ),
            accept(
                52,
                "Vi tar idéen videre. Fra neste måned er det digital hjelp hver tirsdag "
                "på biblioteket.",
            ),
            publish(52),
        ),
    ),
    # Kultur og fritid.
    DemoIdea(
        slug="gratis-utlan-av-sportsutstyr",
        title="Gratis utlån av sportsutstyr",
        body=(
            "Ski, skøyter og telt er dyrt, og barn vokser fort. Et lager der alle kan "
            "låne utstyr gratis, ville gjort det lettere for flere å være med på "
            "aktiviteter."
        ),
        areas=("kultur-og-fritid",),
        days_ago=162,
        name="Kjersti",
        may_publish=True,
        supporters=44,
        steps=(
            review(2),
            accept(
                13,
                "Vi tar idéen videre. Kulturavdelingen åpner en utlånssentral i den gamle "
                "brannstasjonen.",
            ),
            publish(13),
            answer(
                100,
                "Utlånssentralen er åpen tre dager i uka. Over 300 ting er lånt ut den "
                "første måneden.",
            ),
        ),
    ),
    DemoIdea(
        slug="biblioteket-apent-pa-sondager",
        title="Biblioteket bør være åpent på søndager",
        body="Jeg jobber hele uka og rekker aldri biblioteket. Kan det være åpent på søndager?",
        areas=("kultur-og-fritid",),
        days_ago=80,
        name="Marius",
        may_publish=True,
        steps=(
            review(1),
            decline(
                4,
                "Biblioteket er allerede meråpent fra klokka 7 til 22 alle dager, også på "
                "søndager. Du trenger bare lånekort og PIN-kode. Begge får du i skranken "
                "når biblioteket er betjent, eller på nett.",
            ),
            publish(4),
        ),
    ),
    DemoIdea(
        slug="svommehallen-for-alle-barn",
        title="Gratis svømmehall for barn i familier med lav inntekt",
        body=(
            "Barna i klassen drar i svømmehallen i helgene, men vi har ikke råd. Kunne "
            "kommunen gitt gratis inngang til barn i familier med lav inntekt?"
        ),
        areas=("kultur-og-fritid", "nav"),
        days_ago=26,
        name="",
        steps=(
            review(4),
            accept(
                20,
                "Vi tar idéen videre i arbeidet med fritid og ferie for alle barn.",
                floke=FRITID,
            ),
        ),
    ),
    DemoIdea(
        slug="ungdomsklubben-pa-fredager",
        title="Ungdomsklubben bør være åpen på fredager",
        body=(
            "Ungdomsklubben er bare åpen tirsdag og torsdag. På fredagskvelden har vi "
            "ingen steder å være, så vi henger på kjøpesenteret."
        ),
        areas=("kultur-og-fritid",),
        days_ago=70,
        name="Jenny (15 år)",
        may_publish=True,
        supporters=31,
        steps=(review(2), assess(9, 4, 3, 3, 2, 3, 2), publish(9)),
    ),
    DemoIdea(
        slug="apen-ungdomsklubb-i-helgene",
        title="Åpen ungdomsklubb i helgene",
        body="Vi trenger et sted å være på fredag og lørdag kveld som ikke koster penger.",
        areas=("kultur-og-fritid",),
        days_ago=44,
        name="Adrian",
        may_publish=True,
        steps=(
            review(1),
            merge(
                2,
                "ungdomsklubben-pa-fredager",
                "Vi har fått samme forslag før og slår dem sammen. Følg saken på "
                "{reference}, og støtt den gjerne der.",
            ),
        ),
    ),
    # Teknisk og miljø.
    DemoIdea(
        slug="melde-feil-med-bilde",
        title="Melde fra om hull i veien med bilde og kart",
        body=(
            "Det er tungvint å melde fra om hull i veien, ødelagte skilt og gatelys som "
            "ikke virker. Jeg vil kunne ta et bilde, trykke på kartet og få beskjed når "
            "det er fikset."
        ),
        areas=("teknisk-og-miljo",),
        days_ago=168,
        name="Knut",
        may_publish=True,
        supporters=39,
        steps=(
            review(2),
            accept(
                18,
                "Vi tar idéen videre. Vi tar i bruk en løsning for feilmelding som flere "
                "kommuner allerede bruker.",
            ),
            publish(18),
            answer(
                130,
                "Nå kan du melde fra om feil med bilde og kartpunkt fra kommunens "
                "nettside. Du får beskjed når feilen er rettet.",
            ),
        ),
    ),
    DemoIdea(
        slug="gatelys-i-boligfeltet",
        title="Gatelysene i Bjørkelia er ute",
        body=(
            "Halvparten av gatelysene i Bjørkelia har vært mørke i flere uker. Jeg "
            "visste ikke hvor jeg skulle melde fra."
        ),
        areas=("teknisk-og-miljo",),
        days_ago=150,
        name="Siv",
        may_publish=True,
        steps=(
            review(1, "Vi har meldt fra til driftsavdelingen, som retter feilen."),
            merge(
                3,
                "melde-feil-med-bilde",
                "Feilen er meldt videre. Idéen om en enklere måte å melde fra på følger vi "
                "opp i {reference}.",
            ),
        ),
    ),
    DemoIdea(
        slug="benker-langs-turstien",
        title="Flere benker langs turstien rundt vannet",
        body=(
            "Turstien rundt vannet er fin, men det er nesten ingen steder å sitte. For "
            "eldre og folk med barnevogn hadde noen benker gjort turen mulig."
        ),
        areas=("teknisk-og-miljo", "kultur-og-fritid"),
        days_ago=100,
        name="Astrid",
        may_publish=True,
        supporters=18,
        steps=(
            review(3),
            accept(9, "Vi tar idéen videre. Seks nye benker settes opp i løpet av våren."),
            publish(9),
        ),
    ),
    DemoIdea(
        slug="sms-om-tomming-av-soppel",
        title="SMS dagen før søppelet hentes",
        body="Jeg glemmer stadig å sette ut dunken. En SMS dagen før hadde hjulpet.",
        areas=("teknisk-og-miljo",),
        days_ago=66,
        name="Henrik",
        may_publish=True,
        steps=(
            review(1),
            decline(
                3,
                "Søppeltømmingen er det renovasjonsselskapet som har ansvar for, ikke "
                "kommunen. De har allerede varsling på SMS og i app. Vi har sendt idéen "
                "din videre til dem, så de kan gjøre varslingen bedre kjent.",
            ),
            publish(3),
        ),
    ),
    DemoIdea(
        slug="egen-app-for-kommunen",
        title="En egen app for alt i kommunen",
        body="Lag en app der jeg finner alle tjenestene, betaler regninger og får varsler.",
        areas=("teknisk-og-miljo",),
        days_ago=92,
        name="",
        may_publish=True,
        steps=(
            review(2),
            decline(
                12,
                "Vi lager ikke en egen app. Det koster mye å lage og vedlikeholde, og få "
                "laster ned apper fra kommunen. Vi bruker heller pengene på å gjøre "
                "nettsiden enkel å bruke på mobil.",
            ),
            publish(12),
        ),
    ),
    DemoIdea(
        slug="ladestasjon-ved-radhuset",
        title="Ladestasjoner for elbil ved rådhuset",
        body="Det finnes ingen lader i sentrum. Kan kommunen sette opp noen ved rådhuset?",
        areas=("teknisk-og-miljo",),
        days_ago=11,
        name="Vegard",
    ),
    DemoIdea(
        slug="bytteordning-for-barneklaer",
        title="Byttehylle for barneklær i bibliotekets foaje",
        body=(
            "Barn vokser ut av klærne før de er slitt. En hylle der man kan levere og "
            "hente barneklær gratis, ville spart penger og miljøet."
        ),
        areas=("kultur-og-fritid", "teknisk-og-miljo"),
        days_ago=2,
        name="Mari",
        may_publish=True,
    ),
    DemoIdea(
        slug="broyting-av-fortau-for-skolestart",
        title="Brøyt fortauene før skolen begynner",
        body=(
            "Når det snør, brøytes veien før fortauet. Da må barna gå i veibanen på vei "
            "til skolen. Fortauene langs skoleveiene bør brøytes før klokka åtte."
        ),
        areas=("teknisk-og-miljo", "skole"),
        days_ago=20,
        name="Rune",
        may_publish=True,
        supporters=22,
        steps=(review(2, "Vi ser på brøyteplanen sammen med entreprenøren."), publish(2)),
    ),
    # Withdrawn by their senders.
    DemoIdea(
        slug="felles-kalender-for-parorende",
        title="Felles kalender for pårørende",
        body=(
            "Vi er fire søsken som hjelper far. Vi vet aldri hvem som har vært der, eller "
            "når legetimene er. En felles kalender fra kommunen hadde vært fint."
        ),
        areas=("helse-og-omsorg",),
        days_ago=85,
        name="Tone",
        email="tone@example.org",
        may_publish=True,
        steps=(withdraw(3, "Vi har funnet en app som passer oss."),),
    ),
    DemoIdea(
        slug="stroing-ved-bussholdeplassen",
        title="Strøing ved bussholdeplassen på Bakken",
        body="Holdeplassen på Bakken er speilblank hver morgen. Noen kommer til å falle.",
        areas=("teknisk-og-miljo",),
        days_ago=38,
        name="Åse",
        steps=(review(1), withdraw(4, "Det er strødd nå. Takk!")),
    ),
    DemoIdea(
        slug="parkering-ved-barnehagen",
        title="Flere parkeringsplasser ved Solsiden barnehage",
        body=(
            "Om morgenen er det kaos ved barnehagen fordi det er for få plasser å stoppe. "
            "Kan noen av plassene bli korttidsparkering?"
        ),
        areas=("barnehage", "teknisk-og-miljo"),
        days_ago=60,
        name="Lars",
        may_publish=True,
        steps=(review(2), publish(3), withdraw(12)),
    ),
    DemoIdea(
        slug="faerre-papirskjema",
        title="Færre papirskjemaer i hjemmetjenesten",
        body=(
            "Vi fyller ut de samme opplysningene på papir og i journalen. Kan vi slutte "
            "med papirskjemaene?"
        ),
        areas=("helse-og-omsorg",),
        days_ago=50,
        employee="nina.helse",
        steps=(withdraw(1, "Dette blir løst med den nye journalen."),),
    ),
]


@dataclass
class SeedReport:
    areas_created: int = 0
    users_created: int = 0
    ideas_created: int = 0
    ideas_total: int = 0
    flokes_created: int = 0
    flokes_total: int = 0
    stories_created: int = 0
    stories_total: int = 0
    images_created: int = 0


def seed_demo(*, now: datetime | None = None) -> SeedReport:
    """Create the page tree, service areas, demo users, ideas, flokes and stories, once."""
    report = SeedReport()
    ensure_site_tree()
    roles.ensure_roles()
    areas = ensure_service_areas(report)
    users = ensure_users(report, areas)
    clock = DemoClock(now or timezone.now())
    staff = users["innovasjon"]
    for item in sorted(IDEAS, key=lambda item: -item.days_ago):
        with transaction.atomic():
            if ensure_idea(item, areas=areas, users=users, staff=staff, clock=clock):
                report.ideas_created += 1
    report.ideas_total = Idea.objects.filter(
        submission_key__in=[item.submission_key for item in IDEAS]
    ).count()
    report.flokes_created, report.flokes_total = demo_pipeline.seed_pipeline(
        staff=staff, clock=clock
    )
    demo_stories.seed_stories(report, users=users, clock=clock)
    return report


def ensure_service_areas(report: SeedReport) -> dict[str, ServiceArea]:
    areas = {}
    for order, (slug, name) in enumerate(SERVICE_AREAS):
        area, created = ServiceArea.objects.get_or_create(
            slug=slug, defaults={"name": name, "sort_order": order}
        )
        report.areas_created += created
        areas[slug] = area
    return areas


def ensure_users(report: SeedReport, areas: dict[str, ServiceArea]) -> dict:
    User = get_user_model()
    users = {}
    for demo in [*ROLE_USERS, *COLLEAGUES]:
        user = User.objects.filter(username=demo.username).first()
        if user is None:
            user = User(
                username=demo.username,
                first_name=demo.first_name,
                last_name=demo.last_name,
                email=demo.email,
                is_staff=demo.superuser,
                is_superuser=demo.superuser,
            )
            # Passwords are set only when the user is created; a changed one stays.
            if demo.password:
                user.set_password(demo.password)
            else:
                user.set_unusable_password()
            user.save()
            report.users_created += 1
        if demo.group:
            user.groups.add(Group.objects.get(name=demo.group))
        if demo.service_area:
            EmployeeProfile.objects.get_or_create(
                user=user, defaults={"service_area": areas[demo.service_area]}
            )
        users[demo.username] = user
    return users


class DemoClock:
    """Turns "so many days ago" into dates, squeezed into the current year when it is young.

    Reference numbers carry the year the idea was stored in, so demo ideas dated last
    year would look wrong; early in a year the history is compressed instead.
    """

    def __init__(self, now: datetime):
        self.now = now
        local = timezone.localtime(now)
        start_of_year = local.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
        window = min(HISTORY_DAYS, max((local - start_of_year).days, 45))
        self.scale = window / HISTORY_DAYS

    def at(self, days_ago: float, *, hour: int, minute: int, after: datetime | None) -> datetime:
        day = timezone.localtime(self.now - timedelta(days=days_ago * self.scale))
        when = day.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if after is not None:
            when = max(when, after + timedelta(minutes=7))
        return min(when, self.now - timedelta(minutes=1))


def ensure_idea(item: DemoIdea, *, areas, users, staff, clock: DemoClock) -> bool:
    """Send the demo idea and replay what happened to it; False when it already exists."""
    if Idea.objects.filter(submission_key=item.submission_key).exists():
        return False
    user = users[item.employee] if item.employee else None
    submission = services.Submission(
        title=item.title,
        body=item.body,
        concerns=item.concerns,
        name=item.name or (user.get_full_name() if user else ""),
        email=item.email,
        phone=item.phone,
        may_contact=item.may_contact,
        may_publish=item.may_publish,
    )
    idea, _created = services.idea_submit(
        submission=submission,
        service_areas=[areas[slug] for slug in item.areas],
        photos=[],
        submission_key=item.submission_key,
        user=user,
    )
    seed = int(hashlib.sha256(item.slug.encode()).hexdigest(), 16)
    received = clock.at(item.days_ago, hour=7 + seed % 15, minute=seed % 60, after=None)
    history = History(idea)
    last = received
    for number, step in enumerate(item.steps):
        idea = apply_step(idea, step, staff=staff)
        hour = 8 + (seed + number) % 7  # office hours
        last = clock.at(item.days_ago - step.day, hour=hour, minute=seed % 50, after=last)
        history.backdate(idea, step, last)
    if item.supporters and idea.is_published:
        for number in range(item.supporters):
            services.idea_support(
                idea=idea, supporter=hashlib.sha256(f"{item.slug}/{number}".encode()).hexdigest()
            )
        Support.objects.filter(idea=idea).update(created_at=last)
    Idea.objects.filter(pk=idea.pk).update(created_at=received, updated_at=last)
    return True


def apply_step(idea: Idea, step: Step, *, staff) -> Idea:
    match step.action:
        case "answer":
            services.idea_answer(idea=idea, text=step.text, by=staff)
        case "assess":
            scores = dict(zip(Criterion.values, step.scores, strict=True))
            services.idea_assess(idea=idea, assessor=staff, scores=scores, comment=step.text)
        case "publish":
            services.idea_publish(idea=idea, by=staff, personal_data_checked=step.checked)
        case "accept":
            # An idea without a demo floke of its own opens a small floke of its own name.
            demo_pipeline.accept_into_floke(
                idea=idea, title=step.floke or idea.title, by=staff, description=step.text
            )
        case "withdraw":
            idea = services.idea_withdraw(idea=idea, description=step.text)
        case "merge":
            into = Idea.objects.get(submission_key=demo_idea(step.into).submission_key)
            idea = services.idea_transition(
                idea=idea,
                name="merge",
                by=staff,
                description=step.text.format(reference=into.reference),
                into=into,
            )
        case _:
            idea = services.idea_transition(
                idea=idea, name=step.action, by=staff, description=step.text
            )
    idea.refresh_from_db()
    return idea


def demo_idea(slug: str) -> DemoIdea:
    return next(item for item in IDEAS if item.slug == slug)


class History:
    """Moves the rows one step wrote (status log, audit log, answer) to the step's date."""

    def __init__(self, idea: Idea):
        self.content_type = ContentType.objects.get_for_model(Idea)
        self.state_logs = StateLog.objects.filter(content_type=self.content_type, object_id=idea.pk)
        self.audit_logs = ModelLogEntry.objects.filter(
            content_type=self.content_type, object_id=str(idea.pk)
        )
        self.answers = Answer.objects.filter(idea=idea)
        self.marks = self._marks()

    def _marks(self) -> tuple[int, int, int]:
        return tuple(
            rows.aggregate(last=Max("pk"))["last"] or 0
            for rows in (self.state_logs, self.audit_logs, self.answers)
        )

    def backdate(self, idea: Idea, step: Step, when: datetime) -> None:
        state_mark, audit_mark, answer_mark = self.marks
        self.state_logs.filter(pk__gt=state_mark).update(timestamp=when)
        self.audit_logs.filter(pk__gt=audit_mark).update(timestamp=when)
        self.answers.filter(pk__gt=answer_mark).update(created_at=when)
        ideas = Idea.objects.filter(pk=idea.pk)
        if step.action == "publish":
            ideas.update(published_at=when)
        elif step.action in CLOSING_ACTIONS:
            ideas.update(closed_at=when)
        self.marks = self._marks()


def credentials() -> list[tuple[str, str, str, str]]:
    """(role, group, username, password) of the demo users who can log in."""
    return [
        (demo.role, demo.group or "superuser", demo.username, demo.password) for demo in ROLE_USERS
    ]


def credentials_table() -> str:
    header = ("Role", "Group", "Username", "Password")
    rows = [header, *credentials()]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]

    def line(row):
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        return "  ".join(cells).rstrip()

    admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/"
    return "\n".join(
        [
            f"Demo users (log in at {admin_url}):",
            line(header),
            line(["-" * width for width in widths]),
            *[line(row) for row in rows[1:]],
        ]
    )
