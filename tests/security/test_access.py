"""Every admin address, and every private address on the public site, turns away who has
no business there.

The admin addresses come from the URL resolver, so a view added later is covered from
the day it exists: it is taken to be for administrators only until POLICY says who else
may use it, and a URL argument nobody filled in here fails the test by name.
"""

import io
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from django.utils import timezone

from wagtail.admin.models import EditingSession
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    Page,
    Site,
    UploadedFile,
    Workflow,
)

import pytest
from PIL import Image

from blt import services as blt_services
from config import roles
from ideabank import services as idea_services
from ideabank.choices import Status
from ideabank.models import EmployeeProfile, Idea, IdeaPhoto
from tests.admin import login
from tests.factories import (
    FlokeFactory,
    IdeaFactory,
    InsightFactory,
    ServiceAreaFactory,
    UserFactory,
    with_status,
)
from tests.stories.factories import make_image, make_story

pytestmark = pytest.mark.django_db

STAFF = frozenset({"innovation", "communications", "administrator"})
INNOVATION = frozenset({"innovation", "administrator"})
STORY_STAFF = frozenset({"communications", "administrator"})
ADMINISTRATOR = frozenset({"administrator"})

# Who may use each admin address besides administrators. A name ending in ":" covers a
# namespace; an exact name wins over its namespace. Everything else: administrators only.
POLICY = {
    # The admin itself, for everyone who works in it.
    "wagtailadmin_home": STAFF,
    "wagtailadmin_account": STAFF,
    "wagtailadmin_dismissibles": STAFF,
    "wagtailadmin_block_preview": STAFF,
    "wagtailadmin_editing_sessions:": STAFF,
    "wagtailadmin_tag_autocomplete": STAFF,
    "wagtailadmin_tag_model_autocomplete": STAFF,
    "wagtailadmin_choose_page": STAFF,
    "wagtailadmin_choose_page_child": STAFF,
    "wagtailadmin_choose_page_search": STAFF,
    "wagtailadmin_choose_page_chosen_multiple": STAFF,
    "wagtailadmin_choose_page_external_link": STAFF,
    "wagtailadmin_choose_page_email_link": STAFF,
    "wagtailadmin_choose_page_phone_link": STAFF,
    "wagtailadmin_choose_page_anchor_link": STAFF,
    "two_step:": STAFF,
    # Wagtail lets anyone in the admin read the page tree, images and documents through
    # its admin API and choosers, choose embeds, see which workflow a page is in and the
    # site history (filtered to what they may see). Acting on an object is checked per
    # object: choosing an image, moving a page (the confirm page only shows titles).
    "wagtailadmin_api:": STAFF,
    "wagtailadmin_api:pages:detail": STORY_STAFF,
    "wagtailadmin_api:pages:find": STORY_STAFF,
    "wagtailadmin_api:pages:action": STORY_STAFF,
    "wagtailimages_chooser:choose": STAFF,
    "wagtailimages_chooser:choose_results": STAFF,
    "wagtailimages_chooser:chosen_multiple": STAFF,
    "wagtaildocs_chooser:choose": STAFF,
    "wagtaildocs_chooser:choose_results": STAFF,
    "wagtaildocs_chooser:chosen_multiple": STAFF,
    "wagtailembeds:": STAFF,
    "wagtailadmin_pages:choose_parent": STAFF,
    "wagtailadmin_pages:move_confirm": STAFF,
    "wagtailadmin_pages:confirm_workflow_cancellation": STAFF,
    "wagtailadmin_workflows:task_chooser": STAFF,
    "wagtailadmin_workflows:task_chooser_results": STAFF,
    # Creating a task from the chooser needs add_task; without it Wagtail answers 400.
    "wagtailadmin_workflows:task_chooser_create": STAFF,
    "wagtailadmin_workflows:task_chosen": STAFF,
    "wagtailadmin_reports:site_history": STAFF,
    "wagtailadmin_reports:site_history_results": STAFF,
    # Bulk actions list each chosen item the user may not act on as refused; see
    # test_bulk_actions_leave_pages_the_user_may_not_delete.
    "wagtail_bulk_action": STAFF,
    # Ideas: innovation staff triage them, communications read them for stories.
    "ideas:": INNOVATION,
    "ideas:index": STAFF,
    "ideas:index_results": STAFF,
    "ideas:inspect": STAFF,
    "ideas:photo": STAFF,
    "ideas:delete": ADMINISTRATOR,
    "service_areas:": INNOVATION,
    # Flokes: innovation staff run them, communications read them.
    "flokes:": INNOVATION,
    "flokes:index": STAFF,
    "flokes:index_results": STAFF,
    "flokes:inspect": STAFF,
    "flokes:delete": ADMINISTRATOR,
    "blt_board:": STAFF,
    "blt_board:move": INNOVATION,
    # Stories: communications write them, with images and documents, under the story index.
    "stories_start": STORY_STAFF,
    # Wagtail counts deleting an image or a document as editing it. Floke attachments are
    # the exception: test_floke_attachments_are_changed_only_on_the_floke.
    "wagtailimages:": STORY_STAFF,
    "wagtailimages_chooser:": STORY_STAFF,
    "wagtaildocs:": STORY_STAFF,
    "wagtaildocs_chooser:": STORY_STAFF,
    "wagtailadmin_pages:edit": STORY_STAFF,
    "wagtailadmin_pages:copy": STORY_STAFF,
    "wagtailadmin_pages:preview_on_edit": STORY_STAFF,
    "wagtailadmin_pages:view_draft": STORY_STAFF,
    "wagtailadmin_pages:add": STORY_STAFF,
    "wagtailadmin_pages:preview_on_add": STORY_STAFF,
    "wagtailadmin_pages:add_subpage": STORY_STAFF,
    "wagtailadmin_pages:history": STORY_STAFF,
    "wagtailadmin_pages:history_results": STORY_STAFF,
    "wagtailadmin_pages:revisions_index": STORY_STAFF,
    "wagtailadmin_pages:revisions_view": STORY_STAFF,
    "wagtailadmin_pages:revisions_compare": STORY_STAFF,
    "wagtailadmin_pages:revisions_revert": STORY_STAFF,
    "wagtailadmin_pages:workflow_history": STORY_STAFF,
    "wagtailadmin_pages:workflow_history_detail": STORY_STAFF,
    "wagtailadmin_pages:usage": STORY_STAFF,
    "wagtailadmin_pages:lock": STORY_STAFF,
    "wagtailadmin_pages:unlock": STORY_STAFF,
    "wagtailadmin_pages:convert_alias": STORY_STAFF,
    "wagtailadmin_pages:type_use": STORY_STAFF,
    "wagtailadmin_pages:type_use_results": STORY_STAFF,
    # Reports on pages, for those who work on pages.
    "wagtailadmin_reports:workflow": STORY_STAFF,
    "wagtailadmin_reports:workflow_results": STORY_STAFF,
    "wagtailadmin_reports:workflow_tasks": STORY_STAFF,
    "wagtailadmin_reports:workflow_tasks_results": STORY_STAFF,
    "wagtailadmin_reports:aging_pages": STORY_STAFF,
    "wagtailadmin_reports:aging_pages_results": STORY_STAFF,
    "wagtailadmin_reports:page_types_usage": STORY_STAFF,
    "wagtailadmin_reports:page_types_usage_results": STORY_STAFF,
    "wagtailforms:index": STORY_STAFF,
    "wagtailforms:index_results": STORY_STAFF,
    "wagtailadmin_explore": STORY_STAFF,
    "wagtailadmin_explore_results": STORY_STAFF,
    "wagtailadmin_explore_root": STORY_STAFF,
    "wagtailadmin_pages:search": STORY_STAFF,
    "wagtailadmin_pages:search_results": STORY_STAFF,
}

