"""Issuing a batch: numbers, identifiers, signatures, the workflow move, the archive, idempotence."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from applications import services as application_services
from applications import workflow
from applications.exceptions import DomainError, PermissionDenied
from applications.models import ApplicationEvent, TitleHeld
from applications.states import State
from certificates import identifiers, selectors, signing, tasks
from certificates.batch_tasks import RENDER_RETRIES, issue_certificate_batch
from certificates.exceptions import CertificateError
from certificates.models import BatchItem, Certificate, CommitteeCode, NumberCounter, SigningKey
from certificates.services.batches import certificate_batch_issue
from certificates.services.issuance import _declared_method, certificate_batch_run
from certificates.signing import keys as signing_keys
from certificates.tokens import certificate_token
from portal.validators import mask_id_number

from .conftest import APPROVAL_DATE, ISSUER_CODE, approved, issue

pytestmark = pytest.mark.django_db


def test_a_batch_issues_signed_certificates_and_moves_the_applications(
    world, issuer, django_capture_on_commit_callbacks
):
    apps = approved(world, 2)
    batch = issue(world, apps, django_capture_on_commit_callbacks)
    certificates = list(batch.certificates.order_by("number"))
    assert [c.number for c in certificates] == ["3308002026001000001", "3308002026001000002"]
    first = Certificate.objects.get(application=apps[0])
    assert identifiers.identifier_errors(first.identifier) == []
    assert first.identifier.split(".")[6:8] == [ISSUER_CODE, first.number]
    assert first.payload["nm"] == apps[0].archive.name
    assert first.payload["idn"] == mask_id_number(apps[0].archive.id_number) != apps[0].archive.id_number
    assert (
        first.payload["add"] == APPROVAL_DATE.isoformat() and first.payload["adn"] == "衢人社职〔2026〕12号"
    )
    verdict = signing.verify_token(certificate_token(first), keys=selectors.keyset())
    assert verdict.ok, verdict.errors
    for application in apps:
        application.refresh_from_db()
        assert application.state == State.CERTIFIED
        assert application.events.last().action == "issue_certificate"
    assert all(c.is_rendered for c in certificates)
    assert selectors.batch_progress(batch).as_dict() == {
        "total": 2,
        "issued": 2,
        "skipped": 0,
        "pending": 0,
        "rendered": 2,
        "render_failed": 0,
        "done": True,
    }
    batch.refresh_from_db()
    assert batch.completed_at is not None


def test_the_title_appears_in_the_holders_archive(world, issued):
    title = TitleHeld.objects.get(archive__user=world.applicant)
    assert (title.qualification.name, title.method, title.obtained_date) == (
        "工程师",
        "review",
        APPROVAL_DATE,
    )
    assert title.certificate_no == issued.number
    assert issued.title_held_id == title.pk


def test_the_recorded_title_is_the_portals_and_not_the_applicants_to_delete(world, issued):
    title = TitleHeld.objects.get(archive__user=world.applicant)
    assert title.certified
    with pytest.raises(DomainError, match="本平台发证时记入档案"):
        application_services.archive_entry_delete(entry=title)


def test_running_the_batch_twice_issues_nothing_twice(world, issuer, django_capture_on_commit_callbacks):
    batch = issue(world, approved(world, 2), django_capture_on_commit_callbacks)
    assert issue_certificate_batch.delay(str(batch.pk)).get() == {"issued": 0, "queued_renders": 0}
    assert certificate_batch_run(batch_id=batch.pk) == {"issued": 0, "queued_renders": 0}
    assert Certificate.objects.count() == 2
    assert ApplicationEvent.objects.filter(action="issue_certificate").count() == 2
    assert NumberCounter.objects.get().last_sequence == 2
    assert TitleHeld.objects.count() == 2


def test_numbers_continue_across_batches_without_gaps(world, issuer, django_capture_on_commit_callbacks):
    first, second = approved(world, 2)
    issue(world, [first], django_capture_on_commit_callbacks)
    issue(world, [second], django_capture_on_commit_callbacks, approval_doc_no="衢人社职〔2026〕13号")
    assert sorted(Certificate.objects.values_list("number", flat=True)) == [
        "3308002026001000001",
        "3308002026001000002",
    ]


def test_an_application_changed_before_the_run_is_skipped_with_the_reason(world, issuer):
    keep, drop = approved(world, 2)
    batch = certificate_batch_issue(
        applications=[keep, drop],
        approved_by=world.officer,
        approval_doc_no="衢人社职〔2026〕12号",
        approval_date=APPROVAL_DATE,
    )
    workflow.transition(application_id=drop.pk, action="revoke", actor=world.officer, note="经查材料虚假")
    certificate_batch_run(batch_id=batch.pk)
    item = BatchItem.objects.get(application=drop)
    assert item.outcome == BatchItem.Outcome.SKIPPED and "已撤销" in item.note
    assert list(Certificate.objects.values_list("number", flat=True)) == ["3308002026001000001"]


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"approval_doc_no": "  "}, "approval_doc_no", "请填写批准文号"),
        ({"approval_date": dt.date(2026, 6, 2)}, "approval_date", "不能晚于今天"),
        ({"approval_date": None}, "approval_date", "请填写批准日期"),
        ({"applications": []}, "applications", "请选择要发证的申报"),
    ],
)
def test_a_bad_batch_is_refused_naming_the_field(world, issuer, change, field, message):
    params = {
        "applications": approved(world),
        "approved_by": world.officer,
        "approval_doc_no": "文号",
        "approval_date": APPROVAL_DATE,
        **change,
    }
    with pytest.raises(CertificateError, match=message) as exc:
        certificate_batch_issue(**params)
    assert exc.value.field == field


def test_only_approved_applications_of_the_officers_bureau(world, issuer):
    application = approved(world)[0]
    with pytest.raises(PermissionDenied):
        certificate_batch_issue(
            applications=[application],
            approved_by=world.other_officer,
            approval_doc_no="文号",
            approval_date=APPROVAL_DATE,
        )
    submitted = world.submitted(world.other_applicant, serial=450)
    with pytest.raises(CertificateError, match=f"尚未核准.*{submitted.number}"):
        certificate_batch_issue(
            applications=[submitted],
            approved_by=world.officer,
            approval_doc_no="文号",
            approval_date=APPROVAL_DATE,
        )


def test_an_application_enters_one_batch(world, issuer):
    application = approved(world)[0]
    params = {
        "applications": [application],
        "approved_by": world.officer,
        "approval_doc_no": "文号",
        "approval_date": APPROVAL_DATE,
    }
    certificate_batch_issue(**params)
    with pytest.raises(CertificateError, match="已在发证批次中"):
        certificate_batch_issue(**params)


def test_the_issuer_must_be_configured(world, issuer):
    application = approved(world)[0]
    params = {
        "applications": [application],
        "approved_by": world.officer,
        "approval_doc_no": "文号",
        "approval_date": APPROVAL_DATE,
    }
    SigningKey.objects.update(status=SigningKey.Status.RETIRED, retired_at=dt.datetime.now(dt.UTC))
    with pytest.raises(CertificateError, match="没有可用的签名密钥"):
        certificate_batch_issue(**params)
    CommitteeCode.objects.all().delete()
    with pytest.raises(CertificateError, match="尚未配置证书编号代码"):
        certificate_batch_issue(**params)
    issuer.is_active = False
    issuer.save()
    with pytest.raises(CertificateError, match="尚未配置电子证照发证信息"):
        certificate_batch_issue(**params)


def test_a_failed_render_is_retried(world, issuer, django_capture_on_commit_callbacks, monkeypatch):
    from certificates import pdf

    real, calls = pdf.render_certificate, []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("字体缓存暂时不可用")
        return real(**kwargs)

    monkeypatch.setattr(pdf, "render_certificate", flaky)
    batch = issue(world, approved(world), django_capture_on_commit_callbacks)
    certificate = batch.certificates.get()
    assert certificate.is_rendered and certificate.render_attempts == 2 and certificate.render_error == ""


def test_a_render_that_keeps_failing_shows_and_is_swept_later(
    world, issuer, django_capture_on_commit_callbacks, monkeypatch, frozen_clock
):
    from certificates import pdf

    real = pdf.render_certificate

    def broken(**kwargs):
        raise OSError("磁盘已满")

    monkeypatch.setattr(pdf, "render_certificate", broken)
    batch = issue(world, approved(world), django_capture_on_commit_callbacks)
    certificate = batch.certificates.get()
    assert not certificate.is_rendered and certificate.render_attempts == RENDER_RETRIES + 1
    assert "磁盘已满" in certificate.render_error
    assert selectors.batch_progress(batch).failed == 1
    monkeypatch.setattr(pdf, "render_certificate", real)
    assert tasks.sweep_certificate_renders.delay().get() == 0  # too recent
    frozen_clock.advance(minutes=11)
    assert tasks.sweep_certificate_renders.delay().get() == 1
    certificate.refresh_from_db()
    assert certificate.is_rendered and certificate.render_error == ""
    batch.refresh_from_db()
    assert batch.completed_at is not None


def test_private_keys_are_encrypted_at_rest(world, issuer, settings):
    key = SigningKey.objects.get(issuer=issuer)
    private = signing.decrypt_private_key(key.private_key_encrypted, kid=key.kid)
    raw = private.private_bytes_raw()
    assert signing.b64e(raw) not in key.private_key_encrypted and raw.hex() not in key.private_key_encrypted
    signing_keys._PRIVATE_CACHE.clear()
    settings.CERTIFICATE_KEY_PASSPHRASE = "另一个口令"
    with pytest.raises(signing.KeyEncryptionError, match="无法解密"):
        signing.decrypt_private_key(key.private_key_encrypted, kid=key.kid)


@pytest.mark.django_db(transaction=True)
def test_concurrent_batches_take_numbers_without_gaps_or_duplicates(world, issuer):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    apps = approved(world, 6)
    batches = [
        certificate_batch_issue(
            applications=apps[i::3],
            approved_by=world.officer,
            approval_doc_no=f"文号{i}",
            approval_date=APPROVAL_DATE,
        )
        for i in range(3)
    ]
    errors = []

    def run(batch_id):
        try:
            certificate_batch_run(batch_id=batch_id)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(b.pk,)) for b in batches for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert numbers == [f"3308002026001{n:06d}" for n in range(1, 7)]
    assert NumberCounter.objects.get().last_sequence == 6
    assert ApplicationEvent.objects.filter(action="issue_certificate").count() == 6


@pytest.mark.parametrize(
    "declaration_type, method",
    [
        ("normal", "review"),
        ("exceptional", "review"),
        ("skills", "review"),
        ("recognition", "recognition"),
        ("initial", "initial"),
    ],
)
def test_the_archive_records_how_the_title_was_obtained(declaration_type, method):
    from applications.models import Application

    assert _declared_method(Application(declaration_type=declaration_type)) == method
