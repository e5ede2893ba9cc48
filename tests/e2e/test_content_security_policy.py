"""Every page works under its Content Security Policy: the browser refuses nothing.

The public site has a strict policy and the Wagtail admin a looser one of its own;
this walks through both, including the page editor with its StreamField, choosers and
preview, and fails on any violation the browser reports.
"""

import re

from django.urls import reverse

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import admin_login, skip_without_chromium
from tests.e2e.test_story_journey import add_block, choose_image, in_english
from tests.factories import FlokeFactory, IdeaFactory
from tests.stories.factories import image_block, make_image, make_story

skip_without_chromium()

pytestmark = pytest.mark.e2e

LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    const what = event.blockedURI || "inline";
    window.__cspViolations.push(`${event.effectiveDirective} refused ${what}`);
});
"""


class Violations:
    """What the browser refused on each page: its console messages and violation events."""

    def __init__(self, page):
        self.page = page
        self.found = []
        page.add_init_script(LISTEN_FOR_VIOLATIONS)
        page.on("console", self.on_console)

    def on_console(self, message):
        if "Content Security Policy" in message.text:
            self.found.append(f"{self.page.url}: {message.text}")

    def visit(self, url):
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        self.collect()

    def collect(self):
        events = self.page.evaluate("() => window.__cspViolations || []")
        self.found.extend(f"{self.page.url}: {event}" for event in events)
        self.page.evaluate("() => { window.__cspViolations = []; }")


@pytest.fixture
def story(site_tree):
    image = make_image(title="Foreldremøte")
    return make_story(
        title="Familiehjelpa",
        hero_image=image,
        hero_alt_text="Foreldre rundt et bord",
        body=[
            {"type": "paragraph", "value": "<p>Det begynte med en <b>idé</b>.</p>"},
            image_block(image),
        ],
    )


def test_public_pages_break_no_rule_of_their_policy(page, story):
    idea = IdeaFactory(title="Benk ved elva", published=True)
    violations = Violations(page)
    for url in [
        "/",
        "/idebank/",
        f"/idebank/{idea.pk}/",
        f"/idebank/status/{idea.token}/",
        "/historier/",
        story.url,
        "/sok/?q=familie",
        "/finnes-ikke/",
    ]:
        violations.visit(url)

    # The idea form's script suggests similar ideas while the title is typed.
    violations.visit("/idebank/send-inn/")
    page.fill("#id_title", "Benk ved elva")
    page.wait_for_load_state("networkidle")
    violations.collect()

    assert violations.found == []


def test_the_admin_and_its_page_editor_break_no_rule_of_their_policy(page, story, administrator):
    in_english(administrator)
    floke = FlokeFactory(title="Helgeaktiviteter for ungdom")
    violations = Violations(page)
    admin_login(page, administrator)
    violations.collect()

    for url in [
        reverse("wagtailadmin_home"),
        reverse("blt_board:index"),
        reverse("flokes:inspect", args=[floke.pk]),
        reverse("wagtailadmin_account"),
        reverse("two_step:index"),
    ]:
        violations.visit(url)

    # The page editor: a StreamField block added, an image chosen in a modal, a preview.
    violations.visit(reverse("wagtailadmin_pages:edit", args=[story.pk]))
    image = add_block(page, "Image", "image")
    choose_image(page, page.locator(f"#{image}-value-image-chooser"), "Foreldremøte")
    page.fill(f"#{image}-value-alt_text", "Foreldre i samtale med en veileder")
    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.get_by_role("heading", name="Familiehjelpa", level=1)).to_be_visible()
    page.wait_for_load_state("networkidle")
    violations.collect()

    assert violations.found == []
    assert re.search(r"/admin/pages/\d+/edit/$", page.url)