# Open to anyone: signing in and out, resetting a password, the admin's icons and texts.
PUBLIC = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
}
# Wagtail's "failwhale" raises on purpose, to test error reporting.
DELIBERATE_ERRORS = {"wagtailadmin_error_test"}
# Wagtail's own unnamed routes: its 404 test page and the admin's catch-all.
UNNAMED = {"admin/test404/", "admin/^.*/$"}
# Nothing to open here, for anyone, in this project.
NOTHING_TO_OPEN = {
    # No form pages.
    "wagtailforms:list_submissions",
    "wagtailforms:list_submissions_results",
    "wagtailforms:delete_submissions",
    # No snippet models, no previewable settings, no dynamic image serve view.
    "wagtailsnippets:index",
    "wagtailsettings:preview_on_edit",
    "wagtailimages:url_generator",
    "wagtailimages:url_generator_output",
    # Previews a block named in the query string, by the editor's JavaScript.
    "wagtailadmin_block_preview",
}


def allowed_roles(name: str) -> frozenset:
    if name in POLICY:
        return POLICY[name]
    for scope in scopes(name)[1:]:
        if f"{scope}:" in POLICY:
            return POLICY[f"{scope}:"]
    return ADMINISTRATOR


def walk(patterns, route="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from walk(entry.url_patterns, route + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = ":".join(filter(None, [namespace, entry.name])) if entry.name else None
            yield route + str(entry.pattern), name, entry


def url_arguments(entry: URLPattern) -> list[str]:
    if isinstance(entry.pattern, RoutePattern):
        return list(entry.pattern.converters)
    return list(entry.pattern.regex.groupindex)


def admin_routes():
    """(route, name, argument names) of every URL pattern under /admin/."""
    prefix = reverse("wagtailadmin_home").lstrip("/")
    return [
        (route, name, url_arguments(entry))
        for route, name, entry in walk(get_resolver().url_patterns)
        if route.startswith(prefix)
    ]


# A real object behind every URL argument


def jpeg_file(name="bilde.jpg"):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 60)).save(out, format="JPEG")
    return ContentFile(out.getvalue(), name=name)


