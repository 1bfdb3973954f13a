from django.urls import path

from . import (
    api,
    archive_views,
    audit_api,
    audit_views,
    dossier_views,
    oversight_views,
    publicity_views,
    views,
)
from .forms import ENTRY_KINDS

app_name = "applications"

urlpatterns = [
    path("me/", views.dashboard, name="dashboard"),
    path("archive/", archive_views.archive_view, name="archive"),
    path("archive/identity/", archive_views.archive_identity, name="archive_identity"),
    path("archive/<slug:kind>/new/", archive_views.entry_edit, name="entry_add"),
    path("archive/<slug:kind>/<int:pk>/", archive_views.entry_edit, name="entry_edit"),
    path("archive/<slug:kind>/<int:pk>/delete/", archive_views.entry_delete, name="entry_delete"),
    path("archive/<slug:kind>/<int:pk>/evidence/", archive_views.entry_evidence, name="entry_evidence"),
    path("applications/new/", views.application_new, name="new"),
    path("applications/new/check/", views.application_new_check, name="new_check"),
    path("self-check/", views.self_check, name="self_check"),
    path("applications/<uuid:pk>/", views.application_detail, name="detail"),
    path("applications/<uuid:pk>/edit/", views.application_edit, name="edit"),
    path("applications/<uuid:pk>/evidence/", views.application_evidence, name="evidence_upload"),
    path(
        "applications/<uuid:pk>/evidence/attach/", views.application_evidence_attach, name="evidence_attach"
    ),
    path("applications/<uuid:pk>/pledge/", views.application_pledge, name="pledge"),
    path("applications/<uuid:pk>/submit/", views.application_submit, name="submit"),
    path("applications/<uuid:pk>/resubmit/", views.application_resubmit, name="resubmit"),
    path("applications/<uuid:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("applications/<uuid:pk>/dossier/", dossier_views.dossier, name="dossier"),
    path("objections/<uuid:pk>/file/", dossier_views.objection_file, name="objection_file"),
    path("evidence/<uuid:pk>/", archive_views.evidence_download, name="evidence"),
    path("evidence/<uuid:pk>/delete/", archive_views.evidence_remove, name="evidence_delete"),
]


urlpatterns += [
    path("audit/", audit_views.queue, name="audit_queue"),
    path("audit/export.xlsx", audit_views.queue_export, name="audit_export"),
    path("audit/publicise/", audit_views.publicise, name="audit_publicise"),
    path("audit/recommend/", audit_views.recommend, name="audit_recommend"),
    path("audit/bureau-recommend/", audit_views.bureau_recommend, name="audit_bureau_recommend"),
    path("audit/applications/<uuid:pk>/return/", audit_views.employer_return, name="audit_return"),
    path("audit/applications/<uuid:pk>/reject/", audit_views.employer_reject, name="audit_reject"),
    path(
        "audit/applications/<uuid:pk>/bureau-return/",
        audit_views.bureau_return,
        name="audit_bureau_return",
    ),
    path("audit/applications/<uuid:pk>/entrust/", audit_views.bureau_entrust, name="audit_entrust"),
    path("audit/publicity/<uuid:pk>/", publicity_views.notice_detail, name="audit_notice"),
    path("audit/publicity/<uuid:pk>/export.xlsx", publicity_views.notice_export, name="audit_notice_export"),
    path(
        "audit/objections/<uuid:pk>/resolve/",
        publicity_views.objection_resolve,
        name="audit_objection_resolve",
    ),
    path("audit/authorisation/", audit_views.authorisation, name="authorisation"),
    path(
        "audit/authorisation/<int:pk>/confirm/",
        audit_views.authorisation_confirm,
        name="authorisation_confirm",
    ),
    path("oversight/applications/", oversight_views.applications, name="oversight"),
    path("oversight/publicity/", oversight_views.notices, name="oversight_notices"),
    path("oversight/statistics/", oversight_views.statistics, name="oversight_stats"),
    path("oversight/checkpoints/", oversight_views.audit_checkpoints, name="audit_checkpoints"),
    path(
        "oversight/checkpoints/<int:seq>.json",
        oversight_views.audit_checkpoint_download,
        name="audit_checkpoint_download",
    ),
    path("publicity/", publicity_views.public_notices, name="public_notices"),
    path("publicity/<uuid:pk>/", publicity_views.public_notice, name="public_notice"),
]

# The API, included by portal/urls.py under api/v1/; route names are `api-<thing>`.
api_urlpatterns = [
    path("archive/", api.ArchiveIdentityView.as_view(), name="api-archive"),
    path("archive/full/", api.ArchiveJsonView.as_view(), name="api-archive-json"),
    path("applications/", api.ApplicationList.as_view(), name="api-applications"),
    path("applications/<uuid:pk>/", api.ApplicationDetail.as_view(), name="api-application"),
    path(
        "applications/<uuid:pk>/evidence/", api.ApplicationEvidence.as_view(), name="api-application-evidence"
    ),
    path("applications/<uuid:pk>/pledge/", api.PledgeView.as_view(), name="api-application-pledge"),
    path("applications/<uuid:pk>/submit/", api.SubmitView.as_view(), name="api-application-submit"),
    path("applications/<uuid:pk>/resubmit/", api.ResubmitView.as_view(), name="api-application-resubmit"),
    path("applications/<uuid:pk>/withdraw/", api.WithdrawView.as_view(), name="api-application-withdraw"),
    path(
        "applications/<uuid:pk>/employer-return/",
        audit_api.EmployerReturn.as_view(),
        name="api-employer-return",
    ),
    path(
        "applications/<uuid:pk>/employer-reject/",
        audit_api.EmployerReject.as_view(),
        name="api-employer-reject",
    ),
    path(
        "applications/<uuid:pk>/employer-recommend/",
        audit_api.EmployerRecommend.as_view(),
        name="api-employer-recommend",
    ),
    path("applications/<uuid:pk>/bureau-return/", audit_api.BureauReturn.as_view(), name="api-bureau-return"),
    path(
        "applications/<uuid:pk>/bureau-recommend/",
        audit_api.BureauRecommend.as_view(),
        name="api-bureau-recommend",
    ),
    path("publicity/", audit_api.NoticeList.as_view(), name="api-publicity"),
    path("publicity/<uuid:pk>/", audit_api.NoticeDetail.as_view(), name="api-publicity-detail"),
    path("publicity/<uuid:pk>/objections/", audit_api.ObjectionCreate.as_view(), name="api-objection-create"),
    path("objections/<uuid:pk>/resolve/", audit_api.ObjectionResolve.as_view(), name="api-objection-resolve"),
]
for _kind in ENTRY_KINDS.values():
    _list, _detail = api.entry_views(_kind)
    api_urlpatterns += [
        path(f"archive/{_kind.slug}/", _list.as_view(), name=f"api-{_kind.slug}"),
        path(f"archive/{_kind.slug}/<int:pk>/", _detail.as_view(), name=f"api-{_kind.slug}-detail"),
    ]
