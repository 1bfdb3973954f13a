"""Signing keys, certificates and batch items move through their tables (certificates.workflow): a key's
retirement and revocation name the actor, a certificate's moves write one StatusChange each."""

from __future__ import annotations

import pytest

from applications.exceptions import InvalidTransition, PermissionDenied
from certificates.exceptions import CertificateError
from certificates.models import BatchItem, Certificate, SigningKey
from certificates.services.keys import signing_key_create, signing_key_retire, signing_key_revoke
from certificates.services.status import certificate_reinstate, certificate_suspend
from certificates.workflow import CERTIFICATE, SIGNING_KEY
from portal.workflow import history
from tests import factories

pytestmark = pytest.mark.django_db


def _moves(record) -> list[tuple]:
    return [(e.action, e.from_status, e.to_status, e.actor) for e in history(record)]


def test_retire_and_revoke_name_the_actor(world, issuer):
    key = SigningKey.objects.get()
    signing_key_retire(key=key, actor=world.officer)
    signing_key_revoke(key=key, actor=world.officer, reason="私钥疑似泄露")
    key.refresh_from_db()
    assert (key.status, key.revoked_reason) == (SigningKey.Status.REVOKED, "私钥疑似泄露")
    assert key.retired_at is not None and key.revoked_at is not None
    assert _moves(key) == [
        ("retire", "active", "retired", world.officer),
        ("revoke", "retired", "revoked", world.officer),
    ]


def test_a_key_move_by_the_wrong_actor_or_from_the_wrong_state_changes_nothing(world, issuer):
    key = SigningKey.objects.get()
    for outsider in (world.other_officer, world.clerk, None):
        with pytest.raises(PermissionDenied):
            signing_key_retire(key=key, actor=outsider)
    key.refresh_from_db()
    assert key.status == SigningKey.Status.ACTIVE and not _moves(key)
    signing_key_retire(key=key, actor=world.officer)
    with pytest.raises(InvalidTransition, match="当前为“已停用”，不能停用") as refused:
        signing_key_retire(key=key, actor=world.officer)
    assert isinstance(refused.value, CertificateError)  # the pages and the command catch it as such
    assert len(_moves(key)) == 1


def test_rotation_retires_the_old_key_in_the_actors_name(world, issuer):
    old = SigningKey.objects.get()
    with pytest.raises(PermissionDenied):
        signing_key_create(issuer=issuer)
    assert SigningKey.objects.count() == 1
    new = signing_key_create(issuer=issuer, actor=world.officer)
    old.refresh_from_db()
    assert (old.status, new.status) == (SigningKey.Status.RETIRED, SigningKey.Status.ACTIVE)
    (event,) = history(old)
    assert (event.action, event.actor, event.data) == ("retire", world.officer, {"replaced_by": new.kid})


def test_the_system_administrator_may_manage_keys(world, issuer):
    admin = factories.UserFactory(username="admin", is_superuser=True, is_staff=True)
    key = SigningKey.objects.get()
    assert [m.action for m in SIGNING_KEY.available(key, admin)] == ["retire", "revoke"]
    assert SIGNING_KEY.available(key, world.other_officer) == []
    signing_key_revoke(key=key, actor=admin, reason="私钥疑似泄露")
    assert _moves(key) == [("revoke", "active", "revoked", admin)]


def test_each_certificate_move_writes_one_status_change_naming_the_actor(world, issued):
    certificate_suspend(certificate=issued, actor=world.officer, reason="收到举报，调查中")
    with pytest.raises(CertificateError, match="当前为“暂扣”"):
        certificate_suspend(certificate=issued, actor=world.officer, reason="再次暂扣")
    with pytest.raises(PermissionDenied):
        CERTIFICATE.take(issued, "reinstate", actor=world.other_officer)
    certificate_reinstate(certificate=issued, actor=world.officer, reason="调查结束")
    issued.refresh_from_db()
    assert issued.status == Certificate.Status.VALID
    changes = list(issued.status_changes.values_list("from_status", "to_status", "actor", "reason"))
    assert changes == [
        ("", "valid", None, "发证"),
        ("valid", "suspended", world.officer.pk, "收到举报，调查中"),
        ("suspended", "valid", world.officer.pk, "调查结束"),
    ]
    assert not history(issued).exists()  # the certificate's own table is its history


def test_the_issuing_run_settles_each_batch_item_as_a_system_move(issued):
    item = BatchItem.objects.get(application=issued.application)
    assert item.outcome == BatchItem.Outcome.ISSUED
    assert [(e.action, e.to_status, e.actor, e.note) for e in history(item)] == [
        ("issue", "issued", None, issued.number)
    ]
