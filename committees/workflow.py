"""The legal moves of the committees' records: review authority (核准备案), the pilot units' applications,
review meetings and result filings. Services take every move through these machines (portal.workflow),
which lock the row, check the move and the actor, and write the history row naming the actor."""

from __future__ import annotations

from portal.models import Role
from portal.roles import is_member
from portal.workflow import Machine, move

from .models import CommitteeAuthority, Meeting, PilotApplication, ResultFiling
from .permissions import is_clerk_of, is_filing_officer_of

# ---------------------------------------------------------------- authority (seed 000 五.3; seed 002 六)


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


# ---------------------------------------------------------------- pilot units (seed 000 附件 四)


def _is_district_officer(user, pilot: PilotApplication) -> bool:
    return is_member(user, pilot.district_bureau_id, Role.OFFICER)


def _is_city_officer(user, pilot: PilotApplication) -> bool:
    """四.2 报市人力社保局备案: the bureau above the district bureau files."""
    return is_member(user, pilot.district_bureau.parent_bureau_id, Role.OFFICER)


_PILOT_REFUSALS = {"file": "属地审核同意后方可备案。"}

_P = PilotApplication.Status
PILOT = Machine(
    PilotApplication,
    [
        move(
            "district_approve",
            {_P.SUBMITTED},
            _P.DISTRICT_APPROVED,
            "属地审核同意",
            may=_is_district_officer,
            role=Role.OFFICER,
        ),
        move(
            "district_reject",
            {_P.SUBMITTED},
            _P.DISTRICT_REJECTED,
            "属地审核不同意",
            may=_is_district_officer,
            role=Role.OFFICER,
        ),
        move("file", {_P.DISTRICT_APPROVED}, _P.FILED, "市局备案", may=_is_city_officer, role=Role.OFFICER),
    ],
    related=("district_bureau", "unit"),
    refusal=lambda pilot, m, state: _PILOT_REFUSALS.get(m.action, "该申请已审核。"),
)


# ---------------------------------------------------------------- meetings (seed 004 一(三)–(四))


def _is_meeting_clerk(user, meeting: Meeting) -> bool:
    return is_clerk_of(user, meeting.committee_id)


def _is_meeting_filer(user, meeting: Meeting) -> bool:
    return is_filing_officer_of(user, meeting.committee)


_MEETING_REFUSALS = {
    "file": "会议已备案",
    "draw": "会议须经备案确认且尚未抽取专家",
    "start": "会议须已备案并抽取专家",
    "open_voting": "会议须已开始且尚未投票",
    "close": "会议不在投票阶段",
}

_M = Meeting.Status
MEETING = Machine(
    Meeting,
    [
        move("file", {_M.CREATED}, _M.FILED, "备案确认", may=_is_meeting_filer, role=Role.OFFICER),
        move("draw", {_M.FILED}, _M.DRAWN, "抽取专家", may=_is_meeting_clerk, role=Role.CLERK),
        move("start", {_M.DRAWN}, _M.STARTED, "开始会议", may=_is_meeting_clerk, role=Role.CLERK),
        move("open_voting", {_M.STARTED}, _M.VOTING, "开始投票", may=_is_meeting_clerk, role=Role.CLERK),
        move("close", {_M.VOTING}, _M.CLOSED, "结束表决并计票", may=_is_meeting_clerk, role=Role.CLERK),
    ],
    related=("committee",),
    refusal=lambda meeting, m, state: f"{_MEETING_REFUSALS[m.action]}（会议当前状态：{state}）",
)


# ---------------------------------------------------------------- result filings (seed 004 一(五))


def _is_filing_bureau(user, filing: ResultFiling) -> bool:
    return is_filing_officer_of(user, filing.committee)


_F = ResultFiling.Status
FILING = Machine(
    ResultFiling,
    [move("approve", {_F.SUBMITTED}, _F.APPROVED, "核准公布", may=_is_filing_bureau, role=Role.OFFICER)],
    related=("committee",),
    refusal=lambda filing, m, state: "该备案已核准。",
)
