"""Qualification review (资格审查), pre-review publicity, upward recommendation, and the routes
without a ballot: direct recognition (直接认定) and initial determination (初定). Seed 004 一(三),
二(三) and its committee table (评审…，推荐…)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from applications import publicity, workflow
from applications.models import Application, PublicityStage
from applications.states import State
from portal import clock
from portal.models import Membership, Organisation, Role
from portal.services import notify
from rules.vocab import DeclarationType
from rules.workdays import PublicityStartRule

from ..exceptions import CommitteeError, InvalidTransition, PermissionDenied
from ..models import UpwardRecommendation
from ..permissions import holding_committee_id, is_clerk_of, is_filing_officer_of
from .authority import committee_require_scope

NO_BALLOT_TYPES = (DeclarationType.RECOGNITION, DeclarationType.INITIAL)


def _tell(message: str):
    def send(application: Application) -> None:
        notify(
            user=application.applicant,
            message=message.format(number=application.number),
            link=f"/applications/{application.pk}/",
        )

    return send


def _holding_committee(application: Application, actor) -> Organisation:
    committee = Organisation.objects.get(pk=holding_committee_id(application))
    if not is_clerk_of(actor, committee.pk):
        raise PermissionDenied("该申报不由您所在的评委会办理。")
    return committee


def is_recommend_only(application: Application, committee_id: int) -> bool:
    """The plan's committee only recommends this title to the higher committee (seed 004 表：推荐高级…)."""
    plan = application.plan
    return (
        committee_id == plan.committee_id
        and plan.recommend_qualifications.filter(pk=application.qualification_id).exists()
        and not plan.qualifications.filter(pk=application.qualification_id).exists()
    )


def qualification_pass(*, application: Application, actor, note: str = "") -> Application:
    """Pass the qualification review. A title this committee only recommends goes on at once to the
    higher committee named in the plan, with the recommendation recorded."""
    committee = _holding_committee(application, actor)
    upward = is_recommend_only(application, committee.pk)
    higher = application.plan.higher_committee
    if upward:
        if higher is None:
            raise CommitteeError("评审计划未指定上级评审委员会，不能推荐。", field="plan")
        committee_require_scope(committee=committee, application=application, check_level=False)
        committee_require_scope(committee=higher, application=application)
    else:
        committee_require_scope(committee=committee, application=application)
    if (
        application.declaration_type == DeclarationType.INITIAL
        and application.qualification.series.exam_based
    ):
        # Seed 004 二(三): exam-based series (经济、会计…) have no 初定.
        raise CommitteeError(
            "实行全国、全省统一考试的系列不再进行职称初定，请作资格审查不通过处理。", field="note"
        )
    note = note.strip() or "资格审查通过"
    with transaction.atomic():
        moved = workflow.transition(
            application_id=application.pk,
            action="qualification_pass",
            actor=actor,
            note=note,
            data={"committee": committee.pk},
            notify=None if upward else _tell("您的申报{number}已通过评委会资格审查。"),
        )
        if upward:

            def record(locked: Application) -> None:
                UpwardRecommendation.objects.create(
                    application=locked,
                    from_committee=committee,
                    to_committee=higher,
                    note=note,
                    recommended_by=actor,
                    recommended_at=clock.now(),
                )

            moved = workflow.transition(
                application_id=application.pk,
                action="recommend_upward",
                actor=actor,
                change=record,
                note=f"推荐至{higher.name}：{note}",
                data={"to_committee": higher.pk},
                notify=_tell(f"您的申报{{number}}已通过资格审查并推荐至{higher.name}。"),
            )
    if upward:
        for m in Membership.objects.filter(
            organisation=higher, role=Role.CLERK, is_active=True
        ).select_related("user"):
            notify(
                user=m.user,
                message=f"{committee.name}推荐了{application.archive.name}的申报，请接收。",
                link="/committee/?state=recommended_upward",
            )
    return moved


def qualification_return(*, application: Application, actor, reason: str) -> Application:
    """Return to the recommending organisation's receiving bureau for correction."""
    _holding_committee(application, actor)
    if not reason.strip():
        raise CommitteeError("请填写退回理由。", field="reason")
    return workflow.transition(
        application_id=application.pk,
        action="qualification_return",
        actor=actor,
        note=reason.strip(),
        notify=_tell("您的申报{number}被评委会退回推荐单位。"),
    )


