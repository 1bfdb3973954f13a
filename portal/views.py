from __future__ import annotations

import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import clock, sweeps
from .api import error_body
from .forms import SignUpForm
from .menus import landing_url
from .models import ReviewPlan
from .services import notification_mark_read


@require_GET
def home(request):
    if request.user.is_authenticated:
        return redirect(landing_url(request.user))
    return render(request, "portal/home.html", {"plans": _open_plans()[:6]})


def _open_plans():
    now = clock.now()
    return (
        ReviewPlan.objects.filter(status=ReviewPlan.Status.PUBLISHED, declaration_deadline__gt=now)
        .select_related("committee", "receiving_org")
        .order_by("declaration_deadline", "code")
    )


@require_GET
def plan_list(request):
    page = Paginator(_open_plans(), 20).get_page(request.GET.get("page"))
    return render(request, "portal/plan_list.html", {"page": page})


@require_GET
def plan_detail(request, code: str):
    plan = get_object_or_404(
        ReviewPlan.objects.exclude(status=ReviewPlan.Status.DRAFT).select_related(
            "committee", "receiving_org"
        ),
        code=code,
    )
    return render(
        request,
        "portal/plan_detail.html",
        {
            "plan": plan,
            "materials": plan.materials.all(),
            "qualifications": plan.qualifications.all(),
            "recommend": plan.recommend_qualifications.all(),
            "specialties": plan.specialties.all(),
            "is_open": plan.is_open_for_declaration(clock.now()),
        },
    )


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect(landing_url(request.user))
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="portal.auth_backends.ModelBackend")
        messages.success(request, _("注册成功。请先完善个人业绩档案，再选择评审计划申报。"))
        return redirect("applications:archive")
    return render(request, "registration/signup.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_GET
def notifications(request):
    page = Paginator(request.user.notifications.all(), 20).get_page(request.GET.get("page"))
    return render(request, "portal/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_read(request):
    notification_mark_read(user=request.user)
    return redirect("notifications")


@require_GET
def health(request):
    checks = {}
    ok = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001  (health reports any failure)
        checks["database"] = f"error: {exc.__class__.__name__}"
        ok = False
    if settings.REDIS_URL:
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
            checks["broker"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["broker"] = f"error: {exc.__class__.__name__}"
            ok = False
    else:
        checks["broker"] = sweeps.embedded_broker_check()
        ok = ok and checks["broker"] in ("ok", "in-process")
    report = sweeps.sweep_report() if checks["database"] == "ok" else None
    checks["beat"] = report.health() if report else "unknown"
    ok = ok and checks["beat"] in ("ok", "in-process")
    body = {"status": "ok" if ok else "error", "checks": checks}
    if report:
        body["sweeps"] = report.as_json()
    return JsonResponse(body, status=200 if ok else 503)


def _api_error(request, status: int, detail: str):
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(detail), status=status)
    return None


def not_found(request, exception=None):
    return _api_error(request, 404, "未找到。") or render(request, "404.html", status=404)


def forbidden(request, exception=None):
    return _api_error(request, 403, "您无权执行此操作。") or render(request, "403.html", status=403)


def bad_request(request, exception=None):
    return _api_error(request, 400, "请求有误。") or render(request, "404.html", status=400)


def server_error(request):

    return _api_error(request, 500, "服务器出错，请稍后重试。") or HttpResponseServerError(
        loader.get_template("500.html").render()
    )
