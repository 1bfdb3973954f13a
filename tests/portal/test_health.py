"""/health/ reports a beat whose sweeps have not run for two intervals; staff pages show the last run."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from applications.tasks import sweep_publicities
from portal import clock, sweeps
from portal.models import SweepRun

pytestmark = pytest.mark.django_db
TASKS = list(sweeps.LABELS)


@pytest.fixture
def with_beat(settings):
    # Unit tests run tasks in-process and expect no beat; these tests are about the real set-up.
    settings.CELERY_TASK_ALWAYS_EAGER = False


def ran(task: str, *, minutes_ago: float) -> None:
    at = clock.real_now() - dt.timedelta(minutes=minutes_ago)
    SweepRun.objects.update_or_create(name=task, defaults={"last_started_at": at, "last_finished_at": at})


def health(client):
    response = client.get(reverse("health"))
    return response.status_code, response.json()


def test_recent_sweeps_are_healthy(client, with_beat):
    for task in TASKS:
        ran(task, minutes_ago=1)
    status, body = health(client)
    assert status == 200 and body["checks"]["beat"] == "ok"
    assert body["sweeps"]["sweep-publicities"]["stale"] is False


def test_a_sweep_missing_for_two_intervals_is_reported(client, with_beat):
    for task in TASKS:
        ran(task, minutes_ago=1)
    ran("applications.tasks.sweep_publicities", minutes_ago=11)  # every 5 minutes

    status, body = health(client)

    assert status == 503 and body["status"] == "error"
    assert body["checks"]["beat"].startswith("stale: sweep-publicities last ran")
    assert "(every 300 s)" in body["checks"]["beat"] and "deadline-reminders" not in body["checks"]["beat"]


def test_before_the_first_sweeps_a_started_beat_is_enough(client, with_beat):
    ran(sweeps.BEAT_STARTED, minutes_ago=2)
    assert health(client)[0] == 200

    ran(sweeps.BEAT_STARTED, minutes_ago=11)
    status, body = health(client)
    assert status == 503 and "sweep-publicities last ran never" in body["checks"]["beat"]


def test_no_beat_at_all_is_reported(client, with_beat):
    status, body = health(client)
    assert status == 503 and body["checks"]["beat"].startswith("stale:")


def test_in_process_tasks_expect_no_beat(client):
    status, body = health(client)
    assert status == 200 and body["checks"]["beat"] == "in-process"


def test_each_sweep_records_its_run_in_the_database():
    before = clock.real_now()
    assert sweep_publicities.delay().get() == 0
    row = SweepRun.objects.get(name="applications.tasks.sweep_publicities")
    assert row.last_finished_at >= before and row.last_result == "0"


def test_a_failed_sweep_records_the_failure_but_not_a_run():
    @sweeps.recorded_sweep
    def broken():
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        broken()
    row = SweepRun.objects.get(name=f"{__name__}.broken")
    assert row.last_finished_at is None and "database gone" in row.last_result


def test_staff_pages_show_when_the_sweeps_last_ran(world, with_beat):
    for task in TASKS:
        ran(task, minutes_ago=3)
    page = world.client_for(world.officer).get(reverse("applications:audit_queue")).content.decode()
    assert "定时任务（公示期满处理、截止提醒、证书生成）上次运行于3" in page
    assert "已超过两个周期未运行" not in page

    ran("applications.tasks.sweep_publicities", minutes_ago=30)
    page = world.client_for(world.clerk).get(reverse("committees:queue")).content.decode()
    assert "已超过两个周期未运行：公示期满处理。" in page


def test_applicants_do_not_see_the_sweeps(world, with_beat):
    page = world.client_for(world.applicant).get(reverse("applications:dashboard")).content.decode()
    assert 'id="sweep-status"' not in page
