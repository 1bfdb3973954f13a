from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from applications import urls as applications_urls
from certificates import urls as certificates_urls
from committees import urls as committees_urls

from . import account_views, api_views, plans, security_views, views

api_v1 = [
    path("auth/token/", api_views.obtain_token, name="api-token"),
    path("plans/", api_views.PlanList.as_view(), name="api-plans"),
    path("plans/<slug:code>/", api_views.PlanDetail.as_view(), name="api-plan"),
    *applications_urls.api_urlpatterns,
    *committees_urls.api_urlpatterns,
    *certificates_urls.api_urlpatterns,
]

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/<slug:code>/", views.plan_detail, name="plan"),
    path("office/plans/", plans.office_plans, name="office_plans"),
    path("office/plans/new/", plans.office_plan_edit, name="office_plan_new"),
    path("office/plans/<slug:code>/edit/", plans.office_plan_edit, name="office_plan_edit"),
    path("office/plans/<slug:code>/publish/", plans.office_plan_publish, name="office_plan_publish"),
    path("signup/", views.signup, name="signup"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/security/", account_views.security, name="account_security"),
    path("security/log/", security_views.security_log_list, name="security_log"),
    path("security/log/export/", security_views.security_log_export, name="security_log_export"),
    path("account/password/", account_views.PasswordChangeView.as_view(), name="account_password"),
    path("account/otp/setup/", account_views.otp_setup, name="account_otp_setup"),
    path("account/otp/verify/", account_views.otp_verify, name="account_otp_verify"),
    path("account/otp/recovery-codes/", account_views.recovery_codes_renew, name="account_recovery_codes"),
    path("account/token/revoke/", account_views.token_revoke, name="account_token_revoke"),
    path("account/logout-all/", account_views.logout_all, name="account_logout_all"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("", include(applications_urls)),
    path("", include("committees.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(certificates_urls)),
    path("", include("rules.urls")),
    path("admin/", admin.site.urls),
]

# API paths answer errors in the API's JSON shape; pages answer with the portal's templates.
handler400 = "portal.views.bad_request"
handler403 = "portal.views.forbidden"
handler404 = "portal.views.not_found"
handler500 = "portal.views.server_error"
