"""Reads: the published keys and status lists, online verification, batch progress."""

from __future__ import annotations

import binascii
import datetime as dt
import json
from dataclasses import dataclass, field

from django.db.models import Count, Q

from portal import clock
from portal.validators import mask_id_number

from . import signing
from .models import OUTCOME_LABELS, BatchItem, Certificate, CertificateBatch, IssuerProfile, SigningKey
from .pdf import id_type_label
from .permissions import issuing_org_ids
from .tokens import certificate_token

STATUS_LIST_LIFETIME = dt.timedelta(days=1)


def keys_document(kid: str | None = None) -> dict:
    """keys.json: every signing key with its status (or, with `kid`, only that key)."""
    keys = SigningKey.objects.select_related("issuer").order_by("issuer_id", "created_at")
    if kid is not None:
        keys = keys.filter(kid=kid)
    return {
        "type": signing.KEYS_TYPE,
        "v": signing.FORMAT_VERSION,
        "generated_at": clock.now().isoformat(),
        "keys": [
            signing.key_document_entry(
                kid=k.kid,
                issuer=k.issuer.credit_code,
                issuer_name=k.issuer.name,
                public_key=k.public_key,
                status=k.status,
                created_at=k.created_at,
                retired_at=k.retired_at,
                revoked_at=k.revoked_at,
                x509_der=signing.certificate_der(k.certificate_pem),
            )
            for k in keys
        ],
    }


def keyset(kid: str | None = None) -> signing.KeySet:
    """The published keys as a verifier reads them; with `kid`, only the key a token names, which is the
    only one verifying it consults (documents.open_signed looks its key up by the payload's kid)."""
    return signing.KeySet.from_document(keys_document(kid))


def _token_kid(token: str) -> str:
    """The kid a token's payload names, read without checking anything (open_signed checks it all)."""
    try:
        payload = json.loads(signing.b64d(token.strip().split(".", 1)[0]))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return ""
    kid = payload.get("kid") if isinstance(payload, dict) else None
    return kid if isinstance(kid, str) else ""


def status_document() -> dict:
    """One signed list per issuer: the certificates that are not valid (a CRL); anything validly
    signed and not listed was valid when the list was signed."""
    now = clock.now()
    lists = []
    active = (
        SigningKey.objects.filter(status=SigningKey.Status.ACTIVE)
        .select_related("issuer")
        .order_by("issuer_id")
    )
    for key in active:
        entries = (
            Certificate.objects.filter(issuer=key.issuer)
            .exclude(status=Certificate.Status.VALID)
            .order_by("number")
            .values_list("number", "status", "status_changed_at")
        )
        payload = signing.status_list_payload(
            issuer=key.issuer.credit_code,
            kid=key.kid,
            issued_at=now,
            next_update=now + STATUS_LIST_LIFETIME,
            entries=list(entries),
        )
        private = signing.decrypt_private_key(key.private_key_encrypted, kid=key.kid)
        lists.append(
            {
                "issuer": key.issuer.credit_code,
                "issuer_name": key.issuer.name,
                "token": signing.sign(private, payload, context=signing.STATUS_CONTEXT),
            }
        )
    return {
        "type": signing.STATUS_TYPE,
        "v": signing.FORMAT_VERSION,
        "generated_at": now.isoformat(),
        "lists": lists,
    }


# ---------------------------------------------------------------- online verification


@dataclass
class Lookup:
    outcome: str  # valid, suspended, revoked, unknown, invalid
    number: str = ""
    certificate: Certificate | None = None
    name_matched: bool | None = None
    full: bool = False
    messages: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]

    def fields(self) -> dict:
        """What the public sees: the basics by number alone; more with the right name or the QR code."""
        if self.certificate is None:
            return {}
        p = self.certificate.payload
        basic = {
            "number": p["no"],
            "holder_name": _mask_name(p["nm"]),
            "series": p["ser"],
            "qualification": p["q"],
            "level": p["lv"],
            "issuer": p["iss"],
            "issue_date": p["isd"],
        }
        if not self.full:
            return basic
        return {
            **basic,
            "holder_name": p["nm"],
            "id_type": id_type_label(p["idt"]),
            "id_number": mask_id_number(p["idn"]),
            "work_unit": p["wu"],
            "specialty": p["spc"],
            "committee": p["cmt"],
            "approval_doc_no": p["adn"],
            "approval_date": p["add"],
            "identifier": p["eid"],
        }

    def rows(self) -> list[tuple[str, str]]:
        return [(FIELD_LABELS[key], value) for key, value in self.fields().items()]


