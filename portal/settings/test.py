from .base import *  # noqa: F403
from .base import VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Unit tests run tasks in-process; tests marked `worker` start a real worker.
CELERY_TASK_ALWAYS_EAGER = True
PRIVATE_MEDIA_ROOT = VAR_DIR / "test-private"
# Tests move time with the FrozenClock fixture; a test of the demo offset points this at its own file.
DEMO_CLOCK_FILE = VAR_DIR / "test-demo-clock.json"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests log staff in with force_login and the login page: the dedicated identity tests turn these on.
AXES_ENABLED = False
PORTAL_REQUIRE_SECOND_FACTOR = False
PORTAL_API_TOKEN_RATE = "1000/min"
