"""Qualification review (资格审查), pre-review publicity, upward recommendation, and the routes
without a ballot: direct recognition (直接认定) and initial determination (初定). Seed 004 一(三),
二(三) and its committee table (评审…，推荐…)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from applications import audit, publicity, workflow
from applications.guards import is_recommend_only
from applications.models import Application, PublicityStage
from portal import clock
from portal.models import Membership, Organisation, Role
from portal.services import notify
from rules.workdays import PublicityStartRule

from ..exceptions import CommitteeError, PermissionDenied
from ..models import UpwardRecommendation
from ..permissions import is_clerk_of


def qualification_pass(*, application: Application, actor, note: str = "") -> Application:
    """Pass the qualification check. A title this committee only recommends goes on at once to the
    higher committee named in the plan, with the recommendation recorded."""
    committee = application.committee
    upward = is_recommend_only(application)
    higher = application.plan.higher_committee

    note = note.strip() or "资格审查通过"
    with transaction.atomic():
        moved = workflow.transition(
            application_id=application.pk,
            action="qualification_pass",
            actor=actor,
            note=note,
            data={"committee": committee.pk},
            notify=None if upward else workflow.tell_applicant("您的申报{number}已通过评委会资格审查。"),
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
                note=f"推荐至{higher.name if higher else ''}：{note}",
                data={"to_committee": higher.pk if higher else None},
                notify=workflow.tell_applicant(
                    f"您的申报{{number}}已通过资格审查并推荐至{higher.name if higher else ''}。"
                ),
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


def qualification_return(
    *, application: Application, actor, reason: str = "", defects: list[dict] | None = None
) -> Application:
    """Return to the recommending organisation's receiving bureau for correction, with the reason
    and any coded defects (一次性告知, applications/returns.py)."""
    if not reason.strip() and not defects:
        raise CommitteeError("请填写退回理由。", field="reason")
    return audit.return_take(
        application=application,
        action="qualification_return",
        actor=actor,
        reason=reason,
        data=audit.defects_data(application, defects),
        notify=workflow.tell_applicant("您的申报{number}被评委会退回推荐单位。"),
    )


def qualification_reject(*, application: Application, actor, reason: str) -> Application:
    if not reason.strip():
        raise CommitteeError("请填写不通过的理由。", field="reason")
    return workflow.transition(
        application_id=application.pk,
        action="qualification_reject",
        actor=actor,
        note=reason.strip(),
        notify=workflow.tell_applicant("您的申报{number}未通过评委会资格审查。"),
    )


def upward_receive(*, application: Application, actor) -> Application:
    """The higher committee takes the recommended application into its own qualification check;
    from then on it holds the application."""
    higher = application.plan.higher_committee

    def receive(locked: Application) -> None:
        row = UpwardRecommendation.objects.select_for_update().get(application=locked)
        row.received_at = clock.now()
        row.received_by = actor
        row.save(update_fields=["received_at", "received_by"])
        locked.committee = higher

    return workflow.transition(
        application_id=application.pk,
        action="upward_receive",
        actor=actor,
        change=receive,
        note=f"{higher.name}接收推荐" if higher else "",
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
        if application.committee_id != committee.pk:
            raise PermissionDenied("所选申报不由本评委会办理。")
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
    committee = application.committee
    if not reason.strip():
        raise CommitteeError("请填写认定理由。", field="reason")
    return workflow.transition(
        application_id=application.pk,
        action="recognise",
        actor=actor,
        note=reason.strip(),
        data={"route": "recognition", "committee": committee.pk},
        notify=workflow.tell_applicant("您的申报{number}已认定通过，将进行结果公示。"),
    )


def application_initial_determine(*, application: Application, actor, reason: str) -> Application:
    """职称初定 by the bureau (the committee's filing bureau) right after the qualification check;
    exam-based series have none (seed 004 二(三))."""
    if not reason.strip():
        raise CommitteeError("请填写初定意见。", field="reason")
    return workflow.transition(
        application_id=application.pk,
        action="initial_determine",
        actor=actor,
        note=reason.strip(),
        data={"route": "initial", "committee": application.committee_id},
        notify=workflow.tell_applicant("您的申报{number}已初定通过，将进行结果公示。"),
    )
