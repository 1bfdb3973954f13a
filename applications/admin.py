from django.contrib import admin

from .models import Application, ApplicationEvent, Archive, AuthorisationLetter, Entrustment, PublicityNotice


@admin.register(Archive)
class ArchiveAdmin(admin.ModelAdmin):
    list_display = ["name", "id_type", "user", "updated_at"]
    search_fields = ["name", "user__username"]
    raw_id_fields = ["user", "current_employer"]


class ReadOnlyEvents(admin.TabularInline):
    """The history is append-only: the admin shows it and changes nothing."""

    model = ApplicationEvent
    extra = 0
    can_delete = False
    fields = ["seq", "at", "actor", "actor_role", "action", "from_state", "to_state", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: every change of an application goes through the workflow, never the admin."""

    list_display = ["number", "archive", "plan", "qualification", "declaration_type", "state", "submitted_at"]
    list_filter = ["state", "declaration_type", "plan__year"]
    search_fields = ["number", "archive__name"]
    list_select_related = ["archive", "plan", "qualification"]
    inlines = [ReadOnlyEvents]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PublicityNotice)
class PublicityNoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "stage", "publisher", "first_day", "end_date", "status"]
    list_filter = ["stage", "status"]
    readonly_fields = [f.name for f in PublicityNotice._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(AuthorisationLetter)
class AuthorisationLetterAdmin(admin.ModelAdmin):
    list_display = ["organisation", "uploaded_at", "confirmed_at"]


@admin.register(Entrustment)
class EntrustmentAdmin(admin.ModelAdmin):
    list_display = ["letter_no", "application", "from_plan", "to_plan", "created_at"]
