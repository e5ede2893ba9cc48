"""A real browser (Debian's chromium, driven by Playwright) against pytest-django's live server.

The live server needs a transactional database, which Django empties after every
test. `post_migrate` then recreates content types, permissions and the role groups,
but not Wagtail's root page and root collection, so `_wagtail_root` puts those back
before each test.
"""

import io
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import sync_playwright

from tests.conftest import restore_wagtail_basics
from tests.e2e.helpers import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """When a browser test fails, save what each of its pages showed and say where."""
    report = yield
    contexts = getattr(item, "browser_contexts", [])
    if report.when == "call" and report.failed and contexts:
        folder = item.funcargs["tmp_path"]
        lines = []
        for number, page in enumerate((p for c in contexts for p in c.pages), start=1):
            shot = folder / f"failure-{number}.png"
            try:
                page.screenshot(path=shot, full_page=True)
            except Exception as error:  # a crashed page should not hide the real failure
                lines.append(f"{page.url}: no screenshot ({error})")
            else:
                lines.append(f"{page.url}: {shot}")
        report.sections.append(("browser pages at failure", "\n".join(lines)))
    return report


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _wagtail_root(transactional_db):
    """Wagtail's root page, root collection and default locale, as its migrations leave them."""
    restore_wagtail_basics()


@pytest.fixture
def new_page(browser, live_server, request, tmp_path):
    """Open a page in a browser context of its own: one per person in a journey."""
    contexts, errors = [], []
    request.node.browser_contexts = contexts

    pending = set()

    def open_page():
        context = browser.new_context(locale="nb-NO", base_url=live_server.url)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("request", lambda sent: pending.add(sent))
        context.on("requestfinished", lambda done: pending.discard(done))
        context.on("requestfailed", lambda failed: pending.discard(failed))
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        return page

    yield open_page

    # A page sends a last request as it is left (the page editor releases its editing
    # session): it is answered before the test's database is emptied, not during.
    for context in contexts:
        for open_tab in context.pages:
            open_tab.goto("about:blank")
            for _ in range(100):
                if not pending:
                    break
                open_tab.wait_for_timeout(50)
        context.close()
    assert errors == [], "uncaught JavaScript errors in the browser"


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def photo(tmp_path) -> Path:
    """A small JPEG, as a phone would send it."""
    path = tmp_path / "benk-ved-elva.jpg"
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (40, 110, 60)).save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return path
