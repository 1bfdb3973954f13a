"""Everything that writes certificates, batches, keys and status goes through here.

Entry point for result approval (committees/): `certificate_batch_issue(...)`; it records the
batch and, after commit, queues `tasks.issue_certificate_batch(batch_id)`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from applications import services as application_services
from applications import workflow
from applications.exceptions import PermissionDenied
from applications.models import Application, TitleHeld, private_storage
from applications.permissions import Actor, holds_any
from applications.states import State
from portal import clock
from portal.models import TitleLevel
from rules.services.integrity import integrity_record_create
from rules.vocab import DeclarationType, TitleMethod

from . import pdf, signing
from .exceptions import CertificateError
from .identifiers import certificate_number, licence_identifier
from .models import (
    BatchItem,
    Certificate,
    CertificateBatch,
    CommitteeCode,
    IssuerProfile,
    NumberCounter,
    SigningKey,
    StatusChange,
    Verification,
)
from .permissions import issuing_org_ids, may_manage
from .workflow import BATCH_ITEM, CERTIFICATE, SIGNING_KEY

# Applications issued per transaction: bounds how long a batch holds the numbering lock.
CHUNK_SIZE = 100


# ---------------------------------------------------------------- keys


def signing_key_create(*, issuer: IssuerProfile, actor=None) -> SigningKey:
    """A new active key for the issuer; the key it replaces is retired (what it signed stays valid) in
    the name of `actor`. An issuer's first key is set up without one (deployment, demo data)."""
    now = clock.now()
    private, kid, public = signing.new_key_pair()
    with transaction.atomic():
        IssuerProfile.objects.select_for_update().get(pk=issuer.pk)
        for old in SigningKey.objects.filter(issuer=issuer, status=SigningKey.Status.ACTIVE):
            SIGNING_KEY.take(
                old,
                "retire",
                actor=actor,
                note=f"由新密钥 {kid} 取代",
                data={"replaced_by": kid},
                change=lambda key: setattr(key, "retired_at", now),
            )
        return SigningKey.objects.create(
            issuer=issuer,
            kid=kid,
            public_key=public,
            created_at=now,
            private_key_encrypted=signing.encrypt_private_key(private, kid=kid),
        )


def signing_key_retire(*, key: SigningKey, actor) -> SigningKey:
    """The key signs nothing new; what it signed stays valid."""
    return SIGNING_KEY.take(
        key, "retire", actor=actor, change=lambda k: setattr(k, "retired_at", clock.now())
    )


def signing_key_revoke(*, key: SigningKey, actor, reason: str) -> SigningKey:
    """Certificates signed by a revoked key no longer verify: re-sign them (`certificate_resign`)."""
    reason = reason.strip()[:200]
    if not reason:
        raise CertificateError("请填写吊销原因。", field="reason")

    def change(locked: SigningKey) -> None:
        locked.revoked_at = clock.now()
        locked.revoked_reason = reason

    return SIGNING_KEY.take(key, "revoke", actor=actor, note=reason, change=change)


def _active_key(issuer: IssuerProfile) -> SigningKey:
    key = SigningKey.objects.filter(issuer=issuer, status=SigningKey.Status.ACTIVE).first()
    if key is None:
        raise CertificateError(
            f"“{issuer.name}”没有可用的签名密钥，请先运行 manage.py certificate_keys create。"
        )
    return key


# ---------------------------------------------------------------- batches


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
    if len({(a.plan.committee_id, a.plan.year) for a in chosen}) != 1:
        raise CertificateError("一个发证批次只能包含同一评委会、同一年度的评审结果。", field="applications")
    taken = list(
        BatchItem.objects.filter(application__in=chosen).values_list("application__number", flat=True)
    )
    if taken:
        raise CertificateError(
            "以下申报已在发证批次中：" + "、".join(sorted(taken)) + "。", field="applications"
        )
    issuer = _issuer_for(approved_by, chosen)
    committee_id, year = chosen[0].plan.committee_id, chosen[0].plan.year
    if not CommitteeCode.objects.filter(issuer=issuer, committee_id=committee_id).exists():
        raise CertificateError(f"“{chosen[0].plan.committee}”尚未配置证书编号代码。", field="issuer")
    _active_key(issuer)
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
    from .tasks import issue_certificate_batch

    queue = getattr(settings, "CERTIFICATE_TASK_QUEUE", None)
    issue_certificate_batch.apply_async(args=[str(batch_id)], **({"queue": queue} if queue else {}))


