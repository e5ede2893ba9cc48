"""The idea bank in the Wagtail admin: who may see and do what, and what they see."""

import csv
import io
import re

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import ModelLogEntry

import pytest
from django_fsm_log.models import StateLog
from openpyxl import load_workbook
from PIL import Image

from ideabank import services
from ideabank.choices import Source, Status
from ideabank.models import Answer, Assessment, Idea, IdeaPhoto
from ideabank.viewsets import IDEA_PANELS_HOOK, IdeaEditView
from tests.admin import login, messages_in, outcome
from tests.conftest import ROLES
from tests.factories import IdeaFactory, ServiceAreaFactory, with_status

pytestmark = pytest.mark.django_db

CONTACT = ("Ola Innsender", "ola@example.org", "912 34 567")
SCORES = {
    "user_need": "5",
    "management": "4",
    "own_effort": "3",
    "innovation": "4",
    "benefit": "5",
    "learning": "2",
}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def idea(db):
    return IdeaFactory(
        title="Bedre skilting ved skolen",
        service_areas=[ServiceAreaFactory(name="Oppvekst", slug="oppvekst")],
    )


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 60)).save(out, format="JPEG")
    return out.getvalue()


def add_photo(idea) -> IdeaPhoto:
    photo = IdeaPhoto(idea=idea, processed_at=timezone.now())
    photo.image.save("ide-photo-1.jpg", ContentFile(jpeg_bytes()), save=True)
    return photo


def url(name, *args, query=""):
    return reverse(f"ideas:{name}", args=args) + query


def transition_buttons(html: str, idea) -> set[str]:
    prefix = re.escape(url("transition", idea.pk, "x")[: -len("x/")])
    return set(re.findall(rf'action="{prefix}(\w+)/"', html))


def state_logs(idea):
    return StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Idea), object_id=idea.pk
    )


# The permission matrix: every URL of the viewset, every role.

READERS = {"innovation", "communications", "administrator"}
EDITORS = {"innovation", "administrator"}
ADMINISTRATORS = {"administrator"}

GET_URLS = {
    "index": (lambda idea: url("index"), READERS),
    "results": (lambda idea: url("index_results"), READERS),
    "inspect": (lambda idea: url("inspect", idea.pk), READERS),
    "export csv": (lambda idea: url("index", query="?export=csv"), READERS),
    "export xlsx": (lambda idea: url("index", query="?export=xlsx"), READERS),
    "photo": (lambda idea: url("photo", idea.pk, idea.photos.get().pk), READERS),
    "edit": (lambda idea: url("edit", idea.pk), EDITORS),
    "history": (lambda idea: url("history", idea.pk), EDITORS),
    "history results": (lambda idea: url("history_results", idea.pk), EDITORS),
    "usage": (lambda idea: url("usage", idea.pk), EDITORS),
    "delete": (lambda idea: url("delete", idea.pk), ADMINISTRATORS),
    "service areas": (lambda idea: reverse("service_areas:index"), EDITORS),
}


def expected(role, allowed):
    if role in ("anonymous", "employee"):
        return "login"  # employees send ideas, they have no admin access
    return "ok" if role in allowed else "denied"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", GET_URLS)
def test_permission_matrix_for_every_page(client, user_for_role, idea, role, view):
    add_photo(idea)
    address, allowed = GET_URLS[view]

    response = login(client, user_for_role(role)).get(address(idea))

    assert outcome(response) == expected(role, allowed)


