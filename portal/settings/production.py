"""The one production configuration, loaded by portal/wsgi.py, portal/celery.py and docker compose.

It refuses to start (ImproperlyConfigured, naming what is missing) unless the deployment gives it what a
real year needs: PostgreSQL, Redis, a strong secret key of its own, the public https address printed into
certificates, the passphrase of the certificate signing keys and a mail server. Behind the reverse proxy
it trusts X-Forwarded-Proto for https and, from the proxies in PORTAL_TRUSTED_PROXIES only,
X-Forwarded-For for the client address (portal/client_ip.py).
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CERTIFICATE_KEY_PASSPHRASE as _PASSPHRASE
from .base import DATABASE_URL as _DATABASE_URL
from .base import DEMO_CLOCK_FILE as _DEMO_CLOCK_FILE
from .base import REDIS_URL as _REDIS_URL
from .base import SECRET_KEY as _SECRET_KEY
from .env import env_bool, env_int, env_list, env_str

# Keys that were ever written down as examples or defaults (docker-compose.yml's included): whoever has
# read the repository could sign sessions and derive the keyring's keys with them.
KNOWN_SECRET_KEYS = {
    "change-me-in-production",
    "changeme",
    "secret",
    "insecure-demo-key-set-SECRET_KEY-in-production",
}


def _refuse(message: str) -> None:
    raise ImproperlyConfigured(message)


if (
    len(_SECRET_KEY) < 50
    or len(set(_SECRET_KEY)) < 5
    or _SECRET_KEY in KNOWN_SECRET_KEYS
    or _SECRET_KEY.startswith(("insecure-", "django-insecure-"))
):
    _refuse(
        "SECRET_KEY must be set in production to a random value of at least 50 characters that is not a "
        "known default (e.g. python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )
if urlsplit(_DATABASE_URL).scheme not in ("postgres", "postgresql", "pgsql", "postgis"):
    _refuse("DATABASE_URL must be set in production to the PostgreSQL database (postgres://…).")
if urlsplit(_REDIS_URL).scheme not in ("redis", "rediss"):
    _refuse("REDIS_URL must be set in production to the Redis server (redis://… or rediss://…).")
if not _PASSPHRASE.strip():
    _refuse(
        "CERTIFICATE_KEY_PASSPHRASE must be set in production: it encrypts the certificate signing keys "
        "(kept apart from SECRET_KEY, so rotating one does not make the other's data unreadable)."
    )
if _DEMO_CLOCK_FILE is not None and _DEMO_CLOCK_FILE.exists():
    # The demo's shifted clock would move every deadline and stamp of a real year.
    _refuse(
        f"A demo clock offset is configured ({_DEMO_CLOCK_FILE}): production never runs on a shifted "
        "clock. Delete the file (manage.py load_demo --real-time) or use another PORTAL_VAR_DIR."
    )
# Printed into every certificate's QR code: a certificate issued with a wrong or plain-http address
# stays wrong on paper for good, so production never falls back to base.py's local default.
_base_url = urlsplit(env_str("PORTAL_BASE_URL").strip())
if _base_url.scheme != "https" or not _base_url.hostname:
    _refuse(
        "PORTAL_BASE_URL must be set in production to the portal's public https address "
        "(e.g. https://zhicheng.example.gov.cn): it is printed into every certificate's QR code."
    )

# Mail: notices and deadline reminders must reach people; a console, memory or dummy backend loses them.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
_FAKE_MAIL = ("console", "locmem", "dummy", "filebased")
if any(f"backends.{fake}." in EMAIL_BACKEND for fake in _FAKE_MAIL):
    _refuse(f"EMAIL_BACKEND must be a real mail backend in production, not {EMAIL_BACKEND}.")
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend" and not EMAIL_HOST:
    _refuse("EMAIL_HOST must be set in production to the SMTP server that sends the portal's mail.")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)

DEMO_CLOCK_FILE = None  # portal.clock reads no offset, and load_demo --now refuses
DEBUG = False
PORTAL_REQUIRE_SECOND_FACTOR = True
AXES_ENABLED = True
# The public host, and the loopback names the container's own health check (curl /health/) uses.
ALLOWED_HOSTS = [*(env_list("ALLOWED_HOSTS", []) or [_base_url.hostname]), "127.0.0.1", "localhost"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [f"https://{_base_url.netloc}"])

# HTTPS: the proxy terminates TLS and says so in X-Forwarded-Proto (it must overwrite any such header a
# client sent). /health/ answers plain http for the container's own health check.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Secure-sessionid"
CSRF_COOKIE_NAME = "__Secure-csrftoken"

# drf-spectacular's deploy check renders the whole API schema at start-up and reports naming notes (enum
# and operationId collisions) as warnings; the schema is exercised by tests/api/test_contract.py instead.
SPECTACULAR_SETTINGS = {**SPECTACULAR_SETTINGS, "ENABLE_DJANGO_DEPLOY_CHECK": False}  # noqa: F405

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
