"""Committee authority (核准备案) and scope, and the pilot units' application for it (seed 000)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from applications.models import Application
from portal import clock
from portal.models import BUREAU_KINDS, Organisation, OrgKind, Role, Series, Specialty, TitleLevel
from portal.roles import is_member
from portal.services import notify, notify_members
from rules.eligibility.dates import add_years

from ..exceptions import CommitteeError, InvalidTransition, OutOfScope, PermissionDenied
from ..models import CommitteeAuthority, PilotApplication
from ..workflow import AUTHORITY, AUTHORITY_ACTION_TO, PILOT


def current_authority(committee: Organisation, day: dt.date | None = None) -> CommitteeAuthority | None:
    """The committee's latest approval in force on `day`, whatever its status."""
    day = day or clock.today()
    return (
        CommitteeAuthority.objects.filter(committee=committee, valid_from__lte=day, valid_until__gte=day)
        .order_by("-valid_from", "-pk")
        .first()
    )


def _authority_refusal(committee: Organisation, day: dt.date) -> tuple[CommitteeAuthority | None, str | None]:
    authority = current_authority(committee, day)
    if authority is None:
        return None, f"{committee.name}在{day:%Y年%m月%d日}没有有效的核准备案，不能评审。"
    if authority.status == CommitteeAuthority.Status.SUSPENDED:
        return authority, f"{committee.name}的评审权已暂停：{authority.status_reason}"
    if authority.status == CommitteeAuthority.Status.WITHDRAWN:
        return authority, f"{committee.name}的评审权已收回：{authority.status_reason}"
    return authority, None


def scope_refusal(
    *, committee: Organisation, application: Application, check_level: bool = True, day: dt.date | None = None
) -> str | None:
    """Why this committee may not review this application, or None (seed 000 五.3; seed 002 六 不得多头
    重复交叉评价; W1 核准备案)."""
    day = day or clock.today()
    authority, refusal = _authority_refusal(committee, day)
    if refusal:
        return refusal
    qualification = application.qualification
    if not authority.series.filter(pk=qualification.series_id).exists():
        return f"“{qualification.series.name}”系列不在{committee.name}的授权评审范围内。"
    specialty_ids = set(authority.specialties.values_list("pk", flat=True))
    if specialty_ids and application.specialty_id not in specialty_ids:
        return f"“{application.specialty.name}”专业不在{committee.name}的授权评审专业内。"
    if check_level and not authority.min_level <= qualification.level <= authority.max_level:
        return f"“{qualification.name}”不在{committee.name}的授权评审层级内。"
    org = application.workplace or application.recommending_org
    if authority.region_id not in {r.pk for r in org.region.ancestors_and_self()}:
        return f"申报人单位所在地区不在{committee.name}的授权评审区域（{authority.region.name}）内。"
    if authority.own_staff_only:
        own = {authority.employer_id, *authority.member_units.values_list("pk", flat=True)}
        if not own & {application.recommending_org_id, application.workplace_id}:
            return f"{committee.name}只能评审本单位专业技术人员。"
    return None


def committee_may_review(*, committee: Organisation, application: Application) -> bool:
    return scope_refusal(committee=committee, application=application) is None


def committee_require_scope(
    *, committee: Organisation, application: Application, check_level: bool = True
) -> None:
    refusal = scope_refusal(committee=committee, application=application, check_level=check_level)
    if refusal:
        raise OutOfScope(refusal)


