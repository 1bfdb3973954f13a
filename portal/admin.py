from django.contrib import admin

from .models import (
    CommitteeAuthority,
    Membership,
    Notification,
    Organisation,
    PlanMaterial,
    Qualification,
    Region,
    ReviewPlan,
    Series,
    Specialty,
    SubSpecialty,
    SweepRun,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    search_fields = ["code", "name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "credit_code", "authorisation_confirmed_at", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "credit_code"]
    autocomplete_fields = ["region", "parent_bureau", "forming_body"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


class SubSpecialtyInline(admin.TabularInline):
    model = SubSpecialty
    extra = 0


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "exam_based"]


@admin.register(Specialty)
class SpecialtyAdmin(admin.ModelAdmin):
    list_display = ["name", "series", "code"]
    list_filter = ["series"]
    search_fields = ["name"]
    inlines = [SubSpecialtyInline]


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ["name", "series", "level"]
    list_filter = ["series", "level"]
    search_fields = ["name"]


class PlanMaterialInline(admin.TabularInline):
    model = PlanMaterial
    extra = 0


@admin.register(ReviewPlan)
class ReviewPlanAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "title",
        "committee",
        "year",
        "status",
        "declaration_deadline",
        "employer_deadline",
    ]
    list_filter = ["status", "year"]
    search_fields = ["code", "title"]
    filter_horizontal = ["qualifications", "recommend_qualifications", "specialties"]
    autocomplete_fields = ["committee", "higher_committee", "receiving_org"]
    inlines = [PlanMaterialInline]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "message", "created_at", "read_at"]
    search_fields = ["user__username", "message"]


@admin.register(CommitteeAuthority)
class CommitteeAuthorityAdmin(admin.ModelAdmin):
    """Authority is approved, suspended, withdrawn and reinstated by the bureau on its pages
    (portal.authority records who and when); the admin only reads it."""

    list_display = ["committee", "approved_by", "document_no", "valid_from", "valid_until", "status"]
    list_filter = ["status", "approved_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SweepRun)
class SweepRunAdmin(admin.ModelAdmin):
    """Written by the periodic sweeps themselves; read-only here."""

    list_display = ["name", "last_started_at", "last_finished_at", "last_result"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
