"""A batch's run: certificate numbers, signed payloads, the applications' move and the titles held."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from applications import services as application_services
from applications import workflow_sets
from applications.models import Application, TitleHeld
from portal import clock
from portal.models import TitleLevel
from portal.validators import mask_id_number
from rules.vocab import DeclarationType, TitleMethod

from .. import signing
from ..identifiers import certificate_number, licence_identifier
from ..models import BatchItem, Certificate, CertificateBatch, CommitteeCode, NumberCounter, StatusChange
from ..workflow import BATCH_ITEM
from .keys import active_key
from .rendering import complete_batch

# Applications issued per transaction: bounds how long a batch holds the numbering lock.
CHUNK_SIZE = 100


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
    """The signed fields (signing.FIELDS): identity as submitted (the snapshot), else the archive. The ID
    number is signed masked (first 3 and last 4 characters): the QR code and its link carry the token,
    and neither may carry the holder's full number."""
    identity = (application.snapshot or {}).get("identity") or {}
    archive = application.archive
    qualification = application.qualification
    specialty = application.specialty.name
    if application.sub_specialty_id:
        specialty += f"（{application.sub_specialty.name}）"
    return {
        "v": signing.CERT_FORMAT_VERSION,
        "kid": kid,
        "no": number,
        "eid": identifier,
        "nm": identity.get("name") or archive.name,
        "idt": identity.get("id_type") or archive.id_type,
        "idn": mask_id_number(identity.get("id_number") or archive.id_number),
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
    """Issue one chunk in one transaction and a fixed number of statements, whatever its size: each
    certificate numbered, signed and recorded, each application moved (workflow_sets, one history row
    each), each title written into its holder's archive, each item settled (BATCH_ITEM)."""
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
        key = active_key(issuer)
        private = signing.decrypt_private_key(key.private_key_encrypted, kid=key.kid)
        applications = {
            a.pk: a
            for a in Application.objects.select_for_update(of=("self",))
            .filter(pk__in=[i.application_id for i in items])
            .select_related(
                "archive", "qualification__series", "specialty", "sub_specialty", "plan", "recommending_org"
            )
        }
        issued_at = clock.now()
        issue_date = timezone.localdate(issued_at)
        sequence = counter.last_sequence
        certificates, titles, skipped = [], [], []
        for item in items:
            application = applications[item.application_id]
            if workflow_sets.refusal(application, "issue_certificate"):
                item.note = f"申报状态为“{application.get_state_display()}”，未发证。"
                skipped.append(item)
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
            titles.append(
                (application.archive, _title_held(application=application, batch=batch, number=number))
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
                    signature=signing.sign(private, payload).split(".")[1],
                    issued_at=issued_at,
                )
            )
        BATCH_ITEM.take_set(skipped, "skip", fields=("note",), note=lambda item: item.note)
        for title, certificate in zip(
            application_services.archive_titles_record(titles), certificates, strict=True
        ):
            certificate.title_held = title
        numbers = {c.application_id: c.number for c in certificates}
        workflow_sets.take_system_move(
            [c.application for c in certificates],
            "issue_certificate",
            noted=lambda a: (f"电子证书{numbers[a.pk]}", {"certificate": numbers[a.pk]}),
        )
        Certificate.objects.bulk_create(certificates)
        issued = [item for item in items if item.application_id in numbers]
        BATCH_ITEM.take_set(issued, "issue", note=lambda item: numbers[item.application_id])
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
    """The title obtained here, for the holder's archive; effective from the approval date (domain.md,
    Decisions: "Effective date of a title")."""
    qualification = application.qualification
    return TitleHeld(
        series=qualification.series,
        qualification=qualification,
        level=qualification.level,
        obtained_date=batch.approval_date,
        method=_declared_method(application),
        issuer=batch.issuer.name[:120],
        certificate_no=number,
    )


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
    complete_batch(batch.pk)
    return {"issued": len(issued), "queued_renders": len(issued) + len(leftover)}
