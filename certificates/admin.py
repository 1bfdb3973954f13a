"""Admin of certificates, their batches, signing keys and status history. Everything but the issuer's
e-licence settings is written by certificates.services; the actions call those services in the
administrator's name (see portal/admin.py)."""

from __future__ import annotations

from django.contrib import admin

from portal.admin import HistoryLink, ReasonActionForm, ViewOnly, action_reason, file_name, take_moves

from .models import Certificate, CertificateBatch, CommitteeCode, IssuerProfile, SigningKey, StatusChange
from .services.keys import signing_key_retire
from .services.reissue import signing_key_revoke_and_reissue
from .services.status import certificate_reinstate, certificate_suspend


class CommitteeCodeInline(admin.TabularInline):
    model = CommitteeCode
    extra = 1


@admin.register(IssuerProfile)
class IssuerProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "region_code", "type_code", "is_active"]
    inlines = [CommitteeCodeInline]


@admin.register(SigningKey)
class SigningKeyAdmin(HistoryLink, ViewOnly, admin.ModelAdmin):
    """Read-only: keys are created with `manage.py certificate_keys` (which keeps the private half out of
    every page). The actions retire or revoke a key through certificates.services in the
    administrator's name; revoking needs a reason (the action bar's field) and re-issues what the key
    signed under the issuer's active key (a new one when the revoked key was the active one)."""

    list_display = ["kid", "issuer", "status", "created_at", "retired_at", "revoked_at"]
    list_filter = ["status"]
    fields = [
        "kid",
        "issuer",
        "algorithm",
        "public_key",
        "status",
        "created_at",
        "retired_at",
        "revoked_at",
        "revoked_reason",
        "certificate_pem",
        "history",
    ]
    readonly_fields = fields
    action_form = ReasonActionForm
    actions = ["retire", "revoke"]

    @admin.action(description="停用所选密钥（已签发的证书仍有效）", permissions=["view"])
    def retire(self, request, queryset):
        take_moves(
            self,
            request,
            queryset,
            lambda key: signing_key_retire(key=key, actor=request.user),
            done="已停用",
        )

    @admin.action(description="吊销所选密钥并重新签发其证书（须填写原因）", permissions=["view"])
    def revoke(self, request, queryset):
        reason = action_reason(request)
        take_moves(
            self,
            request,
            queryset,
            lambda key: signing_key_revoke_and_reissue(key=key, actor=request.user, reason=reason),
            done="已吊销并重新签发其证书",
        )


@admin.register(CertificateBatch)
class CertificateBatchAdmin(ViewOnly, admin.ModelAdmin):
    """Read-only: a batch is made by certificates.services.batches.certificate_batch_issue on the approval of
    results and run by the worker; its certificates keep it."""

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


class StatusChangeInline(ViewOnly, admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    fields = ["from_status", "to_status", "actor", "at", "reason", "decision_document"]
    readonly_fields = fields


@admin.register(Certificate)
class CertificateAdmin(ViewOnly, admin.ModelAdmin):
    """Read-only: a certificate's number, payload, signature and PDF are made when it is issued, and its
    status moves through certificates.services, which keeps the status history. The actions suspend
    or reinstate in the administrator's name (an officer of the issuing bureau), with the reason
    entered in the action bar; revocation, which also cancels the title and records an integrity ban,
    stays on the bureau's certificate page."""

    list_display = ["number", "holder", "issuer", "status", "issued_at", "pdf_rendered_at"]
    list_filter = ["status", "issuer"]
    search_fields = ["number", "identifier"]
    list_select_related = ["holder", "issuer"]
    fields = [
        "number",
        "identifier",
        "application",
        "batch",
        "issuer",
        "holder",
        "signing_key",
        "payload",
        "signature",
        "issued_at",
        "status",
        "status_changed_at",
        "status_reason",
        "title_held",
        "pdf_file",
        "pdf_sha256",
        "pdf_rendered_at",
        "render_attempts",
        "render_error",
    ]
    readonly_fields = fields
    inlines = [StatusChangeInline]
    action_form = ReasonActionForm
    actions = ["suspend", "reinstate"]

    @admin.display(description="PDF文件")
    def pdf_file(self, obj):
        return file_name(obj.pdf)

    @admin.action(description="暂扣所选证书（须填写原因）", permissions=["view"])
    def suspend(self, request, queryset):
        reason = action_reason(request)
        take_moves(
            self,
            request,
            queryset,
            lambda c: certificate_suspend(certificate=c, actor=request.user, reason=reason),
            done="已暂扣",
        )

    @admin.action(description="恢复所选证书（须填写原因）", permissions=["view"])
    def reinstate(self, request, queryset):
        reason = action_reason(request)
        take_moves(
            self,
            request,
            queryset,
            lambda c: certificate_reinstate(certificate=c, actor=request.user, reason=reason),
            done="已恢复",
        )


@admin.register(StatusChange)
class StatusChangeAdmin(ViewOnly, admin.ModelAdmin):
    """The certificates' status history (the signed status list reads it): append-only."""

    list_display = ["at", "certificate", "from_status", "to_status", "actor", "decision_document"]
    list_filter = ["to_status"]
    search_fields = ["certificate__number", "actor__username"]
    list_select_related = ["certificate", "actor"]
    show_full_result_count = False
    ordering = ["-at", "-id"]
