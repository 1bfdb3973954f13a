"""Uploads are judged by parsing them, not by their first bytes: archives, active or invalid PDFs and
images that do not decode are refused; images are stored re-encoded; every file is stored under a
generated name with the extension of the type the check established."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from applications import services
from applications.evidence import ACTIVE_PDF, ARCHIVE, NOT_A_PDF, NOT_AN_IMAGE
from applications.models import Evidence, Objection
from tests.conftest import PDF_BYTES, PNG_BYTES

pytestmark = pytest.mark.django_db


def _pdf(pages: int = 1, *, change=None, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if change:
        change(writer)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _open_action_javascript(writer):
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )


def _launch_annotation(writer):
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
    )
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject(
                [NumberObject(0), NumberObject(0), NumberObject(99), NumberObject(99)]
            ),
            NameObject("/A"): action,
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("zeros.bin", b"\0" * (50 * 1024 * 1024))
    return buffer.getvalue()


def _png(size=(16, 16)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="PNG")
    return buffer.getvalue()


def _upload(world, name: str, content: bytes) -> Evidence:
    archive = world.complete_archive(world.applicant)
    return services.evidence_upload(archive=archive, upload=SimpleUploadedFile(name, content))


def _refused(world, name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        _upload(world, name, content)
    assert not Evidence.objects.exists()
    return refused.value.message_dict["file"][0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7\n" + _zip_bomb(), ARCHIVE),  # a zip bomb behind a PDF header
        (PDF_BYTES + _zip_bomb(), ARCHIVE),  # a valid PDF with a zip appended (a polyglot)
        (b"%PDF-<html><script>alert(document.cookie)</script></html>", NOT_A_PDF),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", NOT_A_PDF),
        (_pdf(change=_open_action_javascript), ACTIVE_PDF),
        (_pdf(change=_launch_annotation), ACTIVE_PDF),
        (PDF_BYTES.replace(b"/Producer", b"/J#61vaScript", 1), ACTIVE_PDF),  # an escaped name
        (b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>", NOT_AN_IMAGE),
        (b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>", NOT_AN_IMAGE),
        (_png()[:40], NOT_AN_IMAGE),  # truncated
    ],
    ids=[
        "zip-bomb-behind-pdf-header",
        "pdf-zip-polyglot",
        "pdf-header-then-html",
        "pdf-without-structure",
        "open-action-javascript",
        "launch-action",
        "escaped-javascript-name",
        "png-header-then-html",
        "jpeg-header-then-html",
        "truncated-png",
    ],
)
def test_a_hostile_or_broken_file_is_refused(world, content, message):
    assert _refused(world, "scan.pdf", content) == message


def test_an_encrypted_pdf_is_refused(world):
    assert "加密" in _refused(world, "scan.pdf", _pdf(password="secret"))


def test_a_pdf_over_the_page_limit_is_refused(world, settings):
    settings.EVIDENCE_MAX_PDF_PAGES = 3
    assert "超过3页" in _refused(world, "thesis.pdf", _pdf(pages=4))
    assert _upload(world, "thesis.pdf", _pdf(pages=3)).content_type == "application/pdf"


def test_an_image_over_the_pixel_limit_is_refused(world, settings):
    settings.EVIDENCE_MAX_IMAGE_PIXELS = 100 * 100
    assert "像素" in _refused(world, "photo.png", _png((101, 100)))


def test_an_image_is_stored_re_encoded_without_what_followed_it(world):
    evidence = _upload(world, "photo.png", _png() + b"<html><script>alert(1)</script></html>")
    stored = Path(evidence.file.path).read_bytes()
    assert b"<html" not in stored and Image.open(io.BytesIO(stored)).size == (16, 16)
    assert evidence.size == len(stored)


def test_a_valid_pdf_named_html_is_stored_and_served_as_a_pdf(world):
    evidence = _upload(world, "page.html", PDF_BYTES)
    assert evidence.file.name.endswith(".pdf") and "page" not in evidence.file.name
    assert evidence.original_name == "page.html" and evidence.content_type == "application/pdf"
    response = world.client_for(world.applicant).get(
        reverse("applications:evidence", args=[evidence.pk]) + "?download=1"
    )
    assert response["Content-Type"] == "application/pdf"
    assert "page.pdf" in response["Content-Disposition"] and ".html" not in response["Content-Disposition"]


def test_a_path_and_control_characters_in_the_name_are_dropped(world):
    evidence = _upload(world, "../../etc/\x00degree.png", PNG_BYTES)
    assert evidence.original_name == "degree.png"
    assert evidence.file.name.endswith(".png") and ".." not in evidence.file.name


def test_the_upload_page_shows_the_refusal(world):
    application = world.draft()
    response = world.client_for(world.applicant).post(
        reverse("applications:evidence_upload", args=[application.pk]),
        {
            "material_code": "degree",
            "file": SimpleUploadedFile("d.pdf", _pdf(change=_open_action_javascript)),
        },
        follow=True,
    )
    assert ACTIVE_PDF in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_public_objection_api_refuses_an_active_pdf(world):
    notice = world.publicised([world.submitted()])
    entry = notice.entries.get()
    response = Client().post(
        reverse("api-objection-create", args=[notice.pk]),
        {
            "entry": entry.pk,
            "name": "王某",
            "contact": "13800000000",
            "reason": "所报项目并非本人主持，请核实。",
            "evidence": SimpleUploadedFile("proof.pdf", _pdf(change=_open_action_javascript)),
        },
    )
    assert response.status_code == 400 and response.json()["errors"]["file"] == [ACTIVE_PDF]
    assert not Objection.objects.exists()
