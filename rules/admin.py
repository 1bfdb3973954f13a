"""Admin of the rules app: the working-day calendar (rules/admin_calendar.py) and the eligibility rule
sets, enterprise honours, 破格B places and integrity records (below). A rule set's thresholds are edited as
one labelled, validated field per template parameter."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from portal.admin import NoDelete, ReasonActionForm, SaveFormFieldsOnly, action_reason, take_moves
from portal.personal_data import id_digest
from rules.eligibility.exceptions import InvalidParams
from rules.eligibility.template_spec import BOOL, EDUCATION, GRADE, INT, ParamSpec
from rules.eligibility.templates import get_template
from rules.models import (
    EnterpriseHonour,
    ExceptionalBReservation,
    HonourCategory,
    IntegrityRecord,
    RuleSet,
)
from rules.services.integrity import integrity_record_create, integrity_record_withdraw
from rules.vocab import AssessmentGrade, EducationLevel

from . import admin_calendar  # noqa: F401  (registers the working-day calendar)


def _param_field_name(key: str) -> str:
    return "p__" + key.replace(".", "__")


def _param_field(spec: ParamSpec) -> forms.Field:
    help_text = (
        f"依据：{spec.source}；文件规定值：{spec.default}" if spec.source else f"文件规定值：{spec.default}"
    )
    common = {"label": spec.label, "help_text": help_text}
    if spec.kind == INT:
        return forms.IntegerField(min_value=spec.minimum, max_value=spec.maximum, **common)
    if spec.kind == BOOL:
        return forms.BooleanField(required=False, **common)
    if spec.kind == GRADE:
        return forms.ChoiceField(choices=AssessmentGrade.choices, **common)
    if spec.kind == EDUCATION:
        return forms.ChoiceField(choices=EducationLevel.choices, **common)
    return forms.RegexField(
        regex=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$",
        max_length=5,
        error_messages={"invalid": "应为 MM-DD 格式的月日，如 06-30"},
        **common,
    )


class RuleSetForm(forms.ModelForm):
    class Meta:
        model = RuleSet
        fields = [
            "plan",
            "qualification",
            "template",
            "document_no",
            "honour_categories",
            "is_active",
            "note",
        ]

    param_specs: tuple[ParamSpec, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.param_specs:
            values = get_template(self.instance.template).resolve(self.instance.params)
            for spec in self.param_specs:
                self.initial.setdefault(_param_field_name(spec.key), values[spec.key])

    def clean(self):
        cleaned = super().clean()
        template = cleaned.get("template")
        if not template:
            return cleaned
        if self.instance.pk and self.param_specs and template == self.initial.get("template"):
            names = {spec.key: _param_field_name(spec.key) for spec in self.param_specs}
            if any(name in self.errors for name in names.values()):
                return cleaned  # the field errors are shown; the stored params stay as they were
            params = {key: cleaned.get(name) for key, name in names.items()}
            try:
                self.instance.params = get_template(template).clean_params(params)
            except InvalidParams as exc:
                for key, message in exc.errors.items():
                    self.add_error(names.get(key), message)
        else:
            # A new rule set, or another template: start from the document's values.
            self.instance.params = get_template(template).defaults()
        return cleaned


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    form = RuleSetForm
    list_display = ["plan", "qualification", "template", "is_active", "updated_at"]
    list_filter = ["template", "is_active", "plan__year"]
    search_fields = ["plan__code", "plan__title", "qualification__name"]
    autocomplete_fields = ["plan", "qualification"]
    filter_horizontal = ["honour_categories"]
    readonly_fields = ["template_description"]

    @admin.display(description="模板说明")
    def template_description(self, obj: RuleSet | None) -> str:
        if obj is None or not obj.template:
            return "保存后按模板的文件规定值生成阈值参数，再逐项调整。"
        t = get_template(obj.template)
        return f"{t.description}（依据：{t.document}）"

    def _specs(self, obj: RuleSet | None) -> tuple[ParamSpec, ...]:
        if obj is None or not obj.pk or not obj.template:
            return ()
        return get_template(obj.template).params

    def get_form(self, request, obj=None, change=False, **kwargs):
        specs = self._specs(obj)
        attrs = {_param_field_name(spec.key): _param_field(spec) for spec in specs}
        attrs["param_specs"] = specs
        kwargs["form"] = type("RuleSetParamsForm", (RuleSetForm,), attrs)
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        base = [
            (
                None,
                {
                    "fields": [
                        "plan",
                        "qualification",
                        "template",
                        "template_description",
                        "document_no",
                        "is_active",
                        "note",
                    ]
                },
            ),
            ("破格B类荣誉项目清单（附件2）", {"fields": ["honour_categories"], "classes": ["collapse"]}),
        ]
        specs = self._specs(obj)
        if specs:
            base.append(("阈值参数", {"fields": [_param_field_name(spec.key) for spec in specs]}))
        return base

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        if change and "template" in form.changed_data:
            messages.info(request, "规则模板已更换，阈值参数已重置为新模板的文件规定值。")
        super().save_model(request, obj, form, change)


@admin.register(HonourCategory)
class HonourCategoryAdmin(admin.ModelAdmin):
    list_display = ["position", "name", "code"]
    list_display_links = ["name"]
    search_fields = ["name", "code"]


@admin.register(EnterpriseHonour)
class EnterpriseHonourAdmin(admin.ModelAdmin):
    list_display = ["organisation", "title", "category", "level", "issued_on", "document_no"]
    list_filter = ["level", "category"]
    search_fields = ["organisation__name", "organisation__credit_code", "title", "document_no"]
    autocomplete_fields = ["organisation"]
    date_hierarchy = "issued_on"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ExceptionalBReservation)
class ExceptionalBReservationAdmin(admin.ModelAdmin):
    """Read-only and never deleted: places are taken and released by the recommendation workflow
    (rules.services); deleting one would give a place back without releasing it."""

    list_display = ["plan", "enterprise", "slot", "quota", "application_id", "reserved_at", "released_at"]
    list_filter = ["plan"]
    search_fields = ["enterprise__name", "application_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class IntegrityRecordForm(forms.ModelForm):
    # Not a column (the record keeps it sealed): entered once, on creation, and shown masked after.
    id_number = forms.CharField(label=_("证件号码"), max_length=24)

    class Meta:
        model = IntegrityRecord
        fields = [
            "id_type",
            "name",
            "user",
            "kind",
            "finding",
            "decision_document",
            "decision_date",
            "review_year",
            "plan",
            "level",
        ]

    field_order = ["id_type", "id_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            del self.fields["id_number"]


# Derived by rules.integrity_record_create (the ban years and the credit-record term), or what
# they are derived from, or set by integrity_record_withdraw: never edited after creation.
_INTEGRITY_DERIVED = [
    "ban_first_year",
    "ban_last_year",
    "credit_record_until",
    "withdrawn_at",
    "withdrawn_reason",
    "created_at",
    "created_by",
]
_INTEGRITY_INPUTS = ["id_type", "id_number_masked", "review_year", "level", "decision_date"]


@admin.register(IntegrityRecord)
class IntegrityRecordAdmin(NoDelete, SaveFormFieldsOnly, admin.ModelAdmin):
    """A record is created through rules.services (which derives the ban years and the credit-record
    term) and withdrawn through it, never deleted: a withdrawn record is kept. After creation only its
    description (name, account, kind, finding, decision document, plan) may be corrected; a wrong
    person, year, level or decision date is corrected by withdrawing the record and entering a new one."""

    form = IntegrityRecordForm
    list_display = [
        "name",
        "id_number_masked",
        "kind",
        "review_year",
        "level",
        "ban_first_year",
        "ban_last_year",
        "credit_record_until",
        "withdrawn_at",
    ]
    list_filter = ["kind", "review_year", "level"]
    # A number is found whole, through its keyed hash (get_search_results); never by a part of it.
    search_fields = ["name", "decision_document"]
    autocomplete_fields = ["user", "plan"]
    action_form = ReasonActionForm
    actions = ["withdraw"]

    def get_readonly_fields(self, request, obj=None):
        return _INTEGRITY_DERIVED if obj is None else _INTEGRITY_INPUTS + _INTEGRITY_DERIVED

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if obj is None else [f for f in fields if f != "id_number"]

    def get_search_results(self, request, queryset, search_term):
        found, duplicates = super().get_search_results(request, queryset, search_term)
        digest = id_digest(search_term)
        if digest:
            found |= queryset.filter(id_number_digest=digest)
        return found, duplicates

    @admin.display(description=_("证件号码"))
    def id_number_masked(self, record: IntegrityRecord) -> str:
        return record.id_number_masked

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # New records go through the service, which derives the ban years and the credit-record term.
        record = integrity_record_create(
            **{name: form.cleaned_data[name] for name in ["id_number", *IntegrityRecordForm.Meta.fields]},
            actor=request.user,
        )
        obj.pk = record.pk
        obj._state.adding = False
        for name in (
            "ban_first_year",
            "ban_last_year",
            "credit_record_until",
            "id_number_sealed",
            "id_number_digest",
        ):
            setattr(obj, name, getattr(record, name))

    # The service checks no role, so the action asks for the admin's right to change records.
    @admin.action(description="撤销所选诚信记录（保留记录，不再限制申报）", permissions=["change"])
    def withdraw(self, request, queryset):
        reason = action_reason(request) or f"管理员{request.user}撤销"
        already = queryset.filter(withdrawn_at__isnull=False).count()
        if already:
            messages.warning(request, f"{already}条记录此前已撤销，未再处理。")
        take_moves(
            self,
            request,
            queryset.filter(withdrawn_at__isnull=True),
            lambda record: integrity_record_withdraw(record=record, reason=reason, actor=request.user),
            done="已撤销诚信记录",
        )
