"""load_demo's clock options: --now sets the demo clock, --real-time removes it, and a new demo leaves a
year whose holidays nobody has entered by itself."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from applications.models import PublicityNotice
from applications.tasks import sweep_publicities
from portal import clock
from portal.models import ReviewPlan

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
DEMO_START = dt.datetime(2026, 9, 1, 9, 0, tzinfo=SHANGHAI)


def test_load_demo_now_records_the_demo_start_and_real_time_removes_it(demo_clock_file, real, db):
    out = StringIO()
    call_command("load_demo", "--now", "2026-09-01", stdout=out)
    assert "演示时钟已设为 2026-09-01 09:00" in out.getvalue()
    assert clock.now() == DEMO_START
    plan = ReviewPlan.objects.get(code="qz2026-01")
    assert plan.declaration_deadline.date() == dt.date(2026, 10, 1)  # 30 days after the demo's start

    call_command("load_demo", "--real-time", stdout=StringIO())
    assert not demo_clock_file.exists()
    assert clock.now() == real.at


def test_load_demo_moves_a_new_demo_out_of_an_uncovered_year_by_itself(demo_clock_file, real, db):
    # 30 November 2026: the demo's next months reach 2027, whose holidays nobody has entered.
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "演示时钟已自动设为 2026-09-01 23:45" in out.getvalue()
    assert clock.today() == dt.date(2026, 9, 1)


def test_load_demo_refuses_a_bad_start(demo_clock_file):
    with pytest.raises(CommandError, match="格式错误"):
        call_command("load_demo", "--now", "2026-13-01")


def test_a_new_demo_sees_its_employer_publicity_end_minutes_after_loading(demo_clock_file, real, db):
    call_command("load_demo", stdout=StringIO())
    notice = (
        PublicityNotice.objects.filter(stage="employer", status=PublicityNotice.Status.OPEN)
        .order_by("ends_at")
        .first()
    )
    assert clock.now() < notice.ends_at <= clock.now() + dt.timedelta(minutes=20)
    # Twenty minutes of real time later the beat's sweep ends it by itself.
    real.at += dt.timedelta(minutes=20)
    sweep_publicities()
    notice.refresh_from_db()
    assert notice.status != PublicityNotice.Status.OPEN
