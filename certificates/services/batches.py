"""Certificate batches: recorded on an approval and queued after commit, queued again, issued for a filing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from applications.exceptions import PermissionDenied
from applications.models import Application
from applications.permissions import Actor, holds_any
from applications.states import State
from committees.models import ResultFiling
from committees.services.results import filing_applications
from portal import clock
from portal.queueing import queue_now

from ..batch_tasks import certificate_queue, issue_certificate_batch
from ..exceptions import CertificateError
from ..models import BatchItem, CertificateBatch, CommitteeCode, IssuerProfile
from ..permissions import issuing_org_ids
from .keys import active_key


def _issuer_for(officer, applications: list[Application]) -> IssuerProfile:
    """The officer's organisation that issues for every application: the bureau that files the
    committee and approves its results, else the receiving bureau or the employer's bureau."""
    mine = set(issuing_org_ids(officer))
    candidates = None
    for application in applications:
        orgs = {
            application.committee.parent_bureau_id,
            application.plan.receiving_org_id,
            application.recommending_org.parent_bureau_id,
        } & mine
        candidates = orgs if candidates is None else candidates & orgs
    profiles = {
        p.organisation_id: p
        for p in IssuerProfile.objects.filter(organisation__in=candidates or [], is_active=True)
    }
    filing = applications[0].committee.parent_bureau_id if applications else None
    profile = profiles.get(filing) or next(iter(sorted(profiles.values(), key=lambda p: p.pk)), None)
    if profile is None:
        raise CertificateError(
            "本单位尚未配置电子证照发证信息（统一社会信用代码、证照类型代码、评委会代码）。", field="issuer"
        )
    return profile


def certificate_batch_issue(
    *,
    approved_by,
    approval_doc_no: str,
    approval_date: dt.date | None,
    applications: Iterable[Application] | None = None,
    application_ids: Iterable | None = None,
) -> CertificateBatch:
    """Record the approval's certificates as a batch and queue its issuance after commit.

    Every application must be APPROVED, of one committee and review year, and acted on by
    `approved_by` as bureau officer. Call it inside the transaction that approves the results."""
    ids = [a.pk for a in applications] if applications is not None else list(application_ids or [])
    if not approval_doc_no or not approval_doc_no.strip():
        raise CertificateError("请填写批准文号。", field="approval_doc_no")
    if approval_date is None:
        raise CertificateError("请填写批准日期。", field="approval_date")
    if approval_date > clock.today():
        raise CertificateError("批准日期不能晚于今天。", field="approval_date")
    chosen = list(
        Application.objects.filter(pk__in=ids).select_related("plan", "recommending_org", "committee")
    )
    if not chosen or len(chosen) != len(set(ids)):
        raise CertificateError("请选择要发证的申报。", field="applications")
    not_approved = [a.number for a in chosen if a.state != State.APPROVED]
    if not_approved:
        raise CertificateError(
            "以下申报尚未核准，不能发证：" + "、".join(sorted(not_approved)) + "。", field="applications"
        )
    if not all(holds_any(approved_by, a, (Actor.BUREAU, Actor.FILING_BUREAU)) for a in chosen):
        raise PermissionDenied("您无权为所选申报发证。")
    # The committee that reviewed the title (the higher committee for one recommended upward) numbers
    # and names it on the certificate, not the committee of the plan it was declared in.
    if len({(a.committee_id, a.plan.year) for a in chosen}) != 1:
        raise CertificateError("一个发证批次只能包含同一评委会、同一年度的评审结果。", field="applications")
    taken = list(
        BatchItem.objects.filter(application__in=chosen).values_list("application__number", flat=True)
    )
    if taken:
        raise CertificateError(
            "以下申报已在发证批次中：" + "、".join(sorted(taken)) + "。", field="applications"
        )
    issuer = _issuer_for(approved_by, chosen)
    committee_id, year = chosen[0].committee_id, chosen[0].plan.year
    if not CommitteeCode.objects.filter(issuer=issuer, committee_id=committee_id).exists():
        raise CertificateError(f"“{chosen[0].committee}”尚未配置证书编号代码。", field="issuer")
    active_key(issuer)
    with transaction.atomic():
        batch = CertificateBatch.objects.create(
            issuer=issuer,
            committee_id=committee_id,
            year=year,
            approved_by=approved_by,
            approval_doc_no=approval_doc_no.strip(),
            approval_date=approval_date,
            created_at=clock.now(),
        )
        try:
            with transaction.atomic():
                BatchItem.objects.bulk_create([BatchItem(batch=batch, application=a) for a in chosen])
        except IntegrityError as exc:  # a concurrent batch took one of them
            raise CertificateError(
                "所选申报已在其他发证批次中，请刷新后重试。", field="applications"
            ) from exc
        transaction.on_commit(lambda: _enqueue_batch(batch.pk))
    return batch


def _enqueue_batch(batch_id) -> None:
    """Queue the batch's run. The batch is committed: a broker that is down must not turn that into an
    error, and the sweep of unfinished batches (certificates.tasks) queues it later."""
    queue_now(
        lambda: issue_certificate_batch.apply_async(args=[str(batch_id)], **certificate_queue()),
        what=f"certificate batch {batch_id}",
    )


def certificate_batch_rerun(*, batch: CertificateBatch) -> None:
    """Queue the batch again (after a failure): what is issued stays, what is missing is done."""
    _enqueue_batch(batch.pk)


def certificates_issue_for_filing(*, filing) -> CertificateBatch | None:
    """Issue the certificates of an approved result filing (评审结果备案表), once.

    Queued by name after the bureau approves (committees.services.results) and run by the beat
    sweep; applications already in
    a batch, or no longer approved, are left out, so running it again issues nothing twice."""
    if filing.status != ResultFiling.Status.APPROVED:
        return None
    pending = [
        a
        for a in filing_applications(filing)
        if a.state == State.APPROVED and not BatchItem.objects.filter(application=a).exists()
    ]
    if not pending:
        return None
    try:
        return certificate_batch_issue(
            applications=pending,
            approved_by=filing.approved_by,
            approval_doc_no=filing.approval_document_no,
            approval_date=timezone.localdate(filing.approved_at),
        )
    except CertificateError:
        # Another run took them meanwhile (the batch's unique items decide); nothing to do.
        if all(BatchItem.objects.filter(application=a).exists() for a in pending):
            return None
        raise
