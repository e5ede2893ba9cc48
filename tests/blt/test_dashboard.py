"""The flow dashboard on the admin home: who sees it, and whether its figures add up."""

import datetime
import re

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest
from django_fsm_log.models import StateLog

from blt import selectors
from blt.choices import Phase
from blt.models import Floke
from blt.panels import DEFAULT_PERIOD
from ideabank.choices import Status
from ideabank.models import Idea
from tests.conftest import ROLES
from tests.factories import FlokeFactory, IdeaFactory, UserFactory, with_phase, with_status

pytestmark = pytest.mark.django_db

HOME = reverse("wagtailadmin_home")
PANEL = 'id="blt-dashboard-heading"'


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    settings.BLT_STUCK_DAYS = 30


@pytest.fixture
def now():
    return timezone.now()


def ago(now, days):
    return now - datetime.timedelta(days=days)


def floke_at(now, *, created, phase=Phase.BEHOV, changed=None, title=""):
    floke = FlokeFactory(**({"title": title} if title else {}))
    Floke.objects.filter(pk=floke.pk).update(
        created_at=ago(now, created),
        phase_changed_at=ago(now, created if changed is None else changed),
    )
    return with_phase(floke, phase)


def idea_at(now, *, created, status=Status.RECEIVED):
    idea = IdeaFactory()
    Idea.objects.filter(pk=idea.pk).update(created_at=ago(now, created))
    return with_status(idea, status)


def logged(obj, source, target, at):
    return StateLog.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        source_state=source,
        state=target,
        transition="test",
        timestamp=at,
    )


def home(client, user, query=""):
    if user is not None:
        client.force_login(user)
    return client.get(HOME + query)


# Who sees the panel

SEES_PANEL = {"innovation", "administrator", "communications"}


@pytest.mark.parametrize("role", ROLES)
def test_panel_is_shown_only_to_those_who_run_the_process(client, user_for_role, role):
    response = home(client, user_for_role(role))

    if role in ("anonymous", "employee"):
        assert response.status_code == 302
        assert response.url.startswith(reverse("wagtailadmin_login"))
        return
    assert response.status_code == 200
    assert (PANEL in response.content.decode()) is (role in SEES_PANEL)


def test_a_user_who_may_only_triage_ideas_sees_the_panel(client):
    triager = UserFactory(username="triager")
    triager.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(content_type__app_label="ideabank", codename="triage_idea"),
    )

    assert PANEL in home(client, triager).content.decode()


# The figures, on a small dataset with known dates


def test_ideas_waiting_for_triage_with_their_age(now):
    for days in (10, 20, 60):
        idea_at(now, created=days)
    idea_at(now, created=90, status=Status.IN_REVIEW)

    backlog = selectors.triage_backlog(now=now)

    assert backlog["count"] == 3
    assert backlog["oldest_days"] == pytest.approx(60)
    assert backlog["median_days"] == pytest.approx(20)


def test_no_ideas_waiting_gives_no_ages(now):
    assert selectors.triage_backlog(now=now) == {
        "count": 0,
        "oldest_days": None,
        "median_days": None,
    }


def test_flokes_per_phase_and_stuck_ones(now):
    floke_at(now, created=50, changed=40)  # stuck in behov
    floke_at(now, created=10)
    floke_at(now, created=90, phase=Phase.TESTING, changed=31)  # stuck in testing
    floke_at(now, created=90, phase=Phase.IMPLEMENTED, changed=80)  # done, not stuck

    rows = {row["phase"]: row for row in selectors.flokes_per_phase(stuck_days=30, now=now)}

    assert list(rows) == list(Phase)
    assert {phase: row["count"] for phase, row in rows.items()} == {
        Phase.BEHOV: 2,
        Phase.LOSNING: 0,
        Phase.TESTING: 1,
        Phase.IMPLEMENTED: 1,
        Phase.STOPPED: 0,
    }
    assert sum(row["stuck"] for row in rows.values()) == 2


def test_the_stuck_list_follows_the_setting_and_links_to_the_floke(client, innovation, settings):
    now = timezone.now()
    old = floke_at(now, created=50, changed=40, title="Lenge i behov")
    recent = floke_at(now, created=50, changed=20, title="Nylig flyttet")
    floke_at(now, created=90, phase=Phase.STOPPED, changed=80, title="Stoppet for lenge siden")

    html = home(client, innovation).content.decode()
    assert f'href="{reverse("flokes:inspect", args=[old.pk])}"' in html
    assert "Nylig flyttet" not in html
    assert "Stoppet for lenge siden" not in html
    assert "Stuck for more than 30 days (1)" in html

    settings.BLT_STUCK_DAYS = 10
    html = home(client, innovation).content.decode()
    assert f'href="{reverse("flokes:inspect", args=[recent.pk])}"' in html
    assert "Stuck for more than 10 days (2)" in html


@pytest.fixture
def history(now):
    """Two flokes with logged phase changes at known days, and one just opened.

    A: opened -100, Løsning -90, Testing -70, still testing.
    B: opened -50, Løsning -20, back to Behov -10, still in Behov.
    C: opened -5, still in Behov.
    """
    a = floke_at(now, created=100, phase=Phase.TESTING, changed=70)
    logged(a, Phase.BEHOV, Phase.LOSNING, ago(now, 90))
    logged(a, Phase.LOSNING, Phase.TESTING, ago(now, 70))
    b = floke_at(now, created=50, changed=10)
    logged(b, Phase.BEHOV, Phase.LOSNING, ago(now, 20))
    logged(b, Phase.LOSNING, Phase.BEHOV, ago(now, 10))
    c = floke_at(now, created=5)
    return a, b, c


