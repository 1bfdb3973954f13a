"""The committee office drafts and publishes its review plans (评审公告 → 评审计划, seed 004 一(一))."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import clock
from .exceptions import DomainError
from .models import Organisation, OrgKind, PlanMaterial, Qualification, ReviewPlan, Role, Specialty
from .plan_defaults import DEFAULT_MATERIALS
from .roles import is_member, org_ids
from .workflow import Machine, move


def _is_plan_clerk(user, plan: ReviewPlan) -> bool:
    return is_member(user, plan.committee_id, Role.CLERK)


def _publish_refusal(plan: ReviewPlan) -> str | None:
    """Publish after the bureau has issued the notice: the document number is required (seed 004 一(一))."""
    if not plan.document_no.strip():
        return "请先填写人力社保部门审核发文的文号，再发布评审计划。"
    if plan.declaration_deadline <= clock.now():
        return "个人申报截止时间已过，不能发布。"
    if not plan.qualifications.exists() and not plan.recommend_qualifications.exists():
        return "请先选择评审或推荐的资格。"
    return None


_S = ReviewPlan.Status
PLAN = Machine(
    ReviewPlan,
    [
        move(
            "publish",
            {_S.DRAFT},
            _S.PUBLISHED,
            "发布评审计划",
            may=_is_plan_clerk,
            guard=_publish_refusal,
            role=Role.CLERK,
        ),
        move("close", {_S.PUBLISHED}, _S.CLOSED, "结束评审计划", may=_is_plan_clerk, role=Role.CLERK),
    ],
)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PlanForm(forms.ModelForm):
    class Meta:
        model = ReviewPlan
        fields = [
            "code",
            "title",
            "committee",
            "year",
            "qualifications",
            "recommend_qualifications",
            "higher_committee",
            "specialties",
            "specialty_note",
            "scope_junior",
            "scope_intermediate",
            "scope_senior",
            "opens_at",
            "declaration_deadline",
            "employer_deadline",
            "reminder_working_days",
            "max_returns_per_stage",
            "material_deadline",
            "expected_review_month",
            "receiving_org",
            "contact_phone",
            "document_no",
            "notes",
        ]
        widgets = {
            name: DateTimeInput()
            for name in ("opens_at", "declaration_deadline", "employer_deadline", "material_deadline")
        }

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees
        self.fields["higher_committee"].queryset = Organisation.objects.filter(kind=OrgKind.COMMITTEE)
        self.fields["qualifications"].queryset = Qualification.objects.select_related("series")
        self.fields["recommend_qualifications"].queryset = Qualification.objects.select_related("series")
        self.fields["specialties"].queryset = Specialty.objects.select_related("series")
        # Optional on the form: left empty, the plan keeps the usual 3 working days.
        self.fields["reminder_working_days"].required = False
        # Left empty: returns are not limited.
        self.fields["max_returns_per_stage"].required = False

    def clean_reminder_working_days(self):
        value = self.cleaned_data.get("reminder_working_days")
        return ReviewPlan._meta.get_field("reminder_working_days").default if value is None else value

    def clean_max_returns_per_stage(self):
        return self.cleaned_data.get("max_returns_per_stage") or 0

    def clean(self):
        data = super().clean()
        opens, decl = data.get("opens_at"), data.get("declaration_deadline")
        employer, material = data.get("employer_deadline"), data.get("material_deadline")
        if opens and decl and decl <= opens:
            self.add_error("declaration_deadline", _l("个人申报截止时间应晚于申报开始时间。"))
        if decl and employer and employer < decl:
            self.add_error("employer_deadline", _l("单位推荐截止时间不能早于个人申报截止时间。"))
        if decl and material and material < decl:
            self.add_error("material_deadline", _l("材料接收截止时间不能早于个人申报截止时间。"))
        recommend = data.get("recommend_qualifications")
        if recommend and recommend.exists() and not data.get("higher_committee"):
            self.add_error("higher_committee", _l("推荐高级资格的计划须指定上级评审委员会。"))
        return data


def _committees(user):
    ids = org_ids(user, Role.CLERK)
    if not ids:
        raise PermissionDenied
    return Organisation.objects.filter(pk__in=ids, kind=OrgKind.COMMITTEE)


def _plan_for(user, code: str) -> ReviewPlan:
    plan = ReviewPlan.objects.filter(code=code, committee__in=_committees(user)).first()
    if plan is None:
        raise Http404
    return plan


def plan_create(*, form: PlanForm) -> ReviewPlan:
    with transaction.atomic():
        plan = form.save()
        for position, (code, name, description, required, applies_to) in enumerate(DEFAULT_MATERIALS, 1):
            PlanMaterial.objects.get_or_create(
                plan=plan,
                code=code,
                defaults={
                    "name": name,
                    "description": description,
                    "required": required,
                    "applies_to": applies_to,
                    "position": position,
                },
            )
    return plan


def plan_publish(*, plan: ReviewPlan, actor) -> ReviewPlan:
    """Publish a draft plan once the bureau has issued its notice (the guard of the move says what is
    missing)."""
    return PLAN.take(plan, "publish", actor=actor, data={"document_no": plan.document_no})


def plan_close(*, plan: ReviewPlan, actor, note: str = "") -> ReviewPlan:
    """The committee office ends a published plan's year: it takes no more declarations."""
    return PLAN.take(plan, "close", actor=actor, note=note.strip())


@login_required
@require_GET
def office_plans(request):
    plans = ReviewPlan.objects.filter(committee__in=_committees(request.user)).select_related("committee")
    page = Paginator(plans.order_by("-year", "code"), 20).get_page(request.GET.get("page"))
    return render(request, "portal/office_plans.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def office_plan_edit(request, code: str | None = None):
    committees = _committees(request.user)
    plan = _plan_for(request.user, code) if code else None
    if plan is not None and plan.status != ReviewPlan.Status.DRAFT:
        messages.error(request, _("已发布的计划不能修改。"))
        return redirect("office_plans")
    form = PlanForm(request.POST or None, instance=plan, committees=committees)
    if request.method == "POST" and form.is_valid():
        plan = plan_create(form=form)
        messages.success(request, _("评审计划已保存（草稿）。"))
        return redirect("office_plans")
    return render(
        request,
        "portal/office_plan_form.html",
        {"form": form, "plan": plan},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def office_plan_publish(request, code: str):
    plan = _plan_for(request.user, code)
    try:
        plan_publish(plan=plan, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("评审计划已发布。"))
    return redirect("office_plans")
