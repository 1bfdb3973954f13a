"""One-time complete notice (一次性告知): the coded reasons a return gives, the items of an application
a return may name, and a return's defects as people read them.

A return (HR's `employer_return`, the bureau's `bureau_return`, the committee's `qualification_return`)
names every defect at once. Each defect is stored in the return's history event as
`{"kind", "item", "reason", "text"}` under `data["defects"]`; pages show the item's name and the
reason's label, never the codes. Returns recorded before coded reasons existed carry
`data["items"]` (item code → text) and read as defects without a coded reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from .exceptions import DomainError
from .forms import ENTRY_KINDS
from .models import Application, ApplicationEvent
from .services import required_materials

RETURN_ACTIONS = ("employer_return", "bureau_return", "qualification_return")
SUMMARY_CODE = "work_summary"
MAX_TEXT = 300


class Reason(models.TextChoices):
    UNCLEAR = "unclear", _("材料不清晰")
    MISSING = "missing", _("材料缺失")
    MISMATCH = "mismatch", _("与原件不符")
    WRONG_INFO = "wrong_info", _("信息填写有误")
    OUT_OF_SCOPE = "out_of_scope", _("超出申报范围")
    OTHER = "other", _("其他")


class ItemKind(models.TextChoices):
    MATERIAL = "material", _("申报材料")
    ENTRY = "entry", _("业绩档案条目")
    SECTION = "section", _("业绩档案栏目")
    SUMMARY = "summary", _("工作总结")


@dataclass(frozen=True)
class Item:
    """Something a return may name: a checklist material, an archive entry of the frozen snapshot
    (`<section>.<index>`), a whole archive section, or the work summary."""

    kind: str
    code: str
    label: str


@dataclass(frozen=True)
class Defect:
    kind: str
    code: str
    label: str
    reason: str
    reason_label: str
    text: str

    def __str__(self) -> str:
        said = "，".join(filter(None, [self.reason_label, self.text]))
        return f"{self.label}：{said}"


def _entry_label(kind, index: int, entry: dict) -> str:
    """The section and number of an entry, with the first values the archive editor's table shows (a
    choice by its label, never its code; no internal key), so that the entry is recognisable."""
    values = []
    for name in kind.columns:
        value = entry.get(name)
        if value in (None, "") or isinstance(value, bool):
            continue
        field = kind.model._meta.get_field(name)
        values.append(str(dict(field.flatchoices).get(value, value)) if field.choices else str(value))
    heading = f"{kind.label}{index + 1}"
    return f"{heading}（{'，'.join(values[:3])}）" if values else heading


def items_for(application: Application) -> list[Item]:
    """Every item a return of this application may name, in the order the form shows them."""
    items = [Item(ItemKind.MATERIAL, m.code, m.name) for m in required_materials(application)]
    items.append(Item(ItemKind.SUMMARY, SUMMARY_CODE, str(_("任现职以来专业技术工作总结"))))
    snapshot = application.snapshot or {}
    for slug, kind in ENTRY_KINDS.items():
        items.append(Item(ItemKind.SECTION, slug, str(kind.label)))
        for index, entry in enumerate(snapshot.get(slug) or []):
            items.append(Item(ItemKind.ENTRY, f"{slug}.{index}", _entry_label(kind, index, entry)))
    return items


def clean_defects(application: Application, defects: list[dict]) -> list[dict]:
    """The defects as stored: each names an item of this application and a coded reason; "其他"
    needs words. Raises DomainError naming the field (`defects`) on anything else."""
    known = {item.code: item for item in items_for(application)}
    cleaned = []
    for n, raw in enumerate(defects, start=1):
        if not isinstance(raw, dict):
            raise DomainError(f"第{n}项退回意见格式有误。", field="defects")
        code, reason = str(raw.get("item") or ""), str(raw.get("reason") or "")
        text = str(raw.get("text") or "").strip()
        item = known.get(code)
        if item is None or (raw.get("kind") and raw["kind"] != item.kind):
            raise DomainError(f"第{n}项退回意见所指的项目不在本申报中。", field="defects")
        if reason not in Reason.values:
            raise DomainError(f"第{n}项退回意见请选择退回原因。", field="defects")
        if reason == Reason.OTHER and not text:
            raise DomainError(f"第{n}项退回意见（{item.label}）选择“其他”时请写明原因。", field="defects")
        if len(text) > MAX_TEXT:
            raise DomainError(f"第{n}项退回意见不超过{MAX_TEXT}字。", field="defects")
        cleaned.append({"kind": item.kind, "item": code, "reason": reason, "text": text})
    return cleaned


def defects_of(application: Application, data: dict) -> list[Defect]:
    """A return event's defects for people: item names and reason labels, in the order given."""
    labels = {item.code: item for item in items_for(application)}
    material_names = application.material_names
    shown = []
    for d in data.get("defects") or []:
        item = labels.get(d["item"])
        label = item.label if item else material_names.get(d["item"], str(ItemKind(d["kind"]).label))
        shown.append(
            Defect(
                d["kind"], d["item"], label, d["reason"], str(Reason(d["reason"]).label), d.get("text", "")
            )
        )
    for code, text in (data.get("items") or {}).items():
        item = labels.get(code)
        label = item.label if item else material_names.get(code, str(Reason.OTHER.label))
        shown.append(Defect(item.kind if item else "", code, label, "", "", text))
    return shown


