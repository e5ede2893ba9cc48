from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import IdeaPhoto


@receiver(post_delete, sender=IdeaPhoto)
def remove_photo_file(sender, instance, **kwargs):
    # A deleted idea must not leave the sender's photos on disk; wait for the commit
    # so a rolled-back delete keeps them.
    name, storage = instance.image.name, instance.image.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