@pytest.fixture
def world(site_tree, innovation, communications, employee, administrator):
    """One of everything an admin address can point at."""
    area = ServiceAreaFactory(name="Oppvekst", slug="oppvekst")
    idea = with_status(IdeaFactory(service_areas=[area]), Status.IN_REVIEW)
    photo = IdeaPhoto(idea=idea, width=40, height=30, processed_at=timezone.now())
    photo.image.save("ide-1.jpg", jpeg_file(), save=True)
    floke = FlokeFactory(owner=innovation, service_areas=[area])
    insight = InsightFactory(floke=floke)
    attachment = blt_services.floke_add_attachment(
        floke=floke,
        by=innovation,
        title="Intern rapport",
        file=SimpleUploadedFile("rapport.pdf", b"%PDF-1.4\n"),
    )
    story = make_story()
    revision = story.save_revision(user=communications)
    workflow_state = Workflow.objects.get(name=roles.STORY_WORKFLOW).start(story, communications)
    image = make_image()
    document = get_document_model().objects.create(
        title="Årsrapport", file=ContentFile(b"%PDF-1.4\n", name="arsrapport.pdf")
    )
    content_types = ContentType.objects.get_for_models(get_document_model(), type(image), Page)
    return SimpleNamespace(
        area=area,
        idea=idea,
        photo=photo,
        floke=floke,
        insight=insight,
        attachment=attachment,
        story=story,
        alias=story.create_alias(update_slug="samme-historie"),
        story_index=site_tree.story_index,
        revision=revision,
        workflow=workflow_state.workflow,
        workflow_state=workflow_state,
        task_state=workflow_state.current_task_state,
        task=GroupApprovalTask.objects.get(name=roles.STORY_TASK),
        image=image,
        document=document,
        uploaded_image=UploadedFile.objects.create(
            for_content_type=content_types[type(image)], file=jpeg_file(), uploaded_by_user=None
        ),
        uploaded_document=UploadedFile.objects.create(
            for_content_type=content_types[get_document_model()],
            file=ContentFile(b"%PDF-1.4\n", name="opplastet.pdf"),
            uploaded_by_user=None,
        ),
        collection=Collection.objects.get(name="BLT"),
        redirect=Redirect.objects.create(old_path="/gammel-side", redirect_link="/"),
        site=Site.objects.get(is_default_site=True),
        user=employee,
        group=Group.objects.get(name=roles.EMPLOYEE),
        profile=EmployeeProfile.objects.create(user=employee, service_area=area),
        editing_session=EditingSession.objects.create(
            user=administrator,
            content_type=content_types[Page],
            object_id=str(story.pk),
            last_seen_at=timezone.now(),
        ),
    )


