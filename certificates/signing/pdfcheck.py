"""A certificate PDF's verdict: its PAdES signature, the token it carries, and its printed text compared
exactly with the signed fields."""

from __future__ import annotations

import io

from pypdf import PdfReader

from . import pades
from .documents import KeySet, StatusLists, revoked_message
from .encoding import TOKEN_METADATA
from .printed import compare_printed
from .verification import (
    NOT_CERTIFICATE,
    PDF_BROKEN,
    PDF_MODIFIED,
    PRINTED,
    REVOKED_KEY,
    TOKEN,
    UNKNOWN_SIGNER,
    Verdict,
    verify_token,
)

_PADES_KINDS = {
    pades.UNREADABLE: NOT_CERTIFICATE,
    pades.UNSIGNED: NOT_CERTIFICATE,
    pades.BROKEN: PDF_BROKEN,
    pades.MODIFIED: PDF_MODIFIED,
    pades.UNKNOWN_SIGNER: UNKNOWN_SIGNER,
}


def read_certificate_pdf(data: bytes) -> tuple[str, str]:
    """The token kept in the PDF's metadata and the page's text (pypdf, in content order); raises
    ValueError when the file is not a readable PDF."""
    try:
        reader = PdfReader(io.BytesIO(data))
        token = (reader.metadata or {}).get(f"/{TOKEN_METADATA}", "")
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        raise ValueError(f"不是可读取的PDF文件：{exc}") from exc
    return str(token or ""), text


def verify_pdf(data: bytes, *, keys: KeySet, status: StatusLists | None = None) -> Verdict:
    """A certificate PDF: its signature (intact, over the whole file, by a published issuer certificate,
    the key not revoked and the same key that signed the fields), its token, its text exactly as the
    signed fields print."""
    signature = pades.check_pdf_signature(
        data, {fingerprint: key.x509 for fingerprint, key in keys.by_certificate.items()}
    )
    try:
        token, text = read_certificate_pdf(data)
    except ValueError as exc:
        verdict = Verdict()
        for kind, message in signature.problems:
            verdict.fail(message, _PADES_KINDS[kind])
        return verdict.fail(str(exc), NOT_CERTIFICATE)
    if token:
        verdict = verify_token(token, keys=keys, status=status)
    else:
        verdict = Verdict().fail(
            f"PDF中没有证书签名内容（元数据 {TOKEN_METADATA}），不是本平台签发的电子证书。", NOT_CERTIFICATE
        )
    for kind, message in reversed(signature.problems):
        verdict.fail(message, _PADES_KINDS[kind], first=True)
    signer = keys.by_certificate.get(signature.fingerprint)
    payload = verdict.payload or {}
    if signer is not None and not signature.problems:
        if signer.status == "revoked" and REVOKED_KEY not in verdict.kinds:
            verdict.fail(revoked_message(signer), REVOKED_KEY, first=True)
        if payload and payload.get("kid") != signer.kid:
            verdict.fail(
                f"PDF由密钥“{signer.kid}”签名，证书内容却由密钥“{payload.get('kid')}”签名：两者不属于同一份证书。",
                UNKNOWN_SIGNER,
            )
    if payload and TOKEN not in verdict.kinds:
        for problem in compare_printed(payload, text):
            verdict.fail(problem, PRINTED)
    return verdict
