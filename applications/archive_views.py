"""The applicant's performance archive pages: identity, entries and their evidence, and evidence files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.actions import act
from portal.forms import form_add_error

from . import permissions, services
from .exceptions import DomainError
from .forms import (
    ENTRY_KINDS,
    EvidenceForm,
    IdentityForm,
)
from .models import Evidence
from .returns import archive_returns


@login_required
@require_GET
def archive_view(request):
    archive = services.archive_get_or_create(user=request.user)
    returns = archive_returns(archive)
    sections = []
    for kind in ENTRY_KINDS.values():
        entries = [
            (e, [d for r in returns for d in r.by_entry.get((kind.slug, e.pk), [])])
            for e in kind.model.objects.filter(archive=archive)
        ]
        section_defects = [d for r in returns for d in r.by_section.get(kind.slug, [])]
        sections.append(
            {
                "kind": kind,
                "entries": entries,
                "defects": section_defects,
                "form": kind.form_class(prefix=kind.slug),
            }
        )
    return render(
        request,
        "applications/archive.html",
        {
            "archive": archive,
            "identity_form": IdentityForm(instance=archive),
            "sections": sections,
            "returns": returns,
            "evidence": archive.evidence.filter(application__isnull=True),
        },
    )


@login_required
@require_POST
def archive_identity(request):
    archive = services.archive_get_or_create(user=request.user)
    form = IdentityForm(request.POST, instance=archive)
    if form.is_valid():
        try:
            services.archive_update_identity(
                archive=archive, **{f: form.cleaned_data[f] for f in form.fields}
            )
        except ValidationError as exc:
            form_add_error(form, exc)
        else:
            messages.success(request, _("基本信息已保存。"))
            return redirect("applications:archive")
    return render(
        request,
        "applications/entry_form.html",
        {"form": form, "title": _("基本信息"), "action": reverse("applications:archive_identity")},
        status=400,
    )


def _entry_kind(slug: str):
    kind = ENTRY_KINDS.get(slug)
    if kind is None:
        raise Http404
    return kind


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, kind: str, pk: int | None = None):
    kind = _entry_kind(kind)
    archive = services.archive_get_or_create(user=request.user)
    # Another person's entry is simply not found.
    instance = get_object_or_404(kind.model, pk=pk, archive=archive) if pk else None
    form = kind.form_class(request.POST or None, instance=instance, prefix=kind.slug)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.archive_entry_save(archive=archive, entry=form.instance)
            except (ValidationError, DomainError) as exc:
                form_add_error(form, exc)
            else:
                messages.success(request, _("%(label)s已保存。") % {"label": kind.label})
                return redirect(reverse("applications:archive") + f"#{kind.slug}")
        status = 400
    else:
        status = 200
    return render(
        request,
        "applications/entry_form.html",
        {"form": form, "title": kind.label, "action": request.path},
        status=status,
    )


@login_required
@require_POST
def entry_delete(request, kind: str, pk: int):
    kind = _entry_kind(kind)
    archive = services.archive_get_or_create(user=request.user)
    entry = get_object_or_404(kind.model, pk=pk, archive=archive)
    try:
        services.archive_entry_delete(entry=entry)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已删除。"))
    return redirect(reverse("applications:archive") + f"#{kind.slug}")


@login_required
@require_POST
def entry_evidence(request, kind: str, pk: int):
    kind = _entry_kind(kind)
    archive = services.archive_get_or_create(user=request.user)
    entry = get_object_or_404(kind.model, pk=pk, archive=archive)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_upload(archive=archive, upload=form.cleaned_data["file"], entry=entry)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("佐证材料已上传。"))
    else:
        messages.error(request, _("请选择要上传的文件。"))
    return redirect(reverse("applications:archive") + f"#{kind.slug}")


def _evidence_visible(user, evidence: Evidence) -> bool:
    """The owner reads every file of theirs; a reviewer only the materials of an application they see
    and the files submitted with one (not what was added to the archive afterwards); an expert the
    files submitted with an application of their meeting (granted to them while it sits)."""
    if evidence.archive.user_id == user.pk:
        return True
    visible = permissions.applications_visible_to(user).exclude(applicant=user)
    if evidence.application_id is not None and visible.filter(pk=evidence.application_id).exists():
        return True
    if visible.filter(submitted_evidence=evidence).exists():
        return True
    return any(permissions.granted_reader(user, a) for a in evidence.submitted_in.all())


@login_required
@require_GET
@xframe_options_sameorigin  # the dossier shows PDFs in an <iframe> of the portal's own pages
def evidence_download(request, pk):
    evidence = Evidence.objects.select_related("archive").filter(pk=pk).first()
    if evidence is None or not _evidence_visible(request.user, evidence):
        raise Http404
    response = FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        as_attachment=request.GET.get("download") == "1",
        filename=evidence.served_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _evidence_back(evidence: Evidence) -> str:
    if evidence.application_id:
        return reverse("applications:detail", kwargs={"pk": evidence.application_id}) + "#materials"
    return reverse("applications:archive")


@login_required
@require_POST
def evidence_remove(request, pk):
    return act(
        request,
        fetch=lambda: get_object_or_404(
            Evidence.objects.select_related("archive"), pk=pk, archive__user=request.user
        ),
        call=lambda evidence, _form: services.evidence_delete(evidence=evidence),
        success=_("已删除。"),
        redirect_to=_evidence_back,
    )
