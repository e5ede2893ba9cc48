"""The BLT board: who sees it, what the cards say, and moving cards with their buttons."""

import datetime
import re

from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from blt import services
from blt.choices import Phase
from blt.models import Floke
from blt.views import CARDS_PER_COLUMN
from tests.admin import login, outcome
from tests.conftest import ROLES
from tests.factories import (
    ExperimentFactory,
    FlokeFactory,
    InsightFactory,
    ServiceAreaFactory,
    UserFactory,
    with_phase,
)

pytestmark = pytest.mark.django_db

BOARD = "blt_board:index"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def board_url():
    return reverse(BOARD)


def move_url(floke, name):
    return reverse("blt_board:move", args=[floke.pk, name])


def messages_after(client) -> list[str]:
    response = client.get(board_url())
    return [str(message).strip() for message in response.context["messages"]]


def column_html(html: str, phase: str) -> str:
    match = re.search(
        rf'<section class="blt-board__column" data-phase="{phase}".*?</section>', html, re.S
    )
    assert match, f"no column for {phase}"
    return match.group(0)


def ready_for_losning(floke):
    Floke.objects.filter(pk=floke.pk).update(need_statement="Hvordan kan vi samle tjenestene?")
    InsightFactory(floke=floke)
    return Floke.objects.get(pk=floke.pk)


READERS = {"innovation", "administrator", "communications"}
ALLOWED = {"innovation", "administrator"}


def expected(role, allowed=ALLOWED):
    if role in ("anonymous", "employee"):
        return "login"
    return "ok" if role in allowed else "denied"


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_for_the_board(client, user_for_role, role):
    FlokeFactory()

    response = login(client, user_for_role(role)).get(board_url())

    assert outcome(response) == expected(role, READERS)


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_for_moving_a_card(client, user_for_role, role):
    floke = ready_for_losning(FlokeFactory())

    response = login(client, user_for_role(role)).post(
        move_url(floke, "to_losning"), {"expected_phase": Phase.BEHOV}
    )

    assert outcome(response) == expected(role)
    moved = Floke.objects.get(pk=floke.pk).phase == Phase.LOSNING
    assert moved is (role in ALLOWED)


def test_the_board_is_in_the_blt_menu_for_staff_who_see_flokes(client, innovation):
    other = UserFactory(username="annen")
    other.user_permissions.add(Permission.objects.get(codename="access_admin"))
    staff_html = login(client, innovation).get(reverse("wagtailadmin_home")).content.decode()
    other_html = login(client, other).get(reverse("wagtailadmin_home")).content.decode()

    assert board_url() in staff_html
    assert board_url() not in other_html


def test_cards_are_in_their_phase_columns_with_counts(client, innovation):
    owner = UserFactory(username="eier", first_name="Eva", last_name="Eier")
    FlokeFactory(title="Behov-floken", owner=owner)
    with_phase(FlokeFactory(title="Løsning-floken"), Phase.LOSNING)
    with_phase(FlokeFactory(title="Testing-floken"), Phase.TESTING)
    with_phase(FlokeFactory(title="Stoppet-floken"), Phase.STOPPED)

    html = login(client, innovation).get(board_url()).content.decode()

    behov = column_html(html, Phase.BEHOV)
    assert "Behov-floken" in behov and "Eva Eier" in behov and "(1 floke)" in behov
    assert "Løsning-floken" in column_html(html, Phase.LOSNING)
    assert "Testing-floken" in column_html(html, Phase.TESTING)
    assert "Stoppet-floken" in column_html(html, Phase.STOPPED)
    assert "(0 flokes)" in column_html(html, Phase.IMPLEMENTED)
    assert "Behov-floken" not in column_html(html, Phase.LOSNING)


def test_a_blocked_step_is_disabled_and_says_what_is_missing(client, innovation):
    floke = FlokeFactory()

    html = login(client, innovation).get(board_url()).content.decode()

    card = column_html(html, Phase.BEHOV)
    assert f'aria-describedby="card-{floke.pk}-to_losning-missing"' in card
    assert "disabled" in card
    assert "Record at least one insight." in card
    assert "Write the need statement" in card
    assert move_url(floke, "to_losning") not in card


def test_a_ready_step_is_a_form_with_the_expected_phase(client, innovation):
    floke = ready_for_losning(FlokeFactory())

    html = login(client, innovation).get(board_url()).content.decode()

    assert f'action="{move_url(floke, "to_losning")}"' in html
    assert 'name="expected_phase" value="behov"' in html
    assert "Record at least one insight." not in html


