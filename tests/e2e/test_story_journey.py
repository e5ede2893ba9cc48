"""Communications tell a floke's story, the editors approve it, and readers find it.

The admin is read in English (each staff user's Wagtail profile says so), so the
admin's words here stay put while the Norwegian translations change. The public site
is bokmål; there the tests go by structure and by the titles they made themselves.
"""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from urllib.parse import urlparse

from django.urls import reverse

from wagtail.users.models import UserProfile

import pytest
from playwright.sync_api import expect

from blt import services as blt_services
from blt.choices import BenefitTerm, Phase
from config import roles
from stories.models import StoryPage
from tests.e2e.helpers import admin_login, axe_report, skip_without_chromium
from tests.factories import (
    BenefitFactory,
    FlokeFactory,
    KeyFigureFactory,
    UserFactory,
    with_phase,
)
from tests.stories.factories import block, image_block, make_image, make_story

skip_without_chromium()

pytestmark = pytest.mark.e2e

ATOM = "{http://www.w3.org/2005/Atom}"
FLOKE_TITLE = "Familiehjelpa"
IMAGE_TITLE = "Foreldremøte på biblioteket"
EVERY_BLOCK_TYPE = {
    "paragraph",
    "heading",
    "quote",
    "image",
    "key_figures",
    "benefits",
    "fact_box",
    "call_to_action",
    "pipeline",
}


def in_english(*users):
    """Wagtail's admin speaks each user's preferred language; make it English."""
    for user in users:
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "en"
        profile.save()


@pytest.fixture
def editor(db):
    """An editor in Redaksjon, the group that approves stories."""
    return UserFactory(
        username="redaktor", first_name="Rita", last_name="Redaktør", groups=[roles.EDITORS]
    )


@pytest.fixture
def floke(db):
    """A floke with everything "Start a story" fills in from."""
    floke = FlokeFactory(
        title=FLOKE_TITLE,
        need_statement="Hvordan kan vi gjøre det lett for familier å finne riktig hjelp?",
        solution_what="Ett telefonnummer som svarer og følger opp familien.",
        public_summary="Ett telefonnummer for familier som ikke vet hvor de skal ringe.",
        learnings="Én fast kontaktperson betyr mest for familiene.",
    )
    KeyFigureFactory(floke=floke, value=Decimal("35"), unit="", label="familier henvist")
    BenefitFactory(floke=floke, term=BenefitTerm.SHORT, planned="Raskere hjelp")
    BenefitFactory(floke=floke, term=BenefitTerm.LONG, planned="Færre saker i barnevernet")
    return floke


# The page editor


def body_kinds(page) -> list[str]:
    """The types of the body's blocks, top to bottom (list items inside blocks left out)."""
    return page.locator("input[name^='body-'][name$='-type']").evaluate_all(
        "fields => fields.filter(f => /^body-\\d+-type$/.test(f.name)).map(f => f.value)"
    )


def body_block(page, kind: str) -> str:
    """The form prefix (`body-10`) of the last block of this type in the body."""
    type_field = page.locator(f"input[name^='body-'][name$='-type'][value='{kind}']").last
    return type_field.get_attribute("name").removesuffix("-type")


def add_block(page, label: str, kind: str) -> str:
    """Add a block at the end of the body through the block picker; return its prefix."""
    before = page.locator(f"input[name$='-type'][value='{kind}']").count()
    page.locator("[data-contentpath='body'] button.c-sf-add-button").last.click()
    page.get_by_role("option", name=label, exact=True).click()
    expect(page.locator(f"input[name$='-type'][value='{kind}']")).to_have_count(before + 1)
    return body_block(page, kind)


def choose_image(page, chooser, title: str):
    """Open an image chooser's modal and pick the image by its title."""
    chooser.get_by_role("button", name="Choose an image").click()
    modal = page.locator(".modal")
    expect(modal.get_by_role("heading", name="Choose an image")).to_be_visible()
    choice = modal.get_by_role("link", name=title)
    expect(choice, f"the image chooser should offer “{title}”").to_be_visible()
    choice.click()
    expect(modal).to_be_hidden()
    expect(chooser.locator("[data-chooser-title]")).to_have_text(title)


def footer_action(page, name):
    """Open the footer's "More actions" menu and press one of its buttons."""
    page.locator("footer").get_by_role("button", name="More actions").click()
    page.locator("footer").get_by_role("button", name=name).click()


def advertised_feed(page, kind: str):
    """Fetch the feed the page's head advertises (`rss` or `atom`)."""
    url = page.locator(f"link[rel=alternate][type='application/{kind}+xml']").get_attribute("href")
    feed = page.request.get(urlparse(url).path)
    assert feed.ok, f"{url} answered {feed.status}"
    assert feed.headers["content-type"].startswith(f"application/{kind}+xml")
    return feed


