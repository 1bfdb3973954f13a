"""Settings of the page benchmark: the portal's base settings (DEBUG off, as production runs) with the
bench's URLconf, which adds the ceiling view. Never used by the portal itself."""

from portal.settings.base import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.urls"
# Lifted so that the verification page's own cost is measured, not the limiter's refusal (the limit is per
# client address, and the load comes from one address).
CERTIFICATE_VERIFY_RATE_LIMIT = 1_000_000_000
# Refusals and errors are counted by the load generator; one log line per request would swamp the output.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "loggers": {"django.request": {"level": "CRITICAL"}},
}
