"""Where each kind of page may be created in the page tree."""

from wagtail.models import Page

import pytest

from ideabank.models import IdeaIndexPage, IdeaSubmitPage
from stories.models import HomePage, StandardPage, StoryIndexPage, StoryPage

pytestmark = pytest.mark.django_db


def test_home_page_takes_the_idea_bank_the_story_index_and_standard_pages():
    assert set(HomePage.allowed_subpage_models()) == {IdeaIndexPage, StoryIndexPage, StandardPage}


def test_story_index_takes_only_stories():
    assert StoryIndexPage.allowed_subpage_models() == [StoryPage]
    assert StoryIndexPage.allowed_parent_page_models() == [HomePage]


def test_stories_live_only_under_the_story_index_and_have_no_children():
    assert StoryPage.allowed_parent_page_models() == [StoryIndexPage]
    assert StoryPage.allowed_subpage_models() == []


def test_standard_pages_live_under_home_and_have_no_children():
    assert StandardPage.allowed_parent_page_models() == [HomePage]
    assert StandardPage.allowed_subpage_models() == []


def test_in_the_site_tree_a_story_can_be_made_only_under_the_story_index(site_tree):
    assert StoryPage.can_create_at(site_tree.story_index)
    for parent in (site_tree.home, site_tree.idea_index, site_tree.about):
        assert not StoryPage.can_create_at(parent)


def test_there_is_one_story_index_and_one_home(site_tree):
    assert not StoryIndexPage.can_create_at(site_tree.home)
    assert not HomePage.can_create_at(Page.get_first_root_node())
    assert StandardPage.can_create_at(site_tree.home)
    assert not IdeaSubmitPage.can_create_at(site_tree.story_index)


def test_site_tree_makes_the_story_index_and_standard_pages_once(site_tree):
    from config.site_tree import ensure_site_tree

    again = ensure_site_tree()
    assert again.story_index.url == "/historier/"
    assert {page.url for page in (again.accessibility, again.privacy, again.about)} == {
        "/tilgjengelighet/",
        "/personvern/",
        "/om-idebanken/",
    }
    assert StoryIndexPage.objects.count() == 1
    assert StandardPage.objects.count() == 3