def test_communications_write_a_story_and_the_editors_publish_it(
    new_page, site_tree, communications, editor, floke
):
    in_english(communications, editor)
    make_image(title=IMAGE_TITLE)

    # Communications start the story from the floke's admin page.
    writer = new_page()
    admin_login(writer, communications)
    writer.goto(reverse("flokes:inspect", args=[floke.pk]))
    writer.get_by_role("link", name="Start a story").click()
    expect(writer.get_by_role("heading", name="Start a story")).to_be_visible()
    writer.get_by_role("button", name="Start the story").click()

    # The editor opens on a draft already filled in from the pipeline.
    writer.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    story = StoryPage.objects.get(floke=floke)
    assert writer.url.endswith(reverse("wagtailadmin_pages:edit", args=[story.pk]))
    assert not story.live
    expect(writer.locator("#id_title")).to_have_value(FLOKE_TITLE)
    expect(writer.locator("#id_lead")).to_have_value(floke.public_summary)
    prefilled = body_kinds(writer)
    assert set(prefilled) == EVERY_BLOCK_TYPE - {"quote", "image", "fact_box"}, prefilled
    assert len(prefilled) > len(set(prefilled))

    # The hero image, with a description for those who cannot see it.
    choose_image(writer, writer.locator("#id_hero_image-chooser"), IMAGE_TITLE)
    writer.fill("#id_hero_alt_text", "Tre foreldre og en saksbehandler rundt et bord")
    writer.fill("#id_hero_credit", "Kommunikasjonsavdelingen")

    # The blocks the draft does not have yet: a quote, an image and a fact box.
    quote = add_block(writer, "Quote", "quote")
    writer.fill(f"#{quote}-value-text", "Nå ringer jeg ett nummer, og de hjelper meg videre.")
    writer.fill(f"#{quote}-value-person", "Mor til to")
    writer.fill(f"#{quote}-value-role", "bruker av Familiehjelpa")

    image = add_block(writer, "Image", "image")
    choose_image(writer, writer.locator(f"#{image}-value-image-chooser"), IMAGE_TITLE)
    writer.fill(f"#{image}-value-alt_text", "Foreldre i samtale med en veileder")
    writer.fill(f"#{image}-value-caption", "Det første møtet i Familiehjelpa")

    fact_box = add_block(writer, "Fact box", "fact_box")
    writer.fill(f"#{fact_box}-value-organisations", "Helsestasjonen, NAV og barnevernet")
    writer.fill(f"#{fact_box}-value-period", "2024-2026")

    # Submitted for moderation from the footer's action menu.
    footer_action(writer, re.compile(rf"^Submit to {re.escape(roles.STORY_WORKFLOW)}"))
    expect(writer.locator(".messages .success")).to_contain_text("submitted")

    story = StoryPage.objects.get(pk=story.pk)
    assert not story.live
    assert story.current_workflow_task.name == roles.STORY_TASK
    draft = story.get_latest_revision_as_object()
    assert {child.block_type for child in draft.body} == EVERY_BLOCK_TYPE
    assert draft.hero_image.title == IMAGE_TITLE

    # The editor approves it from the dashboard; the only task approved publishes it.
    reviewer = new_page()
    admin_login(reviewer, editor)
    reviewer.goto(reverse("wagtailadmin_home"))
    row = reviewer.locator("#awaiting-review-content tr", has_text=FLOKE_TITLE)
    expect(row.locator(f"[data-w-tooltip-content-value^='{roles.STORY_TASK}:']")).to_have_count(1)
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Approve", exact=True).click()
    # Wagtail posts the approval and comes back to the dashboard, now with nothing to review.
    expect(row).to_have_count(0)

    story = StoryPage.objects.get(pk=story.pk)
    assert story.live
    assert story.current_workflow_state is None

    # Readers find it on the story index, in its RSS and Atom feeds and on the front page.
    reader = new_page()
    reader.goto("/historier/")
    card = reader.locator("main").get_by_role("link", name=FLOKE_TITLE)
    expect(card).to_be_visible()
    assert f"<title>{FLOKE_TITLE}</title>" in advertised_feed(reader, "rss").text()
    atom = ET.fromstring(advertised_feed(reader, "atom").body())
    entries = {
        entry.findtext(f"{ATOM}title"): urlparse(entry.find(f"{ATOM}link").get("href")).path
        for entry in atom.findall(f"{ATOM}entry")
    }
    assert entries == {FLOKE_TITLE: story.url}

    reader.goto("/")
    expect(reader.locator("main").get_by_role("link", name=FLOKE_TITLE)).to_be_visible()

    # The published story shows every block the writer added.
    reader.locator("main").get_by_role("link", name=FLOKE_TITLE).click()
    expect(reader.locator("h1")).to_have_text(FLOKE_TITLE)
    main = reader.locator("main")
    expect(main).to_contain_text("Nå ringer jeg ett nummer, og de hjelper meg videre.")
    expect(main).to_contain_text("Helsestasjonen, NAV og barnevernet")
    expect(main.locator("img[alt='Foreldre i samtale med en veileder']")).to_have_count(1)


