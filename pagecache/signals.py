"""Bump the page cache's generation whenever something the public sees changes.

Connected here, not in the apps that own the models: the idea bank must not know about
the pipeline or the stories, and none of them needs to know pages are cached.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import ModelLogEntry, Page

from .generation import bump_now_and_on_commit

# Models whose rows show on public pages (idea bank, floke data on ideas, stories and
# the home page; tags; the site and its header and footer links). Images and documents
# are added in connect().
PUBLIC_MODELS = [
    "ideabank.Idea",
    "ideabank.Answer",
    "ideabank.Support",
    "ideabank.ServiceArea",
    "blt.Floke",
    "blt.FlokeStep",
    "blt.TeamMember",
    "blt.Insight",
    "blt.CoCreation",
    "blt.Experiment",
    "blt.Benefit",
    "blt.KeyFigure",
    "blt.Attachment",
    "stories.SiteLinks",
    "django_fsm_log.StateLog",
    "wagtailcore.Site",
    "wagtailcore.PageViewRestriction",
    "taggit.Tag",
]
# A page saved with only these fields changed a draft; the live page is as it was.
DRAFT_FIELDS = {
    "latest_revision",
    "latest_revision_created_at",
    "draft_title",
    "has_unpublished_changes",
    "wagtail_admin_comments",
    "locked",
    "locked_at",
    "locked_by",
}

public_models: tuple[type, ...] = ()


def is_public(model) -> bool:
    return isinstance(model, type) and issubclass(model, public_models)


def row_changed(sender, instance, using=None, update_fields=None, **kwargs):
    if isinstance(instance, Page):
        if kwargs["signal"] is post_save and not instance.live:
            return
        if update_fields and set(update_fields) <= DRAFT_FIELDS:
            return
    elif isinstance(instance, ModelLogEntry):
        # Services change ideas with queryset updates (publish, unpublish, spam), which
        # send no signal; each of them writes an audit entry in the same transaction.
        if not is_public(ContentType.objects.get_for_id(instance.content_type_id).model_class()):
            return
    elif not isinstance(instance, public_models):
        return
    elif kwargs.get("created") and getattr(instance, "is_published", None) is False:
        # A new idea is private until staff publish it. Its only trace on public pages is
        # the count of ideas this year on the home page, which may lag until that page
        # expires (PAGE_CACHE_SECONDS); a bump per submission would empty every cache.
        return
    bump_now_and_on_commit(using)


def relation_changed(sender, instance, action, model, using=None, **kwargs):
    if action.startswith("post_") and (isinstance(instance, public_models) or is_public(model)):
        bump_now_and_on_commit(using)


def page_changed(sender, **kwargs):
    bump_now_and_on_commit()


def connect():
    from wagtail.signals import (
        page_published,
        page_unpublished,
        post_page_move,
        published,
        unpublished,
    )

    global public_models
    public_models = (
        *(apps.get_model(label) for label in PUBLIC_MODELS),
        get_image_model(),
        get_document_model(),
    )
    # No sender: subclasses of Page and of the image and document models count too.
    post_save.connect(row_changed, dispatch_uid="pagecache-saved")
    post_delete.connect(row_changed, dispatch_uid="pagecache-deleted")
    m2m_changed.connect(relation_changed, dispatch_uid="pagecache-related")
    page_published.connect(page_changed, dispatch_uid="pagecache-page-published")
    page_unpublished.connect(page_changed, dispatch_uid="pagecache-page-unpublished")
    post_page_move.connect(page_changed, dispatch_uid="pagecache-page-moved")
    # Snippets and other models with drafts.
    published.connect(page_changed, dispatch_uid="pagecache-published")
    unpublished.connect(page_changed, dispatch_uid="pagecache-unpublished")
