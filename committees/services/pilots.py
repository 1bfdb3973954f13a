"""The pilot units' application for their own review authority (seed 000 附件 四). The authority itself
and the scope it gives are portal.authority's."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from portal import clock
from portal.authority import authority_create
from portal.dates import add_years
from portal.models import Organisation, OrgKind, Role, Series, Specialty, TitleLevel
from portal.roles import is_member
from portal.services import notify, notify_members

from ..exceptions import CommitteeError, InvalidTransition, PermissionDenied
from ..models import PilotApplication
from ..workflow import PILOT

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


def pilot_district_audit(*, pilot: PilotApplication, actor, approve: bool, opinion: str) -> PilotApplication:
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
