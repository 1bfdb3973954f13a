"""What the committees' pages share: the page size, the office's committee, chosen applications, meetings."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from applications.models import Application
from portal.actions import act
from portal.models import Organisation

from .. import permissions

PAGE_SIZE = 20


def office_committee(request) -> Organisation:
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


def is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------- a meeting's pages

CLERK, BUREAU, EXPERT = permissions.CLERK, permissions.BUREAU, permissions.EXPERT


def meeting_url(pk) -> str:
    return reverse("committees:meeting", kwargs={"pk": pk})


def back_to_meeting(pk):
    return redirect(meeting_url(pk))


def clerk_action(request, pk, **action):
    """The office's step on its meeting (`act` with `action`); back to the meeting's page."""
    return act(
        request,
        fetch=lambda: permissions.meeting_for(request.user, pk, role=CLERK).meeting,
        redirect_to=meeting_url(pk),
        **action,
    )