ACTIONS = {
    "start review": (
        lambda idea: url("transition", idea.pk, "start_review"),
        {"transition-start_review-expected_status": Status.RECEIVED},
        lambda idea: Idea.objects.get(pk=idea.pk).status == Status.IN_REVIEW,
    ),
    "answer": (
        lambda idea: url("answer", idea.pk),
        {"answer-text": "Takk, vi ser på det."},
        lambda idea: Answer.objects.filter(idea=idea).exists(),
    ),
    "assess": (
        lambda idea: url("assess", idea.pk),
        {f"assessment-{key}": value for key, value in SCORES.items()},
        lambda idea: Assessment.objects.filter(idea=idea).exists(),
    ),
    "publish": (
        lambda idea: url("publish", idea.pk),
        {},
        lambda idea: Idea.objects.get(pk=idea.pk).is_published,
    ),
    "unpublish": (
        lambda idea: url("unpublish", idea.pk),
        {},
        lambda idea: not Idea.objects.get(pk=idea.pk).is_published,
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_permission_matrix_for_every_action(client, user_for_role, idea, role, action):
    if action == "unpublish":
        Idea.objects.filter(pk=idea.pk).update(is_published=True, published_at=timezone.now())
    address, data, done = ACTIONS[action]

    response = login(client, user_for_role(role)).post(address(idea), data)

    assert outcome(response) == expected(role, EDITORS)
    assert done(idea) is (role in EDITORS)
    if role in EDITORS:
        assert response.url == url("inspect", idea.pk)


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_for_deleting(client, user_for_role, idea, role):
    response = login(client, user_for_role(role)).post(url("delete", idea.pk))

    assert outcome(response) == expected(role, ADMINISTRATORS)
    assert Idea.objects.filter(pk=idea.pk).exists() is (role not in ADMINISTRATORS)


# Accepting is not among them: an idea is accepted only into a floke (below).
EDGES = [
    ("start_review", Status.RECEIVED, Status.IN_REVIEW),
    ("decline", Status.IN_REVIEW, Status.DECLINED),
    ("reopen", Status.DECLINED, Status.IN_REVIEW),
    ("merge", Status.IN_REVIEW, Status.MERGED),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "source", "target"), EDGES)
def test_permission_matrix_for_every_transition(
    client, user_for_role, idea, role, name, source, target
):
    idea = with_status(idea, source)
    other = IdeaFactory(reference="IDE-2026-0777")
    prefix = f"transition-{name}"
    data = {
        f"{prefix}-expected_status": source,
        f"{prefix}-description": "Vi har sett på dette.",
        f"{prefix}-into": other.reference,
    }

    response = login(client, user_for_role(role)).post(url("transition", idea.pk, name), data)

    assert outcome(response) == expected(role, EDITORS)
    idea.refresh_from_db()
    if role in EDITORS:
        assert response.url == url("inspect", idea.pk)
        assert idea.status == target
        assert state_logs(idea).get().by == user_for_role(role)
    else:
        assert idea.status == source
        assert not state_logs(idea).exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_plain_accept_is_refused_with_a_message(client, user_for_role, idea, role):
    idea = with_status(idea, Status.IN_REVIEW)

    response = login(client, user_for_role(role)).post(
        url("transition", idea.pk, "accept"),
        {
            "transition-accept-expected_status": Status.IN_REVIEW,
            "transition-accept-description": "Vi tar den videre.",
        },
    )

    if role in EDITORS:
        assert response.status_code == 200
        assert messages_in(response) == [
            "An idea is accepted only into a floke: take it into a new or an existing floke."
        ]
    else:
        assert outcome(response) == expected(role, EDITORS)
    idea.refresh_from_db()
    assert (idea.status, idea.floke) == (Status.IN_REVIEW, None)
    assert not state_logs(idea).exists()
    assert not ModelLogEntry.objects.for_instance(idea).filter(action="ideabank.transition")


def test_there_is_no_add_view(client, administrator):
    with pytest.raises(NoReverseMatch):
        reverse("ideas:add")
    assert login(client, administrator).get("/admin/ideas/new/").status_code == 404


def test_an_unknown_transition_is_not_found(client, innovation, idea):
    response = login(client, innovation).post(url("transition", idea.pk, "withdraw"), {})

    assert response.status_code == 404
    assert Idea.objects.get(pk=idea.pk).status == Status.RECEIVED


def test_an_action_url_opened_in_the_browser_leads_back_to_the_idea(client, innovation, idea):
    response = login(client, innovation).get(url("answer", idea.pk))

    assert response.status_code == 302
    assert response.url == url("inspect", idea.pk)


# The inspect view


@pytest.mark.parametrize("role", ["innovation", "administrator"])
def test_innovation_staff_and_administrators_see_contact_details(client, user_for_role, idea, role):
    html = login(client, user_for_role(role)).get(url("inspect", idea.pk)).content.decode()

    for value in CONTACT:
        assert value in html
    assert f'href="mailto:{CONTACT[1]}"' in html


def test_communications_do_not_see_contact_details(client, communications, idea):
    response = login(client, communications).get(url("inspect", idea.pk))
    html = response.content.decode()

    assert response.status_code == 200
    assert idea.title in html
    for value in CONTACT:
        assert value not in html
    assert "Only innovation staff see the sender's contact details." in html


def test_inspect_shows_the_idea_timeline_log_answers_and_assessments(
    client, innovation, administrator, idea
):
    add_photo(idea)
    services.idea_transition(
        idea=idea, name="start_review", by=administrator, description="Vi ser på den."
    )
    services.idea_answer(idea=idea, text="Skolen er med på dette.", by=innovation)
    services.idea_assess(
        idea=idea,
        assessor=administrator,
        scores={key: int(value) for key, value in SCORES.items()},
        comment="Lovende.",
    )
    administrator.first_name, administrator.last_name = "Ada", "Administrator"
    administrator.save()

    response = login(client, innovation).get(url("inspect", idea.pk))
    html = response.content.decode()

    assert response.status_code == 200
    assert idea.body in html
    assert "Oppvekst" in html
    assert url("photo", idea.pk, idea.photos.get().pk) in html
    assert "Photo 1 sent with the idea" in html
    # Public timeline and the internal log with who did it.
    assert "Vi ser på den." in html
    assert "Under review" in html
    assert "Ada Administrator" in html
    assert "Skolen er med på dette." in html
    assert "Lovende." in html
    assert '<td class="assessment-total">23</td>' in html
    assert url("history", idea.pk) in html


def test_text_from_the_public_is_escaped(client, innovation):
    idea = IdeaFactory(
        title="<b>Fet</b>", body="<script>alert(1)</script>\nAndre linje", name="<i>Ola</i>"
    )

    html = login(client, innovation).get(url("inspect", idea.pk)).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Andre linje" in html
    assert "<b>Fet</b>" not in html
    assert "<i>Ola</i>" not in html


def test_the_assessment_form_is_filled_with_your_own_assessment(client, innovation, idea):
    services.idea_assess(
        idea=idea, assessor=innovation, scores=dict.fromkeys(SCORES, 2), comment="Min vurdering"
    )

    response = login(client, innovation).get(url("inspect", idea.pk))

    form = response.context["assessment_form"]
    assert form.initial["user_need"] == 2
    assert form.initial["comment"] == "Min vurdering"


# Buttons: exactly the transitions this user may fire now.

BUTTONS = {
    Status.RECEIVED: {"start_review", "merge"},
    # Accepting needs a floke to join; only the pipeline's panel offers it.
    Status.IN_REVIEW: {"decline", "merge"},
    Status.ACCEPTED: set(),
    Status.DECLINED: {"reopen"},
    Status.MERGED: set(),
    Status.WITHDRAWN: set(),
}


@pytest.fixture
def idea_bank_alone(monkeypatch):
    """The idea bank as it works without other apps adding panels to the idea page."""
    get_hooks = hooks.get_hooks
    monkeypatch.setattr(
        hooks, "get_hooks", lambda name: [] if name == IDEA_PANELS_HOOK else get_hooks(name)
    )


@pytest.mark.parametrize("role", ["innovation", "communications", "administrator"])
@pytest.mark.parametrize("status", list(Status))
def test_buttons_are_exactly_the_transitions_allowed_now(
    client, user_for_role, idea, role, status, idea_bank_alone
):
    idea = with_status(idea, status)

    response = login(client, user_for_role(role)).get(url("inspect", idea.pk))

    allowed = BUTTONS[status] if role in EDITORS else set()
    assert transition_buttons(response.content.decode(), idea) == allowed
    assert {t["name"] for t in response.context["transitions"]} == allowed
    assert url("transition", idea.pk, "withdraw") not in response.content.decode()


class TakeForwardPanel(Component):
    replaces_transitions = {"accept"}

    def render_html(self, parent_context=None):
        return mark_safe("<p>Take forward elsewhere</p>")


def test_a_hook_can_add_a_panel_that_replaces_the_accept_form(client, innovation, idea):
    idea = with_status(idea, Status.IN_REVIEW)

    with hooks.register_temporarily(IDEA_PANELS_HOOK, lambda request, idea: TakeForwardPanel()):
        response = login(client, innovation).get(url("inspect", idea.pk))

    assert "<p>Take forward elsewhere</p>" in response.content.decode()
    assert transition_buttons(response.content.decode(), idea) == {"decline", "merge"}


def test_communications_get_no_action_forms(client, communications, idea):
    html = login(client, communications).get(url("inspect", idea.pk)).content.decode()

    for name in ("answer", "assess", "publish"):
        assert url(name, idea.pk) not in html


def test_the_merge_form_asks_for_a_reference_number(client, innovation, idea):
    html = login(client, innovation).get(url("inspect", idea.pk)).content.decode()

    assert 'name="transition-merge-into"' in html
    assert 'name="transition-start_review-into"' not in html
    assert '<label class="w-field__label" for="id_transition-merge-into"' in html


# Acting from the inspect view


def test_start_review_from_the_inspect_page(client, innovation, idea):
    response = login(client, innovation).post(
        url("transition", idea.pk, "start_review"),
        {
            "transition-start_review-expected_status": Status.RECEIVED,
            "transition-start_review-description": "Vi ser på den.",
        },
        follow=True,
    )

    assert f"{idea.reference} is now: under review." in messages_in(response)
    log = state_logs(idea).get()
    assert (log.by, log.description) == (innovation, "Vi ser på den.")


def test_a_stale_page_gives_a_conflict_message_not_an_error(client, innovation, idea):
    page = login(client, innovation).get(url("inspect", idea.pk))
    expected_status = page.context["transitions"][0]["form"]["expected_status"].value()
    services.idea_transition(idea=idea, name="start_review", by=innovation)  # someone else

    response = client.post(
        url("transition", idea.pk, "merge"),
        {
            "transition-merge-expected_status": expected_status,
            "transition-merge-into": IdeaFactory().reference,
        },
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain == [(url("inspect", idea.pk), 302)]
    [message] = messages_in(response)
    assert "Someone else changed this idea" in message
    assert "Reload the page" in message
    assert Idea.objects.get(pk=idea.pk).status == Status.IN_REVIEW
    assert state_logs(idea).count() == 1


def test_decline_without_an_answer_shows_why_and_keeps_the_page(client, innovation, idea):
    idea = with_status(idea, Status.IN_REVIEW)

    response = login(client, innovation).post(
        url("transition", idea.pk, "decline"),
        {"transition-decline-expected_status": Status.IN_REVIEW},
    )

    assert response.status_code == 200
    assert messages_in(response) == ["Write a public answer that says why."]
    assert Idea.objects.get(pk=idea.pk).status == Status.IN_REVIEW


def test_decline_with_an_answer(client, innovation, idea):
    idea = with_status(idea, Status.IN_REVIEW)

    response = login(client, innovation).post(
        url("transition", idea.pk, "decline"),
        {
            "transition-decline-expected_status": Status.IN_REVIEW,
            "transition-decline-description": "Dette gjør fylket.",
        },
    )

    assert response.status_code == 302
    assert Idea.objects.get(pk=idea.pk).status == Status.DECLINED


def test_merge_by_reference_number(client, innovation, idea):
    target = IdeaFactory(reference="IDE-2026-0500")

    response = login(client, innovation).post(
        url("transition", idea.pk, "merge"),
        {
            "transition-merge-expected_status": Status.RECEIVED,
            "transition-merge-into": "ide-2026-0500",
        },
    )

    assert response.status_code == 302
    idea.refresh_from_db()
    assert (idea.status, idea.merged_into) == (Status.MERGED, target)
    page = client.get(url("inspect", idea.pk)).content.decode()
    assert f'<a href="{url("inspect", target.pk)}">{target}</a>' in page


def test_merge_with_an_unknown_reference_keeps_what_was_typed(client, innovation, idea):
    response = login(client, innovation).post(
        url("transition", idea.pk, "merge"),
        {
            "transition-merge-expected_status": Status.RECEIVED,
            "transition-merge-into": "IDE-2026-9999",
            "transition-merge-description": "Samme som en annen.",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "No idea has the reference number IDE-2026-9999." in html
    assert "Samme som en annen." in html
    assert Idea.objects.get(pk=idea.pk).status == Status.RECEIVED


def test_merge_into_itself_is_refused_with_the_models_message(client, innovation, idea):
    response = login(client, innovation).post(
        url("transition", idea.pk, "merge"),
        {
            "transition-merge-expected_status": Status.RECEIVED,
            "transition-merge-into": idea.reference,
        },
    )

    assert response.status_code == 200
    assert messages_in(response) == ["Choose another idea to merge this one into."]


def test_answer_is_saved_and_mailed_after_commit(
    client, innovation, idea, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(client, innovation).post(
            url("answer", idea.pk), {"answer-text": "Vi tar den med til skolen."}
        )

    assert response.status_code == 302
    assert Answer.objects.get(idea=idea).created_by == innovation
    assert len(mailoutbox) == 1
    assert "Vi tar den med til skolen." in mailoutbox[0].body


def test_an_empty_answer_is_shown_again_with_the_error(client, innovation, idea):
    response = login(client, innovation).post(url("answer", idea.pk), {"answer-text": ""})

    assert response.status_code == 200
    assert response.context["answer_form"].errors["text"]
    assert not Answer.objects.exists()


def test_assessment_sets_the_score(client, innovation, idea):
    data = {f"assessment-{key}": value for key, value in SCORES.items()}

    response = login(client, innovation).post(
        url("assess", idea.pk), {**data, "assessment-comment": "God idé"}
    )

    assert response.status_code == 302
    assessment = Assessment.objects.get(idea=idea, assessor=innovation)
    assert (assessment.total, assessment.comment) == (23, "God idé")
    assert Idea.objects.get(pk=idea.pk).score == 23


def test_an_incomplete_assessment_keeps_what_was_chosen(client, innovation, idea):
    response = login(client, innovation).post(
        url("assess", idea.pk), {"assessment-user_need": "4", "assessment-benefit": "9"}
    )

    assert response.status_code == 200
    form = response.context["assessment_form"]
    assert form["user_need"].value() == "4"
    assert set(form.errors) == {"management", "own_effort", "innovation", "benefit", "learning"}
    assert not Assessment.objects.exists()


# Publishing


def test_publish(client, innovation, idea):
    response = login(client, innovation).post(url("publish", idea.pk), {}, follow=True)

    assert f"{idea.reference} is published in the idea bank." in messages_in(response)
    assert Idea.objects.get(pk=idea.pk).is_published


def test_publish_with_personal_data_warns_and_needs_confirmation(client, innovation):
    idea = IdeaFactory(body="Ring meg på 912 34 567 eller skriv til kari@example.org.")
    login(client, innovation)

    warned = client.post(url("publish", idea.pk), {})

    assert warned.status_code == 200
    html = warned.content.decode()
    assert "phone number: 912 34 567" in html
    assert "e-mail address: kari@example.org" in html
    assert 'name="publish-personal_data_checked"' in html
    assert "I have checked the text and it holds no personal data" in html
    assert not Idea.objects.get(pk=idea.pk).is_published

    confirmed = client.post(url("publish", idea.pk), {"publish-personal_data_checked": "on"})

    assert confirmed.status_code == 302
    assert Idea.objects.get(pk=idea.pk).is_published


def test_the_confirmation_box_is_only_shown_after_a_warning(client, innovation, idea):
    html = login(client, innovation).get(url("inspect", idea.pk)).content.decode()

    assert url("publish", idea.pk) in html
    assert "personal_data_checked" not in html


def test_publish_is_refused_when_the_sender_did_not_allow_it(client, innovation):
    idea = IdeaFactory(source=Source.RESIDENT, may_publish=False)
    login(client, innovation)

    page = client.get(url("inspect", idea.pk)).content.decode()
    response = client.post(url("publish", idea.pk), {})

    assert url("publish", idea.pk) not in page
    assert response.status_code == 200
    assert messages_in(response) == ["The sender has not allowed this idea to be published."]
    assert not Idea.objects.get(pk=idea.pk).is_published


def test_unpublish(client, innovation):
    idea = IdeaFactory(published=True)

    response = login(client, innovation).post(url("unpublish", idea.pk), {})

    assert response.status_code == 302
    assert not Idea.objects.get(pk=idea.pk).is_published
    assert ModelLogEntry.objects.for_instance(idea).filter(action="ideabank.unpublish").exists()


# Editing


def test_edit_changes_only_the_text(client, innovation, idea):
    other_area = ServiceAreaFactory(name="Helse", slug="helse")

    response = login(client, innovation).post(
        url("edit", idea.pk),
        {
            "title": "Bedre skilting ved Nordby skole",
            "body": "Rettet tekst.",
            "concerns": "Foreldre",
            "service_areas": [other_area.pk],
            # Not in the form, so ignored:
            "status": Status.ACCEPTED,
            "email": "angriper@example.org",
            "token": "x",
            "is_published": "on",
        },
    )

    assert response.status_code == 302
    assert response.url == url("inspect", idea.pk)
    fresh = Idea.objects.get(pk=idea.pk)
    assert (fresh.title, fresh.body, fresh.concerns) == (
        "Bedre skilting ved Nordby skole",
        "Rettet tekst.",
        "Foreldre",
    )
    assert list(fresh.service_areas.all()) == [other_area]
    assert (fresh.status, fresh.email, fresh.token, fresh.is_published) == (
        Status.RECEIVED,
        idea.email,
        idea.token,
        False,
    )
    assert ModelLogEntry.objects.for_instance(idea).filter(action="wagtail.edit").exists()
    # The search index follows the correction.
    found = client.get(url("index", query="?q=Nordby"))
    assert [found_idea.pk for found_idea in found.context["object_list"]] == [idea.pk]


def test_edit_during_a_status_change_asks_to_reload_and_keeps_the_text(
    client, innovation, idea, monkeypatch
):
    load = IdeaEditView.get_object

    def load_then_someone_else_acts(view, queryset=None):
        loaded = load(view, queryset)
        Idea.objects.filter(pk=idea.pk).update(status=Status.IN_REVIEW)
        return loaded

    monkeypatch.setattr(IdeaEditView, "get_object", load_then_someone_else_acts)

    response = login(client, innovation).post(
        url("edit", idea.pk), {"title": "Min rettede tittel", "body": idea.body}
    )

    assert response.status_code == 200
    assert "Someone else changed this idea" in messages_in(response)[0]
    assert "Min rettede tittel" in response.content.decode()
    assert Idea.objects.get(pk=idea.pk).title == idea.title


def test_the_edit_form_has_only_the_text_fields(client, innovation, idea):
    form = login(client, innovation).get(url("edit", idea.pk)).context["form"]

    assert set(form.fields) == {"title", "body", "concerns", "service_areas"}


def test_edit_keeps_a_score_written_meanwhile(client, innovation, idea):
    login(client, innovation)
    Idea.objects.filter(pk=idea.pk).update(score=12)

    client.post(url("edit", idea.pk), {"title": "Ny tittel", "body": idea.body})

    assert Idea.objects.get(pk=idea.pk).score == 12


# Photos


def test_photo_is_streamed_from_private_storage(client, communications, idea):
    photo = add_photo(idea)

    response = login(client, communications).get(url("photo", idea.pk, photo.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == photo.image.storage.open(photo.image.name).read()


def test_photo_must_belong_to_the_idea(client, innovation, idea):
    photo = add_photo(IdeaFactory())

    assert login(client, innovation).get(url("photo", idea.pk, photo.pk)).status_code == 404


def test_photo_is_kept_out_of_the_public_media_storage(idea):
    photo = add_photo(idea)

    assert photo.image.storage.exists(photo.image.name)
    assert not default_storage.exists(photo.image.name)


# The listing


def test_listing_shows_the_columns(client, innovation, idea):
    Idea.objects.filter(pk=idea.pk).update(score=17.5, is_published=True)

    response = login(client, innovation).get(url("index"))
    html = response.content.decode()

    assert response.status_code == 200
    for heading in ("Reference number", "Title", "Status", "Sent by", "Received", "Score"):
        assert heading in html
    assert idea.reference in html
    assert idea.title in html
    assert "17.50" in html
    assert url("inspect", idea.pk) in html
    for value in CONTACT:
        assert value not in html


def references(response) -> list[str]:
    return [idea.reference for idea in response.context["object_list"]]


@pytest.fixture
def listing(db):
    school = ServiceAreaFactory(name="Skole", slug="skole")
    health = ServiceAreaFactory(name="Helse", slug="helse")
    ideas = {
        "school": IdeaFactory(
            reference="IDE-2026-0001", title="Lys i skolegården", service_areas=[school]
        ),
        "health": IdeaFactory(
            reference="IDE-2026-0002",
            title="Kortere ventetid hos helsesykepleier",
            source=Source.EMPLOYEE,
            service_areas=[health],
        ),
        "both": IdeaFactory(
            reference="IDE-2026-0003",
            title="Skolehelsetjeneste i friminuttet",
            service_areas=[school, health],
            published=True,
        ),
    }
    with_status(ideas["health"], Status.IN_REVIEW)
    Idea.objects.filter(pk=ideas["school"].pk).update(
        created_at=timezone.now() - timezone.timedelta(days=40)
    )
    Idea.objects.filter(pk=ideas["both"].pk).update(score=20)
    Idea.objects.filter(pk=ideas["health"].pk).update(score=10)
    return {"school": school, "health": health, "ideas": ideas}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["IDE-2026-0003", "IDE-2026-0002", "IDE-2026-0001"]),
        ("?status=in_review", ["IDE-2026-0002"]),
        ("?source=employee", ["IDE-2026-0002"]),
        ("?source=resident", ["IDE-2026-0003", "IDE-2026-0001"]),
        ("?is_published=true", ["IDE-2026-0003"]),
        ("?ordering=-score", ["IDE-2026-0003", "IDE-2026-0002", "IDE-2026-0001"]),
        ("?ordering=score", ["IDE-2026-0002", "IDE-2026-0003", "IDE-2026-0001"]),
        ("?q=IDE-2026-0002", ["IDE-2026-0002"]),
        ("?q=ventetid", ["IDE-2026-0002"]),
    ],
)
def test_listing_filters_search_and_sorting(client, innovation, listing, query, expected):
    response = login(client, innovation).get(url("index", query=query))

    assert response.status_code == 200
    assert references(response) == expected


def test_listing_filters_by_service_area_without_duplicates(client, innovation, listing):
    query = f"?service_areas={listing['school'].pk}&service_areas={listing['health'].pk}"

    response = login(client, innovation).get(url("index", query=query))

    assert references(response) == ["IDE-2026-0003", "IDE-2026-0002", "IDE-2026-0001"]

    response = client.get(url("index", query=f"?service_areas={listing['school'].pk}"))
    assert references(response) == ["IDE-2026-0003", "IDE-2026-0001"]


def test_listing_filters_by_date_received(client, innovation, listing):
    since = (timezone.localdate() - timezone.timedelta(days=7)).isoformat()

    response = login(client, innovation).get(url("index", query=f"?created_at_from={since}"))

    assert references(response) == ["IDE-2026-0003", "IDE-2026-0002"]


def test_search_and_filter_together(client, innovation, listing):
    response = login(client, innovation).get(url("index", query="?q=skole&source=resident"))

    assert sorted(references(response)) == ["IDE-2026-0001", "IDE-2026-0003"]


# Exports


def test_csv_export_has_the_columns_and_no_contact_details(client, communications, listing):
    response = login(client, communications).get(url("index", query="?export=csv"))

    content = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0] == [
        "Reference number",
        "Title",
        "Status",
        "Service areas",
        "Source",
        "Received",
        "Score",
        "Supporters",
        "Published",
    ]
    by_reference = {row[0]: row for row in rows[1:]}
    assert by_reference["IDE-2026-0003"][2:5] == ["Received", "Helse, Skole", "Resident"]
    assert by_reference["IDE-2026-0003"][8] == "yes"
    assert by_reference["IDE-2026-0002"][2] == "Under review"
    for value in (*CONTACT, "@"):
        assert value not in content


def test_xlsx_export_has_no_contact_details(client, innovation, listing):
    response = login(client, innovation).get(url("index", query="?export=xlsx"))

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row]
    assert "IDE-2026-0001" in cells
    assert "Helse, Skole" in cells
    assert not [cell for cell in cells if "@" in cell or any(v in cell for v in CONTACT)]


def test_export_follows_the_filters(client, innovation, listing):
    response = login(client, innovation).get(url("index", query="?export=csv&status=in_review"))

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row[0] for row in rows[1:]] == ["IDE-2026-0002"]


# Query counts: a page never costs one query per idea.


def count_queries(client, address) -> int:
    # New rows may have changed what pages share (pagecache.shared): found again first.
    client.get(address)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


def make_ideas(count, areas):
    for _ in range(count):
        IdeaFactory(service_areas=areas)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?ordering=-score",
        "?q=skilting",
        "?status=received&source=resident",
        "?export=csv",
        "?export=xlsx",
    ],
)
def test_listing_query_count_does_not_grow_with_the_ideas(client, innovation, query):
    areas = [ServiceAreaFactory(), ServiceAreaFactory()]
    login(client, innovation)
    make_ideas(5, areas)
    few = count_queries(client, url("index", query=query))

    make_ideas(195, areas)
    many = count_queries(client, url("index", query=query))

    assert few == many
    assert many <= 15


