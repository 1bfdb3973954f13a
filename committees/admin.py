"""Admin of the committee's registry. The records of meetings are shown read-only; changes go through
the services. Ballot boxes are deliberately not registered (their tally is sealed, and no ballot is
stored one by one): the admin shows receipts (who voted) and results (counts), nothing that joins a
choice to a voter. The draw
seed is never shown here (it is revealed on the meeting page once the meeting starts)."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from portal.admin import HistoryLink, ViewOnly

from .models import (
    Attendance,
    BallotReceipt,
    Conflict,
    ConflictDeclaration,
    DrawEntry,
    Expert,
    ExpertEmployment,
    ExpertUnavailability,
    Meeting,
    MeetingResult,
    PilotApplication,
    Recusal,
    ResultFiling,
)


class ReadOnlyAdmin(ViewOnly, admin.ModelAdmin):
    pass


# ---------------------------------------------------------------- the expert pool
#
# The pool steers the random draw: once a meeting is filed its seed exists, and a change to who is in
# the pool, or to who is away on the meeting day, changes who is drawn. So the admin does not change
# the pool at all. Experts are entered and updated by the committee office (the workbook import of
# the expert pool page, committees/excel.py), their employers and conflicts through committees.services
# (expert_change_employer, expert_declare_conflict), which check conflicts again and record who and when.


@admin.register(Expert)
class ExpertAdmin(ReadOnlyAdmin):
    """Read-only (see the rule above): the committee office's expert pool page keeps the pool."""

    list_display = ["name", "committee", "specialty", "title", "employer_name", "active_until"]
    list_filter = ["committee", "specialty"]
    search_fields = ["name", "employer_name"]
    list_select_related = ["committee", "specialty", "title"]


@admin.register(ExpertEmployment, ConflictDeclaration)
class ExpertFactsAdmin(ReadOnlyAdmin):
    """Written by expert_change_employer and expert_declare_conflict, which check conflicts again."""

    list_display = ["__str__", "expert"]
    list_select_related = ["expert"]


class UnavailabilityForm(forms.ModelForm):
    class Meta:
        model = ExpertUnavailability
        fields = ["expert", "start", "end", "reason"]

    def clean(self):
        cleaned = super().clean()
        expert, start, end = cleaned.get("expert"), cleaned.get("start"), cleaned.get("end")
        if expert is None or start is None or end is None:
            return cleaned
        if end < start:
            self.add_error("end", "结束日期不能早于开始日期。")
            return cleaned
        # Locked until the admin's save commits: a filing or a draw of these meetings (which lock the
        # meeting row) waits for it, so none can be filed between this check and the save.
        meetings = list(
            Meeting.objects.select_for_update()
            .filter(
                committee_id=expert.committee_id,
                status__in=[Meeting.Status.CREATED, Meeting.Status.FILED],
                held_on__range=(start, end),
            )
            .order_by("held_on", "pk")
        )
        filed = [m for m in meetings if m.status == Meeting.Status.FILED]
        if filed:
            names = "、".join(f"{m.title}（{m.held_on:%Y-%m-%d}）" for m in filed)
            raise forms.ValidationError(
                f"该时段包含已备案、尚未抽取专家的评审会议：{names}。此时登记不能参会会影响随机抽取，"
                "请在抽取后由专家申请不能参会，由备选专家递补。"
            )
        return cleaned


@admin.register(ExpertUnavailability)
class ExpertUnavailabilityAdmin(admin.ModelAdmin):
    """No page of the committee office records an expert's unavailability, so the admin may add one,
    but only when its period covers no meeting of the expert's committee that is filed and not yet
    drawn (its seed exists, so the unavailability would steer the draw). A period over a drawn meeting
    changes nothing of that draw (a drawn expert who cannot come declines, and a reserve takes the
    place); over a meeting not yet filed it is known before the seed is. An unavailability is never
    changed or deleted here: that could bring an expert back into a draw. The admin log records who
    added it and when."""

    form = UnavailabilityForm
    list_display = ["expert", "start", "end", "reason"]
    list_select_related = ["expert"]
    search_fields = ["expert__name"]
    autocomplete_fields = ["expert"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PilotApplication)
class PilotApplicationAdmin(HistoryLink, ReadOnlyAdmin):
    """Read-only: the unit applies on its page, the bureaus review and file it through
    committees.services (pilot_district_audit, pilot_file)."""

    list_display = ["unit", "district_bureau", "status", "submitted_at"]
    list_filter = ["status"]
    readonly_fields = ["history"]


@admin.register(Meeting)
class MeetingAdmin(HistoryLink, ReadOnlyAdmin):
    list_display = ["title", "committee", "held_on", "status"]
    list_filter = ["status", "committee"]
    exclude = ["seed"]
    readonly_fields = ["history"]


class RevealedOnlyAdmin(ReadOnlyAdmin):
    """Rows that name drawn experts stay out of the admin until their meeting starts (draw
    confidentiality)."""

    meeting_path = "meeting"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(**{f"{self.meeting_path}__started_at__isnull": False})


@admin.register(DrawEntry)
class DrawEntryAdmin(RevealedOnlyAdmin):
    list_display = ["draw", "position", "expert", "drawn_as", "on_panel", "declined_at"]
    meeting_path = "draw__meeting"


@admin.register(Attendance, Recusal)
class MeetingFactsAdmin(RevealedOnlyAdmin):
    list_display = ["__str__", "meeting", "expert"]


@admin.register(Conflict)
class ConflictAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "expert", "application", "kind", "source", "dismissed_at"]


@admin.register(BallotReceipt)
class BallotReceiptAdmin(ReadOnlyAdmin):
    # Who has voted on which application, never how: a receipt has no choice to show.
    list_display = ["box", "expert", "created_at"]


@admin.register(MeetingResult)
class MeetingResultAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "application", "present", "entitled", "agree", "disagree", "abstain", "passed"]


@admin.register(ResultFiling)
class ResultFilingAdmin(HistoryLink, ReadOnlyAdmin):
    list_display = ["title", "committee", "status", "approved_at", "approval_document_no"]
    readonly_fields = ["history"]
