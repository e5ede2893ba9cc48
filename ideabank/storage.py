import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files with no public address: staff see idea photos through a permission-checked view.

    The folder is read from settings on every use, so tests and deployments that
    change PRIVATE_MEDIA_ROOT after start-up are obeyed.
    """

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL.")
