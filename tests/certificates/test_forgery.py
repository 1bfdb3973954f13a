"""Attacks on certificate PDFs, checked with the offline verifier as a relying party would run it: a PDF
re-rendered with other fields around a genuine QR code, an incremental update that covers a field, a
changed byte, a key revoked after issue; and the QR code and link searched for the holder's ID number.
Every PDF here is really rendered, signed and read back."""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from certificates import pdf, selectors, signing
from certificates.models import Certificate, SigningKey
from certificates.signing import pades
from certificates.signing.pdfcheck import read_certificate_pdf
from certificates.tokens import certificate_token

from .test_pdf import page_image, read_qr

pytestmark = pytest.mark.django_db


def write(tmp_path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def keys_file(tmp_path) -> Path:
    return write(tmp_path, "keys.json", json.dumps(selectors.keys_document()).encode())


def verify(path: Path, keys: Path) -> tuple[int, str]:
    """(exit status, what the command said) of `manage.py verify_certificate`, called in-process."""
    try:
        call_command("verify_certificate", str(path), "--keys", str(keys))
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, ""


def forged_pdf(issued: Certificate, **fields) -> bytes:
    """The certificate re-rendered with other fields, carrying the genuine token (QR code, metadata)."""
    return pdf.render_certificate(payload={**issued.payload, **fields}, token=certificate_token(issued))


def genuine(issued: Certificate) -> bytes:
    with issued.pdf.open("rb") as handle:
        return handle.read()


def test_the_genuine_pdf_passes_with_exit_0_and_its_signature_is_shown_by_poppler(issued, tmp_path):
    path, keys = write(tmp_path, "genuine.pdf", genuine(issued)), keys_file(tmp_path)
    run = subprocess.run(
        [sys.executable, "manage.py", "verify_certificate", str(path), "--keys", str(keys)],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "证书有效" in run.stdout and issued.number in run.stdout
    # A standard reader's view (poppler, as Okular and Evince use it): signed by the bureau, intact, whole.
    shown = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert issued.issuer.name in shown and "Signature is Valid" in shown
    assert "Total document signed" in shown and "ETSI.CAdES.detached" in shown


def test_a_rerendered_pdf_with_a_higher_title_around_the_genuine_qr_code_is_rejected(issued, tmp_path):
    keys = keys_file(tmp_path)
    forged = forged_pdf(issued, q="高级工程师", lv="正高级")
    assert signing.verify_token(certificate_token(issued), keys=selectors.keyset()).ok  # the QR is genuine
    status, said = verify(write(tmp_path, "forged.pdf", forged), keys)
    assert status == 3 and "PDF没有电子签名" in said
    assert "PDF上的“资格名称”（高级工程师）与签名内容（工程师）不一致" in said
    assert "PDF上的“资格级别”（正高级）与签名内容（中级）不一致" in said
    # Signed by the forger with a certificate of his own that names the bureau: not a published one.
    private = pades.new_pdf_key()
    own = pades.issuer_certificate(
        private,
        issuer_name=issued.issuer.name,
        credit_code=issued.issuer.credit_code,
        kid=issued.signing_key.kid,
        at=issued.issued_at,
    )
    signed = pades.sign_pdf(forged, private=private, certificate_der=own, signer_name=issued.issuer.name)
    status, said = verify(write(tmp_path, "forged-signed.pdf", signed), keys)
    assert status == 6 and "不是公布的发证机构签名证书" in said and "资格级别" in said
    # Only the level changed, everything else as signed: still caught, field by field.
    status, said = verify(write(tmp_path, "level.pdf", forged_pdf(issued, lv="正高级")), keys)
    assert status == 3 and "资格级别" in said and "资格名称" not in said


def _overlay(data: bytes, text: bytes) -> bytes:
    """An incremental update drawing a white box and new text over the page (a covered field)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    font = writer.add_object(
        generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/Font"),
                generic.pdf_name("/Subtype"): generic.pdf_name("/Type1"),
                generic.pdf_name("/BaseFont"): generic.pdf_name("/Helvetica"),
            }
        )
    )
    stream = writer.add_object(
        generic.StreamObject(
            stream_data=b"q 1 1 1 rg 150 480 300 40 re f Q BT /FX 16 Tf 160 495 Td (" + text + b") Tj ET"
        )
    )
    resources = generic.DictionaryObject(
        {generic.pdf_name("/Font"): generic.DictionaryObject({generic.pdf_name("/FX"): font})}
    )
    writer.add_stream_to_page(0, stream, resources=resources)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _annotation(data: bytes, text: str) -> bytes:
    """An incremental update adding a FreeText annotation over a field."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    page_ref, _ = writer.find_page_for_modification(0)
    page = page_ref.get_object()
    annotation = writer.add_object(
        generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
                generic.pdf_name("/Subtype"): generic.pdf_name("/FreeText"),
                generic.pdf_name("/Rect"): generic.ArrayObject(
                    [generic.FloatObject(v) for v in (150, 480, 450, 520)]
                ),
                generic.pdf_name("/Contents"): generic.TextStringObject(text),
                generic.pdf_name("/DA"): generic.pdf_string("/Helv 16 Tf 0 g"),
            }
        )
    )
    annotations = page.get("/Annots", generic.ArrayObject())
    page[generic.pdf_name("/Annots")] = generic.ArrayObject([*annotations, annotation])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_incremental_update_covering_a_field_is_rejected(issued, tmp_path):
    keys, data = keys_file(tmp_path), genuine(issued)
    for name, updated in (
        ("overlay.pdf", _overlay(data, b"Senior Engineer")),
        ("annotation.pdf", _annotation(data, "高级工程师 正高级")),
    ):
        assert updated.startswith(data)  # the signed bytes are all still there, untouched
        path = write(tmp_path, name, updated)
        status, said = verify(path, keys)
        assert status == 5 and "增量更新" in said, (name, said)
        shown = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
        assert "Total document signed" not in shown


