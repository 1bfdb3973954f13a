"""The PDFs really rendered and read back: text, the QR code from the page image, the forms."""

from __future__ import annotations

import io
import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest
from pypdf import PdfReader

from certificates import pdf, selectors, signing
from tests.conftest import PDF_BYTES

from .conftest import approve

pytestmark = pytest.mark.django_db


def page_image(pdf_bytes: bytes, tmp_path, dpi: int = 200):
    from PIL import Image

    source = tmp_path / "page.pdf"
    source.write_bytes(pdf_bytes)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-f", "1", "-l", "1", str(source), str(tmp_path / "p")],
        check=True,
    )
    return Image.open(next(tmp_path.glob("p*.png")))


def read_qr(image) -> list[str]:
    import zxingcpp

    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_the_certificate_pdf_reads_back_with_its_holder_number_and_token(issued):
    data = issued.pdf.open("rb").read()
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)  # A4
    text = "".join(reader.pages[0].extract_text().split())
    assert issued.holder_name in text and issued.number in text and "专业技术资格证书" in text
    assert signing.compare_printed(issued.payload, text) == []
    token = reader.metadata[f"/{pdf.TOKEN_METADATA}"]
    assert signing.verify_token(token, keys=selectors.keyset()).ok


def test_the_qr_code_decodes_to_the_verification_url_with_a_valid_payload(issued, tmp_path, settings):
    image = page_image(issued.pdf.open("rb").read(), tmp_path)
    (text,) = read_qr(image)
    url = urlsplit(text)
    assert f"{url.scheme}://{url.netloc}" == settings.PORTAL_BASE_URL.rstrip("/")
    assert url.path == "/certificates/verify/"
    token = parse_qs(url.query)["c"][0]
    verdict = signing.verify_token(token, keys=selectors.keyset())
    assert verdict.ok, verdict.errors
    assert verdict.payload == issued.payload


def test_the_renderer_is_reused_across_renders(issued):
    first = pdf.renderer()
    pdf.render_certificate(payload=issued.payload, token="a.b")
    assert pdf.renderer() is first and first.font_config is pdf.renderer().font_config


def _text(data: bytes) -> list[str]:
    return ["".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages]


def test_the_review_form_is_filled_from_the_application_and_watermarked(world):
    application = world.submitted()
    pages = _text(pdf.render_review_form(application))
    assert len(pages) >= 2
    assert all(pdf.WATERMARK in page for page in pages)
    body = "".join(pages)
    for expected in (
        "专业技术职务任职资格评审表",
        application.archive.name,
        application.archive.id_number,
        "浙江大学",
        "机械工程",
        world.employer.name,
        "工程师",
        "机电制造（技术开发）",
        "主持完成多项机电产品开发。",
        "所在单位意见",
        application.number,
    ):
        assert expected in body, expected


def test_the_exceptional_form_follows_attachment_4(world):
    application = _exceptional(world)
    (page, *rest) = _text(pdf.render_exceptional_form(application))
    assert rest == []
    for expected in (
        "破格推荐中级专业技术职务任职资格审批表",
        application.archive.name,
        "1990年5月",
        "2012年毕业于浙江大学机械工程专业",
        "专业工作年限",
        "14年",
        "申报破格A类",
        "简历",
        "2012.07—至今",
        "所在单位意见",
        "乡镇街道或主管部门意见",
        "人力社保部门意见",
        pdf.WATERMARK,
    ):
        assert expected in page, expected


def _exceptional(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications import services

    application = world.ready_draft(declaration_type="exceptional", exceptional_class="A")
    services.evidence_upload(
        archive=application.archive,
        application=application,
        material_code="exceptional_form",
        upload=SimpleUploadedFile("form.pdf", PDF_BYTES, "application/pdf"),
    )
    return services.application_submit(application=application, actor=world.applicant)


def test_an_approved_application_still_prints_its_form(world):
    application = approve(world, world.submitted())
    assert application.archive.name in "".join(_text(pdf.render_review_form(application)))
