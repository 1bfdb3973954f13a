"""Settings of the page benchmark: the portal's base settings (DEBUG off, as production runs) with the
bench's URLconf, which adds the ceiling view. Never used by the portal itself."""

from portal.settings.base import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.urls"
