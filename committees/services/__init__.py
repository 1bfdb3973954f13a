"""Services of the committee's work: everything that writes committees' tables, and every move of an
application that the committee or its filing bureau takes (through applications.workflow)."""

from __future__ import annotations

from applications.guards import is_recommend_only

from .acceptance import draw_entry_accept
from .accounts import expert_invitation_accept, expert_invitation_signup, expert_invite
from .attendance import (
    meeting_open_voting,
    meeting_quorum,
    meeting_record_attendance,
    meeting_start,
    panel_entries,
    recusal_add,
)
from .ballots import ballot_boxes_check, ballot_cast, voted_application_ids
from .closing import meeting_close
from .conflicts import (
    conflict_dismiss,
    expert_change_employer,
    expert_declare_conflict,
    expert_recheck,
    meeting_check_conflicts,
)
from .draw import draw_entry_decline, exclusion_summary, meeting_draw_experts
from .meetings import (
    live_items,
    meeting_assign,
    meeting_cancel,
    meeting_create,
    meeting_file,
    meeting_unassign,
)
from .pilots import pilot_apply, pilot_district_audit, pilot_file
from .qualification import (
    application_initial_determine,
    application_recognise,
    pre_review_publicise,
    qualification_pass,
    qualification_reject,
    qualification_return,
    upward_receive,
)
from .results import filing_applications, filing_approve, filing_create, results_publicise

__all__ = [
    "application_initial_determine",
    "application_recognise",
    "ballot_boxes_check",
    "ballot_cast",
    "conflict_dismiss",
    "draw_entry_accept",
    "draw_entry_decline",
    "exclusion_summary",
    "expert_change_employer",
    "expert_declare_conflict",
    "expert_invitation_accept",
    "expert_invitation_signup",
    "expert_invite",
    "expert_recheck",
    "filing_applications",
    "filing_approve",
    "filing_create",
    "is_recommend_only",
    "live_items",
    "meeting_assign",
    "meeting_check_conflicts",
    "meeting_close",
    "meeting_create",
    "meeting_draw_experts",
    "meeting_cancel",
    "meeting_file",
    "meeting_open_voting",
    "meeting_quorum",
    "meeting_record_attendance",
    "meeting_start",
    "meeting_unassign",
    "panel_entries",
    "pilot_apply",
    "pilot_district_audit",
    "pilot_file",
    "pre_review_publicise",
    "qualification_pass",
    "qualification_reject",
    "qualification_return",
    "recusal_add",
    "results_publicise",
    "upward_receive",
    "voted_application_ids",
]
