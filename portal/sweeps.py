"""The periodic sweeps of the beat schedule: each records when it last ran, and a report says which
are overdue (more than two intervals without a run), for /health/ and the staff pages.

The records hold the real time (portal.clock.real_now), not the demo's shifted clock: how long ago a
sweep ran is a fact about the processes, and it must not jump when the demo clock is moved.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass

from celery import current_app
from django.conf import settings

from . import clock
from .models import SweepRun

log = logging.getLogger(__name__)
BEAT_STARTED = "celery.beat"
STALE_AFTER_INTERVALS = 2
UNSCHEDULED_INTERVAL = dt.timedelta(days=1)  # a crontab entry: checked against a day
LABELS = {
    "applications.tasks.sweep_publicities": "公示期满处理",
    "applications.tasks.send_deadline_reminders": "截止提醒",
    "applications.tasks.checkpoint_audit_chains": "审计链检查点",
    "certificates.tasks.sweep_certificate_renders": "证书补生成",
    "certificates.tasks.sweep_approved_filings": "核准结果发证",
    "certificates.tasks.sweep_unfinished_batches": "发证批次补执行",
    "certificates.tasks.sweep_review_forms": "评审表生成",
    "portal.tasks.sweep_pending_emails": "邮件补发",
    "portal.tasks.sweep_security_log": "安全日志保留期清理",
    "committees.tasks.sweep_expert_invitations": "专家邀请邮件补发",
}


def sweep_run_record(
    *, name: str, started_at: dt.datetime, result: object = None, failed: bool = False
) -> None:
    now = clock.real_now()
    defaults: dict = {"last_started_at": started_at, "last_result": str(result)[:200]}
    if not failed:
        defaults["last_finished_at"] = now
    SweepRun.objects.update_or_create(name=name, defaults=defaults)


def recorded_sweep(func: Callable) -> Callable:
    """Wraps a periodic task's body so that each run records itself (under the task's name)."""
    name = f"{func.__module__}.{func.__name__}"

    @functools.wraps(func)
    def run(*args, **kwargs):
        started_at = clock.real_now()
        try:
            result = func(*args, **kwargs)
        except Exception as exc:
            sweep_run_record(name=name, started_at=started_at, result=f"失败：{exc!r}", failed=True)
            raise
        sweep_run_record(name=name, started_at=started_at, result=result)
        log.info("sweep finished", extra={"sweep": name, "result": str(result)[:200]})
        return result

    return run


def beat_start_record() -> None:
    """Called by `celery beat` on start (portal/celery.py)."""
    now = clock.real_now()
    SweepRun.objects.update_or_create(
        name=BEAT_STARTED, defaults={"last_started_at": now, "last_finished_at": now, "last_result": ""}
    )


def _interval(schedule) -> dt.timedelta:
    if isinstance(schedule, int | float):
        return dt.timedelta(seconds=schedule)
    if isinstance(schedule, dt.timedelta):
        return schedule
    run_every = getattr(schedule, "run_every", None)  # celery.schedules.schedule
    return run_every if isinstance(run_every, dt.timedelta) else UNSCHEDULED_INTERVAL


@dataclass(frozen=True)
class Sweep:
    entry: str  # the beat schedule entry
    task: str
    label: str
    every: dt.timedelta
    last_run: dt.datetime | None
    last_result: str
    stale: bool


@dataclass(frozen=True)
class SweepReport:
    sweeps: list[Sweep]
    beat_started_at: dt.datetime | None
    checked: bool  # False where tasks run in-process (unit tests): no beat is expected
    now: dt.datetime

    @property
    def stale(self) -> list[Sweep]:
        return [s for s in self.sweeps if s.stale] if self.checked else []

    @property
    def last_run(self) -> dt.datetime | None:
        runs = [s.last_run for s in self.sweeps if s.last_run]
        return max(runs) if runs else None

    @property
    def minutes_since_last_run(self) -> int | None:
        last = self.last_run
        return None if last is None else max(0, int((self.now - last).total_seconds() // 60))

    def health(self) -> str:
        if not self.checked:
            return "in-process"
        if not self.stale:
            return "ok"
        names = ", ".join(
            f"{s.entry} last ran {s.last_run.isoformat() if s.last_run else 'never'} "
            f"(every {int(s.every.total_seconds())} s)"
            for s in self.stale
        )
        return f"stale: {names}"

    def as_json(self) -> dict:
        return {
            s.entry: {
                "last_run": s.last_run.isoformat() if s.last_run else None,
                "every_seconds": int(s.every.total_seconds()),
                "stale": s.stale,
            }
            for s in self.sweeps
        }


def sweep_report() -> SweepReport:
    """Every beat schedule entry with its last run; stale after two intervals without one (one query)."""
    now = clock.real_now()
    rows = {row.name: row for row in SweepRun.objects.all()}
    beat = rows.get(BEAT_STARTED)
    beat_started_at = beat.last_started_at if beat else None
    sweeps = []
    for entry, spec in settings.CELERY_BEAT_SCHEDULE.items():
        task = spec["task"]
        every = _interval(spec["schedule"])
        row = rows.get(task)
        last_run = row.last_finished_at if row else None
        # Before its first run a sweep is measured from beat's start; with no beat at all, it is stale.
        since = last_run or beat_started_at
        stale = since is None or now - since > STALE_AFTER_INTERVALS * every
        sweeps.append(
            Sweep(
                entry=entry,
                task=task,
                label=LABELS.get(task, entry),
                every=every,
                last_run=last_run,
                last_result=row.last_result if row else "",
                stale=stale,
            )
        )
    return SweepReport(
        sweeps=sweeps,
        beat_started_at=beat_started_at,
        checked=not settings.CELERY_TASK_ALWAYS_EAGER,
        now=now,
    )


def embedded_broker_check() -> str:
    """The filesystem broker of the embedded default: its message folder must be writable."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    # Reading the app's configuration creates the folders (portal/celery.py) if nothing has yet.
    folder = (current_app.conf.broker_transport_options or {}).get("data_folder_in")
    if not folder:
        return f"error: no broker configured ({settings.CELERY_BROKER_URL})"
    if not os.access(folder, os.W_OK):
        return f"error: broker folder {folder} is not writable"
    return "ok"
