from django.urls import path

from . import api, views

app_name = "certificates"

urlpatterns = [
    path("certificates/verify/", views.verify, name="verify"),
    path("certificates/keys.json", views.keys_json, name="keys"),
    path("certificates/status.json", views.status_json, name="status"),
    path("certificates/mine/", views.mine, name="mine"),
    path("certificates/<uuid:pk>/", views.detail, name="detail"),
    path("certificates/<uuid:pk>/download/", views.download, name="download"),
    path("certificates/<uuid:pk>/revoke/", views.revoke, name="revoke"),
    path("certificates/<uuid:pk>/suspend/", views.suspend, name="suspend"),
    path("certificates/<uuid:pk>/reinstate/", views.reinstate, name="reinstate"),
    path("certificates/issue/", views.issue_queue, name="issue"),
    path("certificates/issue/create/", views.issue_create, name="issue_create"),
    path("certificates/batches/", views.batch_list, name="batches"),
    path("certificates/batches/<uuid:pk>/", views.batch_detail, name="batch"),
    path("certificates/batches/<uuid:pk>/progress.json", views.batch_progress, name="batch_progress"),
    path("certificates/batches/<uuid:pk>/rerun/", views.batch_rerun, name="batch_rerun"),
    path("applications/<uuid:pk>/review-form.pdf", views.review_form, name="review_form"),
    path("applications/<uuid:pk>/exceptional-form.pdf", views.exceptional_form, name="exceptional_form"),
]

# The API, included by portal/urls.py under api/v1/; route names are `api-<thing>`.
api_urlpatterns = [
    path("certificates/verify/", api.VerifyView.as_view(), name="api-certificate-verify"),
]
