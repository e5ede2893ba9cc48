"""The floke's phase and public timeline on a linked idea's public and private pages."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from blt import services
from blt.choices import Phase
from blt.models import FlokeStep
from ideabank.models import Idea
from tests.factories import FlokeFactory, IdeaFactory, with_phase

pytestmark = pytest.mark.django_db

INTERNAL = "Intern: Kari mener budsjettet ikke holder."
PUBLIC = "Vi vil forstå behovet bedre før vi prøver noe nytt."


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def linked_idea(floke, **fields):
    idea = IdeaFactory(published=True, **fields)
    Idea.objects.filter(pk=idea.pk).update(floke=floke)
    return Idea.objects.get(pk=idea.pk)


def public_url(idea):
    return f"/idebank/{idea.pk}/"


def status_url(idea):
    return f"/idebank/status/{idea.token}/"


@pytest.fixture
def moved_floke(innovation):
    floke = with_phase(
        FlokeFactory(owner=innovation, internal_notes="Hemmelig notat om budsjettet"),
        Phase.LOSNING,
    )
    return services.floke_transition(
        floke=floke, name="step_back", by=innovation, description=INTERNAL, public_reason=PUBLIC
    )


@pytest.mark.parametrize("url", [public_url, status_url])
def test_linked_idea_pages_show_the_phase_and_public_timeline(
    client, site_tree, innovation, moved_floke, url
):
    idea = linked_idea(moved_floke)

    html = client.get(url(idea)).content.decode()

    assert "The innovation work on this idea" in html
    assert "Current phase" in html
    assert "Phase changed to: need" in html
    assert PUBLIC in html
    assert INTERNAL not in html
    assert "Hemmelig notat" not in html
    assert innovation.username not in html


def test_pages_of_ideas_without_a_floke_show_no_floke_timeline(client, site_tree):
    idea = IdeaFactory(published=True)
    assert "The innovation work on this idea" not in client.get(public_url(idea)).content.decode()
    assert "The innovation work on this idea" not in client.get(status_url(idea)).content.decode()


def add_steps(floke, count):
    start = timezone.now() - timedelta(days=count)
    FlokeStep.objects.bulk_create(
        FlokeStep(
            floke=floke,
            at=start + timedelta(days=n),
            source=Phase.BEHOV if n % 2 else Phase.LOSNING,
            target=Phase.LOSNING if n % 2 else Phase.BEHOV,
            public_reason=f"Grunn nummer {n}",
        )
        for n in range(count)
    )


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.usefixtures("no_page_cache")
@pytest.mark.parametrize("url", [public_url, status_url])
def test_query_count_does_not_grow_with_the_steps(client, site_tree, url):
    few, many = FlokeFactory(), FlokeFactory()
    add_steps(few, 2)
    add_steps(many, 60)
    few_idea, many_idea = linked_idea(few), linked_idea(many)
    client.get(url(few_idea))  # warm caches (site root, content types)

    assert queries_for(client, url(many_idea)) == queries_for(client, url(few_idea))
    assert "Grunn nummer 59" in client.get(url(many_idea)).content.decode()


def test_public_idea_page_query_count_with_a_floke_of_many_steps(
    client, site_tree, django_assert_max_num_queries
):
    floke = FlokeFactory()
    add_steps(floke, 100)
    idea = linked_idea(floke)
    client.get(public_url(idea))
    plain = IdeaFactory(published=True)
    without_floke = queries_for(client, public_url(plain))

    # The floke and its steps cost two queries, however many steps there are.
    with django_assert_max_num_queries(without_floke + 2):
        client.get(public_url(idea))
