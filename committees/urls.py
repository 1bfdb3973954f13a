from django.urls import path

from . import api
from .views import (
    accounts,
    experts,
    filings,
    invitations,
    meeting_day,
    meetings,
    pilots,
    public,
    qualification,
    results,
)

app_name = "committees"

urlpatterns = [
    path("committee/", qualification.queue, name="queue"),
    path("committee/qualification/<uuid:pk>/", qualification.qualification_detail, name="qualification"),
    path("committee/qualification/<uuid:pk>/pass/", qualification.qualification_pass, name="pass"),
    path("committee/qualification/<uuid:pk>/return/", qualification.qualification_return, name="return"),
    path("committee/qualification/<uuid:pk>/reject/", qualification.qualification_reject, name="reject"),
    path("committee/qualification/<uuid:pk>/recognise/", qualification.recognise, name="recognise"),
    path("committee/qualification/<uuid:pk>/receive/", qualification.upward_receive, name="receive"),
    path(
        "committee/pre-review/publicise/",
        qualification.publicise,
        {"stage": "pre_review"},
        name="pre_review_publicise",
    ),
    path(
        "committee/results/publicise/", qualification.publicise, {"stage": "result"}, name="results_publicise"
    ),
    path("committee/initial/", qualification.initial_queue, name="initial_queue"),
    path("committee/initial/<uuid:pk>/determine/", qualification.initial_determine, name="initial_determine"),
    path("committee/experts/", experts.experts, name="experts"),
    path("committee/experts/export.xlsx", experts.experts_export, name="experts_export"),
    path("committee/experts/import/", experts.experts_import, name="experts_import"),
    path("committee/experts/<int:pk>/invite/", accounts.expert_invite, name="expert_invite"),
    path("committee/join/<str:token>/", accounts.expert_join, name="expert_join"),
    path("committee/join/<str:token>/accept/", accounts.expert_join_accept, name="expert_join_accept"),
    path("committee/join/<str:token>/signup/", accounts.expert_join_signup, name="expert_join_signup"),
    path("committee/filings/", filings.filings, name="filings"),
    path("committee/filings/new/", filings.filing_new, name="filing_new"),
    path("committee/filings/<int:pk>/", filings.filing_detail, name="filing"),
    path("committee/filings/<int:pk>/form.pdf", filings.filing_form_pdf, name="filing_pdf"),
    path("committee/filings/<int:pk>/approve/", filings.filing_approve, name="filing_approve"),
    path("committee/pilots/", pilots.pilots, name="pilots"),
    path("committee/pilots/apply/", pilots.pilot_apply, name="pilot_apply"),
    path("committee/pilots/<int:pk>/", pilots.pilot_detail, name="pilot"),
    path("committee/pilots/<int:pk>/audit/", pilots.pilot_district_audit, name="pilot_district_audit"),
    path("committee/pilots/<int:pk>/file/", pilots.pilot_file, name="pilot_file"),
    path("committee/authorities/", pilots.authorities, name="authorities"),
    path("committee/authorities/<int:pk>/status/", pilots.authority_status, name="authority_status"),
    path("results/", public.public_results, name="public_results"),
    path("results/<int:pk>/", public.public_result, name="public_result"),
    # Meetings
    path("committee/meetings/", meetings.meeting_list, name="meetings"),
    path("committee/meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("committee/meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("committee/meetings/<int:pk>/assign/", meetings.meeting_assign, name="meeting_assign"),
    path("committee/meetings/<int:pk>/unassign/", meetings.meeting_unassign, name="meeting_unassign"),
    path(
        "committee/meetings/<int:pk>/conflicts/check/",
        meetings.meeting_check_conflicts,
        name="meeting_conflicts",
    ),
    path("committee/conflicts/<int:pk>/dismiss/", meetings.conflict_dismiss, name="conflict_dismiss"),
    path("committee/meetings/<int:pk>/file/", meetings.meeting_file, name="meeting_file"),
    path("committee/meetings/<int:pk>/draw/", meetings.meeting_draw, name="meeting_draw"),
    path("committee/meetings/<int:pk>/start/", meeting_day.meeting_start, name="meeting_start"),
    path("committee/meetings/<int:pk>/cancel/", meeting_day.meeting_cancel, name="meeting_cancel"),
    path(
        "committee/meetings/<int:pk>/attendance/", meeting_day.meeting_attendance, name="meeting_attendance"
    ),
    path(
        "committee/meetings/<int:pk>/open-voting/",
        meeting_day.meeting_open_voting,
        name="meeting_open_voting",
    ),
    path("committee/meetings/<int:pk>/recusals/", meeting_day.meeting_recusal, name="meeting_recusal"),
    path("committee/meetings/<int:pk>/ballot/", meeting_day.meeting_ballot, name="meeting_ballot"),
    path("committee/meetings/<int:pk>/close/", meeting_day.meeting_close, name="meeting_close"),
    path("committee/meetings/<int:pk>/publicise/", results.meeting_publicise, name="meeting_publicise"),
    path("committee/meetings/<int:pk>/filing/", results.meeting_filing, name="meeting_filing"),
    path(
        "committee/meetings/<int:pk>/results.xlsx",
        results.meeting_results_export,
        name="meeting_results",
    ),
    path("committee/meetings/<int:pk>/stats/", results.meeting_stats, name="meeting_stats"),
    path(
        "committee/meetings/<int:pk>/stats.xlsx",
        results.meeting_stats_export,
        name="meeting_stats_export",
    ),
    path(
        "committee/meetings/<int:pk>/evidence/<uuid:evidence>/",
        meeting_day.meeting_evidence,
        name="meeting_evidence",
    ),
    path("committee/my-meetings/", invitations.my_meetings, name="my_meetings"),
    path("committee/invitations/<int:pk>/decline/", invitations.invitation_decline, name="decline"),
    path("committee/invitations/<int:pk>/accept/", invitations.invitation_accept, name="accept"),
    path("committee/declarations/", invitations.declare_relative, name="declare"),
]

# Included by portal/urls.py under api/v1/, without a namespace, like every app's API routes.
api_urlpatterns = [
    path("committee/meetings/<int:pk>/ballots/", api.BallotCreate.as_view(), name="api-ballot"),
    path("committee/meetings/<int:pk>/results/", api.ResultList.as_view(), name="api-results"),
]
