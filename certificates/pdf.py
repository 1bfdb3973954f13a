"""PDFs with WeasyPrint: the certificate, the 评审表 review form and the 破格 approval form.

A process keeps one FontConfiguration and the parsed stylesheets and reuses them for every
render (design.md: ~170 ms per certificate warm, twice that cold). They are per thread because
WeasyPrint's objects are not documented as thread-safe.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import math
import threading
from pathlib import Path

import qrcode
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from qrcode.image.pil import PilImage

from applications.archive_json import archive_to_json
from applications.models import Gender
from portal import clock
from portal.models import TitleLevel
from rules.vocab import AchievementKind, AssessmentGrade, EducationLevel

from .signing import TOKEN_METADATA, id_type_label, printed

STYLES = Path(__file__).resolve().parent.parent / "static" / "certificates"
WATERMARK = "职称申报评审服务平台"


class Renderer:
    # WeasyPrint is imported where a render starts, not at the top: its import takes ~0.6 s and loads
    # Pango, and this module is loaded by processes that never render (the URL conf through the views,
    # the offline verify_certificate command).
    def __init__(self) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.font_config = FontConfiguration()
        self.stylesheets = {
            name: CSS(filename=str(STYLES / name), font_config=self.font_config)
            for name in ("certificate.css", "form.css")
        }

    def render(self, *, template: str, context: dict, stylesheet: str) -> bytes:
        from weasyprint import HTML

        html = render_to_string(template, context)
        return HTML(string=html, base_url=str(STYLES)).write_pdf(
            stylesheets=[self.stylesheets[stylesheet]], font_config=self.font_config, custom_metadata=True
        )


_local = threading.local()


def renderer() -> Renderer:
    current = getattr(_local, "renderer", None)
    if current is None:
        current = _local.renderer = Renderer()
    return current


def qr_data_uri(text: str) -> str:
    """A 1-bit PNG, 4 px a module, drawn without smoothing (CSS image-rendering: pixelated). An SVG
    path of the same code costs WeasyPrint ~0.4 s to draw, more than the rest of the page."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4, border=4, image_factory=PilImage
    )
    code.add_data(text, optimize=0)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def verification_url(token: str) -> str:
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{reverse('certificates:verify')}?c={token}"


# ---------------------------------------------------------------- the certificate

# The page's geometry (static/certificates/certificate.css), in mm: the frame's inner height and width,
# the table's value column, and what does not grow with the text (title, subtitle, identifier, note).
PT = 25.4 / 72
FRAME_INNER_HEIGHT = 267 - 14 - 10 - 2 * 3 * PT
FRAME_INNER_WIDTH = 210 - 2 * 14 - 2 * 16 - 2 * 3 * PT
VALUE_WIDTH = FRAME_INNER_WIDTH - 32
FIXED_HEIGHT = 4 + 30 * PT * 1.4 + 1 + 2 * 8 * PT * 1.4 + 2 * 8 * PT * 1.4
FONT_SIZES = (12, 11, 10.5, 10, 9.5, 9, 8.5, 8, 7.5)  # pt, the first that fits is used
SAFETY = 8  # mm kept free for what the estimate cannot know (glyph metrics, line breaking rules)
FIELDS_SHOWN = ("nm", "idn", "wu", "ser", "spc", "q", "lv", "cmt", "adn", "add", "no")


def _lines(text: str, size: float, width: float) -> int:
    """Lines `text` takes at `size` pt in `width` mm: CJK glyphs are one em wide, Latin and digits ~0.6;
    a little more for each, since no line may start with a closing mark or end with an opening one."""
    em = sum(1.08 if ord(char) >= 0x2E80 else 0.62 for char in text) or 1.0
    return math.ceil(em * size * PT / width)


def _estimated_height(payload: dict, size: float) -> float:
    em = size * PT
    lead = printed.lead(payload)
    height = FIXED_HEIGHT + em * (0.25 + 1.4 + 1.6)  # subtitle
    height += _lines("　　" + lead, size, FRAME_INNER_WIDTH) * em * 1.7 + em * 1.2
    for key in FIELDS_SHOWN:
        height += _lines(str(payload.get(key) or "—"), size, VALUE_WIDTH) * em * 1.35 + em * 0.84
    qr = em * 11.3 + 1 + 9 * PT * 1.4
    issuer = (_lines(f"发证机构：{payload['iss']}", size, FRAME_INNER_WIDTH - em * 11.3 - 4) + 1) * em * 1.9
    return height + em * 1.5 + max(qr, issuer)


def certificate_font_size(payload: dict) -> float:
    """The largest body size (pt) at which the certificate's text fits its one A4 page.

    Names, work units, specialties and committees run to 60 or 120 characters; at the usual 12 pt the
    longest would push the page's lower part onto a second page, so the body text gets smaller instead.
    """
    for size in FONT_SIZES:
        if _estimated_height(payload, size) + SAFETY <= FRAME_INNER_HEIGHT:
            return size
    return FONT_SIZES[-1]


