"""Communications start stories from flokes, editors approve them, senders hear of them."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.models import WorkflowPage

import pytest

from blt.choices import BenefitTerm, ExperimentStatus
from config import roles
from ideabank.choices import Status
from stories import services
from stories.models import StoryIndexPage, StoryNotice, StoryPage
from tests.admin import login, outcome
from tests.factories import (
    BenefitFactory,
    ExperimentFactory,
    FlokeFactory,
    IdeaFactory,
    KeyFigureFactory,
    ServiceAreaFactory,
    UserFactory,
    with_status,
)
from tests.stories.factories import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def editor(db):
    user = UserFactory(username="redaktor", first_name="Rita", last_name="Redaktør")
    user.groups.add(Group.objects.get(name=roles.EDITORS))
    return user


@pytest.fixture
def floke(db):
    area = ServiceAreaFactory(name="Helse og familie", slug="helse-og-familie")
    floke = FlokeFactory(
        title="Familiehjelpa",
        need_statement="Hvordan kan vi gjøre det lett for familier å finne riktig hjelp?",
        public_summary="Ett telefonnummer for familier som ikke vet hvor de skal ringe.",
        solution_what="En telefon som svarer og følger opp.",
        learnings="Én kontaktperson betyr mest.",
        service_areas=[area],
    )
    KeyFigureFactory(floke=floke, value=Decimal("35"), unit="", label="familier henvist")
    BenefitFactory(floke=floke, term=BenefitTerm.SHORT, planned="Raskere hjelp")
    BenefitFactory(floke=floke, term=BenefitTerm.LONG, planned="Færre saker i barnevernet")
    ExperimentFactory(
        floke=floke,
        status=ExperimentStatus.FINISHED,
        result="Færre telefoner i ring",
        learnings="Familiene vil ha svar samme dag.",
    )
    return floke


def block_types(story):
    return [child.block_type for child in story.body]


# Starting a story from a floke


def test_a_story_started_from_a_floke_is_a_prefilled_draft(site_tree, communications, floke):
    story = services.story_start_from_floke(floke=floke, by=communications)

    story = StoryPage.objects.get(pk=story.pk)
    assert (story.title, story.floke, story.live) == ("Familiehjelpa", floke, False)
    assert story.lead == floke.public_summary
    assert story.get_parent().specific_class is StoryIndexPage
    assert list(story.service_areas.all()) == list(floke.service_areas.all())
    assert {"key_figures", "benefits", "pipeline", "call_to_action"} <= set(block_types(story))
    text = str(story.body)
    assert "Hvordan kan vi gjøre det lett" in text
    assert "En telefon som svarer" in text
    assert "Familiene vil ha svar samme dag." in text and "Én kontaktperson" in text
    figures = next(child for child in story.body if child.block_type == "key_figures")
    assert figures.value["figures"][0]["value"] == "35"
    assert story.latest_revision.user == communications


def test_only_those_who_write_stories_may_start_one(site_tree, innovation, floke):
    with pytest.raises(services.StoryActionError):
        services.story_start_from_floke(floke=floke, by=innovation)

    assert not StoryPage.objects.exists()


def test_the_floke_page_offers_start_a_story_to_communications_only(
    client, site_tree, communications, innovation, floke
):
    start_url = reverse("stories_start", args=[floke.pk])

    comms_html = login(client, communications).get(reverse("flokes:inspect", args=[floke.pk]))
    staff_html = login(client, innovation).get(reverse("flokes:inspect", args=[floke.pk]))

    assert start_url in comms_html.content.decode()
    assert start_url not in staff_html.content.decode()


def test_start_a_story_asks_first_then_opens_the_editor(client, site_tree, communications, floke):
    login(client, communications)
    start_url = reverse("stories_start", args=[floke.pk])

    page = client.get(start_url)
    response = client.post(start_url)

    story = StoryPage.objects.get(floke=floke)
    assert page.status_code == 200 and not StoryPage.objects.filter(live=True).exists()
    assert response.url == reverse("wagtailadmin_pages:edit", args=[story.pk])


def test_start_a_story_refuses_those_who_may_not(client, site_tree, innovation, employee, floke):
    start_url = reverse("stories_start", args=[floke.pk])

    assert outcome(login(client, innovation).post(start_url)) == "denied"
    assert outcome(login(client, employee).post(start_url)) == "login"
    assert not StoryPage.objects.exists()


# Moderation


def test_stories_need_the_editors_approval(site_tree, communications, editor):
    story = make_story(title="Til godkjenning", live=False)
    revision = story.save_revision(user=communications)

    assert not story.permissions_for_user(communications).can_publish()
    assert story.permissions_for_user(editor).can_publish()
    workflow = story.get_workflow()
    assert workflow.name == roles.STORY_WORKFLOW

    state = workflow.start(story, communications)
    assert StoryPage.objects.get(pk=story.pk).live is False
    state.current_task_state.task.specific.on_action(state.current_task_state, editor, "approve")

    story = StoryPage.objects.get(pk=story.pk)
    assert story.live is True
    assert story.live_revision == revision


def test_the_story_workflow_is_set_up_once(site_tree):
    index = StoryIndexPage.objects.get()

    roles.ensure_story_desk(index)
    roles.ensure_story_desk(index)

    assert WorkflowPage.objects.filter(page=index).count() == 1
    assert WorkflowPage.objects.get(page=index).workflow.workflow_tasks.count() == 1


# Telling the senders


def linked_ideas(floke):
    consenting = IdeaFactory(email="kari@example.no", may_contact=True, language="nb")
    second = IdeaFactory(email="KARI@example.no", may_contact=True, language="nb")
    silent = IdeaFactory(email="ola@example.no", may_contact=False)
    for idea in (consenting, second, silent):
        with_status(idea, Status.ACCEPTED)
    floke.ideas.add(consenting, second, silent)
    return consenting


def test_publishing_a_linked_story_tells_each_consenting_sender_once(
    site_tree, floke, mailoutbox, django_capture_on_commit_callbacks
):
    linked_ideas(floke)
    story = make_story(title="Familiehjelpa er i gang", floke=floke)

    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()

    assert [mail.to for mail in mailoutbox] == [["kari@example.no"]]
    assert story.get_full_url() in mailoutbox[0].body
    assert StoryNotice.objects.get(story=story).floke == floke


def test_a_story_without_a_floke_tells_nobody(
    site_tree, floke, mailoutbox, django_capture_on_commit_callbacks
):
    linked_ideas(floke)
    story = make_story(title="Om idébanken")

    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()

    assert mailoutbox == []


# Preview and scheduled publishing


def test_a_draft_story_can_be_previewed_but_is_not_public(client, site_tree, communications):
    story = make_story(title="Forhåndsvisning", live=False)
    story.save_revision(user=communications)

    preview = login(client, communications).get(
        reverse("wagtailadmin_pages:view_draft", args=[story.pk])
    )

    assert preview.status_code == 200
    assert "Forhåndsvisning" in preview.content.decode()
    assert client.get(story.url).status_code == 404


def test_a_story_scheduled_for_later_goes_live_when_its_time_comes(site_tree, editor):
    story = make_story(title="Kommer snart", live=False)
    story.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = story.save_revision(user=editor)
    revision.publish(user=editor)
    assert StoryPage.objects.get(pk=story.pk).live is False

    # The hour passes: move the schedule back instead of waiting.
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.refresh_from_db()
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")

    assert StoryPage.objects.get(pk=story.pk).live is True


# Who may do what


def test_story_staff_write_stories_and_nothing_else(site_tree, communications, editor):
    index = StoryIndexPage.objects.get()
    home = site_tree.home

    assert index.permissions_for_user(communications).can_add_subpage()
    assert not home.permissions_for_user(communications).can_edit()
    assert not home.permissions_for_user(editor).can_publish()
    assert not site_tree.submit.permissions_for_user(communications).can_edit()


def test_story_staff_may_upload_and_choose_images(site_tree, communications):
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    permission_policy = policy_registry.get_by_type(get_image_model())
    assert permission_policy.user_has_permission(communications, "add")
    assert permission_policy.user_has_permission(communications, "choose")


def test_a_story_started_from_a_floke_takes_the_day_it_is_published(
    site_tree, communications, editor, floke
):
    story = services.story_start_from_floke(floke=floke, by=communications)
    assert story.date is None and story.published_on is None

    story.save_revision(user=editor).publish(user=editor)

    story = StoryPage.objects.get(pk=story.pk)
    assert story.published_on == timezone.localdate(story.first_published_at)


def test_a_story_behind_a_login_tells_nobody(
    site_tree, floke, mailoutbox, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    linked_ideas(floke)
    story = make_story(title="Bare for ansatte", floke=floke, live=False)
    PageViewRestriction.objects.create(page=story, restriction_type=PageViewRestriction.LOGIN)

    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()

    assert mailoutbox == []


def test_a_failed_send_is_tried_again(site_tree, floke, monkeypatch, mailoutbox, settings):
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    from stories import notifications, tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # Inside a test's transaction the worker must not close the connection.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    linked_ideas(floke)
    story = make_story(title="Prøver igjen", floke=floke)
    attempts = []
    send = notifications.send_story_published

    def down_once(story, idea_ids):
        attempts.append(story.pk)
        if len(attempts) == 1:
            raise ConnectionError("mail server down")
        return send(story, idea_ids)

    monkeypatch.setattr(notifications, "send_story_published", down_once)
    tasks.send_story_published.enqueue(story.pk)
    call_command("worker", batch=True, verbosity=0)
    # The story is claimed; the one address's own task failed and waits for its retry.
    assert StoryNotice.objects.filter(story=story).exists()
    assert mailoutbox == []

    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    call_command("worker", batch=True, verbosity=0)

    assert len(attempts) == 2
    assert len(mailoutbox) == 1
    assert StoryNotice.objects.filter(story=story).exists()