def _byte_range(data: bytes) -> list[int]:
    return [int(v) for v in re.search(rb"/ByteRange\s*\[\s*(\d+) (\d+) (\d+) (\d+)", data).groups()]


def test_one_changed_byte_is_rejected(issued, tmp_path):
    keys, data = keys_file(tmp_path), genuine(issued)
    start, length, _, _ = _byte_range(data)
    # A byte inside the page's compressed streams (signed), and one of the signature itself.
    streams = [m.end() for m in re.finditer(rb"stream\r?\n", data[start : start + length])]
    inside = streams[len(streams) // 2] + 10
    for position in (inside, start + length + 100):
        changed = bytearray(data)
        changed[position] ^= 0x01
        status, said = verify(write(tmp_path, "changed.pdf", bytes(changed)), keys)
        assert status == 4 and "PDF签名" in said, (position, said)


def test_the_qr_code_and_link_carry_no_full_id_number(issued, tmp_path):
    full = issued.application.archive.id_number
    assert re.fullmatch(r"\d{17}[\dX]", full)
    data = genuine(issued)
    (url,) = read_qr(page_image(data, tmp_path))
    token = parse_qs(urlsplit(url).query)["c"][0]
    body = signing.b64d(token.split(".")[0]).decode("utf-8")
    link = pdf.verification_url(certificate_token(issued))
    for text in (url, unquote(url), body, link, json.dumps(issued.payload, ensure_ascii=False)):
        # Neither the number nor its hidden middle (birth date), nor any other 18-character ID number.
        assert full not in text and full[3:-4] not in text
        assert not re.search(r"(?<![0-9A-Z])\d{17}[\dX](?![0-9A-Z])", text), text
    assert json.loads(body)["idn"] == full[:3] + "*" * 11 + full[-4:]
    # Nor anywhere in the PDF: its text, its metadata, its bytes.
    assert full.encode() not in data and full.encode("utf-16-be") not in data
    token_in_pdf, text = read_certificate_pdf(data)
    assert full not in text and full not in signing.b64d(token_in_pdf.split(".")[0]).decode()


def test_a_revoked_key_fails_everywhere_and_the_reissued_certificate_passes(
    issued, world, tmp_path, django_capture_on_commit_callbacks
):
    old_pdf, old_token, old_key = genuine(issued), certificate_token(issued), issued.signing_key
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "certificate_keys", "revoke", "--kid", old_key.kid, "--reason", "私钥疑似泄露", "--by", "officer"
        )
    keys = keys_file(tmp_path)
    # Offline: the original PDF, and the QR link it carries.
    status, said = verify(write(tmp_path, "old.pdf", old_pdf), keys)
    assert status == 7 and f"签名密钥“{old_key.kid}”已于" in said and "吊销" in said
    with pytest.raises(CommandError, match="吊销") as raised:
        call_command("verify_certificate", pdf.verification_url(old_token), "--keys", str(keys))
    assert raised.value.returncode == 7
    # Online: the old QR code, and the number (the record was re-issued, so it is valid again).
    lookup = selectors.certificate_lookup(token=old_token)
    assert lookup.outcome == "invalid" and any("吊销" in m for m in lookup.messages)
    issued.refresh_from_db()
    new_key = SigningKey.objects.get(issuer=issued.issuer, status=SigningKey.Status.ACTIVE)
    assert issued.signing_key == new_key != old_key and issued.is_rendered
    assert selectors.certificate_lookup(number=issued.number).outcome == "valid"
    assert selectors.certificate_lookup(token=certificate_token(issued)).outcome == "valid"
    # The re-issued PDF, rendered and signed under the new key, passes; the history names the officer.
    status, said = verify(write(tmp_path, "new.pdf", genuine(issued)), keys)
    assert status == 0, said
    last = issued.status_changes.order_by("at", "id").last()
    assert last.actor == world.officer and "重新签发" in last.reason and old_key.kid in last.reason
    assert (last.from_status, last.to_status) == ("valid", "valid")


