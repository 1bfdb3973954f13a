"""What people read carries no internal codes: the main pages and exports, rendered with a year's realistic
data, show no material or archive-section code, management command, package name or version string.

The forbidden words are read from the code itself (the plans' material checklists, ENTRY_KINDS, the
project's management commands, the installed dependencies and their import names), so a new code is
covered without editing this test."""

from __future__ import annotations

import importlib.metadata
import io
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import get_commands
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from applications import audit
from applications.forms import ENTRY_KINDS
from applications.models import Evidence, PublicityNotice
from certificates.models import OUTCOME_LABELS
from certificates.tokens import certificate_token
from committees.draw import ALGORITHM_VERSION
from portal.models import PlanMaterial, Role
from portal.plan_defaults import DEFAULT_MATERIALS
from rules import workdays
from tests.certificates.conftest import _fresh_cache, issued, issuer  # noqa: F401  (fixtures)
from tests.committees.conftest import cw  # noqa: F401  (fixture)
from tests.conftest import PDF_BYTES

ROOT = Path(__file__).resolve().parents[1]
PROJECT_APPS = {"portal", "rules", "applications", "committees", "certificates", "demo"}
# Attributes whose text a person sees or hears (a screen reader reads aria-label and alt).
VISIBLE_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label"}


def dependency_names() -> set[str]:
    """The distributions pyproject.toml installs, and the module names they are imported by."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {re.split(r"[\[<>=~!; ]", spec, maxsplit=1)[0].lower() for spec in project["dependencies"]}
    modules = {
        module
        for module, distributions in importlib.metadata.packages_distributions().items()
        if not module.startswith("_") and any(d.lower() in names for d in distributions)
    }
    return names | {module.lower() for module in modules}


def code_words() -> set[str]:
    words = {code for code, *_ in DEFAULT_MATERIALS}
    words |= set(PlanMaterial.objects.values_list("code", flat=True))
    words |= set(ENTRY_KINDS)
    words |= set(OUTCOME_LABELS)  # what a certificate lookup found
    words |= {name for name, app in get_commands().items() if app.split(".")[0] in PROJECT_APPS}
    words |= {"manage.py", ALGORITHM_VERSION, workdays.calendar_version(), workdays.PACKAGE_NAME}
    words |= dependency_names()
    return {word for word in words if word}


def find_codes(text: str, words: set[str]) -> list[str]:
    """The words that stand alone in `text` (ASCII boundaries: a code next to Chinese text still counts)."""
    return sorted(
        word
        for word in words
        if re.search(rf"(?<![A-Za-z0-9_]){re.escape(word)}(?![A-Za-z0-9_])", text, re.IGNORECASE)
    )


class VisibleText(HTMLParser):
    """The text a person sees on a page: text nodes outside script and style, and the visible attributes
    (hidden inputs, names and URLs are for the browser)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        attributes = dict(attrs)
        self.parts += [value for name, value in attrs if name in VISIBLE_ATTRIBUTES and value]
        if tag == "input" and attributes.get("type") in {"submit", "button"} and attributes.get("value"):
            self.parts.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def workbook_text(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


@pytest.fixture
def year(world, cw, issued):  # noqa: F811  (fixtures imported above)
    """One of everything a person reads: a certificate, a return naming every item, an application
    awaiting audit, one at the committee with a file for every checklist item, a drawn meeting."""
    returned_user = world.user("returned", Role.APPLICANT, world.employer)
    returned = world.submitted(returned_user, serial=501)
    items = {code: f"{label}需补正" for code, label in audit.return_items(returned)}
    audit.employer_return(application=returned, actor=world.hr, items=items, note="请按意见补正后重新提交")
    awaiting = world.submitted(world.user("awaiting", Role.APPLICANT, world.employer), serial=502)
    (at_committee,) = cw.at_committee(1)
    for material in at_committee.plan.materials.all():
        Evidence.objects.create(
            archive=at_committee.archive,
            application=at_committee,
            material_code=material.code,
            file=ContentFile(PDF_BYTES, name="scan.pdf"),
            original_name=f"{material.name}扫描件.pdf",
            content_type=Evidence.FileType.PDF,
            size=len(PDF_BYTES),
            sha256="0" * 64,
        )
    meeting = cw.drawn()
    # The shared fixture uploads "degree.pdf": a file's name is the applicant's own text, not a code of ours,
    # so it is given the name a person here would give it.
    Evidence.objects.filter(original_name="degree.pdf").update(original_name="学位证书.pdf")
    return {
        "certificate": issued,
        "returned": returned,
        "awaiting": awaiting,
        "at_committee": at_committee,
        "meeting": meeting,
        "notice": PublicityNotice.objects.order_by("created_at").first(),
    }


def pages(world, year) -> list[tuple[str, object, str]]:
    """(who, user or None, path) for the main pages of every role."""
    certificate, notice = year["certificate"], year["notice"]
    token = certificate_token(certificate)
    returned_user = year["returned"].applicant
    return [
        ("public", None, reverse("home")),
        ("public", None, reverse("plans")),
        ("public", None, reverse("plan", args=[world.plan.code])),
        ("public", None, reverse("applications:public_notices")),
        ("public", None, reverse("applications:public_notice", args=[notice.pk])),
        ("public", None, reverse("committees:public_results")),
        ("public", None, reverse("certificates:verify")),
        ("public", None, reverse("certificates:verify") + f"?c={token}"),
        ("public", None, reverse("certificates:verify") + f"?number={certificate.number}"),
        ("holder", world.applicant, reverse("applications:dashboard")),
        ("holder", world.applicant, reverse("applications:archive")),
        ("holder", world.applicant, reverse("certificates:mine")),
        ("holder", world.applicant, reverse("certificates:detail", args=[certificate.pk])),
        ("returned applicant", returned_user, reverse("applications:detail", args=[year["returned"].pk])),
        ("hr", world.hr, reverse("applications:detail", args=[year["awaiting"].pk])),
        ("hr", world.hr, reverse("applications:detail", args=[year["returned"].pk])),
        ("hr", world.hr, reverse("applications:audit_queue") + "?role=hr&state=employer_audit"),
        ("hr", world.hr, reverse("applications:audit_notice", args=[notice.pk])),
        ("officer", world.officer, reverse("rules:calendar")),
        ("officer", world.officer, reverse("certificates:batches")),
        ("clerk", world.clerk, reverse("committees:queue")),
        ("clerk", world.clerk, reverse("committees:qualification", args=[year["at_committee"].pk])),
        ("clerk", world.clerk, reverse("committees:meetings")),
        ("clerk", world.clerk, reverse("committees:meeting", args=[year["meeting"].pk])),
    ]


def test_no_page_shows_an_internal_code(world, year):
    words = code_words()
    # The list really comes from the code: every material and archive section, commands, packages.
    assert {"degree", "title_cert", "educations", "work_periods", "replay_draw", "verify_audit"} <= words
    assert {"load_demo", "chinesecalendar", "chinese_calendar", "weasyprint", "manage.py"} <= words
    assert {"valid", "revoked"} <= words
    found = {}
    for who, user, path in pages(world, year):
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get(path)
        assert response.status_code == 200, (who, path, response.status_code)
        codes = find_codes(visible_text(response.content.decode()), words)
        if codes:
            found[f"{who} {path}"] = codes
    assert found == {}


def test_the_return_reasons_name_each_item_by_its_label(world, year):
    client = Client()
    client.force_login(year["returned"].applicant)
    text = visible_text(
        client.get(reverse("applications:detail", args=[year["returned"].pk])).content.decode()
    )
    for _code, label in audit.return_items(year["returned"]):
        assert f"{label}：{label}需补正" in text


def test_the_committee_sees_each_file_under_its_checklist_item(world, year):
    client = Client()
    client.force_login(world.clerk)
    html = client.get(reverse("committees:qualification", args=[year["at_committee"].pk])).content.decode()
    names = [m.name for m in year["at_committee"].plan.materials.all()]
    assert names and all(f'<small class="muted">{name}</small>' in html for name in names)


def test_exports_show_no_internal_code(world, year):
    words = code_words()
    client = Client()
    client.force_login(world.hr)
    exports = [
        reverse("applications:audit_export") + "?role=hr&state=employer_audit",
        reverse("applications:audit_notice_export", args=[year["notice"].pk]),
    ]
    for path in exports:
        response = client.get(path)
        assert response.status_code == 200, path
        assert find_codes(workbook_text(response.content), words) == [], path
