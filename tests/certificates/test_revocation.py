"""Revocation (fraud found later), suspension and the signed status list."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from applications.exceptions import PermissionDenied
from applications.models import TitleHeld
from applications.states import State
from certificates import selectors, signing
from certificates.exceptions import CertificateError
from certificates.models import Certificate
from certificates.services.status import certificate_reinstate, certificate_revoke, certificate_suspend
from certificates.tokens import certificate_token
from portal import clock
from rules.models import IntegrityRecord

pytestmark = pytest.mark.django_db

DECISION = dt.date(2026, 5, 30)


def revoke(world, certificate, **kwargs):
    params = {
        "actor": world.officer,
        "reason": "经查学历证书系伪造",
        "decision_document": "衢人社职〔2026〕30号",
        "decision_date": DECISION,
        **kwargs,
    }
    return certificate_revoke(certificate=certificate, **params)


def test_revocation_cancels_the_title_and_records_the_integrity_ban(world, issued):
    revoke(world, issued)
    issued.refresh_from_db()
    assert issued.status == Certificate.Status.REVOKED and issued.status_reason == "经查学历证书系伪造"
    application = issued.application
    application.refresh_from_db()
    assert application.state == State.REVOKED and application.events.last().actor == world.officer
    assert not TitleHeld.objects.filter(archive__user=world.applicant).exists()
    record = IntegrityRecord.objects.get()
    assert (record.id_number, record.level, record.ban_first_year, record.ban_last_year) == (
        application.archive.id_number,
        3,
        2027,
        2029,
    )
    assert (
        record.credit_record_until == dt.date(2029, 5, 30)
        and record.decision_document == "衢人社职〔2026〕30号"
    )
    assert list(issued.status_changes.values_list("to_status", flat=True)) == ["valid", "revoked"]


def test_a_revoked_certificate_shows_as_revoked_online_and_in_the_status_list(world, issued, tmp_path):
    revoke(world, issued)
    page = Client().get(reverse("certificates:verify"), {"number": issued.number})
    assert page.status_code == 200 and "已撤销" in page.content.decode()
    api = Client().get(reverse("api-certificate-verify"), {"number": issued.number}).json()
    assert api["status"] == "revoked" and api["status_label"] == "已撤销"
    document = Client().get(reverse("certificates:status")).json()
    lists = signing.StatusLists.from_document(document, selectors.keyset(), now=clock.now())
    assert lists.problems == []
    entry = lists.lookup(issued.payload["isc"], issued.number)
    assert entry.status == "revoked"
    # Offline, with the signed status list: the signature is fine but the certificate is revoked.
    (tmp_path / "keys.json").write_text(json.dumps(selectors.keys_document()), encoding="utf-8")
    (tmp_path / "status.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CommandError, match="证书已撤销：\n- 证书已撤销（状态列表"):
        call_command(
            "verify_certificate",
            certificate_token(issued),
            "--keys",
            str(tmp_path / "keys.json"),
            "--status",
            str(tmp_path / "status.json"),
        )


def test_suspension_shows_and_reinstatement_clears_it(world, issued):
    certificate_suspend(certificate=issued, actor=world.officer, reason="举报调查中")
    assert selectors.certificate_lookup(number=issued.number).outcome == "suspended"
    lists = signing.StatusLists.from_document(
        selectors.status_document(), selectors.keyset(), now=clock.now()
    )
    assert lists.lookup(issued.payload["isc"], issued.number).status == "suspended"
    certificate_reinstate(certificate=issued, actor=world.officer, reason="举报不实")
    assert selectors.certificate_lookup(number=issued.number).outcome == "valid"
    lists = signing.StatusLists.from_document(
        selectors.status_document(), selectors.keyset(), now=clock.now()
    )
    assert lists.lookup(issued.payload["isc"], issued.number) is None
    issued.application.refresh_from_db()
    assert issued.application.state == State.CERTIFIED


def test_a_suspended_certificate_can_be_revoked_but_not_twice(world, issued):
    certificate_suspend(certificate=issued, actor=world.officer, reason="举报调查中")
    revoke(world, issued)
    with pytest.raises(CertificateError, match="当前为“已撤销”"):
        revoke(world, issued)
    with pytest.raises(CertificateError, match="当前为“已撤销”"):
        certificate_reinstate(certificate=issued, actor=world.officer, reason="误操作")
    assert IntegrityRecord.objects.count() == 1


def test_revocation_needs_a_reason_and_the_issuing_bureau(world, issued):
    with pytest.raises(CertificateError, match="请填写原因") as exc:
        revoke(world, issued, reason=" ")
    assert exc.value.field == "reason"
    with pytest.raises(PermissionDenied):
        revoke(world, issued, actor=world.other_officer)
    with pytest.raises(CertificateError, match="决定日期不能晚于今天"):
        revoke(world, issued, decision_date=dt.date(2026, 6, 2))
    issued.refresh_from_db()
    assert issued.status == Certificate.Status.VALID and IntegrityRecord.objects.count() == 0
