"""A resident sends an idea and follows it; innovation staff answer it in the admin."""

import re

from django.urls import reverse

import pytest
from playwright.sync_api import expect

from ideabank.choices import Status
from ideabank.models import Idea
from tests.e2e.helpers import (
    REFERENCE,
    SUBMIT_URL,
    admin_login,
    focused,
    is_focused,
    send_idea,
    skip_without_chromium,
    tab_to,
)
from tests.factories import IdeaFactory, ServiceAreaFactory

skip_without_chromium()

pytestmark = pytest.mark.e2e

SEND_BUTTON = "form.idea-form button[type=submit]:not([name])"


def test_resident_sends_an_idea_with_a_photo_by_keyboard_only_and_withdraws_it(
    page, site_tree, photo
):
    nature = ServiceAreaFactory(name="Natur og friluftsliv", slug="natur")
    page.goto(SUBMIT_URL)

    # From the top of the page, past the skip link and the header, into the form.
    tab_to(page, "#id_title")
    page.keyboard.type("Benker langs turstien")
    # With JavaScript on, the "check for similar ideas" button is hidden and out of the way.
    assert tab_to(page, "#id_body") == 1
    page.keyboard.type("Eldre som går tur trenger steder å hvile.")
    page.keyboard.press("Enter")
    page.keyboard.type("Det er ingen benker mellom brua og skolen.")
    # Back up to finish the title.
    assert tab_to(page, "#id_title", backwards=True) == 1
    page.keyboard.press("End")
    page.keyboard.type(" ved elva")
    tab_to(page, "#id_body")
    assert tab_to(page, "#id_service_areas_0") == 1
    page.keyboard.press("Space")
    assert tab_to(page, "#id_concerns") == 1
    page.keyboard.type("Eldre og barnefamilier")
    # A native file dialog cannot be driven, so choose the file for the focused input.
    assert tab_to(page, "#id_photos") == 1
    page.set_input_files(":focus", photo)
    # Past the link to the privacy notice, which tells what the contact details are for.
    assert tab_to(page, "#id_name") == 2
    page.keyboard.type("Kari Nordmann")
    assert tab_to(page, "#id_email") == 1
    page.keyboard.type("kari@example.org")
    assert tab_to(page, "#id_phone") == 1
    page.keyboard.type("912 34 567")
    assert tab_to(page, "#id_may_contact") == 1
    page.keyboard.press("Space")
    assert tab_to(page, "#id_may_publish") == 1
    page.keyboard.press("Space")
    assert tab_to(page, SEND_BUTTON) == 1
    page.keyboard.press("Enter")

    # The receipt: a reference number and the private link.
    page.wait_for_url("**/idebank/kvittering/**")
    expect(page.locator("h1")).to_have_count(1)
    reference = REFERENCE.search(page.locator("main").inner_text())
    assert reference is not None, "no reference number (IDE-YYYY-NNNN) on the receipt"
    reference = reference.group()
    idea = Idea.objects.get(reference=reference)
    status_link = page.locator(f"main a[href$='/idebank/status/{idea.token}/']")
    expect(status_link).to_have_text(re.compile(rf"/idebank/status/{idea.token}/$"))

    tab_to(page, f"main a[href$='/idebank/status/{idea.token}/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/idebank/status/{idea.token}/")
    main = page.locator("main")
    expect(main.locator("h1")).to_contain_text("Benker langs turstien ved elva")
    expect(main).to_contain_text(reference)
    expect(main.locator(".status--received")).to_be_visible()

    # Withdraw: a confirm page first, then the status says so.
    tab_to(page, "main a[href$='/trekk-tilbake/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/trekk-tilbake/")
    expect(page.locator("h1")).to_have_count(1)
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/idebank/status/{idea.token}/")
    expect(main.locator(".status--withdrawn")).to_be_visible()
    expect(main.locator("[role=status] .message--success")).to_be_visible()
    expect(main.locator("a[href$='/trekk-tilbake/']")).to_have_count(0)

    # Everything typed and chosen by keyboard arrived.
    idea.refresh_from_db()
    assert idea.status == Status.WITHDRAWN
    assert idea.title == "Benker langs turstien ved elva"
    # Browsers send a line break in a textarea as CRLF.
    assert idea.body.splitlines() == [
        "Eldre som går tur trenger steder å hvile.",
        "Det er ingen benker mellom brua og skolen.",
    ]
    assert list(idea.service_areas.all()) == [nature]
    assert idea.concerns == "Eldre og barnefamilier"
    assert (idea.name, idea.email, idea.phone) == (
        "Kari Nordmann",
        "kari@example.org",
        "912 34 567",
    )
    assert idea.may_contact and idea.may_publish
    assert [(p.width, p.height) for p in idea.photos.all()] == [(320, 240)]

    # The sender can still have their name and contact details erased, the same way.
    tab_to(page, "main a[href$='/slett-kontaktinfo/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/slett-kontaktinfo/")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/idebank/status/{idea.token}/")
    expect(main.locator("a[href$='/slett-kontaktinfo/']")).to_have_count(0)
    idea.refresh_from_db()
    assert (idea.name, idea.email, idea.phone) == ("", "", "")
    assert idea.contact_erased_at is not None


