"""Demo flokes for a developer's machine: the BLT pipeline as the innovation team ran it.

Every floke is opened, filled and moved through `blt.services`, exactly as staff do
in the admin, so the phase history (django-fsm-log), the audit log and the public
timeline (`FlokeStep`) are real. Demo ideas join their floke through
`idea_accept_into_floke` while the ideas are seeded (see the `accept` steps in
`config.demo`); the rest of each floke's story is replayed here, afterwards. Only the
dates are moved, so that time in each phase looks like real work.

A floke is known by its title. Once its story has been replayed (it has anything in
its audit log besides being created and ideas joining), it is left alone.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from wagtail.models import ModelLogEntry

from django_fsm_log.models import StateLog

from blt import services
from blt.choices import BenefitTerm, ExperimentStatus, InsightKind, Phase
from blt.models import Benefit, CoCreation, Floke, FlokeStep, KeyFigure, TeamMember
from ideabank.choices import Status
from ideabank.models import Idea, ServiceArea

FAMILIEHJELPA = "Familiehjelpa: ett nummer å ringe for familier"
FAMILIELOS = "Familielos: samordnede tjenester rundt barn og familier"
TJENESTESTOTTE = "Tidlig hjelp sammen med helsestasjonen"
TIMEBESTILLING = "Digital timebestilling på helsestasjonen"
PPT_VENTETID = "Hjelp i skolen mens familien venter på PPT"
FRITID = "Fritid og ferie for alle barn"
KLARSPRAK = "Klarspråk i brev og søknader"
ELDRE = "Selskap for eldre som bor alene"
HJEMMETJENESTE_SMS = "Varsel når hjemmetjenesten blir forsinket"


@dataclass(frozen=True)
class Event:
    """One thing the team did with a floke, `day` days ago (listed oldest first)."""

    kind: str
    day: float
    fields: dict = field(default_factory=dict)
    key: str = ""


def insight(day, kind, summary, *, people=None):
    return Event("insight", day, {"kind": kind, "summary": summary, "people_count": people})


def co_creation(day, activity, summary):
    return Event("record", day, {"model": CoCreation, "activity": activity, "summary": summary})


def member(day, name, role):
    return Event("record", day, {"model": TeamMember, "name": name, "role": role})


def figure(day, value, label, *, unit="", source=""):
    fields = {"value": Decimal(value), "unit": unit, "label": label, "source": source}
    return Event("record", day, {"model": KeyFigure, **fields})


def benefit(day, term, planned, *, indicator="", key=""):
    fields = {"model": Benefit, "term": term, "planned": planned, "indicator": indicator}
    return Event("record", day, fields, key=key)


def experiment(day, key, title, *, start, end, **fields):
    """`start` and `end` in days ago; a negative number is a day still to come."""
    return Event("experiment", day, {"title": title, "start": start, "end": end, **fields}, key)


def update(day, key, **fields):
    """Fill in a record later: an experiment started or finished, a benefit realised."""
    return Event("update", day, fields, key)


def move(day, name, public_reason, *, description="", **fields):
    fields = {"description": description, "public_reason": public_reason, **fields}
    return Event("move", day, fields, key=name)


def edit(day, **fields):
    """Staff edit the floke's text in the admin, as `FlokeEditView` saves it."""
    return Event("edit", day, fields)


@dataclass(frozen=True)
class DemoFloke:
    title: str
    created: float  # days ago, when opened directly or when its first idea was accepted
    events: tuple[Event, ...]
    areas: tuple[str, ...] = ()
    need_statement: str = ""
    description: str = ""
    team: tuple[str, ...] = ()  # usernames
    direct: bool = False  # opened by staff, not from an idea (e.g. a cohort's own floke)
    phase: str = Phase.BEHOV  # where the story ends; checked by the tests