def medians(since, now):
    return {
        row["phase"]: (row["median_days"], row["stays"])
        for row in selectors.median_days_in_phase(since=since, now=now)
    }


def test_median_time_in_phase_from_the_log(history, now):
    # Behov stays: A 10, B 30 and 10, C 5 → median 10. Løsning: A 20, B 10 → 15.
    assert medians(ago(now, 365), now) == {
        Phase.BEHOV: (pytest.approx(10), 4),
        Phase.LOSNING: (pytest.approx(15), 2),
        Phase.TESTING: (pytest.approx(70), 1),
    }


def test_median_time_in_phase_leaves_out_stays_ended_before_the_period(history, now):
    # A's Behov and Løsning ended before the last 30 days; A's Testing still runs.
    assert medians(ago(now, 30), now) == {
        Phase.BEHOV: (pytest.approx(10), 3),
        Phase.LOSNING: (pytest.approx(10), 1),
        Phase.TESTING: (pytest.approx(70), 1),
    }


def test_funnel_over_the_chosen_period(client, innovation, history, now):
    for days in (10, 40, 200):
        idea_at(now, created=days)
    accepted = idea_at(now, created=120, status=Status.ACCEPTED)
    logged(accepted, Status.IN_REVIEW, Status.ACCEPTED, ago(now, 60))
    old = idea_at(now, created=300, status=Status.ACCEPTED)
    logged(old, Status.IN_REVIEW, Status.ACCEPTED, ago(now, 250))
    a, _b, _c = history
    logged(a, Phase.TESTING, Phase.IMPLEMENTED, ago(now, 1))
    stopped = floke_at(now, created=200, phase=Phase.STOPPED, changed=30)
    logged(stopped, Phase.BEHOV, Phase.STOPPED, ago(now, 30))

    def funnel(query):
        response = home(client, innovation, query)
        return {step["key"]: step["count"] for step in response.context["funnel"]}

    assert funnel("?periode=90") == {
        "received": 2,  # the idea from day 120 and 300 are older
        "accepted": 1,
        Phase.BEHOV: 2,  # B and C; A was opened on day 100
        Phase.LOSNING: 1,  # B; A reached it on day 90, just outside
        Phase.TESTING: 1,
        Phase.IMPLEMENTED: 1,
        Phase.STOPPED: 1,
    }
    assert funnel("?periode=365") == {
        "received": 5,
        "accepted": 2,
        Phase.BEHOV: 4,
        Phase.LOSNING: 2,
        Phase.TESTING: 1,
        Phase.IMPLEMENTED: 1,
        Phase.STOPPED: 1,
    }


# The period parameter


@pytest.mark.parametrize("value", ["abc", "7", "-30", "", "9" * 40, "90.5", "30%00"])
def test_a_period_not_on_the_list_falls_back_to_the_default(client, innovation, value):
    response = home(client, innovation, f"?periode={value}")

    assert response.status_code == 200
    assert response.context["period"] == DEFAULT_PERIOD


def test_a_listed_period_is_used_and_selected(client, innovation):
    response = home(client, innovation, "?periode=30")

    assert response.context["period"] == 30
    assert '<option value="30" selected>' in response.content.decode()


# The charts


def test_charts_are_svg_images_with_a_title_and_a_table_beside_them(client, innovation, history):
    html = home(client, innovation).content.decode()
    panel = html[html.index(PANEL) :]

    charts = re.findall(r"<svg[^>]*>.*?</svg>", panel, flags=re.S)
    assert len(charts) == 2
    for chart in charts:
        assert 'role="img"' in chart
        assert re.search(r"<title id=\"[\w-]+\">[^<]+</title>", chart)
        assert "<script" not in chart
    assert panel.count("<details>") == 2
    assert '<th scope="row">Need</th><td>2</td>' in panel
    assert 'fill="currentColor"' in panel


# The cost


def add_flokes_and_ideas(count, now):
    base = Floke.objects.count()
    flokes = Floke.objects.bulk_create(
        Floke(
            title=f"Floke {base + n}",
            phase=list(Phase)[n % len(Phase)],
            created_at=ago(now, n % 400),
            phase_changed_at=ago(now, n % 60),
        )
        for n in range(count)
    )
    floke_type = ContentType.objects.get_for_model(Floke)
    StateLog.objects.bulk_create(
        StateLog(
            content_type=floke_type,
            object_id=floke.pk,
            source_state=Phase.BEHOV,
            state=Phase.LOSNING,
            transition="to_losning",
            timestamp=ago(now, n % 50),
        )
        for n, floke in enumerate(flokes)
    )
    start = Idea.objects.count()
    Idea.objects.bulk_create(
        Idea(
            reference=f"IDE-2099-{start + n:05d}",
            title=f"Idé {n}",
            body="Tekst",
            status=list(Status)[n % len(Status)],
            created_at=ago(now, n % 400),
        )
        for n in range(count)
    )


def queries_for_home(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(HOME)
    assert response.status_code == 200
    assert PANEL in response.content.decode()
    return len(queries)


def test_query_count_does_not_grow_with_ideas_and_flokes(client, innovation, now):
    client.force_login(innovation)
    add_flokes_and_ideas(5, now)
    client.get(HOME)  # warm the content type cache and the session
    few = queries_for_home(client)

    add_flokes_and_ideas(295, now)
    many = queries_for_home(client)

    assert many == few