def authority_create(
    *,
    committee: Organisation,
    approved_by: Organisation,
    actor,
    document_no: str,
    valid_from: dt.date,
    valid_until: dt.date,
    series: list[Series],
    min_level: int,
    max_level: int,
    region,
    specialties: list[Specialty] = (),
    own_staff_only: bool = False,
    employer: Organisation | None = None,
    member_units: list[Organisation] = (),
    term_start: dt.date | None = None,
    term_end: dt.date | None = None,
    panel_size_standard: int = 7,
    panel_size_senior: int = 11,
) -> CommitteeAuthority:
    if committee.kind != OrgKind.COMMITTEE:
        raise CommitteeError("只能为评审委员会核准备案。", field="committee")
    if approved_by.kind not in BUREAU_KINDS:
        raise CommitteeError("核准备案部门应为人力社保部门。", field="approved_by")
    if actor is not None and not is_member(actor, approved_by.pk, Role.OFFICER):
        raise PermissionDenied("您不是该核准备案部门的工作人员。")
    # W1: validity at most 3 years; the last day is the day before the same date 3 years on.
    if not valid_from <= valid_until < add_years(valid_from, 3):
        raise CommitteeError("核准备案有效期不超过3年。", field="valid_until")
    term_start, term_end = term_start or valid_from, term_end or valid_until
    if not term_start <= term_end < add_years(term_start, 3):
        raise CommitteeError("评委会每届任期不超过3年。", field="term_end")
    if not TitleLevel.YUAN <= min_level <= max_level <= TitleLevel.SENIOR:
        raise CommitteeError("评审层级设置有误。", field="max_level")
    for name, size in (
        ("panel_size_standard", panel_size_standard),
        ("panel_size_senior", panel_size_senior),
    ):
        if size < 5 or size % 2 == 0:
            raise CommitteeError("执行委员会人数应为不少于5的单数。", field=name)
    if own_staff_only and employer is None:
        raise CommitteeError("仅评审本单位人员时须指明本单位。", field="employer")
    with transaction.atomic():
        authority = CommitteeAuthority.objects.create(
            committee=committee,
            approved_by=approved_by,
            document_no=document_no.strip(),
            valid_from=valid_from,
            valid_until=valid_until,
            min_level=min_level,
            max_level=max_level,
            region=region,
            own_staff_only=own_staff_only,
            employer=employer,
            term_start=term_start,
            term_end=term_end,
            panel_size_standard=panel_size_standard,
            panel_size_senior=panel_size_senior,
        )
        authority.series.set(series)
        authority.specialties.set(specialties)
        authority.member_units.set(member_units)
    return authority


def authority_set_status(
    *, authority: CommitteeAuthority, actor, status: str, reason: str
) -> CommitteeAuthority:
    """Suspend, withdraw or reinstate review authority (seed 000 五.3 暂停或收回评审权; seed 002 六)."""
    if status not in CommitteeAuthority.Status.values:
        raise CommitteeError("状态无效。", field="status")
    if not is_member(actor, authority.approved_by_id, Role.OFFICER):
        raise PermissionDenied("只有核准备案部门可以暂停或收回评审权。")
    if status != CommitteeAuthority.Status.ACTIVE and not reason.strip():
        raise CommitteeError("请填写理由。", field="reason")

    def change(locked: CommitteeAuthority) -> None:
        locked.status_reason = reason.strip()
        locked.status_changed_at = clock.now()
        locked.status_changed_by = actor

    return AUTHORITY.take(
        authority, AUTHORITY_ACTION_TO[status], actor=actor, note=reason.strip(), change=change
    )


# ---------------------------------------------------------------- pilot units (seed 000 附件 四)

PILOT_FIELDS = (
    "industry",
    "address",
    "legal_rep_name",
    "legal_rep_post",
    "legal_rep_phone",
    "legal_rep_mobile",
    "contact_name",
    "contact_post",
    "contact_phone",
    "contact_mobile",
    "staff_senior",
    "staff_deputy_senior",
    "staff_intermediate",
    "staff_junior",
    "introduction",
    "other_specialties",
)


def pilot_apply(
    *,
    unit: Organisation,
    actor,
    specialties: list[Specialty],
    subsidiaries: list[Organisation] = (),
    **fields,
) -> PilotApplication:
    """四.1 单位申请: the unit's HR files the form with its local bureau."""
    if not is_member(actor, unit.pk, Role.HR):
        raise PermissionDenied("只有本单位的经办人员可以提出申请。")
    if unit.kind not in (
        OrgKind.ENTERPRISE,
        OrgKind.ASSOCIATION,
        OrgKind.SOCIAL_ORG,
        OrgKind.PUBLIC_INSTITUTION,
    ):
        raise CommitteeError("该类型的单位不能申请社会化评价试点。", field="unit")
    if unit.parent_bureau_id is None:
        raise CommitteeError("单位未登记属地人力社保部门，请先完善单位信息。", field="unit")
    if not specialties:
        raise CommitteeError("请至少选择一个拟开展评价专业。", field="specialties")
    unknown = set(fields) - set(PILOT_FIELDS)
    if unknown:
        raise CommitteeError(f"未知字段：{'、'.join(sorted(unknown))}")
    for name in ("industry", "address", "legal_rep_name", "contact_name", "contact_mobile", "introduction"):
        if not str(fields.get(name, "")).strip():
            raise CommitteeError("请填写申请表的必填项。", field=name)
    try:
        with transaction.atomic():
            pilot = PilotApplication.objects.create(
                unit=unit,
                district_bureau_id=unit.parent_bureau_id,
                submitted_by=actor,
                submitted_at=clock.now(),
                **fields,
            )
            pilot.specialties.set(specialties)
            pilot.subsidiaries.set(subsidiaries)
    except IntegrityError as exc:
        raise InvalidTransition("本单位已有一份申请正在办理。") from exc
    notify_members(
        organisation=unit.parent_bureau_id,
        role=Role.OFFICER,
        message=f"{unit.name}提交了职称社会化评价试点申请，请审核。",
        link=f"/committee/pilots/{pilot.pk}/",
    )
    return pilot


