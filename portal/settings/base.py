"""Settings shared by every environment; production differs only by environment variables.

Without DATABASE_URL the portal runs on an embedded SQLite file; without REDIS_URL the Celery worker
and beat use a broker made of files under var/ (no server). With both set it uses PostgreSQL and Redis.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("PORTAL_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("PORTAL_REQUIRE_SECRET_KEY", False):
        raise ImproperlyConfigured("SECRET_KEY must be set")
    # A fixed key only for the embedded demo; production sets SECRET_KEY.
    SECRET_KEY = "insecure-demo-key-set-SECRET_KEY-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "guardian",
    "portal.apps.AxesConfig",  # django-axes, named in Chinese
    "django_otp",
    "portal.apps.TotpDevicesConfig",  # django_otp.plugins.otp_totp
    "portal.apps.RecoveryCodesConfig",  # django_otp.plugins.otp_static
    "portal",
    "rules",
    "applications",
    "committees",
    "certificates",
    "demo",
]

MIDDLEWARE = [
    "portal.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.input.RefuseOversizedBodies",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.identity.IdleTimeoutMiddleware",
    "portal.identity.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.input.RefuseControlCharacters",
    "portal.input.RefuseDatabaseConflicts",
    "portal.security_headers.SecurityHeadersMiddleware",
    # Last: answers with the lock-out page when a login attempt found the account or address locked.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
# Django's widget templates, with the plain widgets written in Python (portal/form_rendering.py).
FORM_RENDERER = "portal.form_rendering.PortalFormRenderer"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
                "portal.context_processors.time_status",
                "rules.context_processors.calendar_warning",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "portal.sqlite3",
            # The web server, the worker and beat share the file: a transaction takes the write lock
            # when it begins (IMMEDIATE), so one that reads and then writes waits up to the timeout for
            # another writer instead of failing with "database is locked"; WAL lets reads go on meanwhile.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses any login (even with the right password) while the account or address is locked.
    "axes.backends.AxesStandaloneBackend",
    "portal.auth_backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous-user row
# Applied by every form that sets a password (signup, password change, the expert invitation, the admin).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "portal.passwords.LengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "portal.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "portal.passwords.RecentPasswordValidator", "OPTIONS": {"count": 5}},
]

# Identity (portal/identity.py). Lock-out after repeated failed logins, per account and per address
# (django-axes): unlocked after the cool-off or by a security administrator (admin: 用户 → 解除登录锁定,
# or the access attempts list).
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "portal.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "portal.account_views.locked_out"
AXES_VERBOSE = False
# A second factor (TOTP, recovery codes) for every staff role; applicants and experts use the password
# alone. Off by default for the embedded demo (every demo role logs in with its password; the login page
# says so); portal.settings.production always turns it on.
PORTAL_REQUIRE_SECOND_FACTOR = env_bool("PORTAL_REQUIRE_SECOND_FACTOR", False)
OTP_TOTP_ISSUER = "职称申报评审服务平台"
# A session unused this long is logged out at its next request.
PORTAL_IDLE_TIMEOUT_SECONDS = env_int("PORTAL_IDLE_TIMEOUT_SECONDS", 30 * 60)
# An API token is refused this long after it was issued (a new one is issued at the next token request).
PORTAL_API_TOKEN_TTL_SECONDS = env_int("PORTAL_API_TOKEN_TTL_SECONDS", 8 * 3600)
PORTAL_API_TOKEN_RATE = env_str("PORTAL_API_TOKEN_RATE", "10/min")  # token requests per client address

# Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR networks, comma-separated); the
# client address of every rate limit, audit row and lock-out is read through portal.client_ip.
PORTAL_TRUSTED_PROXIES = env_list("PORTAL_TRUSTED_PROXIES", [])
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Stored in UTC, shown in China Standard Time whatever the server's zone.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
# The embedded demo serves static files straight from static/; production runs collectstatic.
WHITENOISE_USE_FINDERS = True
STATICFILES_DIRS = [BASE_DIR / "static"]
# The image's build collects the static files with the hashed names production serves
# (PORTAL_STATIC_MANIFEST=1 in .ci/Dockerfile); the embedded demo serves them as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("PORTAL_STATIC_MANIFEST", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploaded evidence lives outside any publicly served directory and is streamed
# by a view that checks who may see it.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
EVIDENCE_MAX_PDF_PAGES = env_int("EVIDENCE_MAX_PDF_PAGES", 300)
EVIDENCE_MAX_IMAGE_PIXELS = env_int("EVIDENCE_MAX_IMAGE_PIXELS", 40_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Any request body (an upload with its form) larger than this is refused before it is read.
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", EVIDENCE_MAX_BYTES + 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

REDIS_URL = env_str("REDIS_URL", "")
# A real worker and beat always run tasks (`manage.py serve` starts both). With REDIS_URL they use
# Redis; without it, kombu's filesystem transport: each message is a file under var/celery/, so the
# embedded default needs no broker server (portal/celery.py creates the folders).
CELERY_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # A message taken by a worker that dies unacknowledged goes back to the queue after this long
    # (kombu's default is an hour); every task is safe to run twice. Workers look for such messages
    # every CELERY_UNACKED_RESTORE_SECONDS (kombu scans only every tenth look by default: ~100 s).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 300),
        "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_SECONDS", 10),
        "unacked_restore_throttle": 1,
    }
    # A caller that does wait on a result (a test, a shell) is told at once when Redis is down, rather
    # than after the result store's default 20 reconnection attempts a second apart.
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
        "retry_policy": {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DIR / "queue"),
        "data_folder_out": str(CELERY_DIR / "queue"),
        "control_folder": str(CELERY_DIR / "control"),
        "polling_interval": 1.0,
    }
    CELERY_RESULT_BACKEND = f"file://{CELERY_DIR / 'results'}"
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TASK_ACKS_LATE = True
# Nothing in the portal waits on a task's result (the database is the record of what was done), so a
# message is sent without subscribing to its result: queuing does not touch the result store, which
# with Redis down would hold each caller ~20 s before failing. A caller that waits passes
# ignore_result=False.
CELERY_TASK_IGNORE_RESULT = True
# Publishing gives up after about half a second when the broker is down (portal.queueing then leaves
# the work to the sweeps).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# The worker logs through LOGGING below (JSON lines with request and task ids), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A task whose worker process is killed is queued again at once rather than lost (tasks are idempotent).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
# Periodic sweeps re-derive due work from the database, so a lost message only delays it.
CELERY_BEAT_SCHEDULE = {
    # Every 5 minutes; a demo or a test may sweep more often (PORTAL_PUBLICITY_SWEEP_SECONDS).
    "sweep-publicities": {
        "task": "applications.tasks.sweep_publicities",
        "schedule": float(env_int("PORTAL_PUBLICITY_SWEEP_SECONDS", 300)),
    },
    "deadline-reminders": {"task": "applications.tasks.send_deadline_reminders", "schedule": 3600.0},
    "certificate-renders": {"task": "certificates.tasks.sweep_certificate_renders", "schedule": 600.0},
    "pending-emails": {"task": "portal.tasks.sweep_pending_emails", "schedule": 120.0},
    "expert-invitations": {"task": "committees.tasks.sweep_expert_invitations", "schedule": 120.0},
    "security-log-retention": {"task": "portal.tasks.sweep_security_log", "schedule": 86400.0},
    "review-forms": {"task": "certificates.tasks.sweep_review_forms", "schedule": 120.0},
    "certificate-batches": {"task": "certificates.tasks.sweep_unfinished_batches", "schedule": 300.0},
    "certificates-for-approved-results": {
        "task": "certificates.tasks.sweep_approved_filings",
        "schedule": 300.0,
    },
    # Daily, at 02:30 China time: the signed checkpoint of every application's history chain.
    "audit-checkpoint": {
        "task": "applications.tasks.checkpoint_audit_chains",
        "schedule": crontab(hour=18, minute=30),
    },
}

# The demo's shifted clock (portal/clock.py): written by `load_demo --now`, read by every process.
# Production sets it to None and refuses to start while the file exists.
DEMO_CLOCK_FILE: Path | None = VAR_DIR / "demo-clock.json"

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Certificates: the private signing keys are stored encrypted with a key derived from this passphrase
# (SECRET_KEY when empty: then changing SECRET_KEY makes the stored keys unreadable).
CERTIFICATE_KEY_PASSPHRASE = env_str("CERTIFICATE_KEY_PASSPHRASE", "")
CERTIFICATE_TASK_QUEUE = env_str("CERTIFICATE_TASK_QUEUE", "") or None
CERTIFICATE_VERIFY_RATE_LIMIT = env_int("CERTIFICATE_VERIFY_RATE_LIMIT", 30)  # lookups per minute per client

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@zhicheng.local")
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "portal.identity.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "portal.api.Pagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "portal.api.exception_handler",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "portal.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
# JSON request bodies: larger or deeper ones are refused with a 400 before they are decoded.
API_JSON_MAX_BYTES = env_int("API_JSON_MAX_BYTES", 1024 * 1024)
API_JSON_MAX_DEPTH = env_int("API_JSON_MAX_DEPTH", 32)
SPECTACULAR_SETTINGS = {
    "TITLE": "职称申报评审服务平台 API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # One name for a choice set that several fields share.
    "ENUM_NAME_OVERRIDES": {"ScopeEnum": "portal.models.ReviewPlan.Scope"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api.add_error_responses",
    ],
}

SESSION_ENGINE = "portal.sessions"  # Django's database sessions, read by one statement written once
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The security log is kept this many days (never fewer than 180: GB/T 22239-2019 asks six months).
SECURITY_LOG_RETENTION_DAYS = env_int("SECURITY_LOG_RETENTION_DAYS", 365)
# Due publicity entries settled per transaction by the sweep (applications/publicity_sweep.py).
PUBLICITY_SWEEP_BATCH = env_int("PUBLICITY_SWEEP_BATCH", 5000)

# Logs are JSON lines on standard error (LOG_FORMAT=text for people reading a terminal), each with the
# request id that follows a request into the tasks it queues (portal/observability.py); errors are also
# e-mailed to ADMINS ("Name <address>, …" in PORTAL_ADMINS).
ADMINS = [
    (name.strip() or address.strip(), address.strip().rstrip(">"))
    for name, _lt, address in (
        entry.partition("<") if "<" in entry else ("", "", entry)
        for entry in env_str("PORTAL_ADMINS", "").split(",")
        if entry.strip()
    )
]
SERVER_EMAIL = env_str("SERVER_EMAIL", "") or env_str("DEFAULT_FROM_EMAIL", "noreply@zhicheng.local")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "portal.observability.ContextFilter"}},
    "formatters": {
        "json": {"()": "portal.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context"],
            "formatter": "text" if env_str("LOG_FORMAT", "json") == "text" else "json",
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["context"],
        },
    },
    "root": {"handlers": ["console", "mail_admins"], "level": env_str("LOG_LEVEL", "INFO")},
    # Django's own handlers are replaced by the root's (one line per record, one e-mail per error).
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # Chatty libraries: their progress is not the portal's business.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

SESSION_COOKIE_AGE = int(timedelta(hours=12).total_seconds())
