"""Photos are checked while the sender waits and re-encoded by the task queue; until
then the original, with its location, is shown to nobody."""

from pathlib import Path

from django.core.management import call_command
from django.urls import reverse

import pytest
from django_tasks_db.models import DBTaskResult
from PIL import Image

from ideabank.models import Idea, IdeaPhoto
from tests.admin import login

from . import images
from .test_submit import send

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings, monkeypatch):
    from django_tasks_db.management.commands import db_worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # Inside a test's transaction the worker must not close the connection.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def photo_url(photo):
    return reverse("ideas:photo", args=[photo.idea_id, photo.pk])


def test_a_photo_waits_unseen_until_the_queue_has_re_encoded_it(
    client, site_tree, database_queue, innovation, django_capture_on_commit_callbacks
):
    send(client, photos=[images.jpeg_with_gps()])
    photo = IdeaPhoto.objects.get()
    original = Path(photo.image.path)

    assert photo.processed_at is None
    assert DBTaskResult.objects.filter(task_path="ideabank.tasks.process_photo").count() == 1
    staff = login(client, innovation)
    assert staff.get(photo_url(photo)).status_code == 404
    inspect = staff.get(reverse("ideas:inspect", args=[photo.idea_id])).content.decode()
    assert photo_url(photo) not in inspect

    with django_capture_on_commit_callbacks(execute=True):
        call_command("worker", batch=True, verbosity=0)

    photo.refresh_from_db()
    assert photo.processed_at is not None
    assert not original.exists()
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()
        assert (stored.width, stored.height) == (photo.width, photo.height)
    assert staff.get(photo_url(photo)).status_code == 200


def test_a_photo_that_no_longer_decodes_is_dropped_not_shown(client, site_tree, database_queue):
    send(client, photos=[images.png()])
    photo = IdeaPhoto.objects.get()
    Path(photo.image.path).write_bytes(b"not an image any more")

    call_command("worker", batch=True, verbosity=0)

    assert not IdeaPhoto.objects.exists()
    assert Idea.objects.count() == 1


def test_a_storage_fault_is_left_for_the_retry_and_the_photo_kept(
    client, site_tree, database_queue
):
    from ideabank import services

    send(client, photos=[images.png()])
    photo = IdeaPhoto.objects.get()
    path = Path(photo.image.path)
    data = path.read_bytes()
    path.unlink()  # the private volume is not mounted on this worker, say

    with pytest.raises(FileNotFoundError):
        services.idea_photo_process(photo=photo)

    path.write_bytes(data)
    assert IdeaPhoto.objects.filter(pk=photo.pk, processed_at__isnull=True).exists()
    assert services.idea_photo_process(photo=photo) is True


def test_a_photo_erased_while_it_was_re_encoded_leaves_nothing_behind(
    client, site_tree, database_queue
):
    from ideabank import services

    send(client, photos=[images.png()])
    photo = IdeaPhoto.objects.get()
    folder = Path(photo.image.path).parent
    IdeaPhoto.objects.filter(pk=photo.pk).delete()  # the sender erased it meanwhile

    assert services.idea_photo_process(photo=photo) is False
    assert not any(path.suffix == ".jpg" for path in folder.iterdir())
