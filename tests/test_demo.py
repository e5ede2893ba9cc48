"""The demo content that `make run` seeds: complete, realistic and created only once."""

import io

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from wagtail.models import ModelLogEntry, Page, Site

import pytest
from django_fsm_log.models import StateLog

from config import demo, roles
from ideabank import privacy, selectors
from ideabank.choices import Source, Status
from ideabank.models import (
    Answer,
    Assessment,
    EmployeeProfile,
    Idea,
    ReferenceSequence,
    ServiceArea,
    Support,
)

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the whole module, inside a transaction that is rolled back after it.

    Each test runs in its own savepoint inside it, as usual, so none can change what
    the next one sees.
    """
    fast_hasher = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=fast_hasher),
        transaction.atomic(),
    ):
        yield seed()
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    models = [
        Idea,
        Answer,
        Assessment,
        Support,
        StateLog,
        ModelLogEntry,
        ServiceArea,
        EmployeeProfile,
        ReferenceSequence,
        get_user_model(),
        Page,
        Site,
    ]
    return {model.__name__: model.objects.count() for model in models}


def test_seeding_twice_creates_nothing_new(seeded):
    assert "0 new ideas" not in seeded
    first = counts()
    output = seed()
    assert counts() == first
    assert "0 new ideas" in output


def test_credentials_are_printed_also_when_nothing_is_new(seeded):
    output = seed()
    for demo_user in demo.ROLE_USERS:
        assert demo_user.username in output
        assert demo_user.password in output


def test_at_least_forty_ideas(seeded):
    assert Idea.objects.count() >= 40


def test_every_status_is_present(seeded):
    present = set(Idea.objects.values_list("status", flat=True))
    assert present == set(Status.values)


def test_ideas_come_from_residents_and_employees(seeded):
    assert set(Idea.objects.values_list("source", flat=True)) == set(Source.values)
    assert Idea.objects.filter(source=Source.EMPLOYEE, submitted_by__isnull=True).count() == 0


def test_some_ideas_have_contact_details_and_some_do_not(seeded):
    assert Idea.objects.exclude(email="").filter(may_contact=True).exists()
    assert Idea.objects.filter(email="", phone="").exists()
    assert Idea.objects.filter(source=Source.RESIDENT, may_publish=False).exists()
    assert set(Idea.objects.exclude(email="").values_list("email", flat=True)) == {
        email for email in Idea.objects.values_list("email", flat=True) if email.endswith(".org")
    }


@pytest.mark.parametrize("demo_user", demo.ROLE_USERS, ids=lambda user: user.username)
def test_each_role_has_a_user_who_can_log_in(seeded, demo_user):
    user = get_user_model().objects.get(username=demo_user.username)
    assert user.check_password(demo_user.password)
    if demo_user.superuser:
        assert user.is_superuser
    else:
        assert user.groups.filter(name=demo_user.group).exists()


def test_employee_has_a_service_area(seeded):
    profile = EmployeeProfile.objects.get(user__username="ansatt")
    assert profile.service_area.slug == "barnehage"


def test_innovation_user_may_triage_and_communications_may_not(seeded):
    users = get_user_model().objects
    assert users.get(username="innovasjon").has_perm("ideabank.triage_idea")
    assert not users.get(username="kommunikasjon").has_perm("ideabank.triage_idea")
    assert set(users.get(username="ansatt").groups.values_list("name", flat=True)) == {
        roles.EMPLOYEE
    }


def test_published_ideas_have_public_answers(seeded):
    published = Idea.objects.published()
    assert published.count() >= 10
    assert published.filter(answers__isnull=False).distinct().count() >= 5


def test_published_ideas_are_allowed_to_be_published(seeded):
    for idea in Idea.objects.published():
        assert idea.can_be_published


def test_declined_ideas_have_a_public_reason(seeded):
    for idea in Idea.objects.filter(status=Status.DECLINED):
        entry = [e for e in selectors.timeline(idea) if e.status == Status.DECLINED][-1]
        assert entry.text.strip()


def test_merged_ideas_point_to_an_open_idea(seeded):
    for idea in Idea.objects.filter(status=Status.MERGED):
        assert idea.merged_into is not None
        assert idea.merged_into.status not in (Status.MERGED, Status.WITHDRAWN)


def test_history_is_real_and_logged_by_innovation_staff(seeded):
    innovation = get_user_model().objects.get(username="innovasjon")
    content_type = ContentType.objects.get_for_model(Idea)
    for idea in Idea.objects.exclude(status=Status.RECEIVED):
        logs = StateLog.objects.filter(content_type=content_type, object_id=idea.pk)
        assert logs.order_by("-timestamp", "-pk").first().state == idea.status
        assert all(log.by in (None, innovation) for log in logs)
        assert ModelLogEntry.objects.filter(
            content_type=content_type, object_id=str(idea.pk), action="ideabank.transition"
        ).exists()


def test_dates_are_spread_over_past_months_and_in_order(seeded):
    now = timezone.now()
    created = list(Idea.objects.values_list("created_at", flat=True))
    assert max(created) < now
    assert (max(created) - min(created)).days >= 30
    for idea in Idea.objects.all():
        timeline = selectors.timeline(idea)
        assert timeline[0].kind == "received"
        assert all(entry.at <= now for entry in timeline)
        if idea.published_at:
            assert idea.created_at <= idea.published_at <= now


def test_demo_ideas_fit_their_fields():
    titles = set()
    for item in demo.IDEAS:
        assert len(item.title) <= Idea._meta.get_field("title").max_length
        assert len(item.body) <= Idea._meta.get_field("body").max_length
        assert item.title not in titles
        titles.add(item.title)
        assert all(step.day < item.days_ago for step in item.steps)
        for step in item.steps:
            if step.action == "publish" and not step.checked:
                assert not privacy.find_personal_data(f"{item.title}\n{item.body}")


def test_refuses_on_a_production_site(settings):
    settings.HTTPS = True
    before = counts()
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", stdout=io.StringIO())
    assert counts() == before


@pytest.mark.parametrize("path", ["/", "/idebank/", "/idebank/send-inn/"])
def test_pages_answer_after_seeding(seeded, client, path):
    response = client.get(path)
    assert response.status_code == 200


def test_a_published_demo_idea_has_its_own_page(seeded, client):
    idea = Idea.objects.published().exclude(status=Status.WITHDRAWN).first()
    response = client.get(f"/idebank/{idea.pk}/")
    assert response.status_code == 200
    assert idea.title in response.content.decode()
