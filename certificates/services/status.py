"""A certificate's status: suspended, reinstated, revoked; an application revoked after approval."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from applications import services as application_services
from applications import workflow
from applications.exceptions import PermissionDenied
from applications.models import Application, TitleHeld
from portal import clock
from rules.services.integrity import integrity_record_create

from ..exceptions import CertificateError
from ..models import Certificate
from ..permissions import may_manage
from ..workflow import CERTIFICATE


def _change_status(
    *,
    certificate: Certificate,
    actor,
    action: str,
    reason: str,
    decision_document: str = "",
    on_locked=None,
) -> Certificate:
    if not reason or not reason.strip():
        raise CertificateError("请填写原因。", field="reason")
    if not may_manage(actor, certificate):
        raise PermissionDenied()
    reason = reason.strip()[:300]

    def change(locked: Certificate) -> None:
        locked.status_changed_at = clock.now()
        locked.status_reason = reason
        if on_locked is not None:
            on_locked(locked)

    return CERTIFICATE.take(
        certificate,
        action,
        actor=actor,
        note=reason,
        data={"decision_document": decision_document.strip()},
        change=change,
    )


def certificate_suspend(*, certificate: Certificate, actor, reason: str) -> Certificate:
    """暂扣: the certificate shows as suspended until reinstated (e.g. while fraud is investigated)."""
    return _change_status(
        certificate=certificate,
        actor=actor,
        action="suspend",
        reason=reason,
    )


def certificate_reinstate(*, certificate: Certificate, actor, reason: str) -> Certificate:
    return _change_status(
        certificate=certificate,
        actor=actor,
        action="reinstate",
        reason=reason,
    )


def certificate_revoke(
    *,
    certificate: Certificate,
    actor,
    reason: str,
    decision_document: str = "",
    decision_date: dt.date | None = None,
    kind: str = "false_materials",
) -> Certificate:
    """Fraud found later (seed 003 四, seed 002 13号): the qualification is cancelled, the application
    moves to REVOKED, the title leaves the holder's archive and the integrity ban is recorded."""
    decision_date = decision_date or clock.today()
    if decision_date > clock.today():
        raise CertificateError("决定日期不能晚于今天。", field="decision_date")

    def cancel(locked: Certificate) -> None:
        application = workflow.transition(
            application_id=locked.application_id,
            action="revoke",
            actor=actor,
            note=reason.strip(),
            data={"certificate": locked.number, "decision_document": decision_document.strip()},
        )
        if locked.title_held_id:
            application_services.archive_title_remove(entry=TitleHeld.objects.get(pk=locked.title_held_id))
        _integrity_ban(
            application=application,
            actor=actor,
            finding=reason.strip(),
            kind=kind,
            decision_document=decision_document.strip(),
            decision_date=decision_date,
        )

    return _change_status(
        certificate=certificate,
        actor=actor,
        action="revoke",
        reason=reason,
        decision_document=decision_document,
        on_locked=cancel,
    )


def application_revoke(
    *,
    application: Application,
    actor,
    reason: str,
    decision_document: str = "",
    decision_date: dt.date | None = None,
    kind: str = "false_materials",
) -> Application:
    """Fraud found after approval: with a certificate, the certificate is revoked with it; before
    issuance, the approved result is cancelled and the integrity ban recorded all the same."""
    certificate = Certificate.objects.filter(application=application).first()
    if certificate is not None:
        certificate_revoke(
            certificate=certificate,
            actor=actor,
            reason=reason,
            decision_document=decision_document,
            decision_date=decision_date,
            kind=kind,
        )
        return Application.objects.get(pk=application.pk)
    decision_date = decision_date or clock.today()
    if not reason or not reason.strip():
        raise CertificateError("请填写撤销理由。", field="reason")
    if decision_date > clock.today():
        raise CertificateError("决定日期不能晚于今天。", field="decision_date")
    with transaction.atomic():
        moved = workflow.transition(
            application_id=application.pk,
            action="revoke",
            actor=actor,
            note=reason.strip(),
            data={"decision_document": decision_document.strip()},
        )
        _integrity_ban(
            application=moved,
            actor=actor,
            finding=reason.strip(),
            kind=kind,
            decision_document=decision_document.strip(),
            decision_date=decision_date,
        )
    return moved


def _integrity_ban(
    *,
    application: Application,
    actor,
    finding: str,
    kind: str,
    decision_document: str,
    decision_date: dt.date,
):
    """Both effects of domain.md (f) and the Decisions table, recorded by rules/: a credit record for
    3 years from the decision, and no declaration of this level or above in the 3 review years after
    the review year (seed 003 四)."""
    archive = application.archive
    return integrity_record_create(
        id_type=archive.id_type,
        id_number=archive.id_number,
        name=archive.name,
        review_year=application.plan.year,
        level=application.qualification.level,
        finding=finding,
        decision_date=decision_date,
        decision_document=decision_document,
        kind=kind,
        user=application.applicant,
        plan=application.plan,
        actor=actor,
    )