def test_moving_a_card_goes_through_the_service(client, innovation):
    floke = ready_for_losning(FlokeFactory(title="Flytt meg"))

    response = login(client, innovation).post(
        move_url(floke, "to_losning"), {"expected_phase": Phase.BEHOV}
    )

    assert response.status_code == 302 and response.url == board_url()
    assert Floke.objects.get(pk=floke.pk).phase == Phase.LOSNING
    html = client.get(board_url()).content.decode()
    assert "Flytt meg" in column_html(html, Phase.LOSNING)


def test_a_gate_blocked_move_names_what_is_missing(client, innovation):
    floke = FlokeFactory()

    response = login(client, innovation).post(
        move_url(floke, "to_losning"), {"expected_phase": Phase.BEHOV}
    )

    assert response.url == board_url()
    assert Floke.objects.get(pk=floke.pk).phase == Phase.BEHOV
    [message] = messages_after(client)
    assert "Record at least one insight." in message
    assert "Write the need statement" in message


def test_a_stale_expected_phase_shows_the_conflict(client, innovation):
    floke = with_phase(ready_for_losning(FlokeFactory()), Phase.LOSNING)

    response = login(client, innovation).post(
        move_url(floke, "to_losning"), {"expected_phase": Phase.BEHOV}
    )

    assert response.url == board_url()
    assert messages_after(client) == [services.conflict().message]
    assert Floke.objects.get(pk=floke.pk).phase == Phase.LOSNING


def test_a_step_not_open_from_the_phase_is_refused_without_error(client, innovation):
    floke = FlokeFactory()

    response = login(client, innovation).post(
        move_url(floke, "implement"), {"expected_phase": Phase.BEHOV}
    )

    assert response.url == board_url()
    assert "not possible" in messages_after(client)[0]


def test_steps_that_need_words_are_not_on_the_board(client, innovation):
    floke = with_phase(FlokeFactory(), Phase.LOSNING)

    response = login(client, innovation).post(move_url(floke, "stop"), {})

    assert response.status_code == 404


def test_a_move_url_opened_in_the_browser_is_not_allowed(client, innovation):
    floke = FlokeFactory()

    response = login(client, innovation).get(move_url(floke, "to_losning"))

    assert response.status_code == 405


def test_the_implement_gate_reads_finished_experiments(client, innovation):
    floke = with_phase(FlokeFactory(decision_note="Vi tar det i bruk."), Phase.TESTING)
    ExperimentFactory(floke=floke)

    html = login(client, innovation).get(board_url()).content.decode()
    assert "Finish at least one experiment" in column_html(html, Phase.TESTING)

    ExperimentFactory(floke=floke, finished=True)
    html = client.get(board_url()).content.decode()
    assert "Finish at least one experiment" not in column_html(html, Phase.TESTING)
    assert f'action="{move_url(floke, "implement")}"' in html


def board_queries(client, count) -> int:
    for index in range(count):
        floke = FlokeFactory(owner=UserFactory())
        phase = list(Phase)[index % len(Phase)]
        if index % 2:
            InsightFactory(floke=floke)
            ExperimentFactory(floke=floke, finished=bool(index % 4 == 1))
        with_phase(floke, phase)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(board_url())
    assert response.status_code == 200
    per_phase = [len(range(index, count, len(Phase))) for index in range(len(Phase))]
    shown = sum(min(n, CARDS_PER_COLUMN) for n in per_phase)
    assert response.content.decode().count('class="blt-board__card"') == shown
    return len(queries)


def test_the_board_costs_the_same_queries_for_5_and_500_flokes(client, innovation):
    login(client, innovation)
    client.get(board_url())  # warm the session and caches

    few = board_queries(client, 5)
    Floke.objects.all().delete()
    many = board_queries(client, 500)

    assert few == many


def test_going_back_takes_a_reason_on_the_card(client, innovation):
    floke = with_phase(FlokeFactory(), Phase.LOSNING)
    login(client, innovation)

    html = client.get(board_url()).content.decode()
    assert f'action="{move_url(floke, "step_back")}"' in column_html(html, Phase.LOSNING)
    assert f'for="card-{floke.pk}-step_back-reason"' in html

    client.post(move_url(floke, "step_back"), {"expected_phase": Phase.LOSNING})
    assert messages_after(client) == ["Write why the floke goes back a phase."]
    assert Floke.objects.get(pk=floke.pk).phase == Phase.LOSNING

    client.post(
        move_url(floke, "step_back"),
        {"expected_phase": Phase.LOSNING, "description": "Vi må snakke med flere."},
    )
    assert Floke.objects.get(pk=floke.pk).phase == Phase.BEHOV