def test_innovation_staff_review_and_answer_reach_the_sender(new_page, site_tree, innovation):
    resident = new_page()
    reference, status_url = send_idea(
        resident,
        title="Lys i undergangen ved stasjonen",
        body="Undergangen er mørk om kvelden, og mange går en omvei.",
    )
    idea = Idea.objects.get(reference=reference)

    staff = new_page()
    admin_login(staff, innovation)
    staff.goto(reverse("ideas:index"))
    staff.locator("main").get_by_role("link", name="Lys i undergangen ved stasjonen").click()
    staff.wait_for_url(f"**{reverse('ideas:inspect', args=[idea.pk])}")

    review = staff.locator("form[action$='/start_review/']")
    review.locator("textarea").fill("Vi ser på idéen sammen med vegvesenet.")
    review.locator("button[type=submit]").click()
    # Once in review, starting a review is no longer on offer.
    expect(review).to_have_count(0)

    answer = staff.locator(f"form[action$='{reverse('ideas:answer', args=[idea.pk])}']")
    answer.locator("textarea").fill("Takk! Vi tar kontakt med vegvesenet om belysning.")
    answer.locator("button[type=submit]").click()
    expect(
        staff.locator("main blockquote", has_text="Vi tar kontakt med vegvesenet").first
    ).to_be_visible()

    resident.goto(status_url)
    main = resident.locator("main")
    expect(main.locator(".status--in_review")).to_be_visible()
    timeline = main.locator(".timeline")
    expect(timeline).to_contain_text("Vi ser på idéen sammen med vegvesenet.")
    expect(timeline.locator(".timeline__item--answer")).to_contain_text(
        "Takk! Vi tar kontakt med vegvesenet om belysning."
    )
    idea.refresh_from_db()
    assert idea.status == Status.IN_REVIEW


def test_title_suggests_similar_published_ideas_and_errors_keep_what_was_typed(page, site_tree):
    published = IdeaFactory(
        published=True,
        title="Flere benker langs turstien",
        body="Det trengs steder å hvile på turstien.",
    )
    IdeaFactory(title="Benker ved turstien i skogen")  # not published: never suggested
    page.goto(SUBMIT_URL)
    expect(page.locator("button[name=check_similar]")).to_be_hidden()

    page.locator("#id_title").press_sequentially("Benker på turstien", delay=30)
    suggestions = page.locator("#similar-ideas")
    link = suggestions.get_by_role("link", name=re.compile("Flere benker langs turstien"))
    expect(link).to_be_visible()
    expect(link).to_have_attribute("href", re.compile(rf"/idebank/{published.pk}/$"))
    expect(suggestions).not_to_contain_text("skogen")

    # Send without a description: the errors are listed, nothing typed is lost.
    page.fill("#id_concerns", "Alle som går tur")
    page.fill("#id_name", "Kari Nordmann")
    page.check("#id_may_publish")
    page.locator(SEND_BUTTON).click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("a[href='#id_body']")).to_have_count(1)
    expect(page.locator("#id_title")).to_have_value("Benker på turstien")
    expect(page.locator("#id_concerns")).to_have_value("Alle som går tur")
    expect(page.locator("#id_name")).to_have_value("Kari Nordmann")
    expect(page.locator("#id_may_publish")).to_be_checked()
    expect(page.locator("#id_body")).to_have_attribute("aria-invalid", "true")

    # The link in the summary takes the user to the field to fix.
    summary.locator("a[href='#id_body']").click()
    assert is_focused(page, "#id_body"), f"focus is on {focused(page)}"
    assert Idea.objects.count() == 2
