"""The demo content that `make run` seeds: complete, realistic and created only once."""

import io
import itertools

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.models import ModelLogEntry, Page, PageLogEntry, Revision, Site

import pytest
from django_fsm_log.models import StateLog
from PIL import Image as PillowImage

from blt import selectors as blt_selectors
from blt.choices import BenefitTerm, ExperimentStatus, Phase
from blt.models import (
    Benefit,
    CoCreation,
    Experiment,
    Floke,
    FlokeStep,
    Insight,
    KeyFigure,
    TeamMember,
)
from config import demo, demo_pipeline, demo_stories, roles
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
from stories.models import StoryPage

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    """One media folder for the module: the demo images are drawn once, read by every test."""
    return {
        **django_settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path_factory.mktemp("demo-media")},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _demo_media(settings, demo_media):
    # After the suite's own settings fixture, which gives each test a fresh media folder.
    settings.STORAGES = demo_media


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, demo_media):
    """Seed once for the whole module, inside a transaction that is rolled back after it.

    Each test runs in its own savepoint inside it, as usual, so none can change what
    the next one sees.
    """
    fast_hasher = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=fast_hasher, STORAGES=demo_media),
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
        Floke,
        FlokeStep,
        Insight,
        CoCreation,
        Experiment,
        Benefit,
        KeyFigure,
        TeamMember,
        StoryPage,
        Revision,
        PageLogEntry,
        get_image_model(),
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


# The pipeline: demo flokes


def floke(title: str) -> Floke:
    return Floke.objects.get(title=title)


def test_seeding_twice_keeps_flokes_and_stories(seeded):
    flokes = len(demo_pipeline.FLOKES)
    assert f"{flokes} new flokes ({flokes} in all)" in seeded
    assert "4 new stories (4 in all)" in seeded
    output = seed()
    assert f"0 new flokes ({flokes} in all), 0 new stories (4 in all), 0 new images" in output


def test_every_phase_has_a_demo_floke(seeded):
    assert set(Floke.objects.values_list("phase", flat=True)) == set(Phase.values)


@pytest.mark.parametrize("spec", demo_pipeline.FLOKES, ids=lambda spec: spec.title)
def test_each_demo_floke_ends_where_its_story_does(seeded, spec):
    assert floke(spec.title).phase == spec.phase


@pytest.mark.parametrize("spec", demo_pipeline.FLOKES, ids=lambda spec: spec.title)
def test_phase_history_is_real_logged_and_public(seeded, spec):
    item = floke(spec.title)
    innovation = get_user_model().objects.get(username="innovasjon")
    content_type = ContentType.objects.get_for_model(Floke)
    logs = list(
        StateLog.objects.filter(content_type=content_type, object_id=item.pk).order_by(
            "timestamp", "pk"
        )
    )
    steps = list(item.public_steps.all())
    assert len(logs) == len(steps)
    assert [log.state for log in logs] == [step.target for step in steps]
    assert all(log.by == innovation for log in logs)
    assert ModelLogEntry.objects.filter(
        content_type=content_type, object_id=str(item.pk), action="blt.transition"
    ).count() == len(steps)
    assert all(step.public_reason.strip() for step in steps)
    now = timezone.now()
    times = [item.created_at, *(step.at for step in steps)]
    assert times == sorted(times)
    assert max(times) < now
    if steps:
        assert item.phase == steps[-1].target
        assert item.phase_changed_at == steps[-1].at
    else:
        assert item.phase_changed_at == item.created_at


def test_phases_took_time(seeded):
    # Early in a year the demo history is squeezed into at least 45 days (DemoClock).
    now = timezone.now()
    implemented = floke(demo_pipeline.FAMILIEHJELPA)
    assert (now - implemented.created_at).days >= 40
    assert (now - implemented.phase_changed_at).days >= 7
    for item in Floke.objects.exclude(phase=Phase.BEHOV):
        days = [step.at for step in item.public_steps.all()]
        assert all((later - earlier).days >= 1 for earlier, later in itertools.pairwise(days))


def test_one_floke_in_behov_is_stuck_and_one_is_fresh(seeded):
    now = timezone.now()
    days = django_settings.BLT_STUCK_DAYS
    stuck = list(blt_selectors.stuck_flokes(days=days, now=now))
    assert [item.title for item in stuck] == [demo_pipeline.ELDRE]
    assert stuck[0].phase == Phase.BEHOV
    behov = Floke.objects.filter(phase=Phase.BEHOV)
    assert behov.count() >= 2


def test_accepted_ideas_joined_their_floke_through_the_service(seeded):
    content_type = ContentType.objects.get_for_model(Floke)
    linked = Idea.objects.filter(floke__isnull=False)
    assert linked.count() >= 8
    for idea in linked:
        assert idea.status == Status.ACCEPTED
        assert ModelLogEntry.objects.filter(
            content_type=content_type,
            object_id=str(idea.floke_id),
            action="blt.idea_joined",
            data__idea=idea.pk,
        ).exists()
    many = [item for item in Floke.objects.all() if item.ideas.count() >= 2]
    assert len(many) >= 3


