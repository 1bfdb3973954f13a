from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEMO_CLOCK_FILE as _DEMO_CLOCK_FILE
from .env import env_bool

if not SECRET_KEY or SECRET_KEY.startswith("insecure-"):  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY must be set in production")
if _DEMO_CLOCK_FILE is not None and _DEMO_CLOCK_FILE.exists():
    # The demo's shifted clock would move every deadline and stamp of a real year.
    raise ImproperlyConfigured(
        f"A demo clock offset is configured ({_DEMO_CLOCK_FILE}): production never runs on a shifted "
        "clock. Delete the file (manage.py load_demo --real-time) or use another PORTAL_VAR_DIR."
    )
DEMO_CLOCK_FILE = None  # portal.clock reads no offset, and load_demo --now refuses
DEBUG = False
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
