"""The PDF's own signature (PAdES, ETSI.CAdES.detached, with pyHanko) and its check.

Each signing key of an issuer has, besides its Ed25519 key (the tokens), an ECDSA P-256 key and a
self-signed X.509 certificate naming the issuing bureau (CN and O: its name, serialNumber: its credit
code, OU: the kid), which keys.json publishes with the key. P-256 rather than Ed25519 because common PDF
readers (Acrobat, poppler's pdfsig) validate ECDSA signatures and not yet EdDSA ones.

The certificate PDF is certified (DocMDP: no changes allowed), so a reader flags any later change; the
check here accepts only a signature that is intact, covers the whole file (no incremental update after
it) and was made with a published certificate.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

FIELD_NAME = "IssuerSignature"
REASON = "电子职称证书签发"
VALIDITY = dt.timedelta(days=365 * 50)


def _outside_any_loop(call, *args, **kwargs):
    """pyHanko's synchronous calls run their own event loop (asyncio.run), which Python refuses inside a
    thread whose loop is already running (a browser driver's, an async server's): there the call runs in
    a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call, *args, **kwargs).result()


def new_pdf_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def private_key_bytes(private: ec.EllipticCurvePrivateKey) -> bytes:
    return private.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def load_private_key(data: bytes) -> ec.EllipticCurvePrivateKey:
    private = serialization.load_der_private_key(data, password=None)
    if not isinstance(private, ec.EllipticCurvePrivateKey):
        raise ValueError("not an EC key")
    return private


def issuer_certificate(
    private: ec.EllipticCurvePrivateKey, *, issuer_name: str, credit_code: str, kid: str, at: dt.datetime
) -> bytes:
    """The self-signed certificate (DER) of one signing key, valid from a day before `at` for 50 years."""
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, issuer_name[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, issuer_name[:64]),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"电子证书签名密钥 {kid}"),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, credit_code),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        ]
    )
    start = at - dt.timedelta(days=1)
    public = private.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(private, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.DER)


def fingerprint(certificate_der: bytes) -> str:
    return hashlib.sha256(certificate_der).hexdigest()


def sign_pdf(
    data: bytes, *, private: ec.EllipticCurvePrivateKey, certificate_der: bytes, signer_name: str
) -> bytes:
    """The PDF certified with an invisible signature field in the issuing bureau's name."""
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(certificate_der),
        signing_key=asn1_keys.PrivateKeyInfo.load(private_key_bytes(private)),
        cert_registry=None,
    )
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        name=signer_name,
        reason=REASON,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
    )
    out = _outside_any_loop(signers.sign_pdf, IncrementalPdfFileWriter(io.BytesIO(data)), meta, signer=signer)
    return out.getvalue()


# What a PDF's signature check found: `kind` names the first failure (the command's exit status).
UNREADABLE, UNSIGNED, BROKEN, MODIFIED, UNKNOWN_SIGNER = (
    "unreadable",
    "unsigned",
    "broken",
    "modified",
    "signer",
)


@dataclass
class PdfSignature:
    fingerprint: str = ""
    signer: str = ""
    signed_at: dt.datetime | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_pdf_signature(data: bytes, published: dict[str, bytes]) -> PdfSignature:
    """Check the PDF's signature against the published certificates (fingerprint → DER)."""
    result = PdfSignature()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception as exc:  # pyHanko raises many kinds on a damaged file
        result.problems.append((UNREADABLE, f"PDF结构损坏，无法读取签名：{exc}"))
        return result
    if not signatures:
        result.problems.append((UNSIGNED, "PDF没有电子签名：不是发证机构签发的原件（或签名已被去除）。"))
        return result
    if len(signatures) > 1:
        result.problems.append(
            (MODIFIED, "PDF含有多个签名：原件只有发证机构的一个签名，文件在签发后被改动。")
        )
    signature = signatures[0]
    try:
        certificate = signature.signer_cert
        result.fingerprint = fingerprint(certificate.dump())
        result.signer = certificate.subject.native.get("common_name", "")
    except Exception as exc:
        result.problems.append((BROKEN, f"PDF签名数据损坏：{exc}"))
        return result
    trusted = published.get(result.fingerprint)
    if trusted is None:
        result.problems.append(
            (
                UNKNOWN_SIGNER,
                f"PDF的签名证书（{result.signer or '未命名'}）不是公布的发证机构签名证书："
                "签名不是发证机构所签。",
            )
        )
    context = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(trusted or certificate.dump())], allow_fetching=False
    )
    try:
        status = _outside_any_loop(validate_pdf_signature, signature, context)
    except Exception as exc:
        result.problems.insert(0, (BROKEN, f"PDF签名无法验证：{exc}"))
        return result
    result.signed_at = status.signer_reported_dt
    if not (status.intact and status.valid):
        result.problems.insert(
            0, (BROKEN, "PDF签名验证失败：文件内容与签名不符（签名后被改动，或签名损坏）。")
        )
        return result
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if not whole or status.modification_level not in (None, ModificationLevel.NONE):
        result.problems.insert(
            0,
            (
                MODIFIED,
                "PDF在签名之后被追加了修改（增量更新），签名未覆盖整个文件："
                "签名之后的内容（批注、覆盖的文字等）不是发证机构签发的。",
            ),
        )
    elif not status.docmdp_ok:
        result.problems.insert(0, (MODIFIED, "PDF签名后的改动超出了签名允许的范围。"))
    return result
