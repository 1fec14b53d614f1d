"""Private file storage for issued PDFs and the images they print.

The storage is the ``"private"`` entry of ``settings.STORAGES``: on one
machine a folder outside MEDIA_ROOT (``PrivateFileStorage``, which reads
``settings.PRIVATE_MEDIA_ROOT`` on every use so tests can point it at a
temporary directory); on several machines an S3-compatible bucket
(``PrivateS3Storage``, configured by lms/settings/production.py from the
environment). Either way files have no URL: they are only ever sent by a view
that checks who is asking, and every read and write goes through the storage
API (``open``, ``save``, ``exists``, ``delete``), never through a local path.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from storages.backends.s3 import S3Storage

ALIAS = "private"
NO_URL = "Private files have no URL; serve them through a view."


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
        raise ValueError(NO_URL)


class PrivateS3Storage(S3Storage):
    """django-storages' S3Storage without URLs.

    S3Storage would answer ``url()`` with a pre-signed address anyone holding
    it can fetch for an hour, bypassing the checks of the download view.
    """

    def url(self, name, *args, **kwargs):
        raise ValueError(NO_URL)


class _ConfiguredPrivateStorage(LazyObject):
    """``storages["private"]``, looked up on first use and again after the
    STORAGES setting changes (tests), like Django's ``default_storage``.

    FileFields keep the storage they were given when the models were loaded,
    so they hold this proxy, not the backend it resolves to.
    """

    def _setup(self):
        self._wrapped = storages[ALIAS]


_storage = _ConfiguredPrivateStorage()


@receiver(setting_changed)
def _forget_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        # Django's own receiver resets ``storages``; the proxy follows it.
        _storage._wrapped = empty


def private_storage() -> Storage:
    """The storage for FileFields; a callable so migrations do not record a path."""
    return _storage
