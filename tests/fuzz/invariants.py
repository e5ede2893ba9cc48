"""What must hold of the stored rows whatever a client sent: no half-made ideas."""

import os
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, F, Q

from PIL import Image

from ideabank.choices import Status
from ideabank.models import Idea, IdeaPhoto, Support
from ideabank.views import TOKEN_SHAPE

REFERENCE = re.compile(r"IDE-\d{4}-\d{4,}")


def clear_caches():
    """Rate-limit counters live in the caches; every example starts with none used."""
    for cache in caches.all():
        cache.clear()


def private_files() -> set[str]:
    root = settings.PRIVATE_MEDIA_ROOT
    return {
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _dirs, names in os.walk(root)
        for name in names
    }


@dataclass(frozen=True)
class Counts:
    ideas: int
    photos: int
    supports: int
    files: int

    @classmethod
    def now(cls) -> "Counts":
        return cls(
            ideas=Idea.objects.count(),
            photos=IdeaPhoto.objects.count(),
            supports=Support.objects.count(),
            files=len(private_files()),
        )


def assert_complete(idea: Idea) -> None:
    """An idea as the form stores it: every field the rest of the site relies on."""
    assert REFERENCE.fullmatch(idea.reference), idea.reference
    assert TOKEN_SHAPE.fullmatch(idea.token) and len(idea.token) >= 43
    assert idea.title.strip() and idea.body.strip()
    assert idea.submission_key is not None
    assert idea.status == Status.RECEIVED and not idea.is_published
    for photo in idea.photos.all():
        with photo.image.storage.open(photo.image.name) as file, Image.open(file) as image:
            assert image.format == "JPEG"
            assert image.size == (photo.width, photo.height)


def assert_no_partial_rows() -> None:
    assert not Idea.objects.filter(
        Q(reference="") | Q(token="") | Q(title="") | Q(body="") | Q(submission_key=None)
    ).exists()
    names = set(IdeaPhoto.objects.values_list("image", flat=True))
    assert "" not in names
    # Every photo row has its file, and no file is left behind without its row.
    assert names == {name.replace(os.sep, "/") for name in private_files()}
    uneven = Idea.objects.annotate(counted=Count("supports")).exclude(support_count=F("counted"))
    assert not uneven.exists()