FIELD_LABELS = {
    "number": "证书编号",
    "holder_name": "姓名",
    "id_type": "证件类型",
    "id_number": "证件号码",
    "work_unit": "工作单位",
    "series": "系列",
    "specialty": "专业",
    "qualification": "资格名称",
    "level": "资格级别",
    "committee": "评审委员会",
    "approval_doc_no": "批准文号",
    "approval_date": "批准日期",
    "issuer": "发证机构",
    "issue_date": "发证日期",
    "identifier": "电子证照标识",
}


def _mask_name(name: str) -> str:
    return name[:1] + "*" * (len(name) - 1) if name else ""


def _normalise(text: str) -> str:
    return "".join((text or "").split())


def _check_record(certificate: Certificate, lookup: Lookup, keys: signing.KeySet | None = None) -> None:
    """The stored certificate must still verify (a revoked key, or a row altered in the database).
    `keys`: the keys the caller read already (a QR code's), used when they hold the one it names."""
    token = certificate_token(certificate)
    kid = _token_kid(token)
    if keys is None or kid not in keys.by_kid:
        keys = keyset(kid)
    verdict = signing.verify_token(token, keys=keys)
    if verdict.errors:
        lookup.outcome = "invalid"
        lookup.messages.extend(verdict.errors)
    else:
        lookup.outcome = certificate.status
        if certificate.status != Certificate.Status.VALID:
            lookup.messages.append(
                f"证书自{certificate.status_changed_at:%Y-%m-%d}起{OUTCOME_LABELS[certificate.status]}。"
            )


def certificate_lookup(*, number: str = "", name: str = "", token: str = "") -> Lookup:
    if token:
        keys = keyset(_token_kid(token))
        verdict = signing.verify_token(token, keys=keys)
        if verdict.errors:
            return Lookup(
                outcome="invalid",
                number=(verdict.payload or {}).get("no", ""),
                messages=["二维码内容验证未通过：" + e for e in verdict.errors],
            )
        number = verdict.payload["no"]
        certificate = Certificate.objects.select_related("issuer").filter(number=number).first()
        if certificate is None:
            return Lookup(outcome="unknown", number=number, messages=["签名有效，但本平台没有该证书的登记。"])
        lookup = Lookup(outcome="valid", number=number, certificate=certificate, full=True)
        if certificate.payload != verdict.payload:
            lookup.outcome = "invalid"
            lookup.messages.append("二维码内容与登记信息不一致。")
            return lookup
        _check_record(certificate, lookup, keys)
        return lookup
    certificate = Certificate.objects.select_related("issuer").filter(number=number.strip()).first()
    if certificate is None:
        return Lookup(outcome="unknown", number=number.strip(), messages=["未查到该证书编号。"])
    lookup = Lookup(outcome="valid", number=certificate.number, certificate=certificate)
    if name.strip():
        lookup.name_matched = _normalise(name) == _normalise(certificate.holder_name)
        lookup.full = lookup.name_matched
        if not lookup.name_matched:
            lookup.messages.append("姓名与证书不符，仅显示基本信息。")
    _check_record(certificate, lookup)
    return lookup


# ---------------------------------------------------------------- batches


@dataclass(frozen=True)
class Progress:
    total: int
    issued: int
    skipped: int
    rendered: int
    failed: int

    @property
    def pending(self) -> int:
        return self.total - self.issued - self.skipped

    @property
    def done(self) -> bool:
        return self.pending == 0 and self.rendered == self.issued

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "issued": self.issued,
            "skipped": self.skipped,
            "pending": self.pending,
            "rendered": self.rendered,
            "render_failed": self.failed,
            "done": self.done,
        }


def batch_progress(batch: CertificateBatch) -> Progress:
    items = batch.items.aggregate(
        total=Count("id"),
        issued=Count("id", filter=Q(outcome=BatchItem.Outcome.ISSUED)),
        skipped=Count("id", filter=Q(outcome=BatchItem.Outcome.SKIPPED)),
    )
    certs = batch.certificates.aggregate(
        rendered=Count("id", filter=Q(pdf_rendered_at__isnull=False)),
        failed=Count("id", filter=Q(pdf_rendered_at__isnull=True) & ~Q(render_error="")),
    )
    return Progress(
        total=items["total"],
        issued=items["issued"],
        skipped=items["skipped"],
        rendered=certs["rendered"],
        failed=certs["failed"],
    )


def issuers_of(user) -> list[IssuerProfile]:
    return list(IssuerProfile.objects.filter(organisation__in=issuing_org_ids(user), is_active=True))
