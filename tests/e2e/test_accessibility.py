"""Universal design (WCAG 2.1 AA) on every public page a resident meets, in a real browser."""

import pytest
from playwright.sync_api import expect

from ideabank import services
from tests.e2e.helpers import (
    SUBMIT_URL,
    axe_report,
    focused,
    is_focused,
    send_idea,
    skip_without_chromium,
)
from tests.factories import IdeaFactory, ServiceAreaFactory

skip_without_chromium()

pytestmark = pytest.mark.e2e


@pytest.fixture
def published_idea(site_tree, innovation):
    """A published idea with service areas, a status change with a reason, and an answer."""
    idea = IdeaFactory(
        published=True,
        title="Lekeplass som passer for barn i rullestol",
        body="Lekeplassen i sentrum har sand overalt.\n\nEn rullestol kommer ikke fram.",
        concerns="Barn med funksjonsnedsettelser og foreldrene deres",
        service_areas=[
            ServiceAreaFactory(name="Oppvekst", slug="oppvekst"),
            ServiceAreaFactory(name="Helse og omsorg", slug="helse"),
        ],
    )
    services.idea_transition(
        idea=idea,
        name="start_review",
        by=innovation,
        description="Vi ser på dette sammen med parkvesenet.",
    )
    services.idea_answer(
        idea=idea, text="Takk! Vi har bedt om et tilbud på gummidekke.", by=innovation
    )
    IdeaFactory(published=True, title="Gatelys på skoleveien")
    return idea


def open_submit_with_errors(page, idea):
    page.goto(SUBMIT_URL)
    page.fill("#id_email", "ikke-en-adresse")
    page.locator("form.idea-form button[type=submit]:not([name])").click()
    expect(page.locator("#error-summary")).to_be_visible()


def open_receipt(page, idea):
    send_idea(
        page,
        title="Benker langs turstien",
        body="Det er langt mellom hvileplassene.",
        email="kari@example.org",
    )


# Each public page, reached the way a visitor reaches it.
PAGES = {
    "home": "/",
    "idea bank": "/idebank/",
    "submit form": SUBMIT_URL,
    "submit form with errors": open_submit_with_errors,
    "receipt": open_receipt,
    "status page": lambda page, idea: page.goto(f"/idebank/status/{idea.token}/"),
    "published idea": lambda page, idea: page.goto(f"/idebank/{idea.pk}/"),
}


@pytest.fixture(params=PAGES, ids=lambda name: name.replace(" ", "-"))
def public_page(request, page, published_idea):
    """The browser page, showing one of the public pages with real content on it."""
    opener = PAGES[request.param]
    if isinstance(opener, str):
        response = page.goto(opener)
        assert response.ok, f"{opener} answered {response.status}"
    else:
        opener(page, published_idea)
    return page


def test_public_page_meets_wcag_21_aa(public_page):
    """axe-core's A and AA rules, plus what axe cannot see: language, headings, keyboard, reflow.

    Every problem is collected first, so one run shows all that is wrong with the page.
    """
    page = public_page
    problems = []

    lang = page.locator("html").get_attribute("lang")
    if lang != "nb":
        problems.append(f'<html lang="{lang}">, expected "nb" (bokmål)')
    headings = page.locator("h1").all_inner_texts()
    if len(headings) != 1:
        problems.append(f"{len(headings)} h1 elements, expected exactly one: {headings}")

    # The first Tab shows the skip link; Enter on it puts focus on the main content.
    page.keyboard.press("Tab")
    if not is_focused(page, "a.skip-link"):
        problems.append(f"the first Tab went to {focused(page)}, not the skip link")
    else:
        box = page.locator("a.skip-link").bounding_box()
        if box is None or box["x"] < 0 or box["y"] < 0:
            problems.append(f"the focused skip link is not visible (box {box})")
        page.keyboard.press("Enter")
        if not is_focused(page, "main#main"):
            problems.append(f"the skip link moved focus to {focused(page)}, not main")

    report = axe_report(page)
    if report:
        problems.append(f"axe found WCAG 2.1 A/AA violations:\n{report}")

    # 1.4.10 Reflow: at 320 CSS pixels wide nothing needs scrolling sideways.
    page.set_viewport_size({"width": 320, "height": 640})
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        problems.append(f"at 320 px wide the page scrolls {overflow} px sideways")

    assert not problems, f"{page.url}:\n" + "\n".join(f"- {p}" for p in problems)


def test_timeline_and_answer_are_on_the_public_idea_page(page, published_idea):
    """The content the axe run above checked really is there."""
    page.goto(f"/idebank/{published_idea.pk}/")
    timeline = page.locator(".timeline")
    expect(timeline.locator("li")).to_have_count(3)
    expect(timeline).to_contain_text("Vi ser på dette sammen med parkvesenet.")
    expect(timeline.locator(".timeline__item--answer")).to_contain_text("gummidekke")
