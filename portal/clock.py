"""The portal's clock. Services ask it for "now" (never datetime.now or timezone.now directly), so that
tests and the browser journeys can move time forward by replacing `now` without touching the system
clock."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    """Today in China Standard Time (the settings' TIME_ZONE), whatever the server's zone."""
    return timezone.localdate(now())


def stamp() -> dt.datetime:
    """`now` looked up at call time: the default of model fields (a moved clock moves it too)."""
    return now()
