import pytest
from tests.e2e.helpers import admin_login
from tests.e2e.test_story_journey import in_english
pytestmark = pytest.mark.e2e

def test_shot(page, site_tree, innovation):
    in_english(innovation)
    page.goto("/admin/login/")
    page.screenshot(path="/tmp/shot-login.png", full_page=True)
    admin_login(page, innovation)
    page.goto("/admin/account/")
    page.screenshot(path="/tmp/shot-account.png", full_page=True)
    page.goto("/admin/account/two-step/")
    page.fill("#id_code", "000000")
    page.locator("main form button[type=submit]").click()
    page.screenshot(path="/tmp/shot-two-step.png", full_page=True)
    page.goto("/admin/logout/")
