"""What the browser tests share: chromium, moving by keyboard, sending an idea, logging in, axe."""

import re
from pathlib import Path

from django.urls import reverse

import pytest
from axe_playwright_python.sync_playwright import Axe

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000
PASSWORD = "correct horse battery staple"
REFERENCE = re.compile(r"IDE-\d{4}-\d{4}")
SUBMIT_URL = "/idebank/send-inn/"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_axe = Axe()


def skip_without_chromium():
    """Call at the top of each e2e module: a missing browser is the only reason to skip."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing; install Debian's chromium package to run the browser tests",
            allow_module_level=True,
        )


# Keyboard


def focused(page) -> str:
    """A short description of the focused element, for failure messages."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el) return "(nothing)";
            if (el.id) return "#" + el.id;
            const name = el.getAttribute("name");
            return el.tagName.toLowerCase() + (name ? `[name=${name}]` : "")
                + (el.className ? "." + String(el.className).trim().split(/\\s+/).join(".") : "");
        }"""
    )


def is_focused(page, selector: str) -> bool:
    return page.locator(selector).evaluate("el => el === document.activeElement")


def tab_to(page, selector: str, *, backwards: bool = False, limit: int = 40) -> int:
    """Press Tab (or Shift+Tab) until `selector` has focus, and say how many presses it took.

    Fails if focus never gets there, which is what a keyboard user would run into.
    """
    key = "Shift+Tab" if backwards else "Tab"
    page.locator(selector).wait_for(state="attached")
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if is_focused(page, selector):
            return presses
    raise AssertionError(f"{key} never reached {selector}; focus is on {focused(page)}")


# The resident


def send_idea(page, *, title: str, body: str, email: str = "") -> tuple[str, str]:
    """Send an idea the quick way; return its reference number and private status URL."""
    page.goto(SUBMIT_URL)
    page.fill("#id_title", title)
    page.fill("#id_body", body)
    if email:
        page.fill("#id_email", email)
        page.check("#id_may_contact")
    page.locator("form.idea-form button[type=submit]:not([name])").click()
    page.wait_for_url("**/idebank/kvittering/**")
    reference = REFERENCE.search(page.locator("main").inner_text()).group()
    status_url = page.locator("main a[href*='/idebank/status/']").get_attribute("href")
    return reference, status_url


# Staff


def admin_login(page, user, *, next_url: str = "") -> None:
    """Log in through Wagtail's login form, as a person would."""
    page.goto(reverse("wagtailadmin_login") + (f"?next={next_url}" if next_url else ""))
    page.fill("input[name=username]", user.get_username())
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/admin/login/" not in url)


# Accessibility


def axe_report(page) -> str:
    """axe-core's WCAG 2.1 A and AA rules: its report of the violations, or "" if none."""
    results = _axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_21_AA},
            "resultTypes": ["violations"],
        },
    )
    return results.generate_report() if results.violations_count else ""