def test_the_board_says_going_back_is_done_on_the_card(client, innovation):
    html = login(client, innovation).get(board_url()).content.decode()

    assert "to go back a phase, write why on the card" in html
    assert "going back a phase or stopping is done on the floke page" not in html


def test_only_steps_that_declare_a_reason_ask_for_one_on_the_card(client, innovation):
    floke = with_phase(FlokeFactory(), Phase.LOSNING)

    response = login(client, innovation).get(board_url())

    [card] = [
        card
        for column in response.context["columns"]
        for card in column["cards"]
        if card["floke"].pk == floke.pk
    ]
    assert {step["name"]: step["needs_reason"] for step in card["steps"]} == {
        "to_testing": False,
        "step_back": True,
    }


def test_a_full_column_shows_the_longest_waiting_and_links_the_rest(client, innovation):
    flokes = [FlokeFactory(title=f"Floke {index:03}") for index in range(CARDS_PER_COLUMN + 3)]
    for days, floke in enumerate(reversed(flokes)):
        Floke.objects.filter(pk=floke.pk).update(
            phase_changed_at=timezone.now() - datetime.timedelta(days=days)
        )

    html = login(client, innovation).get(board_url()).content.decode()

    behov = column_html(html, Phase.BEHOV)
    assert f"({CARDS_PER_COLUMN + 3} flokes)" in behov
    assert behov.count('class="blt-board__card"') == CARDS_PER_COLUMN
    assert "Floke 000" in behov  # waited longest
    assert f"Floke {CARDS_PER_COLUMN + 2:03}" not in behov  # arrived last
    assert "3 more in the floke listing" in behov
    assert reverse("flokes:index") + "?phase=behov" in behov


def test_active_columns_show_the_longest_waiting_first_and_closed_ones_the_latest(
    client, innovation
):
    def floke(title, phase, days_ago):
        made = with_phase(FlokeFactory(title=title), phase)
        Floke.objects.filter(pk=made.pk).update(
            phase_changed_at=timezone.now() - datetime.timedelta(days=days_ago)
        )

    floke("Venter kort", Phase.BEHOV, 2)
    floke("Venter lenge", Phase.BEHOV, 40)
    floke("Tatt i bruk før", Phase.IMPLEMENTED, 30)
    floke("Tatt i bruk nå", Phase.IMPLEMENTED, 1)

    html = login(client, innovation).get(board_url()).content.decode()

    behov = column_html(html, Phase.BEHOV)
    assert behov.index("Venter lenge") < behov.index("Venter kort")
    implemented = column_html(html, Phase.IMPLEMENTED)
    assert implemented.index("Tatt i bruk nå") < implemented.index("Tatt i bruk før")


def test_the_board_filters_by_owner_and_service_area(client, innovation):
    area = ServiceAreaFactory(name="Helse", slug="helse")
    mine = FlokeFactory(title="Min floke", owner=innovation, service_areas=[area])
    FlokeFactory(title="Andres floke")

    html = login(client, innovation).get(board_url(), {"owner": innovation.pk}).content.decode()
    by_area = client.get(board_url(), {"service_areas": area.pk}).content.decode()

    assert "Min floke" in html and "Andres floke" not in html
    assert "(1 floke)" in column_html(html, Phase.BEHOV)
    assert mine.title in by_area and "Andres floke" not in by_area


def test_a_bad_filter_shows_the_whole_board(client, innovation):
    FlokeFactory(title="Synlig")

    response = login(client, innovation).get(board_url(), {"owner": "x", "stuck": "kanskje"})

    assert response.status_code == 200
    assert "Synlig" in response.content.decode()


def test_communications_read_the_board_without_buttons(client, communications):
    floke = ready_for_losning(FlokeFactory(title="Les meg"))

    html = login(client, communications).get(board_url()).content.decode()

    assert "Les meg" in html
    assert move_url(floke, "to_losning") not in html


def test_the_owner_moves_their_own_card_from_the_board(client):
    owner = UserFactory(username="eier")
    owner.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_floke"),
    )
    own = ready_for_losning(FlokeFactory(title="Egen", owner=owner))
    other = ready_for_losning(FlokeFactory(title="Annen"))

    html = login(client, owner).get(board_url()).content.decode()

    assert move_url(own, "to_losning") in html
    assert move_url(other, "to_losning") not in html
