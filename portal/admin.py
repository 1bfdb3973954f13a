"""Admin of the platform's registry, and the rules every app's admin follows.

The admin never writes what a service owns. Status fields, history rows, the times and actors of
moves and computed values are read-only here; a move an administrator may legitimately take is an
admin action that calls the owning service with `request.user` as the actor (the service checks the
right, writes the history, and its refusal is shown as a message). Records whose deletion would strand
others or erase history cannot be deleted, and history tables are view-only.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html

from . import identity_admin, plans  # noqa: F401  (identity_admin registers the user admin)
from .exceptions import DomainError
from .models import (
    CommitteeAuthority,
    Membership,
    Notification,
    Organisation,
    PlanMaterial,
    Qualification,
    RecordEvent,
    Region,
    ReviewPlan,
    Series,
    Specialty,
    SubSpecialty,
    SweepRun,
)

# ---------------------------------------------------------------- shared by every app's admin


class ViewOnly:
    """Mixed into a ModelAdmin or an inline: shown, never added, changed or deleted (history tables,
    and records that only their services create and change)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NoDelete:
    """Mixed into a ModelAdmin: the record may not be deleted (others depend on it, or it is history)."""

    def has_delete_permission(self, request, obj=None):
        return False


class SaveFormFieldsOnly:
    """Mixed into a ModelAdmin whose model has fields a service writes: a change saves only the fields
    the form changed, so a move taken by a service meanwhile (between loading the record for the form
    and saving it) is not overwritten with the values the admin loaded."""

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        concrete = {f.name for f in obj._meta.concrete_fields}
        obj.save(update_fields=[name for name in form.changed_data if name in concrete])


class ReasonActionForm(ActionForm):
    """The action bar with a field for the reason or note a move asks for (e.g. a suspension)."""

    reason = forms.CharField(label="原因/说明", required=False, max_length=300)


def action_reason(request) -> str:
    return request.POST.get("reason", "").strip()


def refusal_message(exc: Exception) -> str:
    if isinstance(exc, DomainError):
        return exc.message
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc) or "您无权执行此操作。"


def take_moves(modeladmin, request, queryset, call: Callable, *, done: str) -> int:
    """Call a service once per selected record, each in its own transaction. A refusal (a domain
    error, a denied permission, an invalid value) is shown as an error naming the record; what was done
    is logged in the admin log under the administrator's name. Returns the number done."""
    count = 0
    for obj in queryset:
        try:
            with transaction.atomic():
                call(obj)
        except (DomainError, DjangoPermissionDenied, ValidationError) as exc:
            modeladmin.message_user(request, f"{obj}：{refusal_message(exc)}", level=messages.ERROR)
        else:
            modeladmin.log_change(request, obj, done)
            count += 1
    if count:
        modeladmin.message_user(request, f"{done}：{count}项。", level=messages.SUCCESS)
    return count


def history_link(obj) -> str:
    """A link to the record's history rows (RecordEvent) in the admin."""
    if obj is None or obj.pk is None:
        return "—"
    content_type = ContentType.objects.get_for_model(obj)
    url = reverse("admin:portal_recordevent_changelist")
    return format_html(
        '<a href="{}?content_type__id__exact={}&amp;object_id={}">查看状态变更记录</a>',
        url,
        content_type.pk,
        obj.pk,
    )


class HistoryLink:
    """Mixed into the ModelAdmin of a record that moves through a portal.workflow.Machine; name
    "history" in its readonly_fields to show the link."""

    @admin.display(description="状态变更记录")
    def history(self, obj):
        return history_link(obj)


def file_name(field_file) -> str:
    """A private file's name: private storage has no URL, so the admin cannot link to it."""
    return field_file.name if field_file else "—"


# ---------------------------------------------------------------- the registry


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    search_fields = ["code", "name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at"]


