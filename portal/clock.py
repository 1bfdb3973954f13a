"""The portal's clock. Services ask it for "now" so tests and the browser journey can move
time forward without touching the system clock.

A shift (in seconds) can be stored in the cache under CLOCK_SHIFT_KEY by the test-only
time-travel endpoint; it is ignored unless settings.PORTAL_CLOCK_SHIFT_ALLOWED is true.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

CLOCK_SHIFT_KEY = "portal:clock-shift-seconds"


def now() -> dt.datetime:
    current = timezone.now()
    if getattr(settings, "PORTAL_CLOCK_SHIFT_ALLOWED", False):
        shift = cache.get(CLOCK_SHIFT_KEY)
        if shift:
            current += dt.timedelta(seconds=float(shift))
    return current


def today() -> dt.date:
    return timezone.localdate(now())
