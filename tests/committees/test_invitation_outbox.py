"""The invitation e-mail survives a mail server that is down: the token waits sealed (a database reader
cannot open it or move it to another invitation) and the sweep sends it later, once."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test import override_settings

from committees import services, tasks
from committees.invitation_mail import expert_invitation_email_send
from committees.models import ExpertInvitation
from portal import clock

from .test_expert_accounts import _token_from_mail, _unbound

pytestmark = pytest.mark.django_db


class DownBackend(EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("mail server down")


def _invite_while_mail_is_down(cw, callbacks, expert=None) -> ExpertInvitation:
    with override_settings(EMAIL_BACKEND=f"{__name__}.DownBackend"), callbacks(execute=True):
        return services.expert_invite(expert=expert or _unbound(cw), actor=cw.w.clerk, email="zj@example.com")


def _later(monkeypatch, minutes=5):
    later = clock.now() + dt.timedelta(minutes=minutes)
    monkeypatch.setattr(clock, "now", lambda: later)


def test_an_invitation_made_while_mail_is_down_is_sent_by_the_sweep_once(
    cw, django_capture_on_commit_callbacks, monkeypatch
):
    invitation = _invite_while_mail_is_down(cw, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    row = ExpertInvitation.objects.get(pk=invitation.pk)
    assert row.emailed_at is None and row.token_sealed
    # Nothing stored holds the token in a form a reader of the database could use.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM committees_expertinvitation WHERE id = %s", [invitation.pk])
        stored = " ".join(
            str(bytes(v)) if isinstance(v, memoryview | bytes) else str(v) for v in cursor.fetchone()
        )
    assert invitation.token not in stored and invitation.token.encode() not in bytes(row.token_sealed)

    _later(monkeypatch)
    assert tasks.sweep_expert_invitations() == 1
    assert [m.to for m in mail.outbox] == [["zj@example.com"]]
    assert _token_from_mail() == invitation.token
    row.refresh_from_db()
    assert row.emailed_at is not None and row.token_sealed is None
    assert tasks.sweep_expert_invitations() == 0 and len(mail.outbox) == 1
    assert not expert_invitation_email_send(invitation_id=invitation.pk)


def test_a_sealed_token_moved_to_another_invitation_does_not_open(
    cw, django_capture_on_commit_callbacks, monkeypatch
):
    first = _invite_while_mail_is_down(cw, django_capture_on_commit_callbacks, _unbound(cw, 0))
    second = _invite_while_mail_is_down(cw, django_capture_on_commit_callbacks, _unbound(cw, 1))
    # An insider copies the first invitation's sealed token onto the second, hoping to get its link mailed.
    sealed = ExpertInvitation.objects.get(pk=first.pk).token_sealed
    ExpertInvitation.objects.filter(pk=second.pk).update(token_sealed=sealed)
    _later(monkeypatch)
    assert not expert_invitation_email_send(invitation_id=second.pk)
    assert mail.outbox == []
    assert ExpertInvitation.objects.get(pk=second.pk).token_sealed is None
    assert expert_invitation_email_send(invitation_id=first.pk)
    assert _token_from_mail() == first.token


def test_a_withdrawn_invitation_is_never_mailed(cw, django_capture_on_commit_callbacks, monkeypatch):
    expert = _unbound(cw)
    first = _invite_while_mail_is_down(cw, django_capture_on_commit_callbacks, expert)
    second = _invite_while_mail_is_down(cw, django_capture_on_commit_callbacks, expert)
    _later(monkeypatch)
    assert tasks.sweep_expert_invitations() == 1
    assert _token_from_mail() == second.token != first.token
