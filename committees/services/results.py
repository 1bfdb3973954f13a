"""Results: publicity (≥5 working days), the result filing form (评审结果备案表) and the bureau's
approval (核准公布), seed 004 一(五)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction

from applications import publicity, workflow
from applications.models import Application, PublicityStage
from applications.states import State
from portal import clock
from portal.celery import app as celery_app
from portal.models import Organisation, Role
from portal.queueing import queue_now
from portal.services import notify, notify_members
from rules.workdays import PublicityStartRule

from ..exceptions import CommitteeError, InvalidTransition, PermissionDenied
from ..models import FilingEntry, Meeting, ResultFiling
from ..permissions import is_clerk_of, require_filing_officer
from ..workflow import FILING


def _require_held(
    committee: Organisation, applications: list[Application], state: str, what: str
) -> list[Application]:
    """The applications as they are now in the database, each held by the committee and in `state`."""
    if not applications:
        raise CommitteeError("请至少选择一份申报。", field="applications")
    applications = list(
        Application.objects.filter(pk__in=[a.pk for a in applications])
        .select_related("plan", "archive", "qualification", "specialty", "recommending_org", "workplace")
        .order_by("number")
    )
    for application in applications:
        if application.committee_id != committee.pk:
            raise PermissionDenied("所选申报不由本评委会办理。")
        if application.state != state:
            raise CommitteeError(
                f"{application.number} {application.archive.name}：{what}", field="applications"
            )
    return applications


def results_publicise(
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
    """评后公示 of passed (reviewed, recognised or initially determined) applications, ≥5 working days."""
    if not is_clerk_of(actor, committee.pk):
        raise PermissionDenied()
    applications = _require_held(
        committee, applications, State.PASSED, "只有评审（认定）通过的申报可以进行结果公示。"
    )
    return publicity.publicity_start(
        stage=PublicityStage.RESULT,
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


def filing_create(
    *,
    committee: Organisation,
    applications: list[Application],
    actor,
    title: str,
    meeting: Meeting | None = None,
) -> ResultFiling:
    """The office prints the filing form from the system once the result publicity has ended without
    an upheld objection; the forming body stamps it and the bureau approves."""
    if not is_clerk_of(actor, committee.pk):
        raise PermissionDenied()
    if not title.strip():
        raise CommitteeError("请填写备案表标题。", field="title")
    if meeting is not None and meeting.committee_id != committee.pk:
        raise PermissionDenied()
    applications = _require_held(
        committee, applications, State.RESULT_PUBLICITY_DONE, "结果公示期满后方可报送备案。"
    )
    try:
        with transaction.atomic():
            filing = ResultFiling.objects.create(
                committee=committee,
                meeting=meeting,
                title=title.strip(),
                created_by=actor,
                created_at=clock.now(),
            )
            FilingEntry.objects.bulk_create([FilingEntry(filing=filing, application=a) for a in applications])
    except IntegrityError as exc:
        raise InvalidTransition("所选申报已报送备案。") from exc
    notify_members(
        organisation=committee.parent_bureau_id,
        role=Role.OFFICER,
        message=f"{committee.name}报送了{filing.title}，请核准。",
        link=f"/committee/filings/{filing.pk}/",
    )
    return filing


def filing_applications(filing: ResultFiling):
    return (
        Application.objects.filter(filing_entry__filing=filing)
        .select_related("archive", "qualification", "specialty", "recommending_org", "workplace")
        .order_by("filing_entry__id")
    )


# The task of certificates/ that issues an approved filing's certificates. Queued by name: committees
# does not import the app built on it; certificates' beat sweep (sweep_approved_filings) re-derives the
# same work from the database, so a message that cannot be queued now only delays issuance.
ISSUE_AFTER_APPROVAL = "certificates.tasks.issue_for_filing"


def _start_issuance(filing_id: int) -> None:
    queue = getattr(settings, "CERTIFICATE_TASK_QUEUE", None)
    options = {"queue": queue} if queue else {}

    def send() -> None:
        task = celery_app.tasks.get(ISSUE_AFTER_APPROVAL)
        if task is None:  # a process that has not loaded certificates' tasks
            celery_app.send_task(ISSUE_AFTER_APPROVAL, args=[filing_id], **options)
        else:
            task.apply_async(args=[filing_id], **options)

    # The broker down: the sweep of approved filings (certificates.tasks) issues them later.
    queue_now(send, what=f"certificates of result filing {filing_id}")


def filing_approve(*, filing: ResultFiling, actor, document_no: str) -> ResultFiling:
    """核准公布: the filing bureau approves every application on the form at once (all or none)."""
    require_filing_officer(actor, filing.committee)
    document_no = document_no.strip()
    if not document_no:
        raise CommitteeError("请填写核准文号。", field="document_no")
    approved: list[Application] = []

    def approve(locked: ResultFiling) -> None:
        approved.extend(
            workflow.transition(
                application_id=a.pk,
                action="approve",
                actor=actor,
                note=f"核准公布（{document_no}）",
                data={"filing": locked.pk, "document_no": document_no},
            )
            for a in filing_applications(locked)
        )
        locked.approved_by = actor
        locked.approved_at = clock.now()
        locked.approval_document_no = document_no
        transaction.on_commit(lambda: _start_issuance(locked.pk))

    def tell(locked: ResultFiling) -> None:
        for application in approved:
            notify(
                user=application.applicant,
                message=f"您的职称评审结果已核准公布（{document_no}），可领取电子证书。",
                link=f"/applications/{application.pk}/",
            )

    return FILING.take(
        filing,
        "approve",
        actor=actor,
        note=document_no,
        data={"document_no": document_no},
        change=approve,
        notify=tell,
    )