def argument_values(w) -> dict[str, dict[str, object]]:
    """What to put in each URL argument: by URL name, by namespace, or by argument name."""
    return {
        "*": {
            "page_id": w.story.pk,
            "parent_page_id": w.story_index.pk,
            "page_to_move_id": w.story.pk,
            "destination_id": w.story_index.pk,
            "revision_id": w.revision.pk,
            "revision_id_a": "earliest",
            "revision_id_b": "latest",
            "task_state_id": w.task_state.pk,
            "action_name": "approve",
            "task_id": w.task.pk,
            "workflow_state_id": w.workflow_state.pk,
            "page_pk": w.story_index.pk,
            "workflow_pk": w.workflow.pk,
            "collection_id": w.collection.pk,
            "image_id": w.image.pk,
            "document_id": w.document.pk,
            "doc_id": w.document.pk,
            "filter_spec": "fill-80x80",
            "redirect_id": w.redirect.pk,
            "floke_pk": w.floke.pk,
            "idea_pk": w.idea.pk,
            "photo_pk": w.photo.pk,
            "kind": "insight",
            "record_pk": w.insight.pk,
            "session_id": w.editing_session.pk,
            "object_id": str(w.story.pk),
            "content_type_app_name": "stories",
            "content_type_model_name": "storypage",
            "app_label": "stories",
            "app_name": "stories",
            "model_name": "storypage",
        },
        "ideas": {"pk": w.idea.pk, "name": "start_review"},
        "flokes": {"pk": w.floke.pk, "name": "to_losning"},
        "blt_board": {"pk": w.floke.pk, "name": "to_losning"},
        "service_areas": {"pk": w.area.pk},
        "employee_profiles": {"pk": w.profile.pk},
        "wagtailusers_users": {"pk": w.user.pk},
        "wagtailusers_groups": {"pk": w.group.pk},
        "wagtailsites": {"pk": w.site.pk},
        "wagtailadmin_collections": {"pk": w.collection.pk},
        "wagtailadmin_workflows": {
            "pk": w.workflow.pk,
            "app_label": "wagtailcore",
            "model_name": "groupapprovaltask",
        },
        "wagtailadmin_workflows:edit_task": {"pk": w.task.pk},
        "wagtailadmin_workflows:disable_task": {"pk": w.task.pk},
        "wagtailadmin_workflows:enable_task": {"pk": w.task.pk},
        "wagtailadmin_pages": {"pk": w.story.pk},
        "wagtailadmin_pages:convert_alias": {"page_id": w.alias.pk},
        "wagtailadmin_api:pages": {"pk": w.story.pk, "action_name": "copy"},
        "wagtailadmin_api:images": {"pk": w.image.pk},
        "wagtailadmin_api:documents": {"pk": w.document.pk},
        "wagtailimages": {"uploaded_file_id": w.uploaded_image.pk},
        "wagtailimages_chooser": {"pk": w.image.pk},
        "wagtaildocs": {"uploaded_file_id": w.uploaded_document.pk},
        "wagtaildocs_chooser": {"pk": w.document.pk},
        "wagtailsettings": {"app_name": "stories", "model_name": "sitelinks", "pk": w.site.pk},
        "wagtailadmin_editing_sessions": {"app_label": "wagtailcore", "model_name": "page"},
        "wagtail_bulk_action": {
            "app_label": "wagtailcore",
            "model_name": "page",
            "action": "delete",
        },
        "wagtailadmin_tag_model_autocomplete": {"app_name": "taggit", "model_name": "tag"},
    }


def scopes(name: str) -> list[str]:
    """The URL name, then each namespace around it, innermost first."""
    found = [name]
    while ":" in name:
        name = name.rpartition(":")[0]
        found.append(name)
    return found


def fill(name: str, arguments: list[str], values) -> dict:
    kwargs = {}
    for argument in arguments:
        for scope in [*scopes(name), "*"]:
            if argument in values.get(scope, {}):
                kwargs[argument] = values[scope][argument]
                break
        else:
            raise LookupError(
                f"Nothing to fill in for `{argument}` in the admin URL {name!r}: add a value "
                f"to argument_values() in {__name__}."
            )
    return kwargs


def admin_addresses(w):
    """(name, path, who may use it) for every admin address, with real objects in it."""
    values = argument_values(w)
    queries = {
        "wagtail_bulk_action": f"id={w.story.pk}",
        "wagtailadmin_api:pages:find": f"id={w.story.pk}",
        "wagtailadmin_api:images:find": f"id={w.image.pk}",
        "wagtailadmin_api:documents:find": f"id={w.document.pk}",
    }
    addresses = []
    for route, name, arguments in admin_routes():
        if name is None:
            assert route in UNNAMED, f"Give the admin URL {route!r} a name to cover it here."
            continue
        if name in PUBLIC or name in DELIBERATE_ERRORS:
            continue
        path = reverse(name, kwargs=fill(name, arguments, values))
        if name in queries:
            path += "?" + queries[name]
        addresses.append((name, path, allowed_roles(name)))
    return addresses


