"""Publicity (公示) for all three stages: start a notice for a batch, take objections, and
let the sweep advance what is due. Working days come from rules.workdays."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal import clock
from portal.models import Organisation
from portal.roles import is_member
from portal.services import notify, notify_members
from portal.validators import mask_id_number
from rules import workdays
from rules.services.integrity import integrity_record_create

from . import eligibility, workflow
from .evidence import inspect_upload
from .exceptions import DomainError, InvalidTransition, PermissionDenied
from .models import Application, Objection, PublicityEntry, PublicityNotice, PublicityStage
from .objection_limits import fingerprint, within_rate
from .objection_refs import new_reference, settled_note
from .publicity_close import close_finished_notices
from .publicity_sweep import settle_due
from .publicity_workflow import END_MOVE, ENTRY, OBJECTION, PUBLISHER_ROLE

# For each stage: the move that starts the publicity, the one that ends it, and who publishes.
STAGES = {
    stage: (start, END_MOVE[stage], PUBLISHER_ROLE[stage])
    for stage, start in (
        (PublicityStage.EMPLOYER, "employer_publicise"),
        (PublicityStage.PRE_REVIEW, "pre_review_publicise"),
        (PublicityStage.RESULT, "result_publicise"),
    )
}
MIN_WORKING_DAYS = 5  # seeds 003 and 004: 不少于5个工作日


def public_fields(application: Application) -> dict:
    """What the public sees: never the full ID number or any contact detail."""
    snapshot = application.snapshot or {}
    identity = snapshot.get("identity", {})
    educations = snapshot.get("educations") or []
    highest = educations[-1] if educations else {}
    titles = snapshot.get("titles") or []
    return {
        "number": application.number,
        "name": identity.get("name") or application.archive.name,
        "gender": {"male": "男", "female": "女"}.get(identity.get("gender", ""), ""),
        "id_number": mask_id_number(identity.get("id_number") or application.archive.id_number),
        "employer": (application.workplace or application.recommending_org).name,
        "qualification": application.qualification.name,
        "specialty": application.specialty.name,
        "sub_specialty": application.sub_specialty.name if application.sub_specialty_id else "",
        "declaration_type": application.get_declaration_type_display(),
        "education": " ".join(filter(None, [highest.get("school"), highest.get("major")])),
        "current_title": titles[-1]["name"] if titles else "",
    }


def _require_publisher(actor, publisher: Organisation, role: str) -> None:
    if not is_member(actor, publisher.pk, role):
        raise PermissionDenied("您不是该公示发布单位的经办人员。")


def publicity_start(
    *,
    stage: str,
    applications: list[Application],
    actor,
    publisher: Organisation,
    title: str,
    posted_on: dt.date | None = None,
    working_days: int = MIN_WORKING_DAYS,
    rule: str = workdays.PublicityStartRule.START_DAY_COUNTS,
    body: str = "",
    contact: str = "",
) -> PublicityNotice:
    start_move, _, role = STAGES[stage]
    _require_publisher(actor, publisher, role)
    if not applications:
        raise DomainError("请至少选择一份申报。", field="applications")
    today = clock.today()
    posted_on = posted_on or today
    if posted_on < today:
        raise DomainError("公示发布日期不能早于今天。", field="posted_on")
    if working_days < MIN_WORKING_DAYS:
        raise DomainError(f"公示期不少于{MIN_WORKING_DAYS}个工作日。", field="working_days")
    try:
        period = workdays.publicity_period(posted_on, working_days, rule)
    except workdays.WorkCalendarError as exc:
        # A publicity cannot run into a year whose holidays nobody has entered.
        raise DomainError(calendar_refusal(exc, posted_on, working_days), field="posted_on") from exc
    with transaction.atomic():
        notice = PublicityNotice.objects.create(
            stage=stage,
            publisher=publisher,
            published_by=actor,
            title=title,
            body=body,
            contact=contact,
            posted_on=posted_on,
            working_days=working_days,
            rule=rule,
            first_day=period.first_day,
            end_date=period.end_date,
            ends_at=period.ends_at,
            calendar_version=period.calendar_version,
        )
        for application in applications:
            moved = workflow.transition(
                application_id=application.pk,
                action=start_move,
                actor=actor,
                note=f"{notice.title}（{period.first_day:%Y-%m-%d}至{period.end_date:%Y-%m-%d}）",
                data={"notice": str(notice.pk)},
                notify=workflow.tell_applicant(
                    f"您的申报{{number}}已列入“{notice.title}”，公示期"
                    f"{period.first_day:%Y年%m月%d日}至{period.end_date:%Y年%m月%d日}。"
                ),
            )
            PublicityEntry.objects.create(
                notice=notice, application=moved, public_fields=public_fields(moved)
            )
    return notice


def _settle(entry_id: int, *, now: dt.datetime) -> bool:
    """Advance one entry whose period is over and that has no open objection; idempotent. The sweep
    settles entries in sets by the same rules (applications/publicity_sweep.py); this is the path of an
    objection dismissed after the period has ended."""
    with transaction.atomic():
        # Locked before the application moves, so that two sweeps settle an entry once.
        entry = ENTRY.lock(entry_id)
        if entry.outcome != PublicityEntry.Outcome.PENDING or entry.notice.ends_at > now:
            return False
        if entry.objections.filter(status=Objection.Status.OPEN).exists():
            return False
        _, end_move, _ = STAGES[entry.notice.stage]
        note, dismissed = settled_note(entry)
        try:
            workflow.transition(
                application_id=entry.application_id,
                action=end_move,
                note=note,
                data={"notice": str(entry.notice_id)},
            )
        except InvalidTransition:
            # Withdrawn or otherwise moved on meanwhile: it leaves the publicity.
            action = "withdraw"
        else:
            action = "clear" if dismissed else "pass"
        ENTRY.take(
            entry,
            action,
            actor=None,
            note="" if action == "withdraw" else note,
            change=lambda e: setattr(e, "settled_at", now),
        )
    return True


def publicity_sweep(*, now: dt.datetime | None = None) -> int:
    """Advance every due entry in the database, in batches (applications/publicity_sweep.py). Safe to run
    any number of times, concurrently too; a run stopped halfway leaves the rest for the next one."""
    now = now or clock.now()
    advanced = settle_due(now=now)
    close_finished_notices(now)
    return advanced


def current_notices(now: dt.datetime | None = None):
    """Notices the public sees now: posted (the posting date has come) and not yet ended."""
    now = now or clock.now()
    return (
        PublicityNotice.objects.filter(
            status=PublicityNotice.Status.OPEN, ends_at__gt=now, posted_on__lte=timezone.localdate(now)
        )
        .select_related("publisher")
        .order_by("-created_at")
    )


def objection_lodge(
    *,
    entry: PublicityEntry,
    name: str,
    contact: str,
    reason: str,
    upload=None,
    client_address: str = "",
    user_agent: str = "",
    now: dt.datetime | None = None,
) -> Objection:
    now = now or clock.now()
    notice = entry.notice
    if notice.status != PublicityNotice.Status.OPEN or now >= notice.ends_at:
        raise DomainError("该公示已结束，不再受理异议。")
    if timezone.localdate(now) < notice.posted_on:
        raise DomainError(f"该公示将于{notice.posted_on:%Y年%m月%d日}发布，尚未受理异议。")
    errors = {}
    if not name.strip():
        errors["name"] = "请填写异议人姓名（实名）。"
    if len(contact.strip()) < 5:
        errors["contact"] = "请填写可联系到您的电话或邮箱。"
    if len(reason.strip()) < 10:
        errors["reason"] = "请具体说明异议事由（不少于10个字）。"
    if errors:
        field, message = next(iter(errors.items()))
        raise DomainError(message, field=field)
    if client_address and not within_rate(client_address):
        raise DomainError("提交过于频繁，请稍后再试。", code="rate_limited")
    objection = Objection(
        reference=new_reference(now),
        entry=entry,
        name=name.strip(),
        contact=contact.strip(),
        reason=reason.strip(),
        client_fingerprint=fingerprint(client_address, user_agent) if client_address else "",
        created_at=now,
    )
    if upload is not None:
        checked = inspect_upload(upload)
        objection.evidence_type = checked.content_type
        objection.evidence.save(checked.name, checked.content, save=False)
    objection.save()
    notify_members(
        organisation=notice.publisher_id,
        role=STAGES[notice.stage][2],
        message=f"“{notice.title}”收到对{entry.public_fields.get('name')}的异议，请调查处理。",
        link=f"/audit/publicity/{notice.pk}/",
    )
    return objection


def objection_resolve(
    *,
    objection: Objection,
    actor,
    upheld: bool,
    reason: str,
    false_materials: bool = False,
    now: dt.datetime | None = None,
) -> Objection:
    now = now or clock.now()
    if not reason.strip():
        raise DomainError("请填写调查处理结果。", field="reason")
    notice = objection.entry.notice
    role = STAGES[notice.stage][2]
    _require_publisher(actor, notice.publisher, role)
    reason = reason.strip()

    def resolve(locked: Objection) -> None:
        locked.outcome_reason = reason
        locked.false_materials = bool(upheld and false_materials)
        locked.handled_by = actor
        locked.handled_at = now
        if not upheld:
            return
        entry = ENTRY.lock(locked.entry_id)
        if entry.outcome != PublicityEntry.Outcome.PENDING:
            return
        application = workflow.transition(
            application_id=entry.application_id,
            action="objection_upheld",
            actor=actor,
            acting_role=role,
            note=f"公示异议成立：{reason}",
            data={"objection": str(locked.pk), "false_materials": locked.false_materials},
        )
        eligibility.release_exceptional_b(application, reason="公示异议成立")
        ENTRY.take(
            entry,
            "reject",
            actor=actor,
            acting_role=role,
            note=reason,
            data={"objection": str(locked.pk)},
            change=lambda e: setattr(e, "settled_at", now),
        )
        if locked.false_materials:
            _record_false_materials(application, actor=actor, reason=reason)
        notify(
            user=application.applicant,
            message=f"您的申报{application.number}在公示中被异议，经调查异议成立。",
            link=f"/applications/{application.pk}/",
        )

    locked = OBJECTION.take(
        objection,
        "uphold" if upheld else "dismiss",
        actor=actor,
        acting_role=role,
        note=reason,
        data={"false_materials": bool(upheld and false_materials)},
        change=resolve,
    )
    # A dismissed objection after the period has ended lets the application move on now.
    if not upheld:
        _settle(locked.entry_id, now=now)
        close_finished_notices(now)
    return locked


def _record_false_materials(application: Application, *, actor, reason: str) -> None:
    """Seed 003 四: false materials bar a higher-level declaration for 3 years from the year after review."""

    archive = application.archive
    integrity_record_create(
        id_type=archive.id_type,
        id_number=archive.id_number,
        name=archive.name,
        user=application.applicant,
        review_year=application.plan.year,
        level=application.qualification.level,
        plan=application.plan,
        finding=f"申报{application.number}经公示异议调查，提供虚假材料：{reason}",
        decision_date=clock.today(),
        actor=actor,
    )


def now_local_date() -> dt.date:
    return timezone.localdate(clock.now())


def calendar_refusal(exc: Exception, posted_on: dt.date, working_days: int) -> str:
    """Why a publicity could not be started: for a year without a holiday schedule, which year is missing,
    who enters it and where (it is never counted on weekends alone)."""
    if not isinstance(exc, workdays.UnknownCalendarYear):
        return str(exc)
    year = exc.year
    where = "落在" if posted_on.year == year else "将跨入"
    return (
        f"公示期（自{posted_on:%Y年%m月%d日}起{working_days}个工作日）{where}{year}年，"
        f"而{year}年的法定节假日和调休安排尚未录入，无法计算公示截止日期，公示未发布（系统不会只按周末推算）。"
        "请市、省人力社保部门经办人员或系统管理员在“工作日历”页面"
        f"（{reverse('rules:calendar_year', args=[year])}）"
        f"录入国务院办公厅关于{year}年部分节假日安排的通知，然后再发布本公示。"
    )