FLOKES = [
    DemoFloke(
        title=FAMILIEHJELPA,
        direct=True,
        created=178,
        areas=("oppvekst", "barnevern", "helse-og-omsorg"),
        team=("innovasjon",),
        phase=Phase.IMPLEMENTED,
        description=(
            "Kullet fra oppvekst på innovasjonsskolen tok med seg denne floken: familier med "
            "barn som trenger mye hjelp, vet ikke hvem i kommunen de skal kontakte. Arbeidet hører "
            "sammen med den nye planen for helse og velferd, der foreldrene skal være med på "
            "å forme tjenestene."
        ),
        events=(
            member(177, "Solveig Haug", "kommunalsjef for oppvekst, kullet på innovasjonsskolen"),
            member(177, "Knut Rise", "spesialpedagog, kullet på innovasjonsskolen"),
            member(177, "Anne Tveit", "helsesykepleier, kullet på innovasjonsskolen"),
            member(177, "Mari Dal", "rådgiver i barnevernet, kullet på innovasjonsskolen"),
            insight(
                168,
                InsightKind.INTERVIEW,
                "Vi besøkte familier som får hjelp fra mange tjenester, og lot dem fortelle. Vi "
                "ventet en liste over feil som skulle rettes. I stedet sa de fleste at det "
                "betydde mye at noen fra kommunen kom for å lytte.",
                people=12,
            ),
            insight(
                160,
                InsightKind.INTERVIEW,
                "Både foreldre og ansatte synes tjenestene er vanskelige å få oversikt over. "
                "Familiene blir sendt videre og må fortelle historien sin på nytt mange ganger.",
                people=12,
            ),
            insight(
                154,
                InsightKind.OBSERVATION,
                "Hjelpen kommer ofte for sent og passer ikke alltid til det familien trenger. "
                "Når familien blir møtt med forståelse, blir hele opplevelsen bedre, også når "
                "vi ikke kan løse alt.",
            ),
            move(
                140,
                "to_losning",
                "Vi har snakket med tolv familier og forstår behovet godt nok til å begynne å "
                "lage en løsning sammen med dem og med tjenestene.",
                description="Ledergruppen i oppvekst har gitt prosjektet ressurser.",
                need_statement=(
                    "Hvordan kan vi gjøre det enkelt for familier å få riktig hjelp raskt, "
                    "når de ikke vet hvilken tjeneste de skal kontakte?"
                ),
            ),
            co_creation(
                134,
                "Verksted med foreldre og ansatte",
                "Foreldre, helsestasjonen, PPT, barnevernet og NAV skisserte hvordan en første "
                "samtale bør være. Foreldrene ønsket ett telefonnummer og én person som følger "
                "opp etterpå.",
            ),
            co_creation(
                126,
                "Prøvesamtaler med Duken",
                "Teamet øvde på samtaler med arbeidsverktøyet Duken fra Asker velferdslab, slik "
                "at familien selv er med på å lage planen sin.",
            ),
            experiment(
                116,
                "telefon",
                "Familietelefonen i fire uker",
                start=112,
                end=84,
                hypothesis=(
                    "Hvis familier kan ringe ett nummer og bli lyttet til, kommer de raskere til "
                    "riktig tjeneste og slipper å bli sendt rundt."
                ),
                method=(
                    "Telefonen var åpen på hverdager. Teamet hadde sjekk-inn hver mandag om hva "
                    "de ville lære den uken, og sjekk-ut hver fredag der de skrev ned det de "
                    "hadde lært."
                ),
                participants="To ansatte fra oppvekst på telefonen, med støtte fra sju tjenester.",
            ),
            move(
                113,
                "to_testing",
                "Vi prøver ut en familietelefon i fire uker, med ukentlig sjekk-inn og sjekk-ut.",
                solution_what=(
                    "En telefon for alle som er bekymret for et barn. Den som svarer, lytter, "
                    "forteller hva kommunen kan tilby og følger opp til familien er kommet til "
                    "riktig sted."
                ),
                solution_for_whom=(
                    "Familier som ikke vet hvem de skal kontakte, og særlig familier med "
                    "sammensatte behov."
                ),
                solution_difference=(
                    "I dag må familien selv finne riktig tjeneste. Med familietelefonen har én "
                    "person ansvar for at familien blir fulgt opp."
                ),
            ),
            update(112, "telefon", status=ExperimentStatus.RUNNING),
            update(
                83,
                "telefon",
                status=ExperimentStatus.FINISHED,
                result=(
                    "35 familier ringte i løpet av de fire ukene. De ble fulgt videre til sju "
                    "ulike tjenester, og de fleste fikk en avtale samme uke."
                ),
                learnings=(
                    "Familiene vil helst snakke med den samme personen igjen. Ansatte trenger å "
                    "kjenne hverandre på tvers av tjenestene for å kunne hjelpe raskt. Vi mangler "
                    "tilbud til familier der det holder på å ryke."
                ),
            ),
            figure(
                82,
                "35",
                "familier ringte i utprøvingen",
                unit="familier",
                source="Loggen fra utprøvingen",
            ),
            figure(
                82,
                "7",
                "tjenester tok imot familier fra telefonen",
                unit="tjenester",
                source="Loggen fra utprøvingen",
            ),
            figure(81, "10", "tverrfaglige nettverksgrupper", source="Familiehjelpa"),
            figure(81, "14", "tjenester er med i nettverksgruppene", source="Familiehjelpa"),
            benefit(
                80,
                BenefitTerm.SHORT,
                "Familier kommer raskere til riktig tjeneste.",
                indicator="Dager fra første samtale til avtale",
                key="raskere",
            ),
            benefit(
                80,
                BenefitTerm.SHORT,
                "Ansatte vet hvem de kan spørre i andre tjenester.",
                indicator="Svar i nettverksgruppene",
            ),
            benefit(
                80,
                BenefitTerm.LONG,
                "Færre familier havner i en krise før de får hjelp.",
                indicator="Saker som kommer til barnevernet",
            ),
            benefit(
                80,
                BenefitTerm.LONG,
                "Mindre bruk av dyre tiltak fordi hjelpen kommer tidligere.",
            ),
            move(
                62,
                "implement",
                "Utprøvingen viste at familietelefonen virker. Familiehjelpa er nå en fast "
                "tjeneste, og alle som er bekymret for et barn, kan ta kontakt.",
                description="Vedtatt i ledergruppen for oppvekst, og lagt fram for politikerne.",
                decision_note=(
                    "Familiehjelpa blir en fast tjeneste i oppvekst fra januar, med to "
                    "stillinger og et teamleder-ansvar. Nettverksgruppene videreføres."
                ),
            ),
            update(40, "raskere", realised_value="Samme uke for de fleste familiene"),
            edit(
                38,
                learnings=(
                    "Å lytte er en tjeneste i seg selv. Det er lov å feile: vi prøvde oss fram "
                    "i små steg og justerte hver uke. Neste floke er tidlig hjelp til familier "
                    "der det holder på å ryke."
                ),
                public_summary=(
                    "Familiehjelpa er et telefonnummer for alle som er bekymret for et barn. "
                    "Idéen kom fra kullet på innovasjonsskolen og ble prøvd ut i fire uker før "
                    "den ble en fast tjeneste."
                ),
            ),
        ),
    ),
    DemoFloke(
        title=FAMILIELOS,
        created=150,
        phase=Phase.TESTING,
        events=(
            edit(
                148,
                description=(
                    "Barn og unge som får hjelp fra barnevernet, har ofte sammensatte behov og "
                    "mange tjenester rundt seg. Tjenestene er organisert ulikt og jobber etter "
                    "ulike metoder, og familien må selv holde det hele sammen."
                ),
            ),
            member(147, "Designteamet", "innleid tjenestedesignbyrå"),
            insight(
                142,
                InsightKind.INTERVIEW,
                "Foreldrene beskriver et tjenesteapparat der alle gjør sin del, men ingen ser "
                "hele familien. Mange sier at de har brukt mer tid på møter enn på hjelp.",
                people=9,
            ),
            insight(
                134,
                InsightKind.OBSERVATION,
                "På samarbeidsmøtene brukes tiden på å oppdatere hverandre. Det er sjelden "
                "klart hvem som skal gjøre hva før neste møte.",
            ),
            move(
                120,
                "to_losning",
                "Behovet er tydelig: familien trenger én som holder oversikten. Nå utvikler vi "
                "en løsning sammen med familier og tjenester.",
                need_statement=(
                    "Hvordan kan vi få tjenestene rundt utsatte barn, unge og familiene deres "
                    "til å samarbeide, slik at familien opplever at hjelpen henger sammen?"
                ),
            ),
            co_creation(
                112,
                "Samskapingsverksted med familier og tjenester",
                "Foreldre, ungdommer og ansatte fra barnevern, PPT, helsestasjon og NAV laget "
                "sammen en første skisse av en familielos.",
            ),
            co_creation(
                104,
                "Prototyp av familielosen",
                "Designteamet og arbeidsgruppen spilte gjennom et familiemøte med losen som "
                "møteleder.",
            ),
            experiment(
                98,
                "grep",
                "Seks grupper tester små grep i seks uker",
                start=96,
                end=54,
                hypothesis=(
                    "Små endringer i hvordan tjenestene samarbeider, gjør at familien opplever "
                    "hjelpen som mer samlet."
                ),
                method=(
                    "Sjekk-inn med designteamet hver mandag om hva gruppen ville lære, små grep "
                    "i løpet av uken og sjekk-ut hver fredag der læringen ble skrevet ned. "
                    "Foreldre førte dagbok, og barna fikk en kalender med klistremerker."
                ),
                participants="Seks tverrfaglige grupper og familiene de følger opp.",
            ),
            move(
                96,
                "to_testing",
                "Vi prøver ut den første løsningen i seks uker, i seks grupper.",
                solution_what=(
                    "En familielos som er familiens faste kontakt mot tjenestene og sørger for "
                    "at de samarbeider."
                ),
                solution_for_whom="Familier med barn og unge som har særlige utfordringer.",
                solution_difference=(
                    "I dag koordinerer familien selv. Med losen har én person ansvar for "
                    "oversikt og framdrift."
                ),
            ),
            update(96, "grep", status=ExperimentStatus.RUNNING),
            update(
                53,
                "grep",
                status=ExperimentStatus.FINISHED,
                result=(
                    "Familiene satte pris på å ha én å ringe. Men når tjenestene ikke møtte med "
                    "myndighet til å bestemme, ble det likevel mange runder."
                ),
                learnings=(
                    "En kontaktperson alene er ikke nok. Familien trenger et fast team der "
                    "tjenestene møter med mandat, og der alle hører det samme samtidig."
                ),
            ),
            figure(52, "6", "grupper testet små grep", unit="grupper", source="Sjekk-ut-notater"),
            move(
                48,
                "step_back",
                "Den første utprøvingen viste at vi må utforme familieteamet bedre før vi "
                "tester igjen.",
                description="Tilbake til løsning: en los uten et team med mandat er ikke nok.",
            ),
            co_creation(
                40,
                "Verksted om mandat for familieteamet",
                "Lederne i tjenestene avklarte hva den som møter i familieteamet, kan bestemme "
                "på vegne av sin tjeneste.",
            ),
            experiment(
                27,
                "team",
                "Familielos og familieteam for seks familier",
                start=24,
                end=-60,
                hypothesis=(
                    "Når tjenestene møter med mandat og planlegger sammen med familien, går "
                    "saken raskere og familien opplever at kommunen er på deres side."
                ),
                method=(
                    "Losen kaller inn familieteamet. Møtene er ikke til saksbehandling: teamet "
                    "avtaler veien videre og hvem som gjør hva til neste gang."
                ),
                participants=(
                    "Seks familier, to familieloser og tjenestene familiene har rundt seg."
                ),
            ),
            move(
                25,
                "to_testing",
                "Familielosen får et familieteam med mandat. Nå tester vi det med seks familier.",
                solution_what=(
                    "En familielos som er familiens knutepunkt, og et familieteam der tjenestene "
                    "møter med mandat. Losen er med i seks til tolv måneder."
                ),
            ),
            update(24, "team", status=ExperimentStatus.RUNNING),
            figure(22, "6", "familier med i utprøvingen", unit="familier"),
            benefit(20, BenefitTerm.SHORT, "Familien opplever at alle tjenestene hører det samme."),
            benefit(20, BenefitTerm.SHORT, "Kortere tid fra behov til hjelp."),
            benefit(20, BenefitTerm.LONG, "Færre saker til barnevernet."),
            benefit(20, BenefitTerm.LONG, "Mer effektiv bruk av kommunens ressurser."),
        ),
    ),
    DemoFloke(
        title=TJENESTESTOTTE,
        created=52,
        phase=Phase.LOSNING,
        events=(
            insight(
                48,
                InsightKind.INTERVIEW,
                "Helsesykepleiere og jordmødre møter foreldre som strever, men vet ikke hvem "
                "de kan spørre uten å sende en henvisning.",
                people=8,
            ),
            insight(
                44,
                InsightKind.DATA,
                "Familie og nettverk fikk nesten ingen henvendelser fra helsestasjonen siste "
                "halvår. Sakene kom først når familien trengte behandling.",
            ),
            insight(
                40,
                InsightKind.OTHER,
                "Etter tre møter var lederne enige om målet: tjenesten skal være lett å "
                "skjønne og lett å samarbeide med, for familier og for andre tjenester.",
            ),
            member(39, "Veileder fra kompetansesenteret", "følger arbeidet som samtalepartner"),
            move(
                28,
                "to_losning",
                "Vi vet nok om behovet. Nå lager vi løsningen sammen med helsestasjonen og "
                "familietjenesten.",
                need_statement=(
                    "Hvordan kan vi gjøre det lett for familier å få hjelp tidlig, uten "
                    "henvisning og venteliste, og tydelig hva hver tjeneste gjør?"
                ),
            ),
            co_creation(
                26,
                "Oppstartssamling for ledere og ansatte",
                "Mellomledere og ansatte ble kjent med hverandres oppgaver og begynte på felles "
                "rutiner for samarbeid.",
            ),
            co_creation(
                19,
                "Oppfølgingsdag om samarbeidsrutiner",
                "Helsestasjonen og familietjenesten skisserte hvordan en felles samtale med "
                "familien kan gå.",
            ),
            co_creation(
                12,
                "Fagdag om psykisk helse hos de aller minste",
                "To ansatte koblet fagstoffet til eksempler fra egen hverdag.",
            ),
            edit(
                10,
                solution_what=(
                    "Triosamtaler: helsesykepleier inviterer en familieveileder inn i samtalen "
                    "med familien. Familien kan få inntil tre samtaler uten henvisning."
                ),
                solution_for_whom=(
                    "Foreldre til små barn som strever, og helsesykepleierne som møter dem."
                ),
                solution_difference=(
                    "I dag venter vi til saken er stor nok for en henvisning. Nå kommer hjelpen "
                    "inn mens problemet er lite."
                ),
            ),
            experiment(
                8,
                "trio",
                "Triosamtaler på to helsestasjoner",
                start=-7,
                end=-63,
                hypothesis=(
                    "Når helsesykepleier kan hente inn en familieveileder uten henvisning, får "
                    "familiene hjelp tidligere."
                ),
                method="Åtte uker med faste veiledningsmøter og sjekk-ut hver fredag.",
                participants="Helsesykepleiere og jordmødre på to helsestasjoner, to "
                "familieveiledere.",
            ),
            benefit(7, BenefitTerm.SHORT, "Flere familier får hjelp uten henvisning."),
            benefit(7, BenefitTerm.LONG, "Færre saker må løses på et høyt nivå."),
        ),
    ),
    DemoFloke(
        title=TIMEBESTILLING,
        direct=True,
        created=150,
        areas=("helse-og-omsorg", "oppvekst"),
        phase=Phase.STOPPED,
        description=(
            "Foreldre må ringe helsestasjonen for å bestille eller flytte en time, og "
            "telefonen er ofte opptatt. Helsestasjonen ba innovasjonsteamet se på en egen "
            "løsning for timebestilling på nett."
        ),
        events=(
            insight(
                146,
                InsightKind.SURVEY,
                "Sju av ti foreldre som svarte, vil bestille og flytte timer selv på nett.",
                people=214,
            ),
            insight(
                140,
                InsightKind.OBSERVATION,
                "Helsesekretærene bruker om lag to timer hver dag på telefoner om timer.",
            ),
            figure(139, "214", "foreldre svarte på undersøkelsen", source="Spørreundersøkelse"),
            figure(139, "70", "vil bestille time på nett", unit="%", source="Spørreundersøkelse"),
            move(
                132,
                "to_losning",
                "Mange foreldre ønsker å bestille time selv. Vi ser på hvordan det kan gjøres.",
                need_statement=(
                    "Hvordan kan vi gjøre det enkelt for foreldre å bestille og flytte timer på "
                    "helsestasjonen, uten å måtte ringe?"
                ),
            ),
            co_creation(
                126,
                "Skisseverksted med foreldre og helsesekretærer",
                "Vi tegnet en enkel bestillingsside og testet skissene på papir med seks foreldre.",
            ),
            co_creation(
                118,
                "Møte med IT og journalleverandøren",
                "Her fikk vi vite at journalsystemet kan kobles til den nasjonale løsningen "
                "for timebestilling og meldinger på helsenorge.no.",
            ),
            move(
                110,
                "stop",
                "Vi lager ikke en egen løsning. Den nasjonale løsningen på helsenorge.no dekker "
                "behovet, og nå tar helsestasjonen den i bruk.",
                description="Stoppet etter møtet med IT; behovet følges opp av helsestasjonen.",
                stop_reason=(
                    "En egen løsning ville gjort det samme som den nasjonale løsningen på "
                    "helsenorge.no, som journalsystemet vårt allerede kan kobles til. Vi ville "
                    "fått høyere driftskostnader, og foreldrene enda en innlogging."
                ),
                learnings=(
                    "Sjekk nasjonale fellesløsninger og hva leverandørene tilbyr før vi lager "
                    "noe selv. Ta med IT og personvern fra første uke. Behovet var ekte: det vi "
                    "trengte, var å ta i bruk og gjøre kjent det som finnes. Skissene fra "
                    "verkstedet brukes nå når helsestasjonen forteller foreldre om løsningen."
                ),
            ),
        ),
    ),
    DemoFloke(
        title=PPT_VENTETID,
        created=25,
        phase=Phase.BEHOV,
        events=(
            edit(
                24,
                need_statement=(
                    "Hvordan kan skolen gi eleven god hjelp mens familien venter på utredning "
                    "hos PPT?"
                ),
            ),
            insight(
                20,
                InsightKind.INTERVIEW,
                "Fem foreldre som venter på utredning, forteller at skolen ofte venter på PPT "
                "før den prøver noe nytt.",
                people=5,
            ),
        ),
    ),
    # Stuck in behov: long enough to be flagged even when the demo history is squeezed
    # into the first weeks of a year (see `config.demo.DemoClock`).
    DemoFloke(
        title=ELDRE,
        direct=True,
        created=135,
        areas=("helse-og-omsorg", "kultur-og-fritid"),
        phase=Phase.BEHOV,
        need_statement=(
            "Hvordan kan eldre som bor alene og ønsker selskap, komme i kontakt med frivillige "
            "som vil være besøksvenn?"
        ),
        description=(
            "Hjemmetjenesten møter mange eldre som sitter alene det meste av uka, og "
            "frivilligsentralen har folk som gjerne vil besøke noen."
        ),
        events=(
            insight(
                130,
                InsightKind.OBSERVATION,
                "Ansatte i hjemmetjenesten forteller at flere av brukerne sjelden snakker med "
                "andre enn dem.",
            ),
            insight(
                124,
                InsightKind.INTERVIEW,
                "Frivilligsentralen har flere som vil være besøksvenn, men vet ikke hvem som "
                "ønsker besøk. Hjemmetjenesten kan ikke gi dem navn uten samtykke.",
                people=4,
            ),
        ),
    ),
    DemoFloke(
        title=FRITID,
        created=8,
        phase=Phase.BEHOV,
        events=(
            insight(
                5,
                InsightKind.DATA,
                "Tall fra NAV viser at om lag ett av ti barn i kommunen bor i en familie med "
                "lav inntekt.",
            ),
        ),
    ),
    DemoFloke(
        title=KLARSPRAK,
        created=129,
        phase=Phase.IMPLEMENTED,
        events=(
            insight(
                122,
                InsightKind.INTERVIEW,
                "Vi leste brev og søknader sammen med brukere. De fleste lette etter svaret og "
                "fristen, og fant dem langt nede.",
                people=6,
            ),
            move(
                114,
                "to_losning",
                "Vi vet hva som gjør brevene vanskelige. Nå skriver vi dem om sammen med brukere.",
                need_statement=(
                    "Hvordan kan vi skrive brev og søknader slik at folk forstår dem første "
                    "gang de leser?"
                ),
            ),
            co_creation(
                106,
                "Skriveverksted med brukere",
                "Brukere og saksbehandlere skrev om de ti brevene som sendes oftest.",
            ),
            experiment(
                101,
                "soknad",
                "Ny barnehagesøknad testet med foreldre",
                start=99,
                end=88,
                hypothesis="Med færre spørsmål og enkle ord fyller foreldrene ut søknaden riktig.",
                method="Fem foreldre fylte ut den nye søknaden mens vi så på.",
                participants="Fem foreldre og opptakskontoret.",
            ),
            move(
                100,
                "to_testing",
                "Vi tester den nye barnehagesøknaden med foreldre.",
                solution_what="Brev og søknader der svaret og fristen står først, med vanlige ord.",
                solution_for_whom="Alle som får brev fra NAV eller søker barnehageplass.",
                solution_difference="I dag står svaret ofte til slutt, og ordene er faguttrykk.",
            ),
            update(99, "soknad", status=ExperimentStatus.RUNNING),
            update(
                87,
                "soknad",
                status=ExperimentStatus.FINISHED,
                result="Alle fem fylte ut søknaden riktig. Elleve spørsmål kunne fjernes.",
                learnings="Spør bare om det vi trenger. Test teksten med dem som skal bruke den.",
            ),
            figure(86, "11", "spørsmål fjernet fra barnehagesøknaden", source="Opptakskontoret"),
            move(
                72,
                "implement",
                "Den nye barnehagesøknaden er tatt i bruk, og NAV-brevene skrives om etter "
                "samme mal.",
                decision_note="Alle nye brevmaler skal testes med brukere før de tas i bruk.",
            ),
            figure(60, "6", "av de ti vanligste NAV-brevene er skrevet om", source="NAV-kontoret"),
        ),
    ),
    DemoFloke(
        title=HJEMMETJENESTE_SMS,
        created=144,
        phase=Phase.TESTING,
        events=(
            insight(
                138,
                InsightKind.INTERVIEW,
                "Pårørende blir urolige når hjemmetjenesten er sen, og ringer både tjenesten og "
                "hverandre.",
                people=7,
            ),
            move(
                120,
                "to_losning",
                "Vi lager en løsning for varsling sammen med pårørende og hjemmetjenesten.",
                need_statement=(
                    "Hvordan kan brukere og pårørende få vite det når hjemmetjenesten blir "
                    "forsinket?"
                ),
            ),
            co_creation(
                110,
                "Verksted med pårørende",
                "Pårørende ønsket en kort SMS med nytt tidspunkt, ikke en app.",
            ),
            experiment(
                27,
                "sone",
                "SMS-varsel i én sone",
                start=25,
                end=-10,
                hypothesis="Med varsel på SMS blir det færre bekymrede telefoner.",
                method="Varselet sendes når besøket blir mer enn 30 minutter forsinket.",
                participants="Brukere og pårørende i sone nord.",
            ),
            move(
                26,
                "to_testing",
                "SMS-tjenesten er koblet til turplanleggingen. Nå prøver vi den ut i én sone.",
                solution_what="En SMS til bruker eller pårørende når besøket blir forsinket.",
                solution_for_whom="Brukere av hjemmetjenesten og pårørende deres.",
                solution_difference="I dag får ingen beskjed; de må ringe for å spørre.",
            ),
            update(25, "sone", status=ExperimentStatus.RUNNING),
        ),
    ),
]


