"""Private storage of uploaded evidence, outside the public media root."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Evidence storage outside any served directory; the location follows settings at use time."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


_PRIVATE_STORAGE = PrivateStorage()


def private_storage() -> FileSystemStorage:
    return _PRIVATE_STORAGE
