"""Queuing after commit: a broker that is down never fails the request that committed, and a process
that found it down does not wait on it again for every message."""

from __future__ import annotations

import pytest
from django.db import transaction
from kombu.exceptions import OperationalError

from portal import queueing, services, tasks
from portal.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Broker:
    def __init__(self, error: Exception | None = None):
        self.error = error
        self.sent: list[int] = []

    def delay(self, notification_id):
        if self.error is not None:
            self.sent.append(-notification_id)
            raise self.error
        self.sent.append(notification_id)


def _notify_many(n: int) -> list[Notification]:
    users = [UserFactory() for _ in range(n)]
    with transaction.atomic():
        return [services.notify(user=user, message="您的职称评审结果已核准公布。") for user in users]


def test_a_broker_that_is_down_is_tried_once_then_left_to_the_sweep(
    monkeypatch, django_capture_on_commit_callbacks
):
    broker = Broker(OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused."))
    monkeypatch.setattr(tasks.send_notification_email, "delay", broker.delay)
    with django_capture_on_commit_callbacks(execute=True):
        notes = _notify_many(5)
    assert len(broker.sent) == 1  # the other four were not held up by the broker
    assert Notification.objects.filter(pk__in=[n.pk for n in notes], emailed_at__isnull=True).count() == 5
    assert queueing.broker_paused()


def test_the_broker_is_tried_again_after_the_pause(monkeypatch, django_capture_on_commit_callbacks):
    broker = Broker(OperationalError("connection refused"))
    monkeypatch.setattr(tasks.send_notification_email, "delay", broker.delay)
    clock = [1000.0]
    monkeypatch.setattr(queueing.time, "monotonic", lambda: clock[0])
    with django_capture_on_commit_callbacks(execute=True):
        _notify_many(1)
    broker.error = None
    clock[0] += queueing.BROKER_PAUSE_SECONDS + 1
    with django_capture_on_commit_callbacks(execute=True):
        (note,) = _notify_many(1)
    assert broker.sent[-1] == note.pk and not queueing.broker_paused()


def test_a_task_that_fails_in_process_does_not_pause_the_broker(
    monkeypatch, django_capture_on_commit_callbacks
):
    broker = Broker(ValueError("a bug in the task, not the broker"))
    monkeypatch.setattr(tasks.send_notification_email, "delay", broker.delay)
    with django_capture_on_commit_callbacks(execute=True):
        _notify_many(2)
    assert len(broker.sent) == 2 and not queueing.broker_paused()
