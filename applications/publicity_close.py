"""A publicity's end: the notice closed once all its entries are settled, its outcome summarised, and its
publisher's staff told what is theirs to do next."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from portal.services import notify_members

from .exceptions import InvalidTransition
from .models import Objection, PublicityEntry, PublicityNotice, PublicityStage
from .publicity_workflow import NOTICE, PUBLISHER_ROLE


def close_finished_notices(now: dt.datetime) -> int:
    """Close every notice whose period is over and whose entries are all settled; its summary written,
    its publisher told."""
    closed = 0
    pending = PublicityEntry.objects.filter(notice=OuterRef("pk"), outcome=PublicityEntry.Outcome.PENDING)
    for notice in PublicityNotice.objects.filter(
        status=PublicityNotice.Status.OPEN, ends_at__lte=now
    ).exclude(Exists(pending)):

        def close(locked: PublicityNotice) -> None:
            locked.closed_at = now
            locked.result_summary = result_summary(locked)

        try:
            NOTICE.take(notice, "close", actor=None, change=close, notify=_tell_publisher)
        except InvalidTransition:
            continue  # closed by a concurrent sweep meanwhile
        closed += 1
    return closed


# What the publisher does once its publicity has ended (the next move is theirs).
_NEXT_STEP = {
    PublicityStage.EMPLOYER: "公示无异议的申报请在“审核推荐”中向主管部门推荐。",
    PublicityStage.PRE_REVIEW: "公示无异议的申报可安排评审会议。",
    PublicityStage.RESULT: "请填报评审结果备案表，报核准备案部门核准。",
}


def _tell_publisher(notice: PublicityNotice) -> None:
    """The publisher's staff learn that the publicity ended, its outcome and what is theirs to do next:
    one notice each per publicity, whatever its size."""
    lines = notice.result_summary.splitlines()
    counts = lines[1] if len(lines) > 1 else ""  # 公示对象N人，期满无异议或异议不成立X人…
    notify_members(
        organisation=notice.publisher_id,
        role=PUBLISHER_ROLE[notice.stage],
        message=f"{notice.get_stage_display()}《{notice.title}》已期满。{counts}{_NEXT_STEP[notice.stage]}",
        link=reverse("applications:public_notice", args=[notice.pk]),
        dedupe_key=f"publicity-ended-{notice.pk}",
    )


def result_summary(notice: PublicityNotice) -> str:
    # Counted in the database: a notice may hold hundreds of entries.
    counts = notice.entries.aggregate(
        total=Count("pk"),
        passed=Count("pk", filter=Q(outcome=PublicityEntry.Outcome.PASSED)),
        rejected=Count("pk", filter=Q(outcome=PublicityEntry.Outcome.REJECTED)),
    )
    passed, rejected = counts["passed"], counts["rejected"]
    objections = Objection.objects.filter(entry__notice=notice)
    lines = [
        f"公示期：{notice.first_day:%Y年%m月%d日}至{notice.end_date:%Y年%m月%d日}（{notice.working_days}个工作日）。",
        f"公示对象{counts['total']}人，期满无异议或异议不成立{passed}人，异议成立{rejected}人。",
        f"收到异议{objections.count()}件。" if objections.exists() else "公示期间未收到异议。",
    ]
    for objection in objections.select_related("entry"):
        lines.append(
            f"对{objection.entry.public_fields.get('name', '')}的异议：{objection.get_status_display()}，"
            f"{objection.outcome_reason}"
        )
    return "\n".join(lines)
