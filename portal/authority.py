"""Committees' review authority (核准备案) and the scope it gives them: which series, specialties, levels
and region a committee may review, for how long, and whether only its own unit's staff (W1; seed 000
五.3; seed 002 二、六). The application workflow's guards and the committee office's services ask here
whether a committee may take an application; suspension, withdrawal and reinstatement are the moves
of the AUTHORITY machine, taken by the bureau that approved the authority.

`application` arguments are applications.models.Application rows (portal imports no app above it)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from . import clock
from .dates import add_years
from .exceptions import DomainError, OutOfScope, PermissionDenied
from .models import (
    BUREAU_KINDS,
    CommitteeAuthority,
    Organisation,
    OrgKind,
    Role,
    Series,
    Specialty,
    TitleLevel,
)
from .roles import is_member
from .workflow import Machine, move

# ---------------------------------------------------------------- moves (seed 000 五.3; seed 002 六)


def _is_approving_officer(user, authority: CommitteeAuthority) -> bool:
    """Only the bureau that approved the authority suspends, withdraws or reinstates it."""
    return is_member(user, authority.approved_by_id, Role.OFFICER)


def _authority_refusal(authority: CommitteeAuthority, m, state: str) -> str:
    if authority.status == CommitteeAuthority.Status.WITHDRAWN:
        return "评审权已收回，需重新核准备案。"
    return f"评审权当前为“{state}”，不能{m.label}。"


_A = CommitteeAuthority.Status
AUTHORITY = Machine(
    CommitteeAuthority,
    [
        move(
            "suspend", {_A.ACTIVE}, _A.SUSPENDED, "暂停评审权", may=_is_approving_officer, role=Role.OFFICER
        ),
        move(
            "withdraw",
            {_A.ACTIVE, _A.SUSPENDED},
            _A.WITHDRAWN,
            "收回评审权",
            may=_is_approving_officer,
            role=Role.OFFICER,
        ),
        move(
            "reinstate", {_A.SUSPENDED}, _A.ACTIVE, "恢复评审权", may=_is_approving_officer, role=Role.OFFICER
        ),
    ],
    refusal=_authority_refusal,
)
# authority_set_status names the status it wants; this is the move that leads there.
AUTHORITY_ACTION_TO = {_A.SUSPENDED: "suspend", _A.WITHDRAWN: "withdraw", _A.ACTIVE: "reinstate"}


def current_authority(committee: Organisation, day: dt.date | None = None) -> CommitteeAuthority | None:
    """The committee's latest approval in force on `day`, whatever its status."""
    day = day or clock.today()
    return (
        CommitteeAuthority.objects.filter(committee=committee, valid_from__lte=day, valid_until__gte=day)
        .order_by("-valid_from", "-pk")
        .first()
    )


def authority_refusal(committee: Organisation, day: dt.date) -> tuple[CommitteeAuthority | None, str | None]:
    authority = current_authority(committee, day)
    if authority is None:
        return None, f"{committee.name}在{day:%Y年%m月%d日}没有有效的核准备案，不能评审。"
    if authority.status == CommitteeAuthority.Status.SUSPENDED:
        return authority, f"{committee.name}的评审权已暂停：{authority.status_reason}"
    if authority.status == CommitteeAuthority.Status.WITHDRAWN:
        return authority, f"{committee.name}的评审权已收回：{authority.status_reason}"
    return authority, None


def scope_refusal(
    *, committee: Organisation, application, check_level: bool = True, day: dt.date | None = None
) -> str | None:
    """Why this committee may not review this application, or None (seed 000 五.3; seed 002 六 不得多头
    重复交叉评价; W1 核准备案)."""
    day = day or clock.today()
    authority, refusal = authority_refusal(committee, day)
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


def committee_may_review(*, committee: Organisation, application) -> bool:
    return scope_refusal(committee=committee, application=application) is None


def require_scope(*, committee: Organisation, application, check_level: bool = True) -> None:
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
        raise DomainError("只能为评审委员会核准备案。", field="committee")
    if approved_by.kind not in BUREAU_KINDS:
        raise DomainError("核准备案部门应为人力社保部门。", field="approved_by")
    if actor is not None and not is_member(actor, approved_by.pk, Role.OFFICER):
        raise PermissionDenied("您不是该核准备案部门的工作人员。")
    # W1: validity at most 3 years; the last day is the day before the same date 3 years on.
    if not valid_from <= valid_until < add_years(valid_from, 3):
        raise DomainError("核准备案有效期不超过3年。", field="valid_until")
    term_start, term_end = term_start or valid_from, term_end or valid_until
    if not term_start <= term_end < add_years(term_start, 3):
        raise DomainError("评委会每届任期不超过3年。", field="term_end")
    if not TitleLevel.YUAN <= min_level <= max_level <= TitleLevel.SENIOR:
        raise DomainError("评审层级设置有误。", field="max_level")
    for name, size in (
        ("panel_size_standard", panel_size_standard),
        ("panel_size_senior", panel_size_senior),
    ):
        if size < 5 or size % 2 == 0:
            raise DomainError("执行委员会人数应为不少于5的单数。", field=name)
    if own_staff_only and employer is None:
        raise DomainError("仅评审本单位人员时须指明本单位。", field="employer")
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
        raise DomainError("状态无效。", field="status")
    if not is_member(actor, authority.approved_by_id, Role.OFFICER):
        raise PermissionDenied("只有核准备案部门可以暂停或收回评审权。")
    if status != CommitteeAuthority.Status.ACTIVE and not reason.strip():
        raise DomainError("请填写理由。", field="reason")

    def change(locked: CommitteeAuthority) -> None:
        locked.status_reason = reason.strip()
        locked.status_changed_at = clock.now()
        locked.status_changed_by = actor

    return AUTHORITY.take(
        authority, AUTHORITY_ACTION_TO[status], actor=actor, note=reason.strip(), change=change
    )
