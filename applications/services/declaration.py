"""An application from creation to (re)submission and withdrawal; every change of its state goes
through applications.workflow.transition."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from portal import clock
from portal.models import EMPLOYER_KINDS, Organisation, OrgKind, PlanMaterial, ReviewPlan, Role
from portal.services import notify_members
from rules.vocab import DeclarationType

from .. import eligibility, workflow
from ..archive_json import archive_to_json, snapshot_of
from ..exceptions import DeadlinePassed, DomainError, InvalidTransition, PermissionDenied
from ..models import Application, Archive, Channel, Evidence, NumberSequence
from ..states import EDITABLE_STATES, State
from .archive import archive_get_or_create

CHANNEL_ORG_KINDS = {
    Channel.EMPLOYER: EMPLOYER_KINDS,
    Channel.AGENCY: (OrgKind.PERSONNEL_AGENCY,),
    Channel.DISPATCH: (OrgKind.DISPATCH_COMPANY,),
    Channel.SERVICE_POINT: (OrgKind.SERVICE_POINT,),
}


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y年%m月%d日 %H:%M")


# ---------------------------------------------------------------- applications


def _validate_application_fields(
    *,
    plan: ReviewPlan,
    qualification,
    specialty,
    sub_specialty,
    declaration_type: str,
    exceptional_class: str,
    channel: str,
    recommending_org: Organisation,
    workplace: Organisation | None,
) -> None:
    errors: dict[str, list[str]] = {}
    if (
        not plan.qualifications.filter(pk=qualification.pk).exists()
        and not plan.recommend_qualifications.filter(pk=qualification.pk).exists()
    ):
        errors["qualification"] = [f"“{plan.title}”不评审或推荐“{qualification.name}”。"]
    if not plan.specialties.filter(pk=specialty.pk).exists():
        errors["specialty"] = [f"“{plan.title}”不含“{specialty.name}”专业。"]
    if sub_specialty is not None and sub_specialty.specialty_id != specialty.pk:
        errors["sub_specialty"] = ["子专业不属于所选专业。"]
    if sub_specialty is None and specialty.subspecialties.exists():
        errors["sub_specialty"] = ["请选择一个子专业。"]
    if declaration_type == DeclarationType.EXCEPTIONAL and exceptional_class not in ("A", "B"):
        errors["exceptional_class"] = ["破格申报须选择A类或B类。"]
    if declaration_type != DeclarationType.EXCEPTIONAL and exceptional_class:
        errors["exceptional_class"] = ["只有破格申报才选择破格类别。"]
    if declaration_type == DeclarationType.INITIAL and qualification.series.exam_based:
        # Seed 004 二(三): series with a unified exam have no 初定.
        errors["declaration_type"] = [f"{qualification.series.name}系列实行全国统一考试，不进行职称初定。"]
    kinds = CHANNEL_ORG_KINDS.get(channel)
    if kinds is None:
        errors["channel"] = ["请选择申报渠道。"]
    elif recommending_org.kind not in kinds or not recommending_org.is_active:
        errors["recommending_org"] = [f"“{recommending_org.name}”不是{Channel(channel).label}。"]
    if channel == Channel.DISPATCH:
        if workplace is None or workplace.kind not in EMPLOYER_KINDS:
            errors["workplace"] = ["劳务派遣人员须填写实际用工单位。"]
    elif workplace is not None:
        errors["workplace"] = ["只有劳务派遣人员需要填写用工单位。"]
    if errors:
        raise ValidationError(errors)


def _next_number(plan: ReviewPlan) -> str:
    """Year, committee and a per-year sequence, e.g. 2026-0012-000153: never the same twice, and short
    enough to read out on the phone or copy from paper. Call inside the creating transaction."""
    sequence, _ = NumberSequence.objects.get_or_create(year=plan.year, committee_id=plan.committee_id)
    sequence = NumberSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{plan.year}-{plan.committee_id:04d}-{sequence.last:06d}"


# An application ended before any review of the person's merit gives the year back: withdrawn by the
# applicant, or refused by the employer audit or the committee's qualification review (不予通过). One that
# was reviewed (评审未通过), revoked or is still alive keeps the year (the same states as
# application_one_live_per_plan_qualification).
YEAR_RELEASING_STATES = (State.WITHDRAWN, State.REJECTED)


def _same_year_application(*, archive: Archive, year: int) -> Application | None:
    """The person's live application of a plan of `year`, in any committee. The person is the archive,
    and any archive with the same identity document (type and number)."""
    same_person = Q(archive=archive)
    if archive.id_number:
        same_person |= Q(archive__id_type=archive.id_type, archive__id_number_digest=archive.id_number_digest)
    return (
        Application.objects.filter(same_person, plan__year=year)
        .exclude(state__in=YEAR_RELEASING_STATES)
        .select_related("committee")
        .order_by("created_at")
        .first()
    )


def application_create(
    *,
    applicant,
    plan: ReviewPlan,
    qualification,
    specialty,
    sub_specialty=None,
    declaration_type: str,
    exceptional_class: str = "",
    specialty_matches: bool = True,
    channel: str,
    recommending_org: Organisation,
    workplace: Organisation | None = None,
    now: dt.datetime | None = None,
) -> Application:
    """A draft for `plan`. A person declares once per plan year across all committees: a second
    application of any plan of the same year is refused, naming the first one's number and committee,
    unless the first was withdrawn or refused before review (YEAR_RELEASING_STATES)."""
    now = now or clock.now()
    if not plan.is_open_for_declaration(now):
        if plan.status == ReviewPlan.Status.PUBLISHED and now >= plan.declaration_deadline:
            raise DeadlinePassed(f"“{plan.title}”个人申报已于{_local(plan.declaration_deadline)}截止。")
        raise DomainError(f"“{plan.title}”当前不接受申报。", field="plan")
    _validate_application_fields(
        plan=plan,
        qualification=qualification,
        specialty=specialty,
        sub_specialty=sub_specialty,
        declaration_type=declaration_type,
        exceptional_class=exceptional_class,
        channel=channel,
        recommending_org=recommending_org,
        workplace=workplace,
    )
    archive = archive_get_or_create(user=applicant)
    eligibility.require_no_ban(archive=archive, plan=plan, qualification=qualification)
    with transaction.atomic():
        # The archive's row lock serialises two creations by the same person (e.g. in two committees).
        Archive.objects.select_for_update().get(pk=archive.pk)
        first = _same_year_application(archive=archive, year=plan.year)
        if first is not None:
            raise DomainError(
                f"您在{plan.year}年度已有一份职称申报（编号{first.number}，{first.committee.name}），"
                "每人每年度只能申报一次，请在原申报上继续。",
                field="plan",
            )
        application = Application(
            number=_next_number(plan),
            committee_id=plan.committee_id,
            applicant=applicant,
            archive=archive,
            plan=plan,
            qualification=qualification,
            specialty=specialty,
            sub_specialty=sub_specialty,
            declaration_type=declaration_type,
            exceptional_class=exceptional_class,
            specialty_matches=specialty_matches,
            channel=channel,
            recommending_org=recommending_org,
            workplace=workplace,
            created_at=now,
        )
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError as exc:
            raise DomainError(
                f"您已有一份“{plan.title}”的{qualification.name}申报，请在原申报上继续。",
                field="qualification",
            ) from exc
        workflow.transition(application_id=application.pk, action="create", actor=applicant)
    application.refresh_from_db()
    return application


DRAFT_FIELDS = ("sub_specialty", "declaration_type", "exceptional_class", "specialty_matches", "work_summary")


def application_update(*, application: Application, actor, **fields) -> Application:
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise ValidationError({name: ["该项不能修改。"] for name in unknown})
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("plan", "qualification__series", "specialty")
            .get(pk=application.pk)
        )
        if locked.applicant_id != actor.pk:
            raise PermissionDenied()
        if locked.state not in EDITABLE_STATES:
            raise InvalidTransition("申报已提交，不能修改。")
        for name, value in fields.items():
            setattr(locked, name, value)
        _validate_application_fields(
            plan=locked.plan,
            qualification=locked.qualification,
            specialty=locked.specialty,
            sub_specialty=locked.sub_specialty,
            declaration_type=locked.declaration_type,
            exceptional_class=locked.exceptional_class,
            channel=locked.channel,
            recommending_org=locked.recommending_org,
            workplace=locked.workplace,
        )
        locked.save()
    return locked


def required_materials(application: Application) -> list[PlanMaterial]:
    applies = {PlanMaterial.AppliesTo.ALL}
    if application.declaration_type == DeclarationType.EXCEPTIONAL:
        applies.add(PlanMaterial.AppliesTo.EXCEPTIONAL)
    elif application.declaration_type == DeclarationType.SKILLS:
        applies.add(PlanMaterial.AppliesTo.SKILLS)
    elif application.declaration_type in (DeclarationType.RECOGNITION, DeclarationType.INITIAL):
        applies.add(PlanMaterial.AppliesTo.RECOGNITION)
    return [m for m in application.plan.materials.all() if m.applies_to in applies]


def missing_materials(application: Application) -> list[PlanMaterial]:
    uploaded = set(application.evidence.values_list("material_code", flat=True))
    return [m for m in required_materials(application) if m.required and m.code not in uploaded]


def application_sign_pledge(*, application: Application, actor, ip: str | None) -> Application:
    """The 真实性保证书 signed online (seed 003 三(二)); the time and address are kept."""
    with transaction.atomic():
        locked = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
        if locked.applicant_id != actor.pk:
            raise PermissionDenied()
        if locked.state not in EDITABLE_STATES:
            raise InvalidTransition("申报已提交，无需再次签署。")
        locked.pledge_signed_at = clock.now()
        locked.pledge_ip = ip
        workflow.record_event(
            application=locked,
            actor=actor,
            role=Role.APPLICANT,
            action="sign_pledge",
            note="签署《专业技术资格申报材料真实性保证书》",
            data={"ip": ip},
        )
        locked.save()
    return locked


def _submission_check(application: Application) -> dict:
    """What must be complete before (re)submission; the deadline is the move's guard (workflow). Returns
    the archive JSON the rules judged (with its entries' ids, which the rules ignore): the snapshot."""
    errors = []
    archive = application.archive
    if not (archive.name and archive.id_number and archive.birth_date):
        errors.append("请先在业绩档案中填写姓名、证件号码和出生日期。")
    if not archive.educations.exists():
        errors.append("请先在业绩档案中填写学历。")
    if not archive.work_periods.exists():
        errors.append("请先在业绩档案中填写工作经历。")
    if not application.work_summary.strip():
        errors.append("请填写任现职以来专业技术工作总结。")
    missing = missing_materials(application)
    if missing:
        errors.append("以下材料尚未上传：" + "、".join(m.name for m in missing) + "。")
    if application.pledge_signed_at is None:
        errors.append("请先签署《专业技术资格申报材料真实性保证书》。")
    if errors:
        raise DomainError(" ".join(errors), code="incomplete")
    plan = application.plan
    eligibility.require_no_ban(archive=archive, plan=plan, qualification=application.qualification)
    judged = archive_to_json(archive, ids=True)
    eligibility.require_route(application, judged)
    return judged


def _notify_recommending_org(application: Application) -> None:
    notify_members(
        organisation=[application.recommending_org_id, application.workplace_id],
        role=Role.HR,
        message=f"{application.archive.name}提交了职称申报（{application.number}），请审核。",
        link=f"/applications/{application.pk}/",
    )


def _freeze(application: Application, judged: dict) -> None:
    """The archive the rules judged (with its entries' ids) and the files then attached are what
    reviewers will see."""
    application.snapshot = snapshot_of(application.archive, application_id=application.pk, data=judged)
    application.submitted_at = clock.now()
    application.submitted_evidence.set(
        Evidence.objects.filter(archive=application.archive_id).filter(
            Q(application__isnull=True) | Q(application=application)
        )
    )


def _submission(application: Application, actor, action: str) -> Application:
    # The archive is read once, under the application's lock: the rules judge it and it is frozen.
    judged: dict = {}
    return workflow.transition(
        application_id=application.pk,
        action=action,
        actor=actor,
        check=lambda locked: judged.update(_submission_check(locked)),
        change=lambda locked: _freeze(locked, judged),
        notify=_notify_recommending_org,
    )


def application_submit(*, application: Application, actor) -> Application:
    """Submit before the plan's individual deadline; the archive is frozen into the snapshot."""
    return _submission(application, actor, "submit")


def application_resubmit(*, application: Application, actor) -> Application:
    """After a return the applicant corrects and resubmits until the employer's deadline."""
    return _submission(application, actor, "resubmit")


def application_withdraw(*, application: Application, actor, reason: str = "") -> Application:
    return workflow.transition(
        application_id=application.pk,
        action="withdraw",
        actor=actor,
        note=reason.strip() or "申报人撤回",
        change=lambda a: eligibility.release_exceptional_b(a, reason="申报人撤回"),
    )


def plans_open(now: dt.datetime | None = None):
    now = now or clock.now()
    return ReviewPlan.objects.filter(
        status=ReviewPlan.Status.PUBLISHED, opens_at__lte=now, declaration_deadline__gt=now
    ).select_related("committee")


def channel_orgs(channel: str):
    return Organisation.objects.filter(kind__in=CHANNEL_ORG_KINDS[channel], is_active=True)
