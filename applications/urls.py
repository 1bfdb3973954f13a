from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("me/", views.dashboard, name="dashboard"),
    path("archive/", views.archive_view, name="archive"),
    path("archive/identity/", views.archive_identity, name="archive_identity"),
    path("archive/<slug:kind>/new/", views.entry_edit, name="entry_add"),
    path("archive/<slug:kind>/<int:pk>/", views.entry_edit, name="entry_edit"),
    path("archive/<slug:kind>/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("archive/<slug:kind>/<int:pk>/evidence/", views.entry_evidence, name="entry_evidence"),
    path("applications/new/", views.application_new, name="new"),
    path("self-check/", views.self_check, name="self_check"),
    path("applications/<uuid:pk>/", views.application_detail, name="detail"),
    path("applications/<uuid:pk>/edit/", views.application_edit, name="edit"),
    path("applications/<uuid:pk>/evidence/", views.application_evidence, name="evidence_upload"),
    path("applications/<uuid:pk>/pledge/", views.application_pledge, name="pledge"),
    path("applications/<uuid:pk>/submit/", views.application_submit, name="submit"),
    path("applications/<uuid:pk>/resubmit/", views.application_resubmit, name="resubmit"),
    path("applications/<uuid:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("evidence/<uuid:pk>/", views.evidence_download, name="evidence"),
    path("evidence/<uuid:pk>/delete/", views.evidence_remove, name="evidence_delete"),
]

from . import review_views  # noqa: E402

urlpatterns += [
    path("review/", review_views.queue, name="review_queue"),
    path("review/export.xlsx", review_views.queue_export, name="review_export"),
    path("review/publicise/", review_views.publicise, name="review_publicise"),
    path("review/recommend/", review_views.recommend, name="review_recommend"),
    path("review/bureau-recommend/", review_views.bureau_recommend, name="review_bureau_recommend"),
    path("review/applications/<uuid:pk>/return/", review_views.employer_return, name="review_return"),
    path("review/applications/<uuid:pk>/reject/", review_views.employer_reject, name="review_reject"),
    path(
        "review/applications/<uuid:pk>/bureau-return/",
        review_views.bureau_return,
        name="review_bureau_return",
    ),
    path("review/applications/<uuid:pk>/entrust/", review_views.bureau_entrust, name="review_entrust"),
    path("review/publicity/<uuid:pk>/", review_views.notice_detail, name="review_notice"),
    path("review/publicity/<uuid:pk>/export.xlsx", review_views.notice_export, name="review_notice_export"),
    path(
        "review/objections/<uuid:pk>/resolve/",
        review_views.objection_resolve,
        name="review_objection_resolve",
    ),
    path("review/authorisation/", review_views.authorisation, name="authorisation"),
    path(
        "review/authorisation/<int:pk>/confirm/",
        review_views.authorisation_confirm,
        name="authorisation_confirm",
    ),
    path("publicity/", review_views.public_notices, name="public_notices"),
    path("publicity/<uuid:pk>/", review_views.public_notice, name="public_notice"),
]