def certificate_batch_rerun(*, batch: CertificateBatch) -> None:
    """Queue the batch again (after a failure): what is issued stays, what is missing is done."""
    _enqueue_batch(batch.pk)


def _lock_counter(*, region_code: str, year: int, committee_code: str) -> NumberCounter:
    keys = {"region_code": region_code, "year": year, "committee_code": committee_code}
    NumberCounter.objects.get_or_create(**keys)
    return NumberCounter.objects.select_for_update().get(**keys)


def _declared_method(application: Application) -> str:
    return {
        DeclarationType.RECOGNITION: TitleMethod.RECOGNITION,
        DeclarationType.INITIAL: TitleMethod.INITIAL,
    }.get(application.declaration_type, TitleMethod.REVIEW)


def certificate_payload(
    *,
    application: Application,
    batch: CertificateBatch,
    number: str,
    identifier: str,
    kid: str,
    issue_date: dt.date,
) -> dict:
    """The signed fields (signing.FIELDS): identity as submitted (the snapshot), else the archive."""
    identity = (application.snapshot or {}).get("identity") or {}
    archive = application.archive
    qualification = application.qualification
    specialty = application.specialty.name
    if application.sub_specialty_id:
        specialty += f"（{application.sub_specialty.name}）"
    return {
        "v": signing.FORMAT_VERSION,
        "kid": kid,
        "no": number,
        "eid": identifier,
        "nm": identity.get("name") or archive.name,
        "idt": identity.get("id_type") or archive.id_type,
        "idn": identity.get("id_number") or archive.id_number,
        "wu": identity.get("current_employer") or archive.current_employer_name or "",
        "ser": qualification.series.name,
        "spc": specialty,
        "q": qualification.name,
        "lv": str(TitleLevel(qualification.level).label),
        "cmt": batch.committee.name,
        "adn": batch.approval_doc_no,
        "add": batch.approval_date.isoformat(),
        "iss": batch.issuer.name,
        "isc": batch.issuer.credit_code,
        "isd": issue_date.isoformat(),
    }


