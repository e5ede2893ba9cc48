"""Editors can open the forms for the story pages and the site links setting."""

from django.contrib.messages import get_messages
from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield
from wagtail.users.models import UserProfile

import pytest

from stories.models import SiteLinks, StoryPage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["storypage"])
def test_story_editor_opens_under_the_story_index(client, site_tree, administrator, model):
    client.force_login(administrator)
    response = client.get(f"/admin/pages/add/stories/{model}/{site_tree.story_index.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for block_type in ("pipeline", "call_to_action", "fact_box", "key_figures", "benefits"):
        assert block_type in html


def test_standard_page_editor_opens_under_home(client, site_tree, administrator):
    client.force_login(administrator)
    response = client.get(f"/admin/pages/add/stories/standardpage/{site_tree.home.pk}/")
    assert response.status_code == 200


def site_links_url(site=None) -> str:
    """Wagtail's address for the setting: without a site it chooses one and redirects."""
    args = ["stories", "sitelinks", *([site.pk] if site else [])]
    return reverse("wagtailsettings:edit", args=args)


def in_english(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()


def test_administrators_open_the_site_links_setting_for_their_site(
    client, site_tree, administrator
):
    in_english(administrator)
    client.force_login(administrator)
    response = client.get(site_links_url(), follow=True)
    assert response.redirect_chain == [(site_links_url(site_tree.home.get_site()), 302)]
    assert response.status_code == 200
    html = response.content.decode()
    assert "Site links" in html
    for field in (
        "accessibility_statement_page",
        "accessibility_statement_url",
        "privacy_notice_page",
        "about_page",
    ):
        assert f'name="{field}"' in html
    assert f'name="privacy_notice_page" value="{site_tree.privacy.pk}"' in html
    assert "When filled in, the site links here instead of the page above." in html


def test_administrators_save_an_external_accessibility_statement(client, site_tree, administrator):
    client.force_login(administrator)
    url = "https://uustatus.no/nb/erklaringer/publisert/abc"
    response = client.post(
        site_links_url(site_tree.home.get_site()),
        {
            "accessibility_statement_page": site_tree.accessibility.pk,
            "accessibility_statement_url": url,
            "privacy_notice_page": site_tree.privacy.pk,
            "about_page": site_tree.about.pk,
        },
    )
    assert response.status_code == 302
    assert SiteLinks.objects.get().accessibility_statement_url == url
    assert f'href="{url}"' in client.get("/").content.decode().split("<footer")[1]


@pytest.mark.parametrize("address", ["choose", "edit"])
def test_communications_may_not_open_the_site_links_setting(
    client, site_tree, communications, address
):
    in_english(communications)
    # Wagtail says no outside the admin's own language switch: the site's language then.
    client.cookies["django_language"] = "en"
    client.force_login(communications)
    url = site_links_url(site_tree.home.get_site()) if address == "edit" else site_links_url()
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert [str(message).strip() for message in get_messages(response.wsgi_request)] == [
        "Sorry, you do not have permission to access this area."
    ]
    assert (
        client.post(site_links_url(site_tree.home.get_site()), {"about_page": ""}).status_code
        == 302
    )
    assert SiteLinks.objects.get().about_page_id == site_tree.about.pk


def test_story_with_a_pipeline_block_opens_in_the_editor(client, site_tree, administrator):
    from tests.factories import FlokeFactory
    from tests.stories.factories import block, make_story

    floke = FlokeFactory(title="Tjenestestøtte")
    story = make_story(body=[block("pipeline", {"floke": floke.pk, "show_timeline": True})])
    client.force_login(administrator)
    response = client.get(f"/admin/pages/{story.pk}/edit/")
    assert response.status_code == 200
    assert "Tjenestestøtte" in response.content.decode()


def story_form(site_tree, **fields):
    from tests.stories.factories import make_image

    return nested_form_data(
        {
            "title": "Familiehjelpa samlet tjenestene",
            "slug": "familiehjelpa",
            "lead": "Sju tjenester fant en felles dør inn for familiene.",
            "hero_image": make_image().pk,
            "hero_alt_text": "",
            "body": streamfield([("paragraph", rich_text("<p>Det begynte med en idé.</p>"))]),
            "comments": inline_formset([]),
            "action-publish": "action-publish",
            **fields,
        }
    )


def add_story_url(site_tree) -> str:
    return reverse(
        "wagtailadmin_pages:add", args=["stories", "storypage", site_tree.story_index.pk]
    )


def test_the_editor_refuses_a_hero_without_alt_text_unless_it_is_decorative(
    client, site_tree, administrator
):
    in_english(administrator)
    client.force_login(administrator)
    response = client.post(add_story_url(site_tree), story_form(site_tree))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["hero_alt_text"]
    assert (
        "Describe the image for those who cannot see it, or mark it as decorative."
        in response.content.decode()
    )
    assert not StoryPage.objects.exists()

    response = client.post(add_story_url(site_tree), story_form(site_tree, hero_decorative="on"))
    assert response.status_code == 302
    story = StoryPage.objects.get()
    assert story.live and story.hero_decorative and story.hero_alt == ""
