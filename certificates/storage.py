"""Private file storage for issued PDFs and the images they print.

The location is read from ``settings.PRIVATE_MEDIA_ROOT`` on every use (so
tests can point it at a temporary directory) and files have no public URL:
they are only ever sent by a view that checks who is asking.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateFileStorage(FileSystemStorage):
    """A FileSystemStorage outside MEDIA_ROOT, without URLs."""

    def __init__(self, **kwargs):
        kwargs.pop("location", None)
        kwargs.pop("base_url", None)
        super().__init__(**kwargs)

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a view.")


_storage = PrivateFileStorage()


def private_storage() -> PrivateFileStorage:
    """The storage for FileFields; a callable so migrations do not record a path."""
    return _storage
