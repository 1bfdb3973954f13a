"""The dossier page of an application and the files of its publicity objections."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import permissions
from .dossier import dossier_context
from .models import Objection


@login_required
@require_GET
def dossier(request, pk):
    application, reader = permissions.dossier_for(request.user, pk)
    return render(request, "applications/dossier.html", dossier_context(application, reader=reader))


@login_required
@require_GET
def objection_file(request, pk):
    """The file an objector gave, inline, for the readers of the application's dossier."""
    objection = Objection.objects.select_related("entry").filter(pk=pk).first()
    if objection is None:
        raise Http404
    permissions.dossier_for(request.user, objection.entry.application_id)
    if not objection.evidence:
        raise Http404
    response = FileResponse(
        objection.evidence.open("rb"),
        content_type=objection.evidence_type or "application/octet-stream",
        filename=objection.evidence.name.rsplit("/", 1)[-1],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
