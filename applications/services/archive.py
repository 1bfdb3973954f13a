"""The applicant's performance archive and its evidence."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portal import clock
from portal.models import Qualification, TitleLevel
from portal.validators import normalise_id_number, normalise_phone, validate_id_number, validate_phone

from ..evidence import inspect_upload
from ..exceptions import DomainError, InvalidTransition
from ..models import Application, Archive, Evidence, TitleHeld, WorkPeriod
from ..models.archive import ID_NUMBER_REFUSED
from ..states import EDITABLE_STATES, State

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------- archive


def archive_get_or_create(*, user) -> Archive:
    archive, _ = Archive.objects.get_or_create(
        user=user, defaults={"name": user.get_full_name() or user.username, "email": user.email}
    )
    return archive


def archive_update_identity(*, archive: Archive, **fields) -> Archive:
    for name, value in fields.items():
        setattr(archive, name, value)
    errors = {}
    if archive.id_number:
        try:
            birth = validate_id_number(archive.id_type, archive.id_number, today=clock.today())
        except ValidationError as exc:
            errors["id_number"] = exc.messages
        else:
            archive.id_number = normalise_id_number(archive.id_type, archive.id_number)
            if birth is not None:
                if archive.birth_date and archive.birth_date != birth:
                    errors["birth_date"] = ["出生日期与证件号码不一致。"]
                archive.birth_date = birth
    if archive.phone:
        try:
            validate_phone(archive.phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
        else:
            archive.phone = normalise_phone(archive.phone)
    if archive.birth_date and archive.birth_date > clock.today():
        errors["birth_date"] = ["出生日期不能晚于今天。"]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            archive.save()
    except IntegrityError as exc:
        # The same words whatever the database refused, and never "already registered": a refusal must
        # not tell whoever types a number that its holder has an account. The office sees it in the log.
        logger.warning("archive %s: identity refused by the database (%s)", archive.pk, type(exc).__name__)
        raise ValidationError({"id_number": [ID_NUMBER_REFUSED]}) from exc
    return archive


def _overlapping_period(period: WorkPeriod) -> WorkPeriod | None:
    far = dt.date.max
    for other in WorkPeriod.objects.filter(archive=period.archive).exclude(pk=period.pk):
        if period.start <= (other.end or far) and other.start <= (period.end or far):
            return other
    return None


def _title_contradictions(title: TitleHeld) -> dict[str, list[str]]:
    """A title whose name and level disagree. The level a name carries comes from the title catalogue
    (portal.models.Qualification); a name the catalogue does not know is taken as entered."""
    if title.qualification_id:
        qualification = title.qualification
        if title.series_id and title.series_id != qualification.series_id:
            return {"series": [f"“{qualification.name}”不属于{title.series.name}系列。"]}
        name, levels = qualification.name, {qualification.level}
    else:
        name = title.name.strip()
        known = Qualification.objects.filter(name=name)
        if title.series_id:
            known = known.filter(series=title.series_id)
        levels = set(known.values_list("level", flat=True)) if name else set()
    if not levels or title.level in levels:
        return {}
    expected = "或".join(str(TitleLevel(level).label) for level in sorted(levels))
    return {"level": [f"“{name}”属于{expected}职称，与所填层级“{title.get_level_display()}”不一致。"]}


def _refuse_certified_title(entry) -> None:
    if isinstance(entry, TitleHeld) and TitleHeld.objects.filter(pk=entry.pk, certified=True).exists():
        raise DomainError(
            "该专业技术资格由本平台发证时记入档案，不能修改或删除；如有错误请联系发证机构。",
            code="certified_title",
        )


def archive_entry_save(*, archive: Archive, entry):
    """Validate and save any archive entry (education, work period, title …) as the applicant does;
    a title the portal recorded on certification is refused (DomainError)."""
    if entry.pk is not None:
        _refuse_certified_title(entry)
    return _entry_save(archive=archive, entry=entry)


def archive_title_record(*, archive: Archive, entry: TitleHeld) -> TitleHeld:
    """The title obtained through the portal, recorded in the holder's archive when the certificate
    is issued (certificates); the applicant can neither edit nor delete it."""
    entry.certified = True
    return _entry_save(archive=archive, entry=entry)


def archive_titles_record(entries: list[tuple[Archive, TitleHeld]]) -> list[TitleHeld]:
    """`archive_title_record` for many titles at once (a certificate batch): each validated as one is,
    all saved in one INSERT. Their archive, series and qualification are rows the caller has read, so
    they are not looked up again one by one."""
    for archive, entry in entries:
        entry.certified = True
        entry.archive = archive
        _entry_validate(entry, read=("archive", "series", "qualification"))
    return TitleHeld.objects.bulk_create([entry for _, entry in entries])


def _entry_save(*, archive: Archive, entry):
    entry.archive = archive
    _entry_validate(entry)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:
        raise ValidationError({"year": ["该年度已有记录，请修改原记录。"]}) from exc
    return entry


def _entry_validate(entry, *, read: tuple[str, ...] = ()) -> None:
    """`read`: foreign keys set from rows just read, whose existence full_clean need not query."""
    entry.full_clean(exclude=read)
    if isinstance(entry, TitleHeld):
        errors = _title_contradictions(entry)
        if errors:
            raise ValidationError(errors)
    if isinstance(entry, WorkPeriod):
        other = _overlapping_period(entry)
        if other is not None:
            until = other.end.isoformat() if other.end else "至今"
            raise ValidationError(
                {
                    "start": [
                        f"与已有工作经历“{other.employer_name}”（{other.start.isoformat()}—{until}）时间重叠。"
                    ]
                }
            )


def archive_entry_delete(*, entry) -> None:
    """The applicant deletes an entry; a title the portal recorded on certification is refused."""
    _refuse_certified_title(entry)
    entry.delete()


def archive_title_remove(*, entry: TitleHeld) -> None:
    """A revoked certificate's title leaves the holder's archive (certificates)."""
    entry.delete()


# ---------------------------------------------------------------- evidence


def evidence_upload(
    *,
    archive: Archive,
    upload,
    application: Application | None = None,
    material_code: str = "",
    entry=None,
    actor=None,
) -> Evidence:
    checked = inspect_upload(upload)
    if application is not None:
        if application.archive_id != archive.pk:
            raise DomainError("材料只能上传到本人的申报。")
        if material_code and not application.plan.materials.filter(code=material_code).exists():
            raise ValidationError({"material_code": ["该材料不在本计划的材料清单中。"]})
    evidence = Evidence(
        archive=archive,
        application=application,
        material_code=material_code,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
    )
    if entry is not None:
        evidence.entry = entry
    with transaction.atomic():
        if application is not None:
            locked = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
            if locked.state not in EDITABLE_STATES:
                raise InvalidTransition("申报已提交，材料不能再修改；如需修改请等待退回。")
        evidence.file.save(checked.name, checked.content, save=False)
        evidence.save()
    return evidence


def evidence_attach(*, application: Application, source: Evidence, material_code: str) -> Evidence:
    """Put a file already in the archive on a checklist item of the application, without uploading it
    again: a new record of the same stored file (same name, size and SHA-256). Attaching the same file to
    the same item twice returns the first record."""
    if source.archive_id != application.archive_id:
        raise DomainError("只能选择本人档案中的材料。", field="source")
    if not material_code or not application.plan.materials.filter(code=material_code).exists():
        raise ValidationError({"material_code": ["该材料不在本计划的材料清单中。"]})
    with transaction.atomic():
        locked = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
        if locked.state not in EDITABLE_STATES:
            raise InvalidTransition("申报已提交，材料不能再修改；如需修改请等待退回。")
        existing = Evidence.objects.filter(
            application=locked, material_code=material_code, file=source.file.name
        ).first()
        if existing is not None:
            return existing
        return Evidence.objects.create(
            archive_id=source.archive_id,
            application=locked,
            material_code=material_code,
            file=source.file.name,
            original_name=source.original_name,
            content_type=source.content_type,
            size=source.size,
            sha256=source.sha256,
        )


def evidence_delete(*, evidence: Evidence) -> None:
    with transaction.atomic():
        if evidence.application_id is not None:
            locked = Application.objects.select_for_update(of=("self",)).get(pk=evidence.application_id)
            if locked.state not in EDITABLE_STATES:
                raise InvalidTransition("申报已提交，材料不能再删除。")
        # A file submitted with an application stays while reviewers may still read it.
        if evidence.submitted_in.exclude(state__in=[*EDITABLE_STATES, State.WITHDRAWN]).exists():
            raise InvalidTransition("该材料已随申报提交，评审期间不能删除。")
        # The stored file stays while another record (an attachment of it) still refers to it.
        if not Evidence.objects.filter(file=evidence.file.name).exclude(pk=evidence.pk).exists():
            evidence.file.delete(save=False)
        evidence.delete()
