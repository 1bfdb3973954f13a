"""The clock of the demo's past: load_demo takes the year's earlier steps at the moments they happened."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from applications.publicity import MIN_WORKING_DAYS
from portal import clock
from rules import workdays


class StoryClock:
    """A clock the story moves by hand; `now` is what every service reads while it is in place."""

    def __init__(self, at: dt.datetime):
        self.at = at

    def now(self) -> dt.datetime:
        # In UTC, as the real clock answers: the history's hash covers the time as written, and a row
        # read back from the database comes in UTC.
        return self.at.astimezone(dt.UTC)

    def set(self, at: dt.datetime) -> None:
        self.at = at


@contextmanager
def historical_clock(start: dt.datetime) -> Iterator[StoryClock]:
    """Run the story's past steps on a clock set step by step, then give the portal its clock back.

    How: every service asks `portal.clock.now()` for the time (never datetime.now), as the history rows,
    publicity periods, meeting dates and deadline guards do. For the duration of the block that module
    attribute is replaced by StoryClock.now, so a step taken "on 3 August" is checked and recorded as of
    3 August (the way the tests move time with their frozen clock). The previous function, the real
    clock plus the demo offset of var/demo-clock.json (or a test's frozen clock), is put back in
    `finally`, so nothing after the block, in this process or another, sees the story's clock. The
    demo-clock file itself is never touched here.
    """
    story = StoryClock(start)
    previous = clock.now
    clock.now = story.now
    try:
        yield story
    finally:
        clock.now = previous


def short_publicity_posting(today: dt.date) -> dt.date:
    """The posting day whose 5-working-day publicity ends first at or after the end of today: it then
    ends at the first midnight the calendar allows after loading (a publicity ends at 24:00 of its last
    working day, Civil Code Art. 203), and the beat's sweep moves its applications on by itself."""
    best = None
    for back in range(0, 20):
        day = today - dt.timedelta(days=back)
        end = workdays.publicity_end(day, MIN_WORKING_DAYS, workdays.PublicityStartRule.START_DAY_COUNTS)
        if end >= today and (best is None or end <= best[1]):
            best = (day, end)
    return best[0]
