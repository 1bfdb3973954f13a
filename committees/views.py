"""Pages of the committee office and its filing bureau: the qualification queue and review, the routes
without a ballot, the expert pool, result filings, and the pilot units' authority (seed 000)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications import workflow
from applications.exceptions import DomainError
from applications.models import Application
from applications.permissions import Actor, applications_visible_to
from applications.states import State
from portal import authority as authority_services
from portal import clock
from portal.actions import act, report_error
from portal.forms import form_add_error, form_errors_text
from portal.models import CommitteeAuthority, Organisation, Role
from portal.roles import org_ids
from rules.vocab import DeclarationType

from . import excel, permissions, selectors, services
from .exceptions import PermissionDenied
from .forms import (
    ApproveForm,
    AuthorityStatusForm,
    FilingForm,
    ImportForm,
    NoteForm,
    PilotFileForm,
    PilotForm,
    PilotReviewForm,
    PublicityForm,
    ReasonForm,
)
from .models import Expert, PilotApplication, ResultFiling, UpwardRecommendation
from .pdf import filing_pdf

PAGE_SIZE = 20


def _committee(request) -> Organisation:
    pk = request.GET.get("committee") or request.POST.get("committee")
    if pk:
        try:
            return permissions.committee_for_clerk(request.user, int(pk))
        except ValueError as exc:
            raise Http404 from exc
    return permissions.default_committee(request.user)


def chosen_applications(request, queryset) -> list[Application] | None:
    """The posted application ids, all resolved in `queryset` (else 404); None with a message on bad input."""
    raw = request.POST.getlist("applications")
    if not raw:
        messages.error(request, _("请至少选择一份申报。"))
        return None
    try:
        ids = {uuid.UUID(value) for value in raw}
    except ValueError:
        messages.error(request, _("所选申报无效。"))
        return None
    chosen = list(
        queryset.filter(pk__in=ids).select_related(
            "plan",
            "archive",
            "qualification",
            "qualification__series",
            "specialty",
            "recommending_org",
            "workplace",
        )
    )
    if len(chosen) != len(ids):
        raise Http404
    return chosen


# ---------------------------------------------------------------- the office's queue


@login_required
@require_GET
def queue(request):
    committee = _committee(request)
    state = request.GET.get("state") or State.QUALIFICATION_REVIEW
    if state not in selectors.QUEUE_STATES:
        raise Http404
    page = Paginator(selectors.committee_queue(committee, state), PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.queue_counts(committee)
    return render(
        request,
        "committees/queue.html",
        {
            "committee": committee,
            "state": state,
            "page": page,
            "tabs": [(s, State(s).label, counts.get(s, 0)) for s in selectors.QUEUE_STATES],
            "publicity_form": PublicityForm(
                initial={"posted_on": clock.today(), "working_days": 5, "title": _("职称评审公示")}
            ),
            "open_meetings": committee.meetings.filter(status="created").order_by("held_on"),
            "batch_actions": _queue_actions(state),
            "filing_form": FilingForm(initial={"title": _("职称评审结果备案表")}),
        },
    )


def _queue_actions(state: str) -> set[str]:
    """What the office may do with a selection in this queue: its moves from the table, and the
    results filing that prepares the bureau's approval."""
    actions = workflow.batch_actions(state, Actor.COMMITTEE)
    if state in workflow.MOVES["approve"].sources:
        actions.add("file_results")
    return actions