def test_familiehjelpa_came_from_the_cohort_and_was_tested_before_it_was_implemented(seeded):
    item = floke(demo_pipeline.FAMILIEHJELPA)
    assert item.phase == Phase.IMPLEMENTED
    assert item.team_members.count() >= 4
    assert all("innovasjonsskolen" in member.role for member in item.team_members.all())
    assert item.insights.filter(kind="interview").exists()
    test = item.experiments.get()
    assert test.status == ExperimentStatus.FINISHED
    assert "fire uker" in test.title and test.start < test.end
    assert "sjekk-inn" in test.method and "sjekk-ut" in test.method
    assert test.result and test.learnings
    assert item.decision_note and item.learnings and item.public_summary
    figures = {(int(figure.value), figure.unit) for figure in item.key_figures.all()}
    assert {(35, "familier"), (7, "tjenester")} <= figures
    assert set(item.benefits.values_list("term", flat=True)) == set(BenefitTerm.values)
    assert item.benefits.exclude(realised_value="").exists()


def test_family_pilot_is_testing_with_a_running_and_a_finished_experiment(seeded):
    item = floke(demo_pipeline.FAMILIELOS)
    statuses = set(item.experiments.values_list("status", flat=True))
    assert {ExperimentStatus.RUNNING, ExperimentStatus.FINISHED} <= statuses
    # It went back to solution once after the first test, and then tested again.
    assert [step.target for step in item.public_steps.all()] == [
        Phase.LOSNING,
        Phase.TESTING,
        Phase.LOSNING,
        Phase.TESTING,
    ]


def test_service_support_is_in_solution_with_a_concept_and_co_creation(seeded):
    item = floke(demo_pipeline.TJENESTESTOTTE)
    assert item.phase == Phase.LOSNING
    assert item.solution_what and item.solution_for_whom and item.solution_difference
    assert item.co_creations.count() >= 2
    assert item.experiments.filter(status=ExperimentStatus.PLANNED).exists()


def test_stopped_flokes_say_why_and_what_was_learned(seeded):
    stopped = Floke.objects.filter(phase=Phase.STOPPED)
    assert stopped.exists()
    for item in stopped:
        assert item.stop_reason.strip()
        assert item.learnings.strip()
        assert item.public_steps.last().public_reason.strip()


def test_demo_floke_events_are_listed_oldest_first():
    for spec in demo_pipeline.FLOKES:
        days = [event.day for event in spec.events]
        assert days == sorted(days, reverse=True), spec.title
        assert spec.created >= days[0], spec.title
        assert len(spec.title) <= Floke._meta.get_field("title").max_length


# Stories


STORY_PHASES = {
    "familiehjelpa": Phase.IMPLEMENTED,
    "familielosen": Phase.TESTING,
    "samtaler-uten-henvisning": Phase.LOSNING,
    "hvorfor-vi-stoppet-timebestillingen": Phase.STOPPED,
}


def test_four_published_stories_each_tied_to_a_floke_in_the_phase_it_tells(seeded):
    stories = StoryPage.objects.live().public()
    assert {story.slug: story.floke.phase for story in stories} == STORY_PHASES
    for story in stories:
        assert story.get_parent().slug == "historier"


@pytest.mark.parametrize("slug", STORY_PHASES)
def test_each_story_is_complete(seeded, slug):
    story = StoryPage.objects.get(slug=slug)
    assert story.lead and story.byline
    assert story.hero_image is not None and story.hero_alt_text and story.hero_credit
    assert story.service_areas.exists()
    assert story.tags.exists()
    used = {child.block_type for child in story.body}
    assert used == set(story.body.stream_block.child_blocks)
    for child in story.body:
        if child.block_type == "quote":
            assert child.value["person"] and child.value["role"]
        if child.block_type == "image":
            assert child.value["alt_text"] and child.value["caption"] and child.value["credit"]
        if child.block_type == "pipeline":
            assert child.value["floke"] is not None
            assert child.value["floke"] != story.floke  # the page shows its own floke already
    # What an editor saving the page in the admin would be held to.
    story.body.stream_block.clean(story.body)
    story.full_clean()


def test_stories_are_written_by_communications_and_published_through_revisions(seeded):
    writer = get_user_model().objects.get(username="kommunikasjon")
    for story in StoryPage.objects.all():
        assert story.live and story.live_revision is not None
        assert story.live_revision.user == writer
        assert story.owner == writer
        assert PageLogEntry.objects.filter(page=story, action="wagtail.publish").exists()
        assert story.first_published_at < timezone.now()
        assert story.date == timezone.localdate(story.first_published_at)


@pytest.mark.parametrize("slug", STORY_PHASES)
def test_each_story_renders(seeded, client, slug):
    story = StoryPage.objects.get(slug=slug)
    response = client.get(story.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert story.hero_alt_text in html
    assert story.floke.title in html


def test_story_index_lists_the_stories(seeded, client):
    response = client.get("/historier/")
    assert response.status_code == 200
    for story in StoryPage.objects.all():
        assert story.title in response.content.decode()


def test_demo_images_are_drawn_here_the_same_every_time():
    item = next(iter(demo_stories.IMAGES.values()))
    first = demo_stories.draw(item)
    assert first == demo_stories.draw(item)
    picture = PillowImage.open(io.BytesIO(first))
    assert (picture.format, picture.size) == ("JPEG", demo_stories.IMAGE_SIZE)


def test_demo_images_are_reused_by_title(seeded):
    titles = [item.title for item in demo_stories.IMAGES.values()]
    assert get_image_model().objects.filter(title__in=titles).count() == len(titles)
