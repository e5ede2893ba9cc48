"""Innovation staff take an idea into a floke and through Behov → Løsning → Testing."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

import pytest
from playwright.sync_api import expect

from blt import conditions, services
from blt.choices import ExperimentStatus, Phase
from blt.models import Floke, TeamMember
from ideabank.choices import Status
from tests.e2e.helpers import admin_login, axe_report, skip_without_chromium
from tests.factories import (
    ExperimentFactory,
    FlokeFactory,
    IdeaFactory,
    InsightFactory,
    with_phase,
    with_status,
)

skip_without_chromium()

pytestmark = pytest.mark.e2e

IDEA_TITLE = "Aktivitetstilbud for ungdom i helgene"
FLOKE_TITLE = "Helgeaktiviteter for ungdom"


def in_norwegian(gate) -> str:
    """What a gate says is missing, as the admin shows it (the browser asks for nb)."""
    with translation.override("nb"):
        return str(gate.missing)


def record_url(floke, kind) -> str:
    return reverse("flokes:record", args=[floke.pk, kind])


def transition_section(page, name):
    return page.locator(f"section[aria-labelledby='transition-{name}-heading']")


def edit_floke(page, floke, **fields):
    """Fill text fields on the floke's edit form and save, back to the floke page."""
    edit_url = reverse("flokes:edit", args=[floke.pk])
    page.goto(edit_url)
    for name, value in fields.items():
        page.fill(f"#id_{name}", value)
    page.locator(f"main form[action$='{edit_url}'] button[type=submit]").first.click()
    page.wait_for_url(f"**{reverse('flokes:inspect', args=[floke.pk])}")


def move(page, name):
    """Fire a transition from the floke page's "Next step" panel."""
    section = transition_section(page, name)
    expect(section.locator("button[type=submit]")).to_be_enabled()
    section.locator("textarea[name$='description']").fill("Klar for neste fase.")
    section.locator("button[type=submit]").click()
    expect(page.locator(".messages .success, .messages [class*=success]").first).to_be_visible()


