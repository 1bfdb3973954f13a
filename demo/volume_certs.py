"""Result filings and certificates for generate_volume: one approved filing per committee for its approved
and certified applications, and for the certified ones a certificate with its number from the issuer's
counter, its payload signed with the issuer's key exactly as issuance signs it, its batch item, its status
history and the title recorded in the holder's archive. No PDF is rendered: the rows are marked rendered
(pdf_rendered_at) with no file, so the render sweep leaves them and the pages say no PDF is available."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from certificates import signing
from certificates.identifiers import certificate_number, licence_identifier
from certificates.models import CommitteeCode, IssuerProfile, NumberCounter
from certificates.services.issuance import certificate_payload
from certificates.services.keys import active_key
from rules.vocab import DeclarationType, TitleMethod

from .tables import SHANGHAI
from .volume_context import Context
from .volume_copy import Copier, reserve_ids
from .volume_groups import Schedule, local


class Filings:
    def __init__(self, context: Context, schedule: Schedule):
        self.context, self.schedule = context, schedule
        self.ids = {}
        first = reserve_ids("committees_resultfiling", len(context.committees))
        self.rows = Copier(
            "committees_resultfiling",
            ["id", "committee_id", "meeting_id", "title", "created_by_id", "created_at", "status"]
            + ["approved_by_id", "approved_at", "approval_document_no"],
        )
        self.entries = Copier("committees_filingentry", ["filing_id", "application_id"])
        context.tables |= {"committees_resultfiling", "committees_filingentry"}
        year = context.plans[0].year
        for n, (committee_id, committee) in enumerate(sorted(context.committees.items())):
            filing_id = first + n
            bureau = committee.parent_bureau
            officer = context.officer.get(committee.parent_bureau_id)
            if bureau is None or officer is None:
                continue
            document_no = f"{bureau.short_name or bureau.name}职〔{year}〕{filing_id}号"
            self.ids[committee_id] = (filing_id, document_no, officer)
            approved = local(schedule.approved_on, 10)
            self.rows.add(
                [filing_id, committee_id, None, f"{year}年度{committee.name}评审结果备案表"]
                + [context.clerk[committee_id], approved - dt.timedelta(hours=20), "approved", officer]
                + [approved, document_no]
            )

    def file(self, committee_id: int, application_id) -> tuple[int, str, int] | None:
        """(filing id, document number, approving officer) after the entry is written; None if no filing."""
        found = self.ids.get(committee_id)
        if found is not None:
            self.entries.add([found[0], application_id])
        return found

    def close(self) -> None:
        self.rows.close()
        self.entries.close()


class Certificates:
    def __init__(self, context: Context, schedule: Schedule, filings: Filings, people):
        self.context, self.filings, self.people = context, filings, people
        self.issued_at = local(schedule.approved_on + dt.timedelta(days=1), 10, 30)
        self.issue_date = timezone.localdate(self.issued_at, SHANGHAI)
        self.committees: dict[int, dict] = {}
        self.batches = Copier(
            "certificates_certificatebatch",
            ["id", "issuer_id", "committee_id", "year", "approved_by_id", "approval_doc_no", "approval_date"]
            + ["created_at", "issued_at", "completed_at", "runs"],
        )
        self.items = Copier("certificates_batchitem", ["batch_id", "application_id", "outcome", "note"])
        self.rows = Copier(
            "certificates_certificate",
            ["id", "number", "identifier", "application_id", "batch_id", "issuer_id", "holder_id"]
            + [
                "signing_key_id",
                "payload",
                "signature",
                "issued_at",
                "status",
                "status_reason",
                "title_held_id",
            ]
            + ["pdf", "pdf_sha256", "pdf_rendered_at", "render_attempts", "render_error"],
        )
        self.changes = Copier(
            "certificates_statuschange",
            ["certificate_id", "from_status", "to_status", "actor_id", "at", "reason", "decision_document"],
        )
        context.tables |= {
            "certificates_certificate",
            "certificates_certificatebatch",
            "certificates_batchitem",
        }
        context.tables |= {"certificates_statuschange", "certificates_numbercounter"}
        for committee_id, committee in context.committees.items():
            issuer = IssuerProfile.objects.filter(organisation_id=committee.parent_bureau_id).first()
            code = CommitteeCode.objects.filter(issuer=issuer, committee_id=committee_id).first()
            filing = filings.ids.get(committee_id)
            if issuer is None or code is None or filing is None:
                continue
            key = active_key(issuer)
            counter, _ = NumberCounter.objects.get_or_create(
                region_code=issuer.region_code, year=context.plans[0].year, committee_code=code.code
            )
            self.committees[committee_id] = {
                "issuer": issuer,
                "committee": committee,
                "code": code.code,
                "key": key,
                "private": signing.decrypt_private_key(key.private_key_encrypted, kid=key.kid),
                "counter": counter,
                "batch": None,
                "filing": filing,
            }

    def can_issue(self, committee_id: int) -> bool:
        return committee_id in self.committees

    def _batch(self, entry: dict) -> uuid.UUID:
        if entry["batch"] is None:
            entry["batch"] = uuid.uuid4()
            _filing_id, document_no, officer = entry["filing"]
            approved = self.issued_at - dt.timedelta(days=1)
            self.batches.add(
                [
                    entry["batch"],
                    entry["issuer"].pk,
                    entry["committee"].pk,
                    self.context.plans[0].year,
                    officer,
                ]
                + [
                    document_no,
                    approved.astimezone(SHANGHAI).date(),
                    approved,
                    self.issued_at,
                    self.issued_at,
                    1,
                ]
            )
        return entry["batch"]

    def issue(self, application, *, archive_id: int) -> str:
        """Issue the (unsaved, fully related) application's certificate; return its number."""
        entry = self.committees[application.committee_id]
        batch_id = self._batch(entry)
        issuer, counter = entry["issuer"], entry["counter"]
        counter.last_sequence += 1
        number = certificate_number(
            region_code=issuer.region_code,
            year=self.context.plans[0].year,
            committee_code=entry["code"],
            sequence=counter.last_sequence,
        )
        identifier = licence_identifier(
            type_code=issuer.type_code, issuer_code=issuer.credit_code, serial=number
        )
        batch = _BatchView(entry, self.issued_at)
        payload = certificate_payload(
            application=application,
            batch=batch,
            number=number,
            identifier=identifier,
            kid=entry["key"].kid,
            issue_date=self.issue_date,
        )
        signature = signing.sign(entry["private"], payload).split(".")[1]
        qualification = application.qualification
        title_id = self.people.title_id()
        method = {
            DeclarationType.RECOGNITION: TitleMethod.RECOGNITION,
            DeclarationType.INITIAL: TitleMethod.INITIAL,
        }.get(application.declaration_type, TitleMethod.REVIEW)
        approved_on = batch.approval_date
        self.people.titles.add(
            [title_id, archive_id, qualification.series_id, qualification.pk, "", qualification.level]
            + [approved_on, approved_on, method, issuer.name, number, True]
        )
        certificate_id = uuid.uuid4()
        self.rows.add(
            [
                certificate_id,
                number,
                identifier,
                application.pk,
                batch_id,
                issuer.pk,
                application.applicant_id,
            ]
            + [entry["key"].pk, payload, signature, self.issued_at, "valid", "", title_id]
            + ["", "", self.issued_at, 0, ""]
        )
        self.items.add([batch_id, application.pk, "issued", number])
        self.changes.add([certificate_id, "", "valid", None, self.issued_at, "发证", batch.approval_doc_no])
        return number

    def close(self) -> None:
        for copier in (self.batches, self.items, self.rows, self.changes):
            copier.close()
        for entry in self.committees.values():
            counter = entry["counter"]
            NumberCounter.objects.filter(pk=counter.pk).update(last_sequence=counter.last_sequence)


class _BatchView:
    """What certificate_payload reads of a batch, without a saved batch object per call."""

    def __init__(self, entry: dict, issued_at: dt.datetime):
        self.committee = entry["committee"]
        self.issuer = entry["issuer"]
        self.approval_doc_no = entry["filing"][1]
        self.approval_date = (issued_at - dt.timedelta(days=1)).astimezone(SHANGHAI).date()
