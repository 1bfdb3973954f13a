"""Every notification's e-mail is sent once, even when the broker or the mail server is down when the
move commits: the notice is written with the move and the outbox sweep sends what its task did not."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail
from django.db import transaction

from portal import services, tasks
from portal.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _notify(user, message="您的申报已退回修改。", **kwargs):
    with transaction.atomic():
        return services.notify(user=user, message=message, link="/me/", **kwargs)


def test_it_writes_the_notice_and_mails_it_after_commit(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        note = _notify(user)
    note.refresh_from_db()
    assert note.email_to == user.email and note.emailed_at is not None
    assert [m.to for m in mail.outbox] == [[user.email]] and "/me/" in mail.outbox[0].body


def test_a_broker_that_is_down_only_delays_the_mail(
    monkeypatch, django_capture_on_commit_callbacks, frozen_clock
):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("redis: connection refused")

    monkeypatch.setattr(tasks.send_notification_email, "delay", broker_down)
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        note = _notify(user)  # commits without an error
    assert Notification.objects.filter(pk=note.pk, emailed_at__isnull=True).exists() and mail.outbox == []

    assert tasks.sweep_pending_emails() == 0  # its task may still come: the sweep waits a grace period
    frozen_clock.advance(minutes=3)
    assert tasks.sweep_pending_emails() == 1
    assert tasks.sweep_pending_emails() == 0  # and never twice
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_a_mail_server_that_is_down_leaves_the_mail_for_the_next_sweep(monkeypatch, frozen_clock):
    user = UserFactory()
    note = Notification.objects.create(user=user, message="请审核。", email_to=user.email)
    frozen_clock.advance(minutes=3)

    def server_down(**kwargs):
        raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")

    with monkeypatch.context() as patched:
        patched.setattr(tasks, "send_mail", server_down)
        assert tasks.sweep_pending_emails() == 0
    note.refresh_from_db()
    assert note.emailed_at is None

    frozen_clock.advance(minutes=3)
    assert tasks.sweep_pending_emails() == 1 and len(mail.outbox) == 1


def test_a_task_repeated_after_the_sweep_sends_nothing(frozen_clock):
    user = UserFactory()
    note = Notification.objects.create(user=user, message="请审核。", email_to=user.email)
    assert tasks.send_notification_email(note.pk) is True
    assert tasks.send_notification_email(note.pk) is False
    frozen_clock.advance(minutes=3)
    assert tasks.sweep_pending_emails() == 0 and len(mail.outbox) == 1


def test_an_account_without_an_address_gets_the_notice_in_the_portal_only(frozen_clock):
    user = UserFactory(email="")
    note = _notify(user)
    frozen_clock.advance(minutes=3)
    assert note.email_to == "" and tasks.sweep_pending_emails() == 0 and mail.outbox == []
    assert Notification.objects.filter(user=user).count() == 1


def test_the_sweep_is_on_the_beat_schedule(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "portal.tasks.sweep_pending_emails" in tasks_scheduled