def qualification_reject(*, application: Application, actor, reason: str) -> Application:
    _holding_committee(application, actor)
    if not reason.strip():
        raise CommitteeError("请填写不通过的理由。", field="reason")
    return workflow.transition(
        application_id=application.pk,
        action="qualification_reject",
        actor=actor,
        note=reason.strip(),
        notify=_tell("您的申报{number}未通过评委会资格审查。"),
    )


def upward_receive(*, application: Application, actor) -> Application:
    """The higher committee takes the recommended application into its own qualification review."""
    upward = (
        UpwardRecommendation.objects.filter(application=application).select_related("to_committee").first()
    )
    if upward is None or not is_clerk_of(actor, upward.to_committee_id):
        raise PermissionDenied("该申报未推荐至您所在的评委会。")
    committee_require_scope(committee=upward.to_committee, application=application)

    def receive(locked: Application) -> None:
        row = UpwardRecommendation.objects.select_for_update().get(pk=upward.pk)
        if row.received_at is not None:
            raise InvalidTransition("该申报已接收。")
        row.received_at = clock.now()
        row.received_by = actor
        row.save(update_fields=["received_at", "received_by"])

    return workflow.transition(
        application_id=application.pk,
        action="upward_receive",
        actor=actor,
        change=receive,
        note=f"{upward.to_committee.name}接收推荐",
    )


def pre_review_publicise(
    *,
    committee: Organisation,
    applications: list[Application],
    actor,
    title: str,
    posted_on: dt.date | None = None,
    working_days: int = publicity.MIN_WORKING_DAYS,
    rule: str = PublicityStartRule.START_DAY_COUNTS,
    body: str = "",
    contact: str = "",
):
    """评前公示 of at least 5 working days (seed 004 一(三)), through the one publicity service."""
    if not is_clerk_of(actor, committee.pk):
        raise PermissionDenied()
    for application in applications:
        if holding_committee_id(application) != committee.pk:
            raise PermissionDenied("所选申报不由本评委会办理。")
        if application.declaration_type == DeclarationType.INITIAL:
            raise CommitteeError(
                f"{application.number}为初定申报，资格审查后由人力社保部门初定，无需评前公示。",
                field="applications",
            )
    return publicity.publicity_start(
        stage=PublicityStage.PRE_REVIEW,
        applications=applications,
        actor=actor,
        publisher=committee,
        title=title,
        posted_on=posted_on,
        working_days=working_days,
        rule=rule,
        body=body,
        contact=contact,
    )


def application_recognise(*, application: Application, actor, reason: str) -> Application:
    """直接认定 by the committee office, after the qualification review and the pre-review publicity
    (seed 000 三(一)(三) 认定条件; seed 004 五步). No expert vote; the reason is recorded."""
    committee = _holding_committee(application, actor)
    if application.declaration_type != DeclarationType.RECOGNITION:
        raise CommitteeError("只有直接认定的申报可以认定通过，其他申报须经评审会议表决。", field="reason")
    if not reason.strip():
        raise CommitteeError("请填写认定理由。", field="reason")
    committee_require_scope(committee=committee, application=application)

    def after_publicity(locked: Application) -> None:
        if locked.state != State.AWAITING_MEETING:
            raise InvalidTransition("直接认定须在评前公示期满后办理。")

    return workflow.transition(
        application_id=application.pk,
        action="recognise",
        actor=actor,
        check=after_publicity,
        note=reason.strip(),
        data={"route": "recognition", "committee": committee.pk},
        notify=_tell("您的申报{number}已认定通过，将进行结果公示。"),
    )


def application_initial_determine(*, application: Application, actor, reason: str) -> Application:
    """职称初定 by the bureau (the committee's filing bureau) right after the qualification review;
    exam-based series have none (seed 004 二(三))."""
    committee = Organisation.objects.select_related("parent_bureau").get(pk=holding_committee_id(application))
    if not is_filing_officer_of(actor, committee):
        raise PermissionDenied("职称初定由评委会的核准备案部门办理。")
    if application.declaration_type != DeclarationType.INITIAL:
        raise CommitteeError("只有初定申报可以办理初定。", field="reason")
    if application.qualification.series.exam_based:
        raise CommitteeError("实行统一考试的系列不再进行职称初定。", field="reason")
    if not reason.strip():
        raise CommitteeError("请填写初定意见。", field="reason")
    return workflow.transition(
        application_id=application.pk,
        action="initial_determine",
        actor=actor,
        note=reason.strip(),
        data={"route": "initial", "committee": committee.pk},
        notify=_tell("您的申报{number}已初定通过，将进行结果公示。"),
    )
