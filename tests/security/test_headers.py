"""The security headers: a strict Content Security Policy on public pages, the admin's own
looser one, Permissions-Policy, Referrer-Policy and HSTS."""

import base64
import hashlib
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings

import pytest

from tests.factories import IdeaFactory
from tests.stories.factories import make_story

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
PUBLIC_TEMPLATE_FOLDERS = [
    ROOT / "site" / "templates",
    ROOT / "ideabank" / "templates" / "ideabank",
    ROOT / "stories" / "templates" / "stories",
    ROOT / "search" / "templates" / "search",
    ROOT / "accounts" / "templates" / "accounts",
]
ADMIN_ONLY = {"admin", "two_step.html", "two_step_panel.html"}
STRICT = {
    "default-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    directives = (directive.strip().partition(" ") for directive in header.split(";"))
    return {name: value for name, _, value in directives}


def public_urls(idea, story):
    return [
        "/",
        "/idebank/",
        "/idebank/send-inn/",
        f"/idebank/{idea.pk}/",
        f"/idebank/status/{idea.token}/",
        "/historier/",
        story.url,
        "/sok/?q=benk",
        "/finnes-ikke/",
    ]


@pytest.fixture
def idea(db):
    return IdeaFactory(title="Benk ved elva", published=True)


@pytest.fixture
def story(site_tree):
    return make_story()


def test_public_pages_allow_only_the_sites_own_scripts_styles_and_images(
    client, site_tree, idea, story
):
    for url in public_urls(idea, story):
        response = client.get(url)
        directives = policy(response)
        assert {name: directives.get(name) for name in STRICT} == STRICT, url
        assert directives["script-src"] == "'self'", url
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"], url
        assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"], url
        assert directives["img-src"] == "'self'", url


def test_the_public_policy_is_the_same_for_every_visitor_so_pages_stay_cacheable(client, site_tree):
    first = client.get("/").headers["Content-Security-Policy"]
    second = client.get("/").headers["Content-Security-Policy"]
    assert first == second
    assert "nonce-" not in first


class InlineCode(HTMLParser):
    """Scripts without src, event-handler attributes, style elements and attributes."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/ld+json":
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        for name in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if name == "href" and (attrs[name] or "").lower().startswith("javascript:"):
                self.found.append(f"{tag} href=javascript:")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_public_pages_as_rendered_have_no_inline_code(client, site_tree, idea, story):
    for url in public_urls(idea, story):
        assert inline_code(client.get(url).content.decode()) == [], url


def public_templates():
    for folder in PUBLIC_TEMPLATE_FOLDERS:
        for path in sorted(folder.rglob("*.html")):
            if not ADMIN_ONLY & set(path.relative_to(folder).parts):
                yield path


@pytest.mark.parametrize("path", list(public_templates()), ids=lambda p: str(p.relative_to(ROOT)))
def test_public_templates_have_no_inline_code(path):
    html = path.read_text()
    if path.name in OUTAGE_PAGES:
        html = re.sub(r"<style>.*?</style>", "", html, flags=re.DOTALL)
    assert inline_code(html) == []


# Pages shown when something is down must not depend on static files: their style is
# inline, allowed by its hash.
OUTAGE_PAGES = ["500.html", "503.html"]


@pytest.mark.parametrize("name", OUTAGE_PAGES)
def test_an_outage_pages_own_style_is_allowed_by_its_hash(name):
    html = (ROOT / "site" / "templates" / name).read_text()
    (style,) = re.findall(r"<style>(.*?)</style>", html, flags=re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in settings.SECURE_CSP["style-src"]


def test_the_admin_has_its_own_policy_for_wagtails_inline_scripts_and_styles(
    client, site_tree, innovation
):
    for signed_in in (False, True):
        if signed_in:
            client.force_login(innovation)
        response = client.get("/admin/" if signed_in else "/admin/login/")
        assert response.status_code == 200
        directives = policy(response)
        assert directives["script-src"] == "'self' 'unsafe-inline'"
        assert directives["style-src"] == "'self' 'unsafe-inline'"
        assert directives["frame-ancestors"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["form-action"] == "'self'"


def test_a_preview_in_the_admin_keeps_the_public_policy_but_may_be_framed_by_the_admin(
    client, site_tree, administrator
):
    story = make_story()
    client.force_login(administrator)
    response = client.get(f"/admin/pages/{story.pk}/view_draft/")
    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'self'"


def test_browser_features_the_site_does_not_use_are_switched_off(client, site_tree):
    header = client.get("/").headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in header


def test_referrer_policy_stays_same_origin(client, site_tree):
    assert client.get("/").headers["Referrer-Policy"] == "same-origin"


def test_in_production_the_policy_upgrades_requests_and_hsts_is_one_year(tmp_path):
    """Read the settings as a server started with DJANGO_HTTPS=true would."""
    script = (
        "import config.settings as s; "
        "upgrade = 'upgrade-insecure-requests'; "
        "print(s.SECURE_CSP[upgrade], s.ADMIN_CSP[upgrade], s.SECURE_HSTS_SECONDS, "
        "s.SESSION_COOKIE_SECURE)"
    )
    env = {**os.environ, "DJANGO_HTTPS": "true", "DJANGO_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.stdout.split() == ["True", "True", "31536000", "True"], result.stderr