# What came back


def forget_messages(client):
    """Messages wait for the next page that shows them; only this request's count."""
    client.cookies.pop("messages", None)
    session = client.session
    if session.pop("_messages", None) is not None:
        session.save()


def answer(client, method: str, path: str):
    """The response, after following redirects to other admin pages (not to signing in)."""
    forget_messages(client)
    response = getattr(client, method)(path)
    for _hop in range(3):
        target = response.url if response.status_code == 302 else ""
        if not target.startswith(reverse("wagtailadmin_home")) or verdict(response) != "ok":
            break
        response = client.get(target)
    return response


def verdict(response) -> str:
    if has_error_message(response):
        return "denied"
    if response.status_code == 302:
        if response.url.startswith(reverse("wagtailadmin_login")):
            return "login"
        if response.url in (reverse("wagtailadmin_home"), "/"):
            return "denied"
        return "ok"
    if response.status_code in (403, 404):
        return "denied"
    if response.status_code == 405:
        return "method not allowed"
    if response.status_code < 400:
        return "ok"
    return str(response.status_code)


REFUSED = {"login", "denied", "method not allowed"}


def has_error_message(response) -> bool:
    """A page that says the act was refused (a service refusing, after a redirect)."""
    context = getattr(response, "context", None)
    if not context or "messages" not in context:
        return False
    return any(message.level >= messages.ERROR for message in context["messages"])


def fingerprint():
    """Enough of the database to see that a refused request changed nothing."""
    return {
        "ideas": list(Idea.objects.values_list("pk", "status", "is_published", "title")),
        "flokes": list(blt_services.Floke.objects.values_list("pk", "phase", "title", "owner_id")),
        "records": [model.objects.count() for model in blt_services.RECORD_MODELS],
        "pages": list(
            Page.objects.values_list("pk", "live", "locked", "title", "has_unpublished_changes")
        ),
        "media": [
            get_image_model().objects.count(),
            get_document_model().objects.count(),
            Collection.objects.count(),
            UploadedFile.objects.count(),
        ],
        "people": list(
            UserFactory._meta.model.objects.values_list("pk", "is_active", "is_superuser")
        ),
        "groups": list(Group.objects.values_list("pk", "name")),
        "site": list(Site.objects.values_list("pk", "hostname", "root_page_id")),
        "workflows": list(Workflow.objects.values_list("pk", "active")),
        "redirects": Redirect.objects.count(),
        "profiles": EmployeeProfile.objects.count(),
    }


def test_every_admin_address_is_covered(world):
    """A sanity check of the list itself: it holds the addresses this project added."""
    names = {name for name, _path, _roles in admin_addresses(world)}
    for expected in ("ideas:transition", "flokes:edit_record", "blt_board:move", "stories_start"):
        assert expected in names
    assert len(names) > 200


def test_administrators_reach_every_admin_address(client, world, administrator):
    """Proves the addresses are filled with real objects: a refusal below means a refusal."""
    login(client, administrator)
    unreachable = []
    for name, path, _roles in admin_addresses(world):
        response = answer(client, "get", path)
        if name not in NOTHING_TO_OPEN and verdict(response) in {"login", "denied"}:
            unreachable.append(f"GET {path} ({name}): {response.status_code}")
    assert not unreachable, "\n".join(unreachable)


@pytest.mark.parametrize("role", ["anonymous", "employee"])
def test_no_admin_address_opens_without_admin_access(client, user_for_role, world, role):
    login(client, user_for_role(role))
    let_in = []
    for name, path, _roles in admin_addresses(world):
        before = fingerprint()
        for method in ("get", "post"):
            response = answer(client, method, path)
            if verdict(response) != "login":
                let_in.append(f"{method.upper()} {path} ({name}): {verdict(response)}")
        if fingerprint() != before:
            let_in.append(f"POST {path} ({name}) changed the database")
    assert not let_in, "\n".join(let_in)