def certificate_context(*, payload: dict, token: str) -> dict:
    """The page prints signing.printed's lines, which the offline check rebuilds from the signed fields
    and compares with the PDF's text exactly."""
    return {
        "p": payload,
        "font_size": certificate_font_size(payload),
        "title": printed.TITLE,
        "subtitle": printed.SUBTITLE,
        "lead": printed.lead(payload),
        "rows": printed.field_rows(payload),
        "qr_caption": printed.QR_CAPTION,
        "issuer_lines": printed.issuer_lines(payload),
        "identifier": printed.identifier_line(payload),
        "note": printed.NOTE,
        "qr": qr_data_uri(verification_url(token)),
        "token": token,
        "token_key": TOKEN_METADATA,
    }


def render_certificate(*, payload: dict, token: str) -> bytes:
    return renderer().render(
        template="certificates/pdf/certificate.html",
        context=certificate_context(payload=payload, token=token),
        stylesheet="certificate.css",
    )


# ---------------------------------------------------------------- the application's forms


def _ym(value: str | None) -> str:
    if not value:
        return ""
    day = dt.date.fromisoformat(value)
    return f"{day.year}年{day.month}月"


def _dot(value: str | None) -> str:
    return dt.date.fromisoformat(value).strftime("%Y.%m") if value else "至今"


def professional_years(work_periods: list[dict], as_of: dt.date) -> int:
    """Whole years of professional work up to `as_of` (seed 003 三(一): counted to 31 December)."""
    days = 0
    for period in work_periods:
        if not period.get("professional", True) or not period.get("start"):
            continue
        start = dt.date.fromisoformat(period["start"])
        end = min(dt.date.fromisoformat(period["end"]) if period.get("end") else as_of, as_of)
        days += max((end - start).days + 1, 0)
    return int(days // 365.25)


def application_data(application) -> dict:
    """The archive as submitted (the snapshot), or as it is now for a draft."""
    if application.snapshot:
        return application.snapshot
    return archive_to_json(application.archive)


def _labels(choices) -> dict:
    return {value: str(label) for value, label in choices}


def form_context(application) -> dict:
    data = application_data(application)
    identity = data.get("identity", {})
    educations = data.get("educations", [])
    periods = data.get("work_periods", [])
    titles = data.get("titles", [])
    current = next((p for p in reversed(periods) if not p.get("end")), periods[-1] if periods else {})
    latest_title = titles[-1] if titles else None
    level_names = _labels(EducationLevel.choices)
    highest = educations[-1] if educations else None
    graduated = ""
    if highest:
        graduated = (
            f"{highest['graduation_date'][:4]}年毕业于{highest['school']}{highest['major']}专业"
            f"（{level_names.get(highest['level'], highest['level'])}）"
        )
    specialty = application.specialty.name
    if application.sub_specialty_id:
        specialty += f"（{application.sub_specialty.name}）"
    kinds, grades = _labels(AchievementKind.choices), _labels(AssessmentGrade.choices)
    return {
        "application": application,
        "identity": identity,
        "gender": _labels(Gender.choices).get(identity.get("gender", ""), ""),
        "birth": _ym(identity.get("birth_date")),
        "id_type": id_type_label(identity.get("id_type", "")),
        "specialty": specialty,
        "level": TitleLevel(application.qualification.level).label,
        "educations": [
            {
                **e,
                "level_name": level_names.get(e["level"], e["level"]),
                "graduated": _ym(e.get("graduation_date")),
            }
            for e in educations
        ],
        "periods": [{**p, "from": _dot(p.get("start")), "to": _dot(p.get("end"))} for p in periods],
        "titles": titles,
        "latest_title": latest_title,
        "latest_title_date": _ym(latest_title.get("appointed_date") or latest_title.get("obtained_date"))
        if latest_title
        else "",
        "post": current.get("post", ""),
        "years": professional_years(periods, application.plan.as_of_date),
        "graduated": graduated,
        "assessments": [
            {**a, "grade_name": grades.get(a["grade"], a["grade"])} for a in data.get("assessments", [])
        ],
        "ce_hours": data.get("ce_hours", []),
        "achievements": [
            {**a, "kind_name": kinds.get(a["kind"], a["kind"])} for a in data.get("achievements", [])
        ],
        "watermark": WATERMARK,
        "watermark_rows": range(7),
        "exported_at": timezone.localtime(clock.now()).strftime("%Y-%m-%d %H:%M"),
    }


def render_review_form(application) -> bytes:
    return renderer().render(
        template="certificates/pdf/review_form.html", context=form_context(application), stylesheet="form.css"
    )


def render_exceptional_form(application) -> bytes:
    return renderer().render(
        template="certificates/pdf/exceptional_form.html",
        context=form_context(application),
        stylesheet="form.css",
    )
