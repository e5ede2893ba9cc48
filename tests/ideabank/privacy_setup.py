"""Setup shared by the retention, spam and personal data tests."""

import io
from datetime import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from PIL import Image

from ideabank.models import Idea, IdeaPhoto
from tests.factories import FlokeFactory, with_phase


def add_photo(idea) -> IdeaPhoto:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 60)).save(out, format="JPEG")
    photo = IdeaPhoto(idea=idea, width=40, height=30, processed_at=timezone.now())
    photo.image.save(f"{idea.reference.lower()}-1.jpg", ContentFile(out.getvalue()), save=True)
    return photo


def closed(idea, status: str, at: datetime) -> Idea:
    """Put an idea straight into a closed status at a given time: only for test setup."""
    Idea.objects.filter(pk=idea.pk).update(status=status, closed_at=at)
    return Idea.objects.get(pk=idea.pk)


def in_floke(idea, phase: str, since: datetime) -> Idea:
    """An accepted idea whose floke has been in `phase` since `since`."""
    floke = with_phase(FlokeFactory(), phase)
    type(floke).objects.filter(pk=floke.pk).update(phase_changed_at=since)
    Idea.objects.filter(pk=idea.pk).update(status="accepted", floke=floke)
    return Idea.objects.get(pk=idea.pk)
