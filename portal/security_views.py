"""The audit administrator's pages (审计管理员, GB/T 22239-2019 三权分立): the security log, filtered and
exported. Reading it needs portal.view_securityevent, exporting portal.export_securityevent; each view
and export is itself recorded."""

from __future__ import annotations

import datetime as dt
import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from . import security_log
from .models import SecurityEvent
from .spreadsheets import text_row

PAGE_SIZE = 50


class LogFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("事件"),
        required=False,
        choices=[("", gettext_lazy("全部"))] + SecurityEvent.Kind.choices,
    )
    username = forms.CharField(label=gettext_lazy("用户名"), required=False, max_length=150)
    since = forms.DateField(label=gettext_lazy("起始日期"), required=False)
    until = forms.DateField(label=gettext_lazy("截止日期"), required=False)


def _filtered(request):
    form = LogFilterForm(request.GET or None)
    rows = SecurityEvent.objects.select_related("user").order_by("-at", "-id")
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            rows = rows.filter(kind=data["kind"])
        if data["username"]:
            rows = rows.filter(username=data["username"].strip())
        if data["since"]:
            rows = rows.filter(
                at__gte=dt.datetime.combine(data["since"], dt.time(), timezone.get_current_timezone())
            )
        if data["until"]:
            end = dt.datetime.combine(
                data["until"] + dt.timedelta(days=1), dt.time(), timezone.get_current_timezone()
            )
            rows = rows.filter(at__lt=end)
    return form, rows


@login_required
@require_GET
def security_log_list(request):
    if not request.user.has_perm("portal.view_securityevent"):
        raise PermissionDenied
    form, rows = _filtered(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    security_log.record(SecurityEvent.Kind.VIEW_LOG, request=request, succeeded=True, detail="查阅安全日志")
    return render(
        request,
        "portal/security_log.html",
        {
            "form": form,
            "page": page,
            "can_export": request.user.has_perm("portal.export_securityevent"),
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def security_log_export(request):
    if not request.user.has_perm("portal.export_securityevent"):
        raise PermissionDenied
    _form, rows = _filtered(request)
    header = [_("时间"), _("事件"), _("用户名"), _("IP 地址"), _("结果"), _("说明")]
    body = (
        [
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.get_kind_display(),
            e.username,
            e.ip or "",
            _("成功") if e.succeeded else _("失败"),
            e.detail,
        ]
        for e in rows.iterator()
    )
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("安全日志"))
    sheet.append(header)
    for row in body:
        sheet.append(text_row(sheet, row))
    buffer = io.BytesIO()
    book.save(buffer)
    security_log.record(SecurityEvent.Kind.VIEW_LOG, request=request, succeeded=True, detail="导出安全日志")
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = "attachment; filename=security-log.xlsx"
    return response