@pytest.mark.parametrize("role", ["innovation", "communications"])
def test_staff_reach_their_own_addresses_and_no_others(client, user_for_role, world, role):
    login(client, user_for_role(role))
    wrong = []
    for name, path, allowed in admin_addresses(world):
        if role in allowed:
            response = answer(client, "get", path)
            if name not in NOTHING_TO_OPEN and verdict(response) in {"login", "denied"}:
                wrong.append(f"GET {path} ({name}) is refused, but is for {role}")
            continue
        before = fingerprint()
        for method in ("get", "post"):
            response = answer(client, method, path)
            if verdict(response) not in REFUSED:
                wrong.append(f"{method.upper()} {path} ({name}): {verdict(response)}")
        if fingerprint() != before:
            wrong.append(f"POST {path} ({name}) changed the database")
    assert not wrong, "\n".join(wrong)


# Refused object by object


@pytest.mark.parametrize(("role", "deleted"), [("communications", False), ("administrator", True)])
def test_bulk_actions_leave_pages_the_user_may_not_delete(
    client, user_for_role, world, role, deleted
):
    login(client, user_for_role(role))

    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])

    client.post(f"{bulk}?id={world.story.pk}")

    assert Page.objects.filter(pk=world.story.pk).exists() is not deleted


def test_floke_attachments_are_changed_only_on_the_floke(client, world, communications):
    """Communications edit the site's documents; a floke's attachment is innovation's record."""
    document = world.attachment.document
    login(client, communications)

    edit = answer(client, "get", reverse("wagtaildocs:edit", args=[document.pk]))
    delete = answer(client, "post", reverse("wagtaildocs:delete", args=[document.pk]))
    bulk = reverse("wagtail_bulk_action", args=["wagtaildocs", "document", "delete"])
    client.post(f"{bulk}?id={document.pk}")
    listing = client.get(reverse("wagtaildocs:index")).content.decode()

    assert verdict(edit) == verdict(delete) == "denied"
    assert get_document_model().objects.filter(pk=document.pk).exists()
    assert world.floke.attachments.filter(pk=world.attachment.pk).exists()
    assert document.title not in listing
    # The site's documents they still edit.
    assert world.document.title in listing
    assert (
        verdict(answer(client, "get", reverse("wagtaildocs:edit", args=[world.document.pk])))
        == "ok"
    )


# Private addresses on the public site


@pytest.mark.parametrize(
    ("role", "opens"),
    [
        ("anonymous", False),
        ("employee", False),
        ("innovation", True),
        ("communications", True),
        ("administrator", True),
    ],
)
def test_floke_attachments_open_only_for_those_who_read_flokes(
    client, user_for_role, world, role, opens
):
    login(client, user_for_role(role))

    response = client.get(world.attachment.document.url)

    assert (response.status_code == 200) is opens
    if role == "anonymous":
        assert verdict(response) == "login" or response.url.startswith(reverse("wagtailcore_login"))


def test_photos_sent_with_ideas_have_no_address(client, world):
    with pytest.raises(ValueError):
        world.photo.image.url  # noqa: B018
    assert client.get(f"/media/{world.photo.image.name}").status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "employee"])
def test_ideas_not_in_the_idea_bank_have_no_public_page(client, user_for_role, world, role):
    hidden = [
        world.idea,  # under review, never published
        idea_services.idea_withdraw(idea=IdeaFactory(published=True)),
    ]
    login(client, user_for_role(role))
    for idea in hidden:
        assert client.get(f"/idebank/{idea.pk}/").status_code == 404
        assert client.post(f"/idebank/{idea.pk}/stott/").status_code == 404
        address = f"/idebank/{idea.pk}/"
        for page in ("/idebank/", f"/sok/?q={idea.title}&type=ideer", "/sitemap.xml"):
            assert address not in client.get(page).content.decode()


def test_draft_stories_are_not_public(client, world):
    draft = make_story(title="Et utkast ingen skal se")
    draft.unpublish()

    assert client.get(draft.url_path.removeprefix("/hjem")).status_code == 404
    for page in ("/historier/", "/historier/rss/", "/sitemap.xml", "/sok/?q=utkast"):
        assert "Et utkast ingen skal se" not in client.get(page).content.decode()


def test_employees_see_only_their_own_ideas_beside_the_form(client, world, employee):
    colleague = UserFactory(username="kollega", groups=[roles.EMPLOYEE])
    theirs = IdeaFactory(title="Kollegaens idé om kantina", submitted_by=colleague)
    mine = IdeaFactory(title="Min idé om sykkelparkering", submitted_by=employee)
    login(client, employee)

    html = client.get("/idebank/send-inn/").content.decode()

    assert mine.title in html
    assert theirs.title not in html and theirs.token not in html
