"""A publicity's end: the notice closed once all its entries are settled, its outcome summarised, and its
publisher's staff told what is theirs to do next."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from portal import bulk
from portal.services import notify_staff

from .models import Objection, PublicityEntry, PublicityNotice, PublicityStage
from .publicity_workflow import NOTICE, PUBLISHER_ROLE

CLOSE_BATCH = 500


def finished_notices(now: dt.datetime):
    """Open notices whose period is over and whose entries are all settled."""
    pending = PublicityEntry.objects.filter(notice=OuterRef("pk"), outcome=PublicityEntry.Outcome.PENDING)
    return PublicityNotice.objects.filter(status=PublicityNotice.Status.OPEN, ends_at__lte=now).exclude(
        Exists(pending)
    )


def close_finished_notices(now: dt.datetime, *, batch_size: int = CLOSE_BATCH) -> int:
    """Close every finished notice, a batch at a time in a fixed number of statements per batch: its
    summary written, its publisher told. Returns how many were closed."""
    closed, after = 0, None
    while True:
        done, after = _close_batch(now, after=after, limit=batch_size)
        closed += done
        if after is None:
            return closed


def _close_batch(now: dt.datetime, *, after, limit: int) -> tuple[int, object]:
    """One batch, in one transaction: the notices are locked (a concurrent sweep waits for them, then
    leaves out those it finds closed, so whoever returns last has closed every finished notice), their
    entries counted and their objections read in one query each, and `NOTICE.take_set` closes those
    still without a pending entry. Returns how many were closed and the key to go on after (None at
    the end)."""
    with transaction.atomic():
        # Lost to a server crash, a batch is still open and finished: the next run closes it.
        bulk.commit_without_flush_wait()
        candidates = finished_notices(now).select_for_update(of=("self",)).order_by("pk")
        if after is not None:
            candidates = candidates.filter(pk__gt=after)
        notices = list(candidates[:limit])
        if not notices:
            return 0, None
        counts = _entry_counts([n.pk for n in notices])
        objections = _objections([n.pk for n in notices])
        for notice in notices:
            notice.closed_at = now
            notice.result_summary = _summary(notice, counts.get(notice.pk, {}), objections.get(notice.pk, []))
        closed = NOTICE.take_set(
            notices,
            "close",
            fields=("closed_at", "result_summary"),
            # Read again under the lock: a pending entry keeps its notice open.
            refused=lambda rows: {pk for pk, c in counts.items() if c["pending"]},
        )
        _tell_publishers(closed)
    return len(closed), (notices[-1].pk if len(notices) == limit else None)


# What the publisher does once its publicity has ended (the next move is theirs).
_NEXT_STEP = {
    PublicityStage.EMPLOYER: "公示无异议的申报请在“审核推荐”中向主管部门推荐。",
    PublicityStage.PRE_REVIEW: "公示无异议的申报可安排评审会议。",
    PublicityStage.RESULT: "请填报评审结果备案表，报核准备案部门核准。",
}


def _tell_publishers(notices: list[PublicityNotice]) -> None:
    """Each publisher's staff learn that the publicity ended, its outcome and what is theirs to do next:
    one notice each per publicity, whatever its size; written for the whole batch at once."""
    notes = []
    for notice in notices:
        lines = notice.result_summary.splitlines()
        counts = lines[1] if len(lines) > 1 else ""  # 公示对象N人，期满无异议或异议不成立X人…
        message = f"{notice.get_stage_display()}《{notice.title}》已期满。{counts}{_NEXT_STEP[notice.stage]}"
        link = reverse("applications:public_notice", args=[notice.pk])
        role = PUBLISHER_ROLE[notice.stage]
        notes.append((notice.publisher_id, role, message, link, f"publicity-ended-{notice.pk}"))
    notify_staff(notes=notes)


def _entry_counts(notice_ids: list) -> dict:
    # Counted in the database: a notice may hold hundreds of entries.
    _O = PublicityEntry.Outcome
    rows = (
        PublicityEntry.objects.filter(notice_id__in=notice_ids)
        .order_by()
        .values("notice_id")
        .annotate(
            total=Count("pk"),
            passed=Count("pk", filter=Q(outcome=_O.PASSED)),
            rejected=Count("pk", filter=Q(outcome=_O.REJECTED)),
            pending=Count("pk", filter=Q(outcome=_O.PENDING)),
        )
    )
    return {row["notice_id"]: row for row in rows}


def _objections(notice_ids: list) -> dict[object, list[tuple[str, str, str]]]:
    """Each notice's objections, oldest first: (the person's name, the outcome in words, the reason)."""
    found: dict[object, list] = {}
    rows = (
        Objection.objects.filter(entry__notice_id__in=notice_ids)
        .order_by("created_at", "pk")
        .values_list("entry__notice_id", "entry__public_fields", "status", "outcome_reason")
    )
    for notice_id, public_fields, status, reason in rows:
        name = (public_fields or {}).get("name", "")
        found.setdefault(notice_id, []).append((name, Objection.Status(status).label, reason))
    return found


def _summary(notice: PublicityNotice, counts: dict, objections: list[tuple[str, str, str]]) -> str:
    lines = [
        f"公示期：{notice.first_day:%Y年%m月%d日}至{notice.end_date:%Y年%m月%d日}（{notice.working_days}个工作日）。",
        f"公示对象{counts.get('total', 0)}人，期满无异议或异议不成立{counts.get('passed', 0)}人，"
        f"异议成立{counts.get('rejected', 0)}人。",
        f"收到异议{len(objections)}件。" if objections else "公示期间未收到异议。",
    ]
    for name, status, reason in objections:
        lines.append(f"对{name}的异议：{status}，{reason}")
    return "\n".join(lines)
