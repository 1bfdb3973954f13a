from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from applications.audit_forms import PublicityForm
from portal.models import Organisation, Specialty, TitleLevel

from .models import Attendance, Choice, ConflictKind, Meeting, PilotApplication

__all__ = ["PublicityForm"]


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("审查意见"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写理由。")},
    )


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("会议名称"), max_length=200)
    held_on = forms.DateField(
        label=_("会议日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("须在会议召开一周（7日）前创建。"),
    )
    place = forms.CharField(label=_("会议地点"), max_length=200, required=False)
    mode = forms.ChoiceField(label=_("评审方式"), choices=Meeting.Mode.choices)
    level = forms.TypedChoiceField(label=_("评审最高层级"), choices=TitleLevel.choices, coerce=int)
    panel_size = forms.IntegerField(
        label=_("执行委员会人数"),
        required=False,
        min_value=5,
        max_value=99,
        help_text=_("单数；留空按本评委会的设置（初中级7人，高级11人）。"),
    )


class ApplicationsForm(forms.Form):
    """A posted list of application ids; the view resolves them through the access helper."""

    applications = forms.TypedMultipleChoiceField(label=_("申报"), choices=(), coerce=str)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].choices = [(str(pk), label) for pk, label in choices]
        self.fields["applications"].error_messages["required"] = _("请至少选择一份申报。")
        self.fields["applications"].error_messages["invalid_choice"] = _("所选申报不在可办理的名单中。")


class UnassignForm(ReasonForm):
    application = forms.UUIDField(widget=forms.HiddenInput, error_messages={"invalid": _("申报编号无效。")})


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("排除理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("排除系统比对出的冲突须填写理由。")},
    )


class AttendanceForm(forms.Form):
    """One row per panel expert: absent, on site, or remote (seed 002 远程评审)."""

    ABSENT = "absent"

    def __init__(self, *args, experts=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(self.ABSENT, _("缺席")), *Attendance.Mode.choices]
        for expert in experts:
            self.fields[f"expert_{expert.pk}"] = forms.ChoiceField(
                label=expert.name, choices=choices, initial=Attendance.Mode.ON_SITE
            )

    def present(self) -> dict[int, str]:
        return {
            int(name.split("_", 1)[1]): mode
            for name, mode in self.cleaned_data.items()
            if mode != self.ABSENT
        }


class RecusalForm(forms.Form):
    expert = forms.IntegerField(widget=forms.HiddenInput, required=False)
    application = forms.UUIDField(
        label=_("申报"), error_messages={"invalid": _("申报编号无效。"), "required": _("请选择申报。")}
    )
    reason = forms.CharField(
        label=_("回避理由"), max_length=300, error_messages={"required": _("请填写回避理由。")}
    )


class BallotForm(forms.Form):
    application = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={"invalid": _("申报编号无效。"), "required": _("申报编号无效。")},
    )
    choice = forms.ChoiceField(
        label=_("表决意见"),
        choices=Choice.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择同意、不同意或弃权。"),
            "invalid_choice": _("请选择同意、不同意或弃权。"),
        },
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("会议说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    allow_missing = forms.BooleanField(
        label=_("有专家未投票时仍结束表决（未投票不计为同意）"), required=False
    )


class FilingForm(forms.Form):
    title = forms.CharField(label=_("备案表标题"), max_length=200)


class ApproveForm(forms.Form):
    document_no = forms.CharField(
        label=_("核准文号"), max_length=60, error_messages={"required": _("请填写核准文号。")}
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("专家名单（Excel）"), error_messages={"required": _("请选择要导入的文件。")}
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("不能参会的理由"), max_length=300, error_messages={"required": _("请填写不能参会的理由。")}
    )


class DeclareForm(forms.Form):
    kind = forms.ChoiceField(label=_("回避类型"), choices=ConflictKind.choices)
    reason = forms.CharField(label=_("说明"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    relative_name = forms.CharField(label=_("亲属姓名"), max_length=60, required=False)
    relative_id_number = forms.CharField(label=_("亲属证件号码"), max_length=24, required=False)


class PilotForm(forms.ModelForm):
    specialties = forms.ModelMultipleChoiceField(
        label=_("拟开展评价专业"), queryset=Specialty.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    subsidiaries = forms.ModelMultipleChoiceField(
        label=_("拟列入评价的下属单位"),
        required=False,
        queryset=Organisation.objects.filter(kind="enterprise"),
    )

    class Meta:
        model = PilotApplication
        fields = [
            "industry",
            "address",
            "legal_rep_name",
            "legal_rep_post",
            "legal_rep_phone",
            "legal_rep_mobile",
            "contact_name",
            "contact_post",
            "contact_phone",
            "contact_mobile",
            "staff_senior",
            "staff_deputy_senior",
            "staff_intermediate",
            "staff_junior",
            "introduction",
            "specialties",
            "other_specialties",
            "subsidiaries",
        ]


class PilotDistrictAuditForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结论"), choices=[("approve", _("同意")), ("reject", _("不同意"))]
    )
    opinion = forms.CharField(label=_("审核意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class PilotFileForm(forms.Form):
    document_no = forms.CharField(label=_("备案文号"), max_length=60)


class AuthorityStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"),
        choices=[("suspended", _("暂停评审")), ("withdrawn", _("收回评审权")), ("active", _("恢复"))],
    )
    reason = forms.CharField(label=_("理由"), max_length=1000, required=False)


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("电子邮箱"),
        error_messages={"required": _("请填写专家的电子邮箱。"), "invalid": _("请填写有效的电子邮箱。")},
    )


class ExpertSignupForm(UserCreationForm):
    """The invited expert chooses a username and password; the e-mail is the invitation's."""

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username",)