def pilot_district_review(*, pilot: PilotApplication, actor, approve: bool, opinion: str) -> PilotApplication:
    """四.2 属地审核: the district bureau forms its opinion (重点审核实力和需求)."""
    if not is_member(actor, pilot.district_bureau_id, Role.OFFICER):
        raise PermissionDenied("只有属地人力社保部门可以审核。")
    if not opinion.strip():
        raise CommitteeError("请填写审核意见。", field="opinion")

    def change(locked: PilotApplication) -> None:
        locked.district_opinion = opinion.strip()
        locked.district_reviewed_by = actor
        locked.district_reviewed_at = clock.now()

    def tell(locked: PilotApplication) -> None:
        notify(
            user=locked.submitted_by,
            message=f"社会化评价试点申请属地审核{'同意' if approve else '不同意'}：{opinion}",
            link=f"/committee/pilots/{locked.pk}/",
        )

    return PILOT.take(
        pilot,
        "district_approve" if approve else "district_reject",
        actor=actor,
        note=opinion.strip(),
        change=change,
        notify=tell,
    )


def pilot_city_bureau(pilot: PilotApplication) -> Organisation | None:
    return (
        Organisation.objects.filter(pk=pilot.district_bureau.parent_bureau_id).first()
        if pilot.district_bureau.parent_bureau_id
        else None
    )


def pilot_file(
    *,
    pilot: PilotApplication,
    actor,
    document_no: str,
    valid_from: dt.date | None = None,
    panel_size: int = 7,
) -> PilotApplication:
    """四.2 报市人力社保局备案: the city bureau files; the unit's own-staff authority comes into force.

    The pilot reviews engineering mid and junior titles (seed 000 一, 二) of its own staff and listed
    subsidiaries only (五.3), for 3 years (W1)."""
    city = pilot_city_bureau(pilot)
    if city is None or not is_member(actor, city.pk, Role.OFFICER):
        raise PermissionDenied("只有市人力社保局可以备案。")
    if not document_no.strip():
        raise CommitteeError("请填写备案文号。", field="document_no")
    valid_from = valid_from or clock.today()

    def change(locked: PilotApplication) -> None:
        unit = locked.unit
        committee = Organisation.objects.create(
            name=f"{unit.name}工程技术类职称社会化评价委员会",
            kind=OrgKind.COMMITTEE,
            region=unit.region,
            parent_bureau=city,
            forming_body=unit,
            contact_phone=locked.contact_phone or locked.contact_mobile,
        )
        specialties = list(locked.specialties.all())
        series = list(Series.objects.filter(pk__in={s.series_id for s in specialties}))
        locked.authority = authority_create(
            committee=committee,
            approved_by=city,
            actor=actor,
            document_no=document_no,
            valid_from=valid_from,
            valid_until=add_years(valid_from, 3) - dt.timedelta(days=1),
            series=series,
            specialties=specialties,
            min_level=TitleLevel.YUAN,
            max_level=TitleLevel.INTERMEDIATE,
            region=unit.region,
            own_staff_only=True,
            employer=unit,
            member_units=list(locked.subsidiaries.all()),
            panel_size_standard=panel_size,
            panel_size_senior=max(panel_size, 11),
        )
        locked.filed_by = actor
        locked.filed_at = clock.now()

    def tell(locked: PilotApplication) -> None:
        notify(
            user=locked.submitted_by,
            message=f"{locked.unit.name}社会化评价试点已备案（{document_no}）。",
            link=f"/committee/pilots/{locked.pk}/",
        )

    return PILOT.take(
        pilot,
        "file",
        actor=actor,
        note=document_no.strip(),
        data={"document_no": document_no.strip()},
        change=change,
        notify=tell,
    )