def test_the_admin_action_revokes_and_reissues_in_the_administrators_name(
    issued, world, tmp_path, django_capture_on_commit_callbacks
):
    from tests import factories

    root = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    old_key = issued.signing_key
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client_for(root).post(
            "/admin/certificates/signingkey/",
            {"action": "revoke", "_selected_action": [str(old_key.pk)], "reason": "私钥疑似泄露"},
        )
    assert response.status_code == 302
    old_key.refresh_from_db()
    issued.refresh_from_db()
    assert old_key.status == SigningKey.Status.REVOKED and issued.signing_key != old_key
    assert issued.status_changes.order_by("at", "id").last().actor == root
    status, said = verify(write(tmp_path, "new.pdf", genuine(issued)), keys_file(tmp_path))
    assert status == 0, said


def test_signing_and_checking_work_inside_a_thread_whose_event_loop_is_running(issued):
    """A browser driver or an async server leaves a running loop in the thread; pyHanko's own loop must
    not collide with it (it did, and the renders after the browser journeys failed)."""
    keys = selectors.keyset()
    published = {fingerprint: key.x509 for fingerprint, key in keys.by_certificate.items()}
    private = pades.new_pdf_key()
    own = pades.issuer_certificate(
        private,
        issuer_name=issued.issuer.name,
        credit_code=issued.issuer.credit_code,
        kid=issued.signing_key.kid,
        at=issued.issued_at,
    )

    async def inside_a_loop():
        check = pades.check_pdf_signature(genuine(issued), published)
        signed = pades.sign_pdf(
            forged_pdf(issued), private=private, certificate_der=own, signer_name=issued.issuer.name
        )
        return check, pades.check_pdf_signature(signed, {pades.fingerprint(own): own})

    genuine_check, own_check = asyncio.run(inside_a_loop())
    assert genuine_check.ok, genuine_check.problems
    assert own_check.ok, own_check.problems
