from __future__ import annotations

from django.contrib import admin

from .models import Certificate, CertificateBatch, CommitteeCode, IssuerProfile, SigningKey, StatusChange


class CommitteeCodeInline(admin.TabularInline):
    model = CommitteeCode
    extra = 1


@admin.register(IssuerProfile)
class IssuerProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "region_code", "type_code", "is_active"]
    inlines = [CommitteeCodeInline]


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    """Read-only: keys are created, retired and revoked with `manage.py certificate_keys`."""

    list_display = ["kid", "issuer", "status", "created_at", "retired_at", "revoked_at"]
    list_filter = ["status"]
    readonly_fields = [
        "kid",
        "issuer",
        "algorithm",
        "public_key",
        "status",
        "created_at",
        "retired_at",
        "revoked_at",
        "revoked_reason",
    ]
    exclude = ["private_key_encrypted"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CertificateBatch)
class CertificateBatchAdmin(admin.ModelAdmin):
    list_display = [
        "approval_doc_no",
        "issuer",
        "committee",
        "year",
        "created_at",
        "issued_at",
        "completed_at",
    ]
    list_select_related = ["issuer", "committee"]

    def has_change_permission(self, request, obj=None):
        return False


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "at", "reason", "decision_document"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Read-only: status changes go through the bureau's pages (services), which keep the history."""

    list_display = ["number", "holder", "issuer", "status", "issued_at", "pdf_rendered_at"]
    list_filter = ["status", "issuer"]
    search_fields = ["number", "identifier"]
    list_select_related = ["holder", "issuer"]
    inlines = [StatusChangeInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
