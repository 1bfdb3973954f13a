"""The legal moves of the committees' records: review authority (核准备案), the pilot units' applications,
review meetings, result filings and the experts' account invitations. Services take every move through
these machines (portal.workflow), which lock the row, check the move and the actor, and write the history
row naming the actor."""

from __future__ import annotations

from django.utils import timezone

from portal import clock
from portal.models import Role
from portal.roles import is_member
from portal.workflow import Machine, move

from .models import ExpertInvitation, Meeting, PilotApplication, ResultFiling
from .permissions import is_clerk_of, is_filing_officer_of

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
    "cancel": "会议开始后不能取消",
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
        # Before it starts, a meeting may be called off; its applications wait for another meeting.
        move(
            "cancel",
            {_M.CREATED, _M.FILED, _M.DRAWN},
            _M.CANCELLED,
            "取消会议",
            may=_is_meeting_clerk,
            role=Role.CLERK,
        ),
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


# ---------------------------------------------------------------- expert account invitations


def _holds_the_link(user, invitation: ExpertInvitation) -> bool:
    # The one-time token is the grant: whoever opened the link, signed in, may accept it.
    return True


def _is_pool_clerk(user, invitation: ExpertInvitation) -> bool:
    return is_clerk_of(user, invitation.expert.committee_id)


def _not_expired(invitation: ExpertInvitation) -> str | None:
    if clock.now() >= invitation.expires_at:
        return (
            f"该邀请链接已于{timezone.localtime(invitation.expires_at):%Y年%m月%d日}过期，"
            "请联系评委会办公室重新发送邀请。"
        )
    return None


_I = ExpertInvitation.Status
_INVITATION_REFUSALS = {
    _I.ACCEPTED: "该邀请链接已使用过，不能再次使用。如需帮助，请联系评委会办公室。",
    _I.WITHDRAWN: "该邀请链接已作废（评委会办公室已重新发送邀请），请使用最新邮件中的链接。",
}
EXPERT_INVITATION = Machine(
    ExpertInvitation,
    [
        move(
            "accept",
            {_I.PENDING},
            _I.ACCEPTED,
            "接受邀请",
            may=_holds_the_link,
            guard=_not_expired,
            role=Role.EXPERT,
        ),
        move("withdraw", {_I.PENDING}, _I.WITHDRAWN, "作废邀请", may=_is_pool_clerk, role=Role.CLERK),
    ],
    related=("expert",),
    refusal=lambda invitation, m, state: _INVITATION_REFUSALS.get(invitation.status, "该邀请已处理。"),
)


def invitation_refusal(invitation: ExpertInvitation) -> str | None:
    """Why the link can no longer be used (used, withdrawn, expired), or None: pages say it before the
    person fills in the form; the move says it again under the lock."""
    return _INVITATION_REFUSALS.get(invitation.status) or _not_expired(invitation)