# Accessibility of the public story pages


STORY_TITLE = "Tjenestestøtte ga lærerne tid til elevene"
SEARCH_WORD = "tjenestestøtte"


@pytest.fixture
def stories(site_tree, innovation):
    """A story with every block type, a hero and a floke that has moved in public, and more."""
    floke = with_phase(
        FlokeFactory(
            title="Tjenestestøtte i skolen",
            owner=innovation,
            learnings="Faste møtepunkter gir trygghet.",
        ),
        Phase.LOSNING,
    )
    KeyFigureFactory(floke=floke, value=Decimal("7"), unit="tjenester", label="samarbeider")
    blt_services.floke_transition(
        floke=floke,
        name="step_back",
        by=innovation,
        description="Vi må snakke med flere lærere.",
        public_reason="Vi må forstå behovet bedre.",
    )
    photo = make_image(title="Klasserom", colour="blue", size=(640, 360))
    body = [
        block("paragraph", "<p>Tjenestestøtte begynte med en idé fra en lærer.</p>"),
        block("heading", {"text": "Slik startet det", "level": "h2"}),
        block(
            "quote",
            {"text": "Nå har jeg tid til elevene.", "person": "Lise", "role": "lærer"},
        ),
        image_block(photo, alt_text="Elever i et klasserom", caption="Et vanlig klasserom"),
        block(
            "key_figures",
            {
                "heading": "I tall",
                "figures": [
                    {"value": "7", "label": "tjenester", "source": "Skolekontoret"},
                    {"value": "120", "label": "elever", "as_of": "2026-01-01"},
                ],
            },
        ),
        block(
            "benefits",
            {
                "heading": "Gevinster",
                "short_term": ["Raskere hjelp"],
                "long_term": ["Færre elever som faller ut"],
            },
        ),
        block(
            "fact_box",
            {
                "heading": "Fakta",
                "organisations": "Skolene og PPT",
                "supplier": "Leverandør AS",
                "period": "2025-2026",
                "contact": "Skolekontoret",
            },
        ),
        block("call_to_action", {}),
        block("pipeline", {"floke": floke.pk, "heading": "Fra arbeidet", "show_timeline": True}),
    ]
    assert {item["type"] for item in body} == EVERY_BLOCK_TYPE
    story = make_story(
        title=STORY_TITLE,
        body=body,
        floke=floke,
        byline="Innovasjonsenheten",
        hero_image=make_image(title="Lærer og elev", colour="green", size=(1200, 675)),
        hero_alt_text="En lærer hjelper en elev med lekser",
        hero_caption="Mer tid til hver elev",
        hero_credit="Kari Foto",
        date="2026-03-01",
    )
    make_story(
        title="Familiehjelpa samlet tjenestene",
        hero_image=make_image(title="Familie", colour="red"),
        hero_alt_text="Foreldre rundt et bord",
        date="2026-02-01",
    )
    make_story(title="Et forsøk vi stoppet", date="2026-01-01")
    return story


PAGES = {
    "home": lambda story: "/",
    "story index": lambda story: "/historier/",
    "story": lambda story: story.url,
    "search results": lambda story: f"/sok/?q={SEARCH_WORD}",
    "accessibility statement": lambda story: "/tilgjengelighet/",
    "privacy notice": lambda story: "/personvern/",
}
SHOWS_THE_STORY = {"home", "story index", "story", "search results"}


@pytest.mark.parametrize("where", PAGES, ids=lambda name: name.replace(" ", "-"))
def test_story_pages_have_no_wcag_violations(page, stories, where):
    url = PAGES[where](stories)
    response = page.goto(url)
    assert response.ok, f"{url} answered {response.status}"
    expect(page.locator("h1")).to_have_count(1)
    if where in SHOWS_THE_STORY:
        expect(page.locator("main")).to_contain_text(STORY_TITLE)
    report = axe_report(page)
    assert report == "", f"{url}:\n{report}"
