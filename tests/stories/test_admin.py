"""Editors can open the forms for the story pages and the site links setting."""

import pytest

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


def test_site_links_setting_opens(client, site_tree, administrator):
    client.force_login(administrator)
    response = client.get("/admin/settings/stories/sitelinks/")
    assert response.status_code in (200, 302)


def test_story_with_a_pipeline_block_opens_in_the_editor(client, site_tree, administrator):
    from tests.factories import FlokeFactory
    from tests.stories.factories import block, make_story

    floke = FlokeFactory(title="Tjenestestøtte")
    story = make_story(body=[block("pipeline", {"floke": floke.pk, "show_timeline": True})])
    client.force_login(administrator)
    response = client.get(f"/admin/pages/{story.pk}/edit/")
    assert response.status_code == 200
    assert "Tjenestestøtte" in response.content.decode()