@admin.register(Organisation)
class OrganisationAdmin(SaveFormFieldsOnly, admin.ModelAdmin):
    """`authorisation_confirmed_at` is set by applications.audit.authorisation_confirm when the
    bureau confirms the employer's authorisation letter (the letter's admin offers that action)."""

    list_display = ["name", "kind", "region", "credit_code", "authorisation_confirmed_at", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "credit_code"]
    autocomplete_fields = ["region", "parent_bureau", "forming_body"]
    readonly_fields = ["authorisation_confirmed_at"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    readonly_fields = ["created_at"]


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


def _is_draft(plan: ReviewPlan | None) -> bool:
    return plan is None or plan.status == ReviewPlan.Status.DRAFT


class PlanMaterialInline(admin.TabularInline):
    """The checklist is edited with its plan, while the plan is a draft."""

    model = PlanMaterial
    extra = 0

    def has_add_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_delete_permission(request, obj)


class ReviewPlanForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            # Locked until the admin's save commits, so a publication waits for it, and an edit cannot
            # land on a plan published since the form was loaded.
            status = (
                ReviewPlan.objects.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("status", flat=True)
                .first()
            )
            if status != ReviewPlan.Status.DRAFT:
                raise forms.ValidationError("已发布的计划不能修改。")
        return cleaned


@admin.register(ReviewPlan)
class ReviewPlanAdmin(HistoryLink, SaveFormFieldsOnly, admin.ModelAdmin):
    """A plan is edited while it is a draft, as on the committee office's page; its status moves only
    through portal.plans (the actions below, taken in the administrator's name, who must be a clerk of
    the plan's committee), and once published the plan is view-only here."""

    form = ReviewPlanForm
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
    readonly_fields = ["status", "history"]
    inlines = [PlanMaterialInline]
    action_form = ReasonActionForm
    actions = ["publish", "close"]

    def has_change_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A draft has no history and no applications; a published plan is the year's record.
        return obj is not None and _is_draft(obj) and super().has_delete_permission(request, obj)

    @admin.action(description="发布所选评审计划", permissions=["view"])
    def publish(self, request, queryset):
        take_moves(
            self, request, queryset, lambda p: plans.plan_publish(plan=p, actor=request.user), done="已发布"
        )

    @admin.action(description="结束所选评审计划（不再受理申报）", permissions=["view"])
    def close(self, request, queryset):
        take_moves(
            self,
            request,
            queryset,
            lambda p: plans.plan_close(plan=p, actor=request.user, note=action_reason(request)),
            done="已结束",
        )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "message", "created_at", "read_at"]
    search_fields = ["user__username", "message"]
    readonly_fields = ["created_at", "read_at", "dedupe_key"]


@admin.register(CommitteeAuthority)
class CommitteeAuthorityAdmin(ViewOnly, admin.ModelAdmin):
    """Authority is approved, suspended, withdrawn and reinstated by the bureau on its pages
    (portal.authority records who and when); the admin only reads it."""

    list_display = ["committee", "approved_by", "document_no", "valid_from", "valid_until", "status"]
    list_filter = ["status", "approved_by"]


@admin.register(SweepRun)
class SweepRunAdmin(ViewOnly, admin.ModelAdmin):
    """Written by the periodic sweeps themselves; read-only here."""

    list_display = ["name", "last_started_at", "last_finished_at", "last_result"]


@admin.register(RecordEvent)
class RecordEventAdmin(ViewOnly, admin.ModelAdmin):
    """The history of every stateful record but the application: append-only, written by
    portal.workflow.Machine.take, so the admin only reads it."""

    list_display = [
        "at",
        "content_type",
        "object_id",
        "action",
        "from_status",
        "to_status",
        "actor",
        "actor_role",
    ]
    list_filter = ["content_type", "action", "actor_role"]
    search_fields = ["object_id", "action", "actor__username"]
    list_select_related = ["content_type", "actor"]
    show_full_result_count = False
    ordering = ["-at", "-id"]