def test_innovation_staff_take_an_idea_from_review_to_testing(page, site_tree, innovation):
    idea = with_status(IdeaFactory(title=IDEA_TITLE), Status.IN_REVIEW)

    # Accept the idea into a new floke from the idea's page.
    admin_login(page, innovation)
    page.goto(reverse("ideas:inspect", args=[idea.pk]))
    accept = page.locator("section[aria-labelledby='accept-into-floke-heading'] form")
    expect(accept.locator("select[name='accept-floke']")).to_have_value("")
    accept.locator("input[name='accept-title']").fill(FLOKE_TITLE)
    accept.locator("textarea[name='accept-description']").fill("Vi tar dette videre i BLT.")
    accept.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/flokes/inspect/\d+/$"))

    floke = Floke.objects.get(title=FLOKE_TITLE)
    assert list(floke.ideas.all()) == [idea]
    assert floke.phase == Phase.BEHOV
    idea.refresh_from_db()
    assert idea.status == Status.ACCEPTED
    inspect_url = reverse("flokes:inspect", args=[floke.pk])
    assert page.url.endswith(inspect_url)
    expect(page.locator("h1, h2").filter(has_text=FLOKE_TITLE).first).to_be_visible()

    # Before any work, the step to Løsning names both gaps.
    to_losning = transition_section(page, "to_losning")
    expect(to_losning.locator("button[disabled]")).to_be_visible()
    missing = to_losning.locator(".transition-missing")
    expect(missing).to_contain_text(in_norwegian(conditions.has_need_statement))
    expect(missing).to_contain_text(in_norwegian(conditions.has_insight))

    # Record an insight on the floke page.
    page.locator("summary", has_text="Registrer en innsikt").click()
    insight = page.locator(f"form[action$='{record_url(floke, 'insight')}']")
    insight.locator("select[name='insight-kind']").select_option("interview")
    insight.locator("textarea[name='insight-summary']").fill(
        "Ungdommene savner et sted å være på lørdagskvelder."
    )
    insight.locator("input[name='insight-people_count']").fill("12")
    insight.locator("button[type=submit]").click()
    page.wait_for_url(f"**{inspect_url}#need")
    expect(
        page.locator("main table", has_text="Ungdommene savner et sted å være på lørdagskvelder.")
    ).to_have_count(1)
    expect(missing).not_to_contain_text(in_norwegian(conditions.has_insight))

    # Write the need statement on the edit form.
    edit_floke(
        page, floke, need_statement="Hvordan kan vi gi ungdom et trygt sted å være i helgene?"
    )
    expect(page.locator("main")).to_contain_text("Hvordan kan vi gi ungdom et trygt sted")

    # Move to Løsning.
    move(page, "to_losning")
    floke.refresh_from_db()
    assert floke.phase == Phase.LOSNING

    # Describe the solution; the step to Testing is still refused for want of an experiment.
    edit_floke(
        page,
        floke,
        solution_what="Åpen hall på lørdager med voksne til stede.",
        solution_for_whom="Ungdom mellom 13 og 18 år.",
        solution_difference="I dag er alle haller stengt i helgene.",
    )
    to_testing = transition_section(page, "to_testing")
    refused = to_testing.locator("button[disabled]")
    expect(refused).to_be_visible()
    expect(refused).to_have_attribute("aria-describedby", "transition-to_testing-missing")
    expect(to_testing.locator("form")).to_have_count(0)
    expect(to_testing.locator(".transition-missing li")).to_have_text(
        [in_norwegian(conditions.has_planned_experiment)]
    )

    # Plan an experiment.
    page.locator("summary", has_text="Planlegg eller registrer et eksperiment").click()
    experiment = page.locator(f"form[action$='{record_url(floke, 'experiment')}']")
    experiment.locator("input[name='experiment-title']").fill("Prøveåpning i fire uker")
    experiment.locator("textarea[name='experiment-hypothesis']").fill(
        "Minst 20 ungdommer kommer hver lørdag."
    )
    experiment.locator("textarea[name='experiment-method']").fill("Ukentlig inn- og utsjekking.")
    expect(experiment.locator("select[name='experiment-status']")).to_have_value(
        ExperimentStatus.PLANNED
    )
    experiment.locator("button[type=submit]").click()
    page.wait_for_url(f"**{inspect_url}#testing")
    expect(page.locator("main")).to_contain_text("Prøveåpning i fire uker")

    # Now the step to Testing is on offer.
    move(page, "to_testing")
    floke.refresh_from_db()
    assert floke.phase == Phase.TESTING

    # The board shows the floke in the Testing column, and nowhere else.
    page.goto(reverse("blt_board:index"))
    card = page.locator(f".blt-board__card[data-floke='{floke.pk}']")
    expect(card).to_have_count(1)
    expect(page.locator(f"[data-phase='{Phase.TESTING}'] .blt-board__card")).to_have_count(1)
    testing_column = page.locator(f".blt-board__column[data-phase='{Phase.TESTING}']")
    expect(testing_column.get_by_role("link", name=FLOKE_TITLE).first).to_be_visible()


@pytest.fixture
def floke_in_losning(innovation):
    """A floke with records in every list, so the floke page shows its tables."""
    idea = with_status(IdeaFactory(title=IDEA_TITLE, name="Kari Nordmann"), Status.IN_REVIEW)
    floke = with_phase(FlokeFactory(title=FLOKE_TITLE, owner=innovation), Phase.LOSNING)
    floke.ideas.add(idea)
    InsightFactory(floke=floke)
    ExperimentFactory(floke=floke)
    services.floke_add_record(floke=floke, by=innovation, model=TeamMember, name="Siri Kullet")
    services.floke_add_attachment(
        floke=floke,
        by=innovation,
        title="Sluttrapport",
        description="Fra kull 2.",
        file=SimpleUploadedFile("rapport.pdf", b"%PDF-1.4 rapport", "application/pdf"),
    )
    # Who last changed the solution is shown under it.
    floke = services.floke_edit(floke=floke, by=innovation, solution_what="Én kontaktperson")
    # Another floke, blocked, so the board shows disabled steps with what is missing.
    FlokeFactory(title="Gatelys på skoleveien", owner=innovation)
    return floke


@pytest.mark.parametrize("where", ["board", "floke page", "edit form"])
def test_board_and_floke_page_have_no_wcag_violations(page, innovation, floke_in_losning, where):
    admin_login(page, innovation)
    floke = floke_in_losning.pk
    url = {
        "board": reverse("blt_board:index"),
        "floke page": reverse("flokes:inspect", args=[floke]),
        "edit form": reverse("flokes:edit", args=[floke]),
    }[where]
    page.goto(url)
    if where == "edit form":
        expect(page.locator("#id_owner")).to_be_visible()
    else:
        expect(page.locator("main")).to_contain_text(FLOKE_TITLE)
    if where == "floke page":
        expect(page.locator("[data-solution-changed]")).to_be_visible()
        expect(page.locator("main")).to_contain_text("rapport.pdf")
    report = axe_report(page)
    assert report == "", report
