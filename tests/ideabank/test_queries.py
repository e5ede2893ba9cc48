"""The idea bank's public pages and the form cost a fixed, small number of queries.

Counted with the page cache off, after one warm-up request (renditions, the site's root
paths and the shared page map are found once, not per request). The budget is twelve;
what is pinned is the exact number, the same for few rows and many.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from blt.choices import Phase
from ideabank.choices import Status
from tests.factories import (
    AnswerFactory,
    FlokeFactory,
    IdeaFactory,
    ServiceAreaFactory,
    with_phase,
    with_status,
)

from .test_submit import URL as FORM_URL
from .test_submit import form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]
BUDGET = 12


def add_ideas(count, *, areas):
    return [IdeaFactory(published=True, service_areas=areas) for _ in range(count)]


def queries_for(client, url, django_assert_num_queries, expected, **data):
    assert client.get(url, data).status_code == 200
    with django_assert_num_queries(expected):
        assert client.get(url, data).status_code == 200


@pytest.mark.parametrize("ideas", [3, 60])
def test_the_first_page_of_the_idea_bank(client, site_tree, django_assert_num_queries, ideas):
    add_ideas(ideas, areas=[ServiceAreaFactory() for _ in range(3)])
    queries_for(client, "/idebank/", django_assert_num_queries, LIST_QUERIES)


@pytest.mark.parametrize("ideas", [45, 130])
def test_a_deep_filtered_page_of_the_idea_bank(client, site_tree, django_assert_num_queries, ideas):
    areas = [ServiceAreaFactory() for _ in range(3)]
    add_ideas(ideas, areas=areas)
    queries_for(
        client,
        "/idebank/",
        django_assert_num_queries,
        LIST_QUERIES,
        omrade=areas[0].slug,
        side=2,
    )


@pytest.mark.parametrize("answers", [1, 6])
def test_an_idea_in_a_floke_with_its_timeline(
    client, site_tree, innovation, django_assert_num_queries, answers
):
    floke = with_phase(FlokeFactory(), Phase.TESTING)
    idea = IdeaFactory(published=True, service_areas=[ServiceAreaFactory()], floke=floke)
    with_status(idea, Status.ACCEPTED)
    for _ in range(answers):
        AnswerFactory(idea=idea)
    queries_for(client, f"/idebank/{idea.pk}/", django_assert_num_queries, IDEA_QUERIES)


def test_the_form(client, site_tree, django_assert_num_queries):
    for _ in range(8):
        ServiceAreaFactory()
    queries_for(client, FORM_URL, django_assert_num_queries, FORM_QUERIES)


def statements_of(queries) -> list[str]:
    # The test's own transaction turns the service's atomic block into a savepoint;
    # outside tests that is BEGIN and COMMIT, which Django does not count either.
    return [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]


@pytest.mark.parametrize("areas", [0, 1, 4])
def test_sending_an_idea_with_the_database_queue(client, site_tree, settings, areas):
    # As in production: the receipt and the search index wait in the queue.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    chosen = [str(ServiceAreaFactory().pk) for _ in range(areas)]
    assert client.post(FORM_URL, form_data(service_areas=chosen)).status_code == 302
    with CaptureQueriesContext(connection) as queries:
        response = client.post(FORM_URL, form_data(service_areas=chosen))
    assert response.status_code == 302
    # Chosen areas are read once to check them and stored in one insert.
    assert len(statements_of(queries)) == SUBMIT_QUERIES + (2 if areas else 0)


def test_the_budget():
    assert max(LIST_QUERIES, IDEA_QUERIES, FORM_QUERIES, SUBMIT_QUERIES + 2) <= BUDGET


# Serving a page costs no query for a visitor without a session: the site, the tree and
# the pages on the way are shared until pages change (pagecache.shared, pagecache.routing).
# What is left are the page's own reads (see ideabank.selectors).
LIST_QUERIES = 3
IDEA_QUERIES = 6
FORM_QUERIES = 1
SUBMIT_QUERIES = 5
