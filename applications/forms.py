from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import Organisation, Qualification, ReviewPlan, Specialty, SubSpecialty
from rules.vocab import DeclarationType

from .models import (
    Achievement,
    AnnualAssessment,
    Application,
    Archive,
    Channel,
    ContinuingEducation,
    Education,
    Evidence,
    SkillCertificate,
    SocialInsuranceRecord,
    TitleHeld,
    WorkPeriod,
)
from .services import CHANNEL_ORG_KINDS
from .states import State


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class IdentityForm(forms.ModelForm):
    # Not a column: the archive keeps the number sealed (Archive.id_number); the applicant sees their own.
    id_number = forms.CharField(label=_("证件号码"), max_length=24, required=False)

    class Meta:
        model = Archive
        fields = [
            "name",
            "gender",
            "id_type",
            "birth_date",
            "nationality",
            "phone",
            "email",
            "current_employer",
            "current_employer_name",
        ]
        widgets = {"birth_date": DateInput()}

    field_order = ["name", "gender", "id_type", "id_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("id_number", self.instance.id_number)
        self.fields["current_employer"].queryset = Organisation.objects.filter(
            kind__in=[k for kinds in CHANNEL_ORG_KINDS.values() for k in kinds], is_active=True
        )
        self.fields["current_employer"].required = False


def _entry_form(model, field_names, date_fields=()):
    meta = type(
        "Meta",
        (),
        {"model": model, "fields": field_names, "widgets": {name: DateInput() for name in date_fields}},
    )
    return type(f"{model.__name__}Form", (forms.ModelForm,), {"Meta": meta})


class EntryKind:
    def __init__(self, slug, model, label, fields, dates=(), columns=None):
        self.slug, self.model, self.label = slug, model, label
        self.form_class = _entry_form(model, fields, dates)
        self.columns = columns or fields[:4]


# The archive's sections, in the order the editor shows them.
ENTRY_KINDS = {
    k.slug: k
    for k in [
        EntryKind(
            "educations",
            Education,
            _("学历"),
            [
                "level",
                "school",
                "major",
                "start_date",
                "graduation_date",
                "degree",
                "study_mode",
                "technical_class",
                "origin",
                "certification_no",
            ],
            ("start_date", "graduation_date"),
            ["level", "school", "major", "graduation_date"],
        ),
        EntryKind(
            "work_periods",
            WorkPeriod,
            _("工作经历"),
            ["employer_name", "start", "end", "post", "professional", "skilled"],
            ("start", "end"),
            ["employer_name", "start", "end", "post"],
        ),
        EntryKind(
            "titles",
            TitleHeld,
            _("专业技术资格"),
            [
                "series",
                "qualification",
                "name",
                "level",
                "obtained_date",
                "appointed_date",
                "method",
                "issuer",
                "certificate_no",
            ],
            ("obtained_date", "appointed_date"),
            ["qualification", "level", "obtained_date", "method"],
        ),
        EntryKind(
            "skill_certificates",
            SkillCertificate,
            _("职业资格/技能等级"),
            ["level", "occupation", "obtained_date", "certificate_no"],
            ("obtained_date",),
        ),
        EntryKind("assessments", AnnualAssessment, _("年度考核"), ["year", "grade", "employer_name"]),
        EntryKind(
            "ce_hours",
            ContinuingEducation,
            _("继续教育学时"),
            ["year", "public_hours", "industry_public_hours", "professional_hours"],
        ),
        EntryKind(
            "achievements",
            Achievement,
            _("业绩成果"),
            [
                "kind",
                "title",
                "date",
                "end_date",
                "level",
                "rank",
                "role",
                "patent_type",
                "issuer",
                "issuer_is_government",
                "reference_no",
                "description",
            ],
            ("date", "end_date"),
            ["kind", "title", "date", "level"],
        ),
        EntryKind(
            "social_insurance",
            SocialInsuranceRecord,
            _("社保缴纳记录"),
            ["year", "employer_name", "months", "province"],
        ),
    ]
}


class PlanChoicesMixin:
    """Offer (and accept) only the chosen plan's qualifications, specialties and sub-specialties, or
    those of the plans offered while none is chosen; another plan's is a field error here, before the
    service repeats the check."""

    def limit_to_plan(self) -> None:
        value = self.data.get(self.add_prefix("plan")) if self.is_bound else self.initial.get("plan")
        plans = self.fields["plan"].queryset
        if str(value or "").isdigit() and plans.filter(pk=value).exists():
            plans = plans.filter(pk=value)
        qualifications = Qualification.objects.filter(
            Q(pk__in=plans.values("qualifications")) | Q(pk__in=plans.values("recommend_qualifications"))
        )
        self.fields["qualification"].queryset = qualifications
        if "specialty" in self.fields:
            specialties = Specialty.objects.filter(pk__in=plans.values("specialties"))
            self.fields["specialty"].queryset = specialties
            self.fields["sub_specialty"].queryset = SubSpecialty.objects.filter(specialty__in=specialties)


class ApplicationCreateForm(PlanChoicesMixin, forms.Form):
    plan = forms.ModelChoiceField(queryset=ReviewPlan.objects.none(), label=_("评审计划"))
    qualification = forms.ModelChoiceField(
        queryset=Qualification.objects.none(),
        label=_("申报资格"),
        error_messages={"invalid_choice": _("所选评审计划不评审或推荐该资格。")},
    )
    specialty = forms.ModelChoiceField(
        queryset=Specialty.objects.none(),
        label=_("申报专业"),
        error_messages={"invalid_choice": _("所选评审计划不含该专业。")},
    )
    sub_specialty = forms.ModelChoiceField(
        queryset=SubSpecialty.objects.none(),
        label=_("子专业"),
        required=False,
        error_messages={"invalid_choice": _("该子专业不属于所选评审计划的专业。")},
    )
    declaration_type = forms.ChoiceField(choices=DeclarationType.choices, label=_("申报类型"))
    exceptional_class = forms.ChoiceField(
        choices=[("", "—"), ("A", _("A类")), ("B", _("B类"))], required=False, label=_("破格类别")
    )
    specialty_matches = forms.BooleanField(required=False, initial=True, label=_("所学专业与申报专业对口"))
    channel = forms.ChoiceField(choices=Channel.choices, label=_("申报渠道"))
    recommending_org = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(
            kind__in=[k for ks in CHANNEL_ORG_KINDS.values() for k in ks], is_active=True
        ),
        label=_("推荐单位（用人单位/人事代理机构/派遣单位/受理服务点）"),
    )
    workplace = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        label=_("用工单位（仅劳务派遣人员）"),
    )

    def __init__(self, *args, plans=None, allowed_types=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plans is not None:
            self.fields["plan"].queryset = plans
        self.limit_to_plan()
        if allowed_types:
            # The self-check offers the declaration types this person can use (rules/).
            self.fields["declaration_type"].choices = [
                (value, label) for value, label in DeclarationType.choices if value in allowed_types
            ]


class SelfCheckForm(PlanChoicesMixin, forms.Form):
    plan = forms.ModelChoiceField(queryset=ReviewPlan.objects.none(), label=_("评审计划"))
    qualification = forms.ModelChoiceField(
        queryset=Qualification.objects.none(),
        label=_("申报资格"),
        error_messages={"invalid_choice": _("所选评审计划不评审或推荐该资格。")},
    )
    specialty_matches = forms.BooleanField(required=False, initial=True, label=_("所学专业与申报专业对口"))

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plans is not None:
            self.fields["plan"].queryset = plans
        self.limit_to_plan()


class ApplicationEditForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = [
            "sub_specialty",
            "declaration_type",
            "exceptional_class",
            "specialty_matches",
            "work_summary",
        ]
        widgets = {"work_summary": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sub_specialty"].queryset = SubSpecialty.objects.filter(specialty=self.instance.specialty)


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("文件（PDF、JPEG、PNG）"), error_messages={"required": _("请选择要上传的文件。")}
    )
    material_code = forms.CharField(required=False, widget=forms.HiddenInput)


class EvidenceAttachForm(forms.Form):
    """A file of the archive put on a checklist item (the applicant's own archive files only)."""

    source = forms.ModelChoiceField(
        label=_("从档案材料中选择"),
        queryset=Evidence.objects.none(),
        error_messages={
            "invalid_choice": _("请选择本人档案中的材料。"),
            "required": _("请选择档案中的材料。"),
        },
    )
    material_code = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, archive=None, **kwargs):
        super().__init__(*args, **kwargs)
        if archive is not None:
            self.fields["source"].queryset = archive.evidence.filter(application__isnull=True)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因"), required=False, max_length=500)


class OversightFilterForm(forms.Form):
    """The auditor's filter of the region's applications: a plan and a state, both optional."""

    plan = forms.ModelChoiceField(
        label=_("评审计划"), queryset=ReviewPlan.objects.order_by("-year", "code"), required=False
    )
    state = forms.ChoiceField(label=_("状态"), choices=[("", _("全部"))] + State.choices, required=False)