# Admin furniture


def test_menu_has_the_idea_bank_group(client, innovation):
    html = login(client, innovation).get(reverse("wagtailadmin_home")).content.decode()

    assert "Idea bank" in html
    assert url("index") in html
    assert reverse("service_areas:index") in html


def test_history_shows_readable_log_entries(client, innovation, idea):
    services.idea_transition(
        idea=idea, name="start_review", by=innovation, description="Vi ser på den."
    )

    html = login(client, innovation).get(url("history", idea.pk)).content.decode()

    assert "Status changed from received to under review" in html


def test_service_areas_are_an_editable_list(client, innovation):
    response = login(client, innovation).post(
        reverse("service_areas:add"), {"name": "Kultur", "slug": "kultur", "sort_order": "3"}
    )

    assert response.status_code == 302
    assert reverse("service_areas:index") in response.url


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("employee", False),
        ("innovation", False),
        ("communications", False),
        ("administrator", True),
    ],
)
def test_only_administrators_set_which_service_an_employee_works_in(
    client, user_for_role, employee, role, allowed
):
    from ideabank.models import EmployeeProfile

    area = ServiceAreaFactory(name="NAV", slug="nav")
    client.force_login(user_for_role(role))
    response = client.post(
        reverse("employee_profiles:add"), {"user": employee.pk, "service_area": area.pk}
    )
    assert EmployeeProfile.objects.filter(user=employee, service_area=area).exists() is allowed
    if not allowed:
        assert response.status_code in (302, 403)
