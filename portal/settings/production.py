from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEMO_CLOCK_FILE as _DEMO_CLOCK_FILE
from .env import env_bool, env_str

if not SECRET_KEY or SECRET_KEY.startswith("insecure-"):  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY must be set in production")
if _DEMO_CLOCK_FILE is not None and _DEMO_CLOCK_FILE.exists():
    # The demo's shifted clock would move every deadline and stamp of a real year.
    raise ImproperlyConfigured(
        f"A demo clock offset is configured ({_DEMO_CLOCK_FILE}): production never runs on a shifted "
        "clock. Delete the file (manage.py load_demo --real-time) or use another PORTAL_VAR_DIR."
    )
# Printed into every certificate's QR code: a certificate issued with a wrong or plain-http address
# stays wrong on paper for good, so production never falls back to base.py's local default.
_base_url = urlsplit(env_str("PORTAL_BASE_URL").strip())
if _base_url.scheme != "https" or not _base_url.hostname:
    raise ImproperlyConfigured(
        "PORTAL_BASE_URL must be set in production to the portal's public https address "
        "(e.g. https://zhicheng.example.gov.cn): it is printed into every certificate's QR code."
    )
DEMO_CLOCK_FILE = None  # portal.clock reads no offset, and load_demo --now refuses
DEBUG = False
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
