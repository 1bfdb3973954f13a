"""What changed since a return: the application is kept as it was at each return (ReturnBasis), and whoever
returned it sees, once it comes back, the archive entries added, removed and changed field by field (with
Chinese labels), the work summary, and the checklist files added, removed and replaced (by content hash)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist

from . import permissions
from .forms import ENTRY_KINDS
from .models import Application, Archive, ReturnBasis
from .permissions import Actor

# Who reads the changes since a return: the stage that took it.
RETURNED_BY = {
    "employer_return": Actor.EMPLOYER,
    "bureau_return": Actor.BUREAU,
    "qualification_return": Actor.COMMITTEE,
}
# Snapshot keys that are not the model's field names (archive_json.py).
_ALIASES = {
    "public": "public_hours",
    "industry_public": "industry_public_hours",
    "professional": "professional_hours",
}
_EXTRA_LABELS = {"name": "名称", "current_employer_credit_code": "单位统一社会信用代码"}


def _materials(application: Application) -> list[dict]:
    names = application.material_names
    return [
        {
            "code": e.material_code,
            "name": names.get(e.material_code, ""),
            "sha256": e.sha256,
            "file": e.original_name,
        }
        for e in application.evidence.exclude(material_code="").order_by("material_code", "uploaded_at")
    ]


def keep_basis(application: Application) -> None:
    """A `change` for a return's transition: keep the application as it is, under the return's seq."""
    ReturnBasis.objects.create(
        application=application,
        seq=application.history_count + 1,
        snapshot=application.snapshot,
        work_summary=application.work_summary,
        materials=_materials(application),
    )


@dataclass
class EntryChange:
    section: str
    what: str  # 新增 / 删除 / 修改
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (label, before, after)


@dataclass
class Changes:
    returned_at: object
    entries: list[EntryChange]
    summary: tuple[str, str] | None  # (before, after) when the work summary changed
    files: list[tuple[str, str, str]]  # (material name, 新增/删除/替换, file name)

    @property
    def none(self) -> bool:
        return not (self.entries or self.summary or self.files)


def _field(model, name: str):
    try:
        return model._meta.get_field(_ALIASES.get(name, name))
    except FieldDoesNotExist:
        return None


def _shown(model, name: str, value) -> tuple[str, str]:
    """A snapshot field as people read it: the model's label and a choice's label, never a code."""
    f = _field(model, name)
    label = str(f.verbose_name) if f is not None else _EXTRA_LABELS.get(name, "其他信息")
    if value in (None, ""):
        return label, "—"
    if isinstance(value, bool):
        return label, "是" if value else "否"
    choices = dict(f.flatchoices) if f is not None and f.choices else {}
    return label, str(choices.get(value, value))


# Stored beside the masked number in a snapshot (applications.archive_json.snapshot_of): the sealed form
# differs at every submission, and a changed number already shows in its masked form.
_NOT_COMPARED = {"id_number_sealed", "id_number_digest"}


def _fields_changed(model, old: dict, new: dict) -> list[tuple[str, str, str]]:
    rows = []
    for name in dict.fromkeys([*old, *new]):
        if name in _NOT_COMPARED:
            continue
        changed = old.get(name) != new.get(name)
        if name == "id_number":  # two numbers may mask alike
            changed = changed or old.get("id_number_digest") != new.get("id_number_digest")
        if changed:
            label, before = _shown(model, name, old.get(name))
            rows.append((label, before, _shown(model, name, new.get(name))[1]))
    return rows


def _section_changes(slug: str, label: str, old: list[dict], new: list[dict]) -> list[EntryChange]:
    """Entries have no identity in a snapshot: equal ones are unchanged, the rest pair up in order
    (changed) and what is left over was added or removed."""
    model = ENTRY_KINDS[slug].model
    old_left, new_left = list(old), list(new)
    for entry in old:
        if entry in new_left:
            new_left.remove(entry)
            old_left.remove(entry)
    changes = [
        EntryChange(label, "修改", _fields_changed(model, a, b))
        for a, b in zip(old_left, new_left, strict=False)
    ]
    n = min(len(old_left), len(new_left))
    changes += [EntryChange(label, "新增", _fields_changed(model, {}, b)) for b in new_left[n:]]
    changes += [EntryChange(label, "删除", _fields_changed(model, a, {})) for a in old_left[n:]]
    return changes


def _file_changes(old: list[dict], new: list[dict]) -> list[tuple[str, str, str]]:
    rows = []
    for code in dict.fromkeys([m["code"] for m in old + new]):
        before = {m["sha256"]: m for m in old if m["code"] == code}
        after = {m["sha256"]: m for m in new if m["code"] == code}
        added = [m for h, m in after.items() if h not in before]
        removed = [m for h, m in before.items() if h not in after]
        replaced = "替换" if added and removed else None
        rows += [(m["name"], replaced or "新增", m["file"]) for m in added]
        rows += [(m["name"], "被替换" if replaced else "删除", m["file"]) for m in removed]
    return rows


def diff(basis: ReturnBasis, application: Application) -> Changes:
    old, new = basis.snapshot or {}, application.snapshot or {}
    entries = [
        EntryChange("身份信息", "修改", rows)
        for rows in [_fields_changed(Archive, old.get("identity") or {}, new.get("identity") or {})]
        if rows
    ]
    for slug, kind in ENTRY_KINDS.items():
        entries += _section_changes(slug, str(kind.label), old.get(slug) or [], new.get(slug) or [])
    summary = None
    if basis.work_summary != application.work_summary:
        summary = (basis.work_summary, application.work_summary)
    event = application.events.get(seq=basis.seq)
    return Changes(event.at, entries, summary, _file_changes(basis.materials, _materials(application)))


def changes_for(application: Application, user, *, events=None) -> Changes | None:
    """What changed since the last return this user's stage took, once the applicant has resubmitted.
    `events`: the application's history in order, when the page has read it."""
    wanted = {*RETURNED_BY, "resubmit"}
    if events is None:
        events = list(application.events.filter(action__in=wanted).order_by("seq"))
    else:
        events = [e for e in events if e.action in wanted]
    for event in reversed(events):
        if event.action == "resubmit" or not permissions.holds(user, application, RETURNED_BY[event.action]):
            continue
        resubmitted = any(e.action == "resubmit" and e.seq > event.seq for e in events)
        basis = ReturnBasis.objects.filter(application=application, seq=event.seq).first()
        return diff(basis, application) if resubmitted and basis is not None else None
    return None
