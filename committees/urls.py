from django.urls import path

from . import api, meeting_views, views

app_name = "committees"

urlpatterns = [
    path("committee/", views.queue, name="queue"),
    path("committee/qualification/<uuid:pk>/", views.review, name="review"),
    path("committee/qualification/<uuid:pk>/pass/", views.qualification_pass, name="pass"),
    path("committee/qualification/<uuid:pk>/return/", views.qualification_return, name="return"),
    path("committee/qualification/<uuid:pk>/reject/", views.qualification_reject, name="reject"),
    path("committee/qualification/<uuid:pk>/recognise/", views.recognise, name="recognise"),
    path("committee/qualification/<uuid:pk>/receive/", views.upward_receive, name="receive"),
    path(
        "committee/pre-review/publicise/",
        views.publicise,
        {"stage": "pre_review"},
        name="pre_review_publicise",
    ),
    path("committee/results/publicise/", views.publicise, {"stage": "result"}, name="results_publicise"),
    path("committee/initial/", views.initial_queue, name="initial_queue"),
    path("committee/initial/<uuid:pk>/determine/", views.initial_determine, name="initial_determine"),
    path("committee/experts/", views.experts, name="experts"),
    path("committee/experts/export.xlsx", views.experts_export, name="experts_export"),
    path("committee/experts/import/", views.experts_import, name="experts_import"),
    path("committee/filings/", views.filings, name="filings"),
    path("committee/filings/new/", views.filing_new, name="filing_new"),
    path("committee/filings/<int:pk>/", views.filing_detail, name="filing"),
    path("committee/filings/<int:pk>/form.pdf", views.filing_form_pdf, name="filing_pdf"),
    path("committee/filings/<int:pk>/approve/", views.filing_approve, name="filing_approve"),
    path("committee/pilots/", views.pilots, name="pilots"),
    path("committee/pilots/apply/", views.pilot_apply, name="pilot_apply"),
    path("committee/pilots/<int:pk>/", views.pilot_detail, name="pilot"),
    path("committee/pilots/<int:pk>/audit/", views.pilot_review, name="pilot_review"),
    path("committee/pilots/<int:pk>/file/", views.pilot_file, name="pilot_file"),
    path("committee/authorities/", views.authorities, name="authorities"),
    path("committee/authorities/<int:pk>/status/", views.authority_status, name="authority_status"),
    path("results/", views.public_results, name="public_results"),
    path("results/<int:pk>/", views.public_result, name="public_result"),
    # Meetings
    path("committee/meetings/", meeting_views.meeting_list, name="meetings"),
    path("committee/meetings/new/", meeting_views.meeting_new, name="meeting_new"),
    path("committee/meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting"),
    path("committee/meetings/<int:pk>/assign/", meeting_views.meeting_assign, name="meeting_assign"),
    path("committee/meetings/<int:pk>/unassign/", meeting_views.meeting_unassign, name="meeting_unassign"),
    path(
        "committee/meetings/<int:pk>/conflicts/check/",
        meeting_views.meeting_check_conflicts,
        name="meeting_conflicts",
    ),
    path("committee/conflicts/<int:pk>/dismiss/", meeting_views.conflict_dismiss, name="conflict_dismiss"),
    path("committee/meetings/<int:pk>/file/", meeting_views.meeting_file, name="meeting_file"),
    path("committee/meetings/<int:pk>/draw/", meeting_views.meeting_draw, name="meeting_draw"),
    path("committee/meetings/<int:pk>/start/", meeting_views.meeting_start, name="meeting_start"),
    path(
        "committee/meetings/<int:pk>/attendance/", meeting_views.meeting_attendance, name="meeting_attendance"
    ),
    path(
        "committee/meetings/<int:pk>/open-voting/",
        meeting_views.meeting_open_voting,
        name="meeting_open_voting",
    ),
    path("committee/meetings/<int:pk>/recusals/", meeting_views.meeting_recusal, name="meeting_recusal"),
    path("committee/meetings/<int:pk>/ballot/", meeting_views.meeting_ballot, name="meeting_ballot"),
    path("committee/meetings/<int:pk>/close/", meeting_views.meeting_close, name="meeting_close"),
    path("committee/meetings/<int:pk>/publicise/", meeting_views.meeting_publicise, name="meeting_publicise"),
    path("committee/meetings/<int:pk>/filing/", meeting_views.meeting_filing, name="meeting_filing"),
    path(
        "committee/meetings/<int:pk>/results.xlsx",
        meeting_views.meeting_results_export,
        name="meeting_results",
    ),
    path("committee/meetings/<int:pk>/stats/", meeting_views.meeting_stats, name="meeting_stats"),
    path(
        "committee/meetings/<int:pk>/stats.xlsx",
        meeting_views.meeting_stats_export,
        name="meeting_stats_export",
    ),
    path(
        "committee/meetings/<int:pk>/evidence/<uuid:evidence>/",
        meeting_views.meeting_evidence,
        name="meeting_evidence",
    ),
    path("committee/my-meetings/", meeting_views.my_meetings, name="my_meetings"),
    path("committee/invitations/<int:pk>/decline/", meeting_views.invitation_decline, name="decline"),
    path("committee/declarations/", meeting_views.declare_relative, name="declare"),
    # API
    path("api/v1/committee/meetings/<int:pk>/ballots/", api.BallotCreate.as_view(), name="api_ballot"),
    path("api/v1/committee/meetings/<int:pk>/results/", api.ResultList.as_view(), name="api_results"),
]