def _issue_chunk(batch: CertificateBatch, committee_code: str, item_ids: list[int]) -> list[str]:
    issuer = batch.issuer
    with transaction.atomic():
        # The counter row is locked first by every batch of this numbering space, so numbers
        # are taken one batch chunk at a time; a rollback returns them: no gaps, no duplicates.
        counter = _lock_counter(
            region_code=issuer.region_code, year=batch.year, committee_code=committee_code
        )
        items = list(
            BatchItem.objects.select_for_update()
            .filter(pk__in=item_ids, outcome=BatchItem.Outcome.PENDING)
            .order_by("application_id")
        )
        if not items:
            return []
        key = _active_key(issuer)
        private = signing.decrypt_private_key(key.private_key_encrypted, kid=key.kid)
        applications = {
            a.pk: a
            for a in Application.objects.select_for_update(of=("self",))
            .filter(pk__in=[i.application_id for i in items])
            .select_related("archive", "qualification__series", "specialty", "sub_specialty")
        }
        issued_at = clock.now()
        issue_date = timezone.localdate(issued_at)
        sequence = counter.last_sequence
        certificates, issued_items = [], []
        for item in items:
            application = applications[item.application_id]
            if application.state != State.APPROVED:
                note = f"申报状态为“{application.get_state_display()}”，未发证。"
                BATCH_ITEM.take(
                    item, "skip", actor=None, note=note, change=lambda i, n=note: setattr(i, "note", n)
                )
                continue
            sequence += 1
            number = certificate_number(
                region_code=issuer.region_code,
                year=batch.year,
                committee_code=committee_code,
                sequence=sequence,
            )
            identifier = licence_identifier(
                type_code=issuer.type_code, issuer_code=issuer.credit_code, serial=number
            )
            payload = certificate_payload(
                application=application,
                batch=batch,
                number=number,
                identifier=identifier,
                kid=key.kid,
                issue_date=issue_date,
            )
            signature = signing.sign(private, payload).split(".")[1]
            title = _title_held(application=application, batch=batch, number=number)
            workflow.transition(
                application_id=application.pk,
                action="issue_certificate",
                note=f"电子证书{number}",
                data={"certificate": number},
            )
            certificates.append(
                Certificate(
                    number=number,
                    identifier=identifier,
                    application=application,
                    batch=batch,
                    issuer=issuer,
                    holder_id=application.applicant_id,
                    signing_key=key,
                    payload=payload,
                    signature=signature,
                    issued_at=issued_at,
                    title_held=title,
                )
            )
            issued_items.append(item)
        Certificate.objects.bulk_create(certificates)
        for item, certificate in zip(issued_items, certificates, strict=True):
            BATCH_ITEM.take(item, "issue", actor=None, note=certificate.number)
        StatusChange.objects.bulk_create(
            [
                StatusChange(
                    certificate=c,
                    to_status=Certificate.Status.VALID,
                    at=issued_at,
                    reason="发证",
                    decision_document=batch.approval_doc_no,
                )
                for c in certificates
            ]
        )
        counter.last_sequence = sequence
        counter.save(update_fields=["last_sequence"])
    return [str(c.pk) for c in certificates]


def _title_held(*, application: Application, batch: CertificateBatch, number: str) -> TitleHeld:
    """The title obtained here, held in the holder's archive; effective from the approval date
    (domain.md, Decisions: "Effective date of a title")."""
    qualification = application.qualification
    entry = TitleHeld(
        series=qualification.series,
        qualification=qualification,
        level=qualification.level,
        obtained_date=batch.approval_date,
        method=_declared_method(application),
        issuer=batch.issuer.name[:120],
        certificate_no=number,
    )
    return application_services.archive_entry_save(archive=application.archive, entry=entry)


def certificate_batch_run(*, batch_id, dispatch: Callable[[list[str]], None] | None = None) -> dict:
    """Issue the batch's pending certificates; safe to run twice or concurrently (each item is taken
    once under its row lock). `dispatch` receives the ids of certificates to render as soon as the
    chunk that issued them has committed, so rendering starts while later chunks are issued; a run
    also hands over certificates an earlier run left unrendered (a lost message)."""
    dispatch = dispatch or (lambda ids: None)
    batch = CertificateBatch.objects.select_related("issuer", "committee").get(pk=batch_id)
    CertificateBatch.objects.filter(pk=batch.pk).update(runs=F("runs") + 1)
    code = CommitteeCode.objects.get(issuer=batch.issuer, committee=batch.committee).code
    pending = list(
        batch.items.filter(outcome=BatchItem.Outcome.PENDING)
        .order_by("application_id")
        .values_list("pk", flat=True)
    )
    issued: list[str] = []
    for start in range(0, len(pending), CHUNK_SIZE):
        new = _issue_chunk(batch, code, pending[start : start + CHUNK_SIZE])
        issued += new
        if new:
            dispatch(new)
    CertificateBatch.objects.filter(pk=batch.pk, issued_at__isnull=True).update(issued_at=clock.now())
    handed = set(issued)
    leftover = [
        str(pk)
        for pk in batch.certificates.filter(pdf_rendered_at__isnull=True)
        .order_by("number")
        .values_list("pk", flat=True)
        if str(pk) not in handed
    ]
    if leftover:
        dispatch(leftover)
    _complete_batch(batch.pk)
    return {"issued": len(issued), "queued_renders": len(issued) + len(leftover)}


