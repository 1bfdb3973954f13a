"""The portal's clock. Services ask it for "now" (never datetime.now or timezone.now directly), so that
tests and the browser journeys can move time forward by replacing `now` without touching the system
clock.

The demo may run on a shifted clock: `load_demo --now 2026-09-01` writes the offset between that
moment and the real time into settings.DEMO_CLOCK_FILE (a small JSON file under var/). Every process
that reads this module (web, worker, beat) then answers `now = real now + offset`, so time still flows
from the demo's starting moment and the sweeps end publicities by themselves. Production settings set
DEMO_CLOCK_FILE to None (and refuse to start while the file exists), so there the offset is always zero.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from time import monotonic

from django.conf import settings
from django.utils import timezone

# How long a process reuses the offset it read before looking at the file again: a changed demo clock
# reaches every process within this many seconds, and a page costs at most one stat() and read.
REFRESH_SECONDS = 2.0
ZERO = dt.timedelta(0)


@dataclass(frozen=True)
class DemoClock:
    """An active demo offset, as recorded in the file."""

    offset: dt.timedelta
    started_at: dt.datetime  # the demo's starting moment (on the shifted clock)
    set_at: dt.datetime  # the real time when it was recorded


# (monotonic time of the read, the file read, what it held); replaced as a whole, so threads need no lock.
_cached: tuple[float, Path | None, DemoClock | None] | None = None


def real_now() -> dt.datetime:
    """The real time, whatever the demo clock says: only for recording and showing the offset itself, and
    for the security timers that measure real elapsed time (idle sessions, API token lifetimes)."""
    return timezone.now()


def now() -> dt.datetime:
    return real_now() + demo_offset()


def today() -> dt.date:
    """Today in China Standard Time (the settings' TIME_ZONE), whatever the server's zone."""
    return timezone.localdate(now())


def stamp() -> dt.datetime:
    """`now` looked up at call time: the default of model fields (a moved clock moves it too)."""
    return now()


# The demo offset ---------------------------------------------------------------------------------------


def _clock_file() -> Path | None:
    value = getattr(settings, "DEMO_CLOCK_FILE", None)
    return Path(value) if value else None


def _read(path: Path | None) -> DemoClock | None:
    if path is None:
        return None
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        data = json.loads(raw)
        return DemoClock(
            offset=dt.timedelta(seconds=float(data["offset_seconds"])),
            started_at=dt.datetime.fromisoformat(data["started_at"]),
            set_at=dt.datetime.fromisoformat(data["set_at"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        # A clock that silently fell back to real time would move every deadline of the demo.
        raise ValueError(
            f"演示时钟文件 {path} 无法读取（{exc}）；请用 manage.py load_demo --now 重新设置，"
            "或用 load_demo --real-time 删除它。"
        ) from exc


def demo_clock() -> DemoClock | None:
    """The active demo offset, or None; re-read from the file at most every REFRESH_SECONDS."""
    global _cached
    path = _clock_file()
    checked = monotonic()
    cached = _cached
    if cached is not None and cached[1] == path and checked - cached[0] < REFRESH_SECONDS:
        return cached[2]
    value = _read(path)
    _cached = (checked, path, value)
    return value


def demo_offset() -> dt.timedelta:
    value = demo_clock()
    return value.offset if value is not None else ZERO


def demo_clock_set(at: dt.datetime) -> DemoClock:
    """Make `at` the demo's "now" from this moment on, for every process that shares the file."""
    global _cached
    path = _clock_file()
    if path is None:
        raise ValueError("本环境不允许设置演示时钟（DEMO_CLOCK_FILE 未配置，例如生产环境）。")
    if timezone.is_naive(at):
        raise ValueError("演示时钟的起始时刻必须带时区。")
    set_at = real_now()
    value = DemoClock(offset=at - set_at, started_at=at, set_at=set_at)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(
        json.dumps(
            {
                "offset_seconds": value.offset.total_seconds(),
                "started_at": at.isoformat(),
                "set_at": set_at.isoformat(),
            }
        ),
        encoding="utf-8",
    )
    os.replace(partial, path)  # readers see the old file or the new one, never half of one
    _cached = None
    return value


def demo_clock_clear() -> bool:
    """Back to the real time; True when an offset was removed."""
    global _cached
    path = _clock_file()
    _cached = None
    if path is None:
        return False
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True
