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
