"""Reads of the committee's pages: queues, the eligibility beside the evidence, meeting statistics."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from applications.models import Application
from applications.queue_branches import Branch
from applications.queues import capped, state_counts
from applications.states import State
from portal.models import Organisation
from rules.eligibility import EligibilityError
from rules.services.evaluation import evaluate_for

from .models import DrawEntry, Meeting, MeetingResult

QUEUE_STATES = [
    State.QUALIFICATION_REVIEW,
    State.RECOMMENDED_UPWARD,
    State.QUALIFIED,
    State.PRE_REVIEW_PUBLICITY,
    State.AWAITING_MEETING,
    State.IN_MEETING,
    State.PASSED,
    State.RESULT_PUBLICITY,
    State.RESULT_PUBLICITY_DONE,
    State.APPROVED,
]


def committee_queue(committee: Organisation, state: str) -> list[Branch]:
    """A committee's applications in one state, as one query per holder column (applications.queues);
    RECOMMENDED_UPWARD lists those sent up by it and those sent to it to receive."""
    branches = [Branch("committee", (committee.pk,), state)]
    if state == State.RECOMMENDED_UPWARD:
        branches.append(Branch("higher_committee", (committee.pk,), state))
    return branches


# The other tabs of the office's queue show their counts to "99+": enough to say where work waits, at a
# tenth of the index entries read (ten tabs on every view of the queue).
TAB_CAP = 99


def queue_counts(committee: Organisation, shown: str) -> dict[str, int]:
    """How many applications the committee holds in each state: the state shown counted no further
    than COUNT_CAP + 1 (the page's "1000+"), the other tabs no further than TAB_CAP + 1 (a short indexed
    count per state, all in one statement, whatever the committee's size)."""
    return state_counts(
        "committee", committee.pk, {state: None if state == shown else TAB_CAP for state in QUEUE_STATES}
    )


def tab_count(counts: dict[str, int], state: str, shown: str) -> str:
    """A tab's count as queue_counts read it."""
    return capped(counts[state], None if state == shown else TAB_CAP)


def eligibility_for(application: Application) -> tuple[dict | None, str]:
    """The rules' verdict on the application's frozen archive, or why there is none."""
    if not application.snapshot:
        return None, "申报未保存提交时的档案快照。"
    try:
        result = evaluate_for(
            plan=application.plan,
            qualification=application.qualification,
            archive_json=application.snapshot,
            declaration_type=application.declaration_type,
            exceptional_class=application.exceptional_class,
            specialty_matches=application.specialty_matches,
            application_id=application.pk,
        )
    except EligibilityError as exc:
        return None, str(exc)
    return result.as_dict(), ""


def invitations_for(user) -> QuerySet[DrawEntry]:
    """A drawn expert's own invitations; nothing about the other experts drawn."""
    return (
        DrawEntry.objects.filter(expert__user=user)
        .filter(Q(on_panel=True) | Q(declined_at__isnull=False))
        .select_related("draw__meeting", "draw__meeting__committee")
        .order_by("-draw__meeting__held_on")
    )


@dataclass
class Rate:
    label: str
    total: int = 0
    passed: int = 0

    @property
    def rate(self) -> str:
        return f"{self.passed * 100 / self.total:.1f}%" if self.total else "—"


def meeting_stats(meeting: Meeting) -> dict:
    """Pass rate overall, per specialty and per employer (13号: 合理确定通过率)."""
    results = MeetingResult.objects.filter(meeting=meeting).select_related(
        "application__specialty", "application__recommending_org", "application__workplace"
    )
    overall = Rate("合计")
    by_specialty: dict[str, Rate] = OrderedDict()
    by_employer: dict[str, Rate] = OrderedDict()
    for r in results:
        a = r.application
        employer = (a.workplace or a.recommending_org).name
        for rate in (
            overall,
            by_specialty.setdefault(a.specialty.name, Rate(a.specialty.name)),
            by_employer.setdefault(employer, Rate(employer)),
        ):
            rate.total += 1
            rate.passed += r.passed
    return {
        "overall": overall,
        "by_specialty": list(by_specialty.values()),
        "by_employer": list(by_employer.values()),
    }
