"""The staff roles as Django groups, kept in code so every environment has the same.

Permissions, not group names, are what the code checks; a municipality may give
the same permissions to groups of its own.
"""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

EMPLOYEE = "Ansatte"
INNOVATION = "Innovasjon"
COMMUNICATIONS = "Kommunikasjon"
EDITORS = "Redaksjon"

ROLE_LABELS = {
    EMPLOYEE: _("Employees: send ideas from their service"),
    INNOVATION: _("Innovation staff: triage ideas and run the BLT process"),
    COMMUNICATIONS: _("Communications: write stories and send them for approval"),
    EDITORS: _("Editors: approve and publish stories"),
}

STORY_STAFF = [
    "wagtailadmin.access_admin",
    "ideabank.view_idea",
    # Stories are told from the pipeline: communications read flokes, never move them.
    "blt.view_floke",
    "blt.view_insight",
    "blt.view_cocreation",
    "blt.view_experiment",
    "blt.view_benefit",
    "blt.view_keyfigure",
    "blt.view_attachment",
    "blt.view_teammember",
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]

PERMISSIONS = {
    EMPLOYEE: [],
    INNOVATION: [
        "wagtailadmin.access_admin",
        "ideabank.view_idea",
        "ideabank.change_idea",
        "ideabank.triage_idea",
        "ideabank.publish_idea",
        "ideabank.view_contact_details",
        "ideabank.add_servicearea",
        "ideabank.change_servicearea",
        "ideabank.delete_servicearea",
        "ideabank.view_servicearea",
        "blt.move_floke",
        "blt.view_floke",
        "blt.add_floke",
        "blt.change_floke",
        "blt.view_insight",
        "blt.add_insight",
        "blt.change_insight",
        "blt.view_cocreation",
        "blt.add_cocreation",
        "blt.change_cocreation",
        "blt.view_experiment",
        "blt.add_experiment",
        "blt.change_experiment",
        "blt.view_benefit",
        "blt.add_benefit",
        "blt.change_benefit",
        "blt.view_keyfigure",
        "blt.add_keyfigure",
        "blt.change_keyfigure",
        "blt.view_attachment",
        "blt.add_attachment",
        "blt.change_attachment",
        "blt.view_teammember",
        "blt.add_teammember",
        "blt.change_teammember",
    ],
    COMMUNICATIONS: STORY_STAFF,
    EDITORS: STORY_STAFF,
}

# On the story index only: story staff write stories, not the rest of the site.
STORY_PAGE_PERMISSIONS = {
    COMMUNICATIONS: ["add_page", "change_page"],
    EDITORS: ["add_page", "change_page", "publish_page"],
}

# Wagtail checks images and documents per collection; these apply to every collection.
COLLECTION_PERMISSIONS = {
    group: [
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ]
    for group in (COMMUNICATIONS, EDITORS)
}

STORY_WORKFLOW = "Godkjenning av historier"
STORY_TASK = "Redaksjonen godkjenner"


def permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_roles() -> dict[str, Group]:
    """Create or update the role groups; safe to run any number of times."""
    groups = {}
    for name, dotted in PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*[permission(p) for p in dotted])
        groups[name] = group
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for name, dotted in COLLECTION_PERMISSIONS.items():
            for item in dotted:
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[name], collection=root_collection, permission=permission(item)
                )
    return groups


def ensure_story_desk(story_index: Page) -> Workflow:
    """Story staff work under the story index, and stories need the editors' approval.

    The workflow sits on the story index, so it wins over any workflow further up the
    tree; communications submit, editors approve, and Wagtail keeps the history.
    """
    for name, codenames in STORY_PAGE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        # Only here: an older setup may have given these groups the whole tree.
        GroupPagePermission.objects.filter(group=group).exclude(page=story_index).delete()
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=story_index,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
    editors, _created = Group.objects.get_or_create(name=EDITORS)
    task = GroupApprovalTask.objects.filter(name=STORY_TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=STORY_TASK)
    task.groups.add(editors)
    workflow, _created = Workflow.objects.get_or_create(name=STORY_WORKFLOW)
    if not workflow.workflow_tasks.filter(task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=story_index, defaults={"workflow": workflow})
    return workflow
