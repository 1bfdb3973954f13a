"""The publicity sweep through a real worker: a killed worker loses nothing and nothing moves twice."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from applications.models import ApplicationEvent
from applications.states import State
from applications.tasks import sweep_publicities

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _three_in_publicity(world):
    apps = [world.submitted()]
    for n in range(2):
        user = world.user(f"w{n}", "applicant", world.employer)
        apps.append(world.submitted(user, serial=300 + n))
    # Published on the frozen date (June 2026); by the real clock the period is long over.
    world.publicised(apps)
    return apps


def test_the_sweep_runs_in_process(world, frozen_clock):
    apps = _three_in_publicity(world)
    frozen_clock.advance(days=30)
    # The test itself is no task: waiting on a result here blocks nothing (whatever an earlier test left
    # in Celery's process-wide state).
    assert sweep_publicities.delay().get(disable_sync_subtasks=False) == 3
    assert sweep_publicities.delay().get(disable_sync_subtasks=False) == 0
    for application in apps:
        application.refresh_from_db()
        assert application.state == State.EMPLOYER_PUBLICITY_DONE


def test_a_killed_worker_loses_nothing_and_advances_each_once(world, celery_worker_process):
    apps = _three_in_publicity(world)
    worker = celery_worker_process
    worker.start()
    worker.kill()  # dies before any sweep reaches it
    results = [sweep_publicities.apply_async(queue=worker.queue, ignore_result=False) for _ in range(3)]
    worker.start()  # the queued messages wait in Redis for the restarted worker
    advanced = [r.get(timeout=90, disable_sync_subtasks=False) for r in results]
    assert sum(advanced) == 3
    for application in apps:
        application.refresh_from_db()
        assert application.state == State.EMPLOYER_PUBLICITY_DONE
    assert ApplicationEvent.objects.filter(action="employer_publicity_end").count() == 3
    call_command("verify_audit")