def demo_floke(title: str) -> DemoFloke:
    return next(item for item in FLOKES if item.title == title)


def accept_into_floke(*, idea: Idea, title: str, by, description: str) -> Floke:
    """Accept a demo idea into its demo floke; opens the floke if nobody has yet."""
    floke = Floke.objects.filter(title=title).first()
    spec = next((item for item in FLOKES if item.title == title), None)
    if floke is None and spec is not None and spec.direct:
        floke = open_floke(spec, by=by)
    return services.idea_accept_into_floke(
        idea=idea, by=by, floke=floke, title=title, description=description
    )


def open_floke(spec: DemoFloke, *, by) -> Floke:
    users = get_user_model().objects.filter(username__in=spec.team)
    return services.floke_create(
        by=by,
        title=spec.title,
        need_statement=spec.need_statement,
        description=spec.description,
        service_areas=ServiceArea.objects.filter(slug__in=spec.areas),
        team=users,
    )


def seed_pipeline(*, staff, clock) -> tuple[int, int]:
    """Open and replay the demo flokes once; (flokes replayed now, demo flokes in all)."""
    replayed = 0
    for spec in FLOKES:
        with transaction.atomic():
            floke = Floke.objects.filter(title=spec.title).first()
            if floke is None:
                # Its ideas were seeded before they could join a floke (an older demo).
                floke = open_floke(spec, by=staff)
            if is_replayed(floke):
                continue
            Replay(spec, floke, staff=staff, clock=clock).run()
            replayed += 1
        # The senders were told when the step happened (the e-mail goes out on commit).
        FlokeStep.objects.filter(floke=floke, notified_at__isnull=False).update(notified_at=F("at"))
    total = Floke.objects.filter(title__in=[spec.title for spec in FLOKES]).count()
    return replayed, total


