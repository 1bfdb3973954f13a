"""The PDFs really rendered and read back: text, the QR code from the page image, the forms."""

from __future__ import annotations

import io
import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest
from pypdf import PdfReader

from applications.models import Archive
from certificates import pdf, selectors, signing
from certificates.models import CertificateBatch, IssuerProfile
from certificates.tokens import certificate_token
from portal.models import Organisation, Qualification, Series, Specialty, SubSpecialty
from portal.validators import mask_id_number
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
        mask_id_number(application.archive.id_number),
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
    # The stored form is read by the meeting's experts too: the number masked (docs/privacy.md).
    assert application.archive.id_number not in body


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


# ---------------------------------------------------------------- one A4 page whatever the values


def _fill(text: str, length: int) -> str:
    return (text * (length // len(text) + 1))[:length]


def _max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


def longest_payload(payload: dict) -> dict:
    """Every printed value as long as its column allows, in the characters real values use."""
    committee = "衢州市工程技术人员中级专业技术职务任职资格评审委员会"
    return {
        **payload,
        "nm": _fill("阿卜杜热合曼·买买提明·", _max_length(Archive, "name")),
        "wu": _fill(
            "浙江省衢州市柯城区人民政府信安街道办事处社区卫生服务中心（医疗集团分院）",
            _max_length(Archive, "current_employer_name"),
        ),
        "ser": _fill("工程技术人员", _max_length(Series, "name")),
        "spc": _fill("机械电子工程与智能制造装备", _max_length(Specialty, "name"))
        + f"（{_fill('工业机器人系统集成与应用', _max_length(SubSpecialty, 'name'))}）",
        "q": _fill("高级工程师", _max_length(Qualification, "name")),
        "cmt": _fill(committee, _max_length(Organisation, "name")),
        "adn": _fill("衢人社职〔2026〕12号", _max_length(CertificateBatch, "approval_doc_no")),
        "iss": _fill("衢州市人力资源和社会保障局", _max_length(IssuerProfile, "name")),
    }


def realistic_long_payload(payload: dict) -> dict:
    return {
        **payload,
        "nm": "阿卜杜热合曼·买买提明·艾合买提江",
        "wu": "浙江省衢州市柯城区人民政府信安街道办事处社区卫生服务中心"
        "（衢州市第二人民医院医疗集团柯城分院）",
        "spc": "机械电子工程与智能制造装备（工业机器人系统集成与智能产线运维）",
        "cmt": "衢州市工程技术人员中级专业技术职务任职资格评审委员会（机械电子工程专业）",
        "iss": "衢州市人力资源和社会保障局（衢州市公务员局）",
    }


def assert_one_a4_page_with_everything(data: bytes, payload: dict) -> None:
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)  # A4
    assert signing.compare_printed(payload, reader.pages[0].extract_text()) == []


def test_a_certificate_with_realistic_long_values_fits_one_a4_page_and_its_code_scans(issued, tmp_path):
    payload = realistic_long_payload(issued.payload)
    token = f"{signing.b64e(signing.canonical(payload))}.{issued.signature}"  # as long as the real one
    data = pdf.render_certificate(payload=payload, token=token)
    assert_one_a4_page_with_everything(data, payload)
    (text,) = read_qr(page_image(data, tmp_path))  # smaller text, a denser code: it still scans
    assert text == pdf.verification_url(token)


def test_a_certificate_with_every_value_at_its_column_limit_fits_one_a4_page(issued, tmp_path):
    payload = longest_payload(issued.payload)
    # A token carrying these values would not fit a QR code at all; the layout is what is tested here.
    data = pdf.render_certificate(payload=payload, token=certificate_token(issued))
    assert_one_a4_page_with_everything(data, payload)
    assert read_qr(page_image(data, tmp_path)) == [pdf.verification_url(certificate_token(issued))]


def test_only_long_values_make_the_text_smaller(issued):
    usual = pdf.certificate_font_size(issued.payload)
    long = pdf.certificate_font_size(realistic_long_payload(issued.payload))
    longest = pdf.certificate_font_size(longest_payload(issued.payload))
    assert usual == 12 and longest < long < usual