def _complete_batch(batch_id) -> None:
    if not Certificate.objects.filter(batch_id=batch_id, pdf_rendered_at__isnull=True).exists():
        CertificateBatch.objects.filter(
            pk=batch_id, completed_at__isnull=True, issued_at__isnull=False
        ).update(completed_at=clock.now())


# ---------------------------------------------------------------- rendering


def certificate_token(certificate: Certificate) -> str:
    return f"{signing.b64e(signing.canonical(certificate.payload))}.{certificate.signature}"


def certificate_render(*, certificate_id) -> Certificate:
    """Render and store the PDF once; a second call (a retried or duplicated task) changes nothing."""
    certificate = Certificate.objects.get(pk=certificate_id)
    if certificate.pdf_sha256:
        return certificate
    Certificate.objects.filter(pk=certificate.pk).update(render_attempts=F("render_attempts") + 1)
    data = pdf.render_certificate(payload=certificate.payload, token=certificate_token(certificate))
    storage = private_storage()
    name = f"certificates/{certificate.batch.year}/{certificate.number}.pdf"
    if storage.exists(name):  # left by an attempt that died before recording it
        storage.delete(name)
    name = storage.save(name, ContentFile(data))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.pdf_sha256:
            return locked
        locked.pdf.name = name
        locked.pdf_sha256 = hashlib.sha256(data).hexdigest()
        locked.pdf_rendered_at = clock.now()
        locked.render_error = ""
        locked.save(update_fields=["pdf", "pdf_sha256", "pdf_rendered_at", "render_error"])
    _complete_batch(locked.batch_id)
    return locked


def certificate_render_failed(*, certificate_id, error: str) -> None:
    Certificate.objects.filter(pk=certificate_id, pdf_rendered_at__isnull=True).update(
        render_error=error[:300]
    )


def certificate_resign(*, certificate: Certificate) -> Certificate:
    """Sign again with the issuer's active key (after a key was revoked) and render again."""
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().select_related("issuer").get(pk=certificate.pk)
        key = _active_key(locked.issuer)
        payload = {**locked.payload, "kid": key.kid}
        locked.payload = payload
        locked.signing_key = key
        locked.signature = signing.sign(
            signing.decrypt_private_key(key.private_key_encrypted, kid=key.kid), payload
        ).split(".")[1]
        locked.pdf_sha256, locked.pdf_rendered_at = "", None
        locked.save(update_fields=["payload", "signing_key", "signature", "pdf_sha256", "pdf_rendered_at"])
    return certificate_render(certificate_id=locked.pk)


# ---------------------------------------------------------------- status


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
            application_services.archive_entry_delete(entry=TitleHeld.objects.get(pk=locked.title_held_id))
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


# ---------------------------------------------------------------- verification log


def client_fingerprint(address: str | None) -> str:
    """A keyed hash of the client address: lookups by one client can be grouped, not traced back."""
    if not address:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:16]


def verification_record(
    *,
    certificate: Certificate | None,
    number: str,
    channel: str,
    outcome: str,
    name_matched: bool | None,
    address: str | None,
    user=None,
) -> Verification:
    return Verification.objects.create(
        certificate=certificate,
        number=number[:40],
        channel=channel,
        outcome=outcome,
        name_matched=name_matched,
        client=client_fingerprint(address),
        user=user if user is not None and user.is_authenticated else None,
        at=clock.now(),
    )


def certificates_issue_for_filing(*, filing) -> CertificateBatch | None:
    """Issue the certificates of an approved result filing (评审结果备案表), once.

    Queued by name after the bureau approves (committees.services.results) and run by the beat
    sweep; applications already in
    a batch, or no longer approved, are left out, so running it again issues nothing twice."""
    from committees.models import ResultFiling
    from committees.services.results import filing_applications

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
