"""Admin of applications, their history, publicity and the employers' authorisation letters. Every
change of these records goes through the workflow and the services (see portal/admin.py)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin import HistoryLink, ViewOnly, file_name, take_moves

from . import audit
from .models import (
    Application,
    ApplicationEvent,
    Archive,
    AuditCheckpoint,
    AuthorisationLetter,
    Entrustment,
    Objection,
    PublicityEntry,
    PublicityNotice,
)


@admin.register(Archive)
class ArchiveAdmin(admin.ModelAdmin):
    list_display = ["name", "id_type", "id_number_masked", "user", "updated_at"]
    search_fields = ["name", "user__username"]
    raw_id_fields = ["user", "current_employer"]
    # The number is sealed and shown masked: the admin site is no way round the applicant's own page.
    readonly_fields = ["id_number_masked"]

    @admin.display(description=_("证件号码"))
    def id_number_masked(self, archive: Archive) -> str:
        return archive.id_number_masked


EVENT_FIELDS = [
    "application",
    "seq",
    "at",
    "actor",
    "actor_role",
    "action",
    "from_state",
    "to_state",
    "note",
    "data",
    "prev_hash",
    "hash",
    "seal",
]


class ReadOnlyEvents(ViewOnly, admin.TabularInline):
    """The history is append-only: the admin shows it and changes nothing."""

    model = ApplicationEvent
    extra = 0
    can_delete = False
    fields = ["seq", "at", "actor", "actor_role", "action", "from_state", "to_state", "note"]
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(ViewOnly, admin.ModelAdmin):
    """Read-only: every change of an application goes through the workflow, never the admin."""

    list_display = ["number", "archive", "plan", "qualification", "declaration_type", "state", "submitted_at"]
    list_filter = ["state", "declaration_type", "plan__year"]
    search_fields = ["number", "archive__name"]
    list_select_related = ["archive", "plan", "qualification"]
    inlines = [ReadOnlyEvents]


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ViewOnly, admin.ModelAdmin):
    """The signed daily checkpoints of the history chains (applications/checkpoints.py); the auditors'
    page 审计链检查点 downloads them."""

    list_display = ["seq", "taken_at", "applications", "events", "root", "withheld"]
    fields = [
        "seq",
        "taken_at",
        "applications",
        "events",
        "root",
        "prev_hash",
        "hash",
        "signature",
        "withheld",
        "withheld_note",
    ]
    readonly_fields = fields
    ordering = ["-seq"]


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(ViewOnly, admin.ModelAdmin):
    """The hash-chained history of the applications (applications/chain.py verifies the chain)."""

    list_display = ["at", "application", "seq", "action", "from_state", "to_state", "actor", "actor_role"]
    list_filter = ["action", "actor_role"]
    search_fields = ["application__number", "actor__username"]
    list_select_related = ["application__archive", "actor"]
    fields = EVENT_FIELDS
    readonly_fields = EVENT_FIELDS
    show_full_result_count = False
    ordering = ["-at", "-id"]


class PublicityEntries(ViewOnly, admin.TabularInline):
    model = PublicityEntry
    extra = 0
    can_delete = False
    fields = ["application", "outcome", "settled_at", "public_fields"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("application__archive")


@admin.register(PublicityNotice)
class PublicityNoticeAdmin(HistoryLink, ViewOnly, admin.ModelAdmin):
    """Read-only and never deleted: a notice closes by the sweep (applications.publicity), and deleting
    it would take its entries with it and leave their applications waiting in a publicity."""

    list_display = ["title", "stage", "publisher", "first_day", "end_date", "status"]
    list_filter = ["stage", "status"]
    readonly_fields = [f.name for f in PublicityNotice._meta.fields] + ["history"]
    inlines = [PublicityEntries]


@admin.register(Objection)
class ObjectionAdmin(HistoryLink, ViewOnly, admin.ModelAdmin):
    """Read-only: objections are lodged on the public page and resolved by the publisher
    (applications.publicity.objection_resolve)."""

    list_display = ["name", "entry", "status", "created_at", "handled_at"]
    list_filter = ["status"]
    list_select_related = ["entry"]
    fields = [
        "entry",
        "name",
        "contact",
        "reason",
        "evidence_file",
        "created_at",
        "status",
        "outcome_reason",
        "false_materials",
        "handled_by",
        "handled_at",
        "history",
    ]
    readonly_fields = fields

    @admin.display(description="证明材料")
    def evidence_file(self, obj):
        return file_name(obj.evidence)


@admin.register(AuthorisationLetter)
class AuthorisationLetterAdmin(ViewOnly, admin.ModelAdmin):
    """Read-only: letters are uploaded by the employer's HR; the action confirms one in the
    administrator's name through applications.audit.authorisation_confirm, which allows it only to an
    officer of the employer's bureau and sets the organisation's authorisation time."""

    list_display = ["organisation", "uploaded_at", "confirmed_at", "confirmed_by"]
    list_filter = ["confirmed_at"]
    search_fields = ["organisation__name"]
    list_select_related = ["organisation", "confirmed_by"]
    fields = [
        "organisation",
        "letter_file",
        "content_type",
        "uploaded_by",
        "uploaded_at",
        "confirmed_by",
        "confirmed_at",
        "rejected_reason",
    ]
    readonly_fields = fields
    actions = ["confirm"]

    @admin.display(description="授权委托书文件")
    def letter_file(self, obj):
        return file_name(obj.file)

    @admin.action(description="确认所选授权委托书", permissions=["view"])
    def confirm(self, request, queryset):
        take_moves(
            self,
            request,
            queryset,
            lambda letter: audit.authorisation_confirm(letter=letter, actor=request.user),
            done="已确认授权委托书",
        )


@admin.register(Entrustment)
class EntrustmentAdmin(ViewOnly, admin.ModelAdmin):
    """Read-only: an entrustment is made with the application's move to the other committee
    (applications.audit.bureau_entrust)."""

    list_display = ["letter_no", "application", "from_plan", "to_plan", "created_at"]
    list_select_related = ["application__archive", "from_plan", "to_plan"]
