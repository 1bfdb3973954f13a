"""Admin of the committee's registry. The records of meetings are shown read-only; changes go through
the services. Ballots are deliberately not registered: the admin shows receipts (who voted) and
results (counts), never a ballot, so no admin page can be used to join a choice to a voter. The draw
seed is never shown here (it is revealed on the meeting page once the meeting starts)."""

from __future__ import annotations

from django.contrib import admin

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


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["name", "committee", "specialty", "title", "employer_name", "active_until"]
    list_filter = ["committee", "specialty"]
    search_fields = ["name", "employer_name"]


@admin.register(ExpertEmployment, ExpertUnavailability, ConflictDeclaration)
class ExpertFactsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "expert"]
    list_select_related = ["expert"]


@admin.register(PilotApplication)
class PilotApplicationAdmin(admin.ModelAdmin):
    list_display = ["unit", "district_bureau", "status", "submitted_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "authority"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "committee", "held_on", "status"]
    list_filter = ["status", "committee"]
    exclude = ["seed"]


class RevealedOnlyAdmin(ReadOnlyAdmin):
    """Rows that name drawn experts stay out of the admin until their meeting starts (draw confidentiality)."""

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
class ResultFilingAdmin(ReadOnlyAdmin):
    list_display = ["title", "committee", "status", "approved_at", "approval_document_no"]