def summary(defects: list[Defect]) -> str:
    """The return's defects in one line for the history's note."""
    return "；".join(str(d) for d in defects)


def last_return(application: Application, actions=RETURN_ACTIONS, *, events=None) -> ApplicationEvent | None:
    """The latest return; from `events` (the application's whole history in order, when the caller has
    read it) or by a query of its own."""
    if events is not None:
        return next((e for e in reversed(events) if e.action in actions), None)
    return application.events.filter(action__in=actions).order_by("seq").last()


# States in which the last return is still being answered (by the applicant, HR or the bureau).
_RETURN_SHOWN_IN = {"returned", "employer_audit", "bureau_review"}


def return_panel(application: Application, *, events=None) -> dict:
    """The context of the return's panel on the application page: the last return while it is
    being answered, all its defects, and each item's own defects (for showing beside the item).
    `events`: the application's history in order, when the page has read it."""
    event = last_return(application, events=events)
    if event is None or application.state not in _RETURN_SHOWN_IN:
        return {"last_return": None, "defects": [], "defects_by_item": {}}
    defects = defects_of(application, event.data)
    by_item: dict[str, list[Defect]] = {}
    for defect in defects:
        by_item.setdefault(defect.code, []).append(defect)
    return {"last_return": event, "defects": defects, "defects_by_item": by_item}


@dataclass(frozen=True)
class ArchiveReturn:
    """A returned application the applicant answers by mending the archive: its defects on the archive,
    by live entry (section slug, entry id) and by whole section, found through the snapshot's entry ids."""

    application: Application
    defects: list[Defect]
    by_entry: dict[tuple[str, int], list[Defect]]
    by_section: dict[str, list[Defect]]


def archive_returns(archive) -> list[ArchiveReturn]:
    """The archive's applications now returned to the applicant, each with its defects placed on the
    archive editor's entries and sections (an entry deleted since has its defect listed at the top only)."""
    out = []
    for application in archive.applications.filter(state="returned").select_related("plan").order_by("pk"):
        panel = return_panel(application)
        if panel["last_return"] is None:
            continue
        snapshot = application.snapshot or {}
        by_entry: dict[tuple[str, int], list[Defect]] = {}
        by_section: dict[str, list[Defect]] = {}
        for defect in panel["defects"]:
            if defect.kind == ItemKind.SECTION:
                by_section.setdefault(defect.code, []).append(defect)
            elif defect.kind == ItemKind.ENTRY:
                slug, _sep, index = defect.code.partition(".")
                rows = snapshot.get(slug) or []
                if index.isdigit() and int(index) < len(rows) and rows[int(index)].get("id"):
                    by_entry.setdefault((slug, rows[int(index)]["id"]), []).append(defect)
        out.append(ArchiveReturn(application, panel["defects"], by_entry, by_section))
    return out