def is_replayed(floke: Floke) -> bool:
    return (
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Floke), object_id=str(floke.pk)
        )
        .exclude(action__in=("wagtail.create", "blt.idea_joined"))
        .exists()
    )


class Replay:
    """Plays a demo floke's events through the services and moves each row to its date."""

    def __init__(self, spec: DemoFloke, floke: Floke, *, staff, clock):
        self.spec = spec
        self.floke = floke
        self.staff = staff
        self.clock = clock
        self.records = {}
        self.seed = int(hashlib.sha256(spec.title.encode()).hexdigest(), 16)
        content_type = ContentType.objects.get_for_model(Floke)
        self.state_logs = StateLog.objects.filter(content_type=content_type, object_id=floke.pk)
        self.audit_logs = ModelLogEntry.objects.filter(
            content_type=content_type, object_id=str(floke.pk)
        )
        self.steps = FlokeStep.objects.filter(floke=floke)

    def run(self) -> None:
        last = self.backdate_opening()
        for number, event in enumerate(self.spec.events):
            marks = self.marks()
            record = self.apply(event)
            hour = 8 + (self.seed + number) % 8  # office hours
            last = self.clock.at(event.day, hour=hour, minute=(self.seed + number) % 60, after=last)
            self.backdate(marks, last, event=event, record=record)
        Floke.objects.filter(pk=self.floke.pk).update(updated_at=last)

    def backdate_opening(self) -> datetime.datetime:
        """The floke opens when staff opened it, or when its first idea was accepted."""
        joined = self.accepted_at()
        if self.spec.direct or not joined:
            opened = self.clock.at(self.spec.created, hour=9, minute=self.seed % 60, after=None)
        else:
            opened = min(joined.values())
        Floke.objects.filter(pk=self.floke.pk).update(created_at=opened, phase_changed_at=opened)
        self.audit_logs.filter(action="wagtail.create").update(timestamp=opened)
        for entry in self.audit_logs.filter(action="blt.idea_joined"):
            entry.timestamp = joined.get((entry.data or {}).get("idea"), opened)
            entry.save(update_fields=["timestamp"])
        return opened

    def accepted_at(self) -> dict[int, datetime.datetime]:
        ideas = list(Idea.objects.filter(floke=self.floke).values_list("pk", flat=True))
        logs = StateLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Idea),
            object_id__in=ideas,
            state=Status.ACCEPTED,
        )
        return dict(logs.order_by("timestamp").values_list("object_id", "timestamp"))

    def marks(self) -> tuple[int, int, int]:
        return tuple(
            rows.aggregate(last=Max("pk"))["last"] or 0
            for rows in (self.state_logs, self.audit_logs, self.steps)
        )

    def date(self, days_ago: float) -> datetime.date:
        """A date that may lie ahead (a planned experiment), unlike `clock.at`."""
        today = timezone.localdate(self.clock.now)
        return today - datetime.timedelta(days=round(days_ago * self.clock.scale))

    def apply(self, event: Event):
        floke, by = self.floke, self.staff
        fields = dict(event.fields)
        match event.kind:
            case "insight":
                return services.floke_add_insight(
                    floke=floke, by=by, date=self.date(event.day), **fields
                )
            case "record":
                model = fields.pop("model")
                if model is CoCreation:
                    fields["date"] = self.date(event.day)
                elif model is KeyFigure:
                    fields["as_of"] = self.date(event.day)
                record = services.floke_add_record(floke=floke, by=by, model=model, **fields)
                if event.key:
                    self.records[event.key] = record
                return record
            case "experiment":
                fields["start"] = self.date(fields["start"])
                fields["end"] = self.date(fields["end"])
                record = services.floke_add_experiment(floke=floke, by=by, **fields)
                self.records[event.key] = record
                return record
            case "update":
                record = self.records[event.key]
                if isinstance(record, Benefit) and "realised_value" in fields:
                    fields["realised_on"] = self.date(event.day)
                services.floke_update_record(record=record, by=by, **fields)
                return None
            case "move":
                self.floke = services.floke_transition(floke=floke, by=by, name=event.key, **fields)
                return None
            case "edit":
                self.edit(fields)
                return None
        raise ValueError(f"Unknown demo event {event.kind!r}")

    def edit(self, fields: dict[str, str]) -> None:
        """What `blt.viewsets.FlokeEditView` does when staff save the floke's form."""
        floke = Floke.objects.get(pk=self.floke.pk)
        self.floke = services.floke_edit(floke=floke, by=self.staff, **fields)

    def backdate(self, marks, when: datetime.datetime, *, event: Event, record) -> None:
        state_mark, audit_mark, step_mark = marks
        self.state_logs.filter(pk__gt=state_mark).update(timestamp=when)
        self.audit_logs.filter(pk__gt=audit_mark).update(timestamp=when)
        self.steps.filter(pk__gt=step_mark).update(at=when)
        if event.kind == "move":
            Floke.objects.filter(pk=self.floke.pk).update(phase_changed_at=when)
        if event.kind in ("move", "edit") and set(event.fields) & set(services.SOLUTION_FIELDS):
            Floke.objects.filter(pk=self.floke.pk).update(solution_changed_at=when)
        if record is not None and hasattr(record, "created_at"):
            type(record).objects.filter(pk=record.pk).update(created_at=when)