@login_required
@require_POST
def publicise(request, stage: str):
    committee = _committee(request)
    back = redirect(
        f"{reverse('committees:queue')}?committee={committee.pk}&state="
        f"{State.QUALIFIED if stage == 'pre_review' else State.PASSED}"
    )
    form = PublicityForm(request.POST)
    chosen = chosen_applications(request, permissions.committee_applications(request.user))
    if chosen is None:
        return back
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return back
    fn = services.pre_review_publicise if stage == "pre_review" else services.results_publicise
    try:
        notice = fn(committee=committee, applications=chosen, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        report_error(request, exc)
        return back
    messages.success(request, _("已发布公示，公示期至%(end)s。") % {"end": notice.end_date.isoformat()})
    return redirect("applications:audit_notice", pk=notice.pk)


@login_required
@require_GET
def review(request, pk):
    application = permissions.application_for_clerk(request.user, pk)
    eligibility, eligibility_error = (
        selectors.eligibility_for(application)
        if application.state == State.QUALIFICATION_REVIEW
        else (None, "")
    )
    upward = (
        UpwardRecommendation.objects.filter(application=application)
        .select_related("from_committee", "to_committee")
        .first()
    )
    return render(
        request,
        "committees/review.html",
        {
            "actions": {m.action for m in workflow.available_moves(application, request.user)},
            "application": application,
            "eligibility": eligibility,
            "eligibility_error": eligibility_error,
            "evidence": application.evidence.all(),
            "events": application.events.select_related("actor"),
            "upward": upward,
            "recommend_only": services.is_recommend_only(application),
            "note_form": NoteForm(),
            "reason_form": ReasonForm(),
        },
    )


def _act(request, pk, **action):
    """The office's decision on an application it holds (`act` with `action`); back to the review page."""
    return act(
        request,
        fetch=lambda: permissions.application_for_clerk(request.user, pk),
        redirect_to=reverse("committees:review", kwargs={"pk": pk}),
        **action,
    )


@login_required
@require_POST
def qualification_pass(request, pk):
    return _act(
        request,
        pk,
        form_class=NoteForm,
        call=lambda a, f: services.qualification_pass(
            application=a, actor=request.user, note=f.cleaned_data["note"]
        ),
        success=_("资格审查通过。"),
    )


@login_required
@require_POST
def qualification_return(request, pk):
    return _act(
        request,
        pk,
        form_class=ReasonForm,
        call=lambda a, f: services.qualification_return(
            application=a, actor=request.user, reason=f.cleaned_data["reason"]
        ),
        success=_("已退回推荐单位。"),
    )


@login_required
@require_POST
def qualification_reject(request, pk):
    return _act(
        request,
        pk,
        form_class=ReasonForm,
        call=lambda a, f: services.qualification_reject(
            application=a, actor=request.user, reason=f.cleaned_data["reason"]
        ),
        success=_("已作资格审查不通过处理。"),
    )


@login_required
@require_POST
def recognise(request, pk):
    return _act(
        request,
        pk,
        form_class=ReasonForm,
        call=lambda a, f: services.application_recognise(
            application=a, actor=request.user, reason=f.cleaned_data["reason"]
        ),
        success=_("已认定通过。"),
    )


def _upward_to_clerk(user, pk) -> UpwardRecommendation:
    upward = UpwardRecommendation.objects.filter(application_id=pk).first() if _is_uuid(pk) else None
    if upward is None or not permissions.is_clerk_of(user, upward.to_committee_id):
        permissions.application_for_clerk(user, pk)  # 404 for outsiders, 403 for other committees
        raise PermissionDenied("该申报未推荐至您所在的评委会。")
    return upward


@login_required
@require_POST
def upward_receive(request, pk):
    return act(
        request,
        fetch=lambda: _upward_to_clerk(request.user, pk),
        call=lambda upward, _form: services.upward_receive(
            application=upward.application, actor=request.user
        ),
        success=_("已接收，进入本评委会资格审查。"),
        redirect_to=reverse("committees:review", kwargs={"pk": pk}),
    )


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------- 初定 by the filing bureau


def _initial_queue(user):
    bureaus = org_ids(user, Role.OFFICER)
    return Application.objects.filter(
        committee__parent_bureau__in=bureaus,
        declaration_type=DeclarationType.INITIAL,
        state=State.QUALIFIED,
    )


@login_required
@require_GET
def initial_queue(request):
    if not org_ids(request.user, Role.OFFICER):
        raise PermissionDenied()
    qs = (
        _initial_queue(request.user)
        .select_related("archive", "qualification", "specialty", "recommending_org", "plan__committee")
        .order_by("submitted_at", "number")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "committees/initial_queue.html", {"page": page, "form": ReasonForm()})


def _initial_for(user, pk) -> Application:
    application = _initial_queue(user).filter(pk=pk).first() if _is_uuid(pk) else None
    if application is None:
        if _is_uuid(pk) and applications_visible_to(user).filter(pk=pk).exists():
            raise PermissionDenied()
        raise Http404
    return application


@login_required
@require_POST
def initial_determine(request, pk):
    return act(
        request,
        fetch=lambda: _initial_for(request.user, pk),
        form_class=ReasonForm,
        call=lambda application, form: services.application_initial_determine(
            application=application, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        success=_("已初定通过。"),
        redirect_to="committees:initial_queue",
    )


# ---------------------------------------------------------------- expert pool


@login_required
@require_GET
def experts(request):
    committee = _committee(request)
    qs = (
        Expert.objects.filter(committee=committee)
        .select_related("specialty", "title", "employer", "region", "user")
        .order_by("specialty_id", "name", "pk")
    )
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(Q(name__contains=query) | Q(employer_name__contains=query))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "committees/experts.html",
        {"committee": committee, "page": page, "q": query, "import_form": ImportForm()},
    )


@login_required
@require_GET
def experts_export(request):
    return excel.experts_export(_committee(request))


@login_required
@require_POST
def experts_import(request):
    return act(
        request,
        fetch=lambda: _committee(request),
        form_class=ImportForm,
        call=lambda committee, form: excel.experts_import(
            committee=committee, upload=form.cleaned_data["file"]
        ),
        success=lambda counts: _("已导入：新增%(c)s人，更新%(u)s人。") % {"c": counts[0], "u": counts[1]},
        redirect_to=lambda committee: f"{reverse('committees:experts')}?committee={committee.pk}",
    )


# ---------------------------------------------------------------- result filings


@login_required
@require_POST
def filing_new(request):
    committee = _committee(request)
    form = FilingForm(request.POST)
    chosen = chosen_applications(request, permissions.committee_applications(request.user))
    back = redirect(
        f"{reverse('committees:queue')}?committee={committee.pk}&state={State.RESULT_PUBLICITY_DONE}"
    )
    if chosen is None:
        return back
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return back
    try:
        filing = services.filing_create(
            committee=committee, applications=chosen, actor=request.user, title=form.cleaned_data["title"]
        )
    except DomainError as exc:
        report_error(request, exc)
        return back
    messages.success(request, _("评审结果备案表已生成，请打印盖章后报送核准。"))
    return redirect("committees:filing", pk=filing.pk)


@login_required
@require_GET
def filing_detail(request, pk):
    filing, roles = permissions.filing_for(request.user, pk)
    return render(
        request,
        "committees/filing.html",
        {
            "filing": filing,
            "roles": roles,
            "applications": services.filing_applications(filing),
            "approve_form": ApproveForm(),
        },
    )


@login_required
@require_GET
def filing_form_pdf(request, pk):
    filing, _roles = permissions.filing_for(request.user, pk)
    content = filing_pdf(filing, list(services.filing_applications(filing)))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename=filing-{filing.pk}.pdf"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def filing_approve(request, pk):
    return act(
        request,
        fetch=lambda: permissions.filing_for(request.user, pk, role=permissions.BUREAU)[0],
        form_class=ApproveForm,
        call=lambda filing, form: services.filing_approve(
            filing=filing, actor=request.user, document_no=form.cleaned_data["document_no"]
        ),
        success=_("已核准公布。"),
        redirect_to=reverse("committees:filing", kwargs={"pk": pk}),
    )


@login_required
@require_GET
def filings(request):
    clerk, bureaus = permissions.clerk_committees(request.user), permissions.officer_bureaus(request.user)
    if not clerk and not bureaus:
        raise PermissionDenied()
    qs = (
        ResultFiling.objects.filter(Q(committee__in=clerk) | Q(committee__parent_bureau__in=bureaus))
        .select_related("committee", "meeting")
        .order_by("-created_at")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "committees/filings.html", {"page": page})


# ---------------------------------------------------------------- pilot units and authority (seed 000)


def _pilots_visible(user):
    hr, officer = org_ids(user, Role.HR), org_ids(user, Role.OFFICER)
    return PilotApplication.objects.filter(
        Q(unit__in=hr) | Q(district_bureau__in=officer) | Q(district_bureau__parent_bureau__in=officer)
    )


# The bureau that takes each step on a pilot application, and what anyone else is told (seed 000).
PILOT_STEPS = {
    "review": (lambda pilot: pilot.district_bureau_id, "只有属地人力社保部门可以审核。"),
    "file": (lambda pilot: pilot.district_bureau.parent_bureau_id, "只有市人力社保局可以备案。"),
}


def _pilot_for(user, pk, *, step: str | None = None) -> PilotApplication:
    """A pilot application the user sees (else 404); with `step`, only for an officer of the bureau
    that takes it (else 403)."""
    pilot = _pilots_visible(user).select_related("unit", "district_bureau", "authority").filter(pk=pk).first()
    if pilot is None:
        raise Http404
    if step is not None:
        bureau_of, refusal = PILOT_STEPS[step]
        if bureau_of(pilot) not in org_ids(user, Role.OFFICER):
            raise PermissionDenied(refusal)
    return pilot


@login_required
@require_GET
def pilots(request):
    if not org_ids(request.user, Role.HR) and not org_ids(request.user, Role.OFFICER):
        raise PermissionDenied()
    page = Paginator(
        _pilots_visible(request.user).select_related("unit", "district_bureau").order_by("-submitted_at"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(request, "committees/pilots.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def pilot_apply(request):
    units = Organisation.objects.filter(pk__in=org_ids(request.user, Role.HR))
    if not units:
        raise PermissionDenied()
    form = PilotForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        unit = (
            units.filter(pk=request.POST.get("unit")).first()
            if request.POST.get("unit", "").isdigit()
            else None
        )
        if form.is_valid() and unit is None:
            form.add_error(None, _("请选择申请单位。"))
        elif form.is_valid():
            data = dict(form.cleaned_data)
            specialties, subsidiaries = data.pop("specialties"), data.pop("subsidiaries")
            try:
                pilot = services.pilot_apply(
                    unit=unit,
                    actor=request.user,
                    specialties=list(specialties),
                    subsidiaries=list(subsidiaries),
                    **data,
                )
            except DomainError as exc:
                if isinstance(exc, PermissionDenied):
                    raise
                form_add_error(form, exc)
            else:
                messages.success(request, _("申请已提交，等待属地人力社保部门审核。"))
                return redirect("committees:pilot", pk=pilot.pk)
    return render(request, "committees/pilot_apply.html", {"form": form, "units": units}, status=status)


@login_required
@require_GET
def pilot_detail(request, pk):
    pilot = _pilot_for(request.user, pk)
    return render(
        request,
        "committees/pilot.html",
        {"pilot": pilot, "review_form": PilotReviewForm(), "file_form": PilotFileForm()},
    )


@login_required
@require_POST
def pilot_review(request, pk):
    return act(
        request,
        fetch=lambda: _pilot_for(request.user, pk, step="review"),
        form_class=PilotReviewForm,
        call=lambda pilot, form: services.pilot_district_review(
            pilot=pilot,
            actor=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            opinion=form.cleaned_data["opinion"],
        ),
        success=_("审核意见已记录。"),
        redirect_to=reverse("committees:pilot", kwargs={"pk": pk}),
    )


@login_required
@require_POST
def pilot_file(request, pk):
    return act(
        request,
        fetch=lambda: _pilot_for(request.user, pk, step="file"),
        form_class=PilotFileForm,
        call=lambda pilot, form: services.pilot_file(
            pilot=pilot, actor=request.user, document_no=form.cleaned_data["document_no"]
        ),
        success=_("已备案，试点单位评审权生效。"),
        redirect_to=reverse("committees:pilot", kwargs={"pk": pk}),
    )


def _authorities_visible(user):
    return CommitteeAuthority.objects.filter(
        Q(approved_by__in=org_ids(user, Role.OFFICER)) | Q(committee__in=org_ids(user, Role.CLERK))
    )


def _authority_for_bureau(user, pk) -> CommitteeAuthority:
    """An authority the user sees (else 404), for an officer of the bureau that approved it (else 403)."""
    authority = _authorities_visible(user).filter(pk=pk).first()
    if authority is None:
        raise Http404
    if authority.approved_by_id not in org_ids(user, Role.OFFICER):
        raise PermissionDenied("只有核准备案部门可以暂停或收回评审权。")
    return authority


@login_required
@require_GET
def authorities(request):
    if not org_ids(request.user, Role.OFFICER) and not org_ids(request.user, Role.CLERK):
        raise PermissionDenied()
    qs = (
        _authorities_visible(request.user)
        .select_related("committee", "approved_by", "region")
        .prefetch_related("series", "specialties")
        .order_by("committee__name", "-valid_from")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "committees/authorities.html",
        {"page": page, "bureaus": set(org_ids(request.user, Role.OFFICER)), "form": AuthorityStatusForm()},
    )


@login_required
@require_POST
def authority_status(request, pk):
    return act(
        request,
        fetch=lambda: _authority_for_bureau(request.user, pk),
        form_class=AuthorityStatusForm,
        call=lambda authority, form: authority_services.authority_set_status(
            authority=authority, actor=request.user, **form.cleaned_data
        ),
        success=_("评审权状态已更新。"),
        redirect_to="committees:authorities",
    )


# ---------------------------------------------------------------- published results (核准公布, seed 004)


def _published():
    return ResultFiling.objects.filter(status=ResultFiling.Status.APPROVED)


@require_GET
def public_results(request):
    qs = _published().select_related("committee").order_by("-approved_at", "-pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "committees/public_results.html", {"page": page})


@require_GET
def public_result(request, pk):
    filing = _published().select_related("committee").filter(pk=pk).first()
    if filing is None:
        raise Http404
    # What the approval publishes: name, employer, title and specialty; never an ID number or contact.
    return render(
        request,
        "committees/public_result.html",
        {"filing": filing, "applications": services.filing_applications(filing)},
    )
