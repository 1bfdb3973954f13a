"""The draw on a meeting's page, and its pseudonymised record for the bureau and the committee office."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from .. import draw_v1, permissions, services
from ..exceptions import PermissionDenied
from ..models import DrawFiling, Expert, Meeting
from ..services.draw_check import draw_public_record
from .common import BUREAU, CLERK


def _excluded_names(meeting: Meeting, record, filing: DrawFiling | None) -> list[dict]:
    """Who was excluded and why, for the page once the meeting starts."""
    if record.algorithm_version == draw_v1.ALGORITHM_VERSION:
        names = {s["id"]: s["name"] for s in record.pool}
        return [{"name": names.get(x["id"], ""), "reason": x["reason"]} for x in record.exclusions]
    members = filing.members if filing is not None else {}
    notes = filing.notes if filing is not None else {}
    experts = Expert.objects.in_bulk([int(pk) for pk in members.values()])
    labels = {r["kind"]: r["label"] for r in services.exclusion_summary(record.exclusions)}
    rows = []
    for x in record.exclusions:
        expert = experts.get(int(members.get(x["expert"], 0)))
        rows.append(
            {
                "name": expert.name if expert else x["expert"],
                "reason": notes.get(x["expert"], labels.get(x["kind"], "")),
            }
        )
    return rows


def draw_context(meeting: Meeting) -> dict:
    filing = DrawFiling.objects.filter(meeting=meeting).first()
    record = meeting.draw if hasattr(meeting, "draw") else None
    if record is None:
        return {"draw": None, "draw_filing": filing}
    entries = list(record.entries.select_related("expert", "replaces").order_by("position"))
    context = {
        "draw": record,
        "draw_filing": filing,
        "draw_counts": {
            "panel": sum(e.drawn_as == "panel" for e in entries),
            "reserves": sum(e.drawn_as == "reserve" for e in entries),
            "declined": sum(e.declined_at is not None for e in entries),
            "excluded": len(record.exclusions),
            "pool": len(record.pool),
        },
        # Counts only: which experts were excluded stays confidential until the meeting starts.
        "exclusion_summary": services.exclusion_summary(record.exclusions),
    }
    # The names are confidential until the meeting starts, for the office too.
    if meeting.draw_revealed:
        context.update(
            entries=entries,
            exclusions=_excluded_names(meeting, record, filing),
            draw_downloadable=record.algorithm_version != draw_v1.ALGORITHM_VERSION,
        )
    return context


@login_required
@require_GET
def meeting_draw_record(request, pk):
    """The pseudonymised draw record (JSON), once the meeting has started: for the filing bureau's
    officers and the committee office; tools/verify_draw.py recomputes the panel from it."""
    access = permissions.meeting_for(request.user, pk)
    if not access.roles & {CLERK, BUREAU}:
        raise PermissionDenied("抽取记录仅供评委会办公室和核准备案部门下载。")
    meeting = access.meeting
    body = draw_public_record(meeting) if meeting.draw_revealed else None
    if body is None:
        raise Http404("抽取记录在会议开始后提供下载。")
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="draw-record-{meeting.pk}.json"'
    return response
