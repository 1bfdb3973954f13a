from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rules.models import IntegrityRecord


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("证书编号"), max_length=40, required=False)
    name = forms.CharField(label=_("持证人姓名（选填，填写后显示更多信息）"), max_length=60, required=False)
    c = forms.CharField(required=False, max_length=4000, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        data["number"] = "".join((data.get("number") or "").split())
        if not data["number"] and not data.get("c"):
            self.add_error("number", _("请输入证书编号。"))
        elif data["number"] and not data["number"].isdigit():
            self.add_error("number", _("证书编号应为数字。"))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写原因。")},
    )


class RevokeForm(ReasonForm):
    kind = forms.ChoiceField(
        label=_("情形"), choices=IntegrityRecord.Kind.choices, initial=IntegrityRecord.Kind.FALSE_MATERIALS
    )
    decision_document = forms.CharField(
        label=_("处理决定文号"), max_length=120, error_messages={"required": _("请填写处理决定文号。")}
    )
    decision_date = forms.DateField(
        label=_("决定日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("请填写决定日期。"), "invalid": _("决定日期格式应为YYYY-MM-DD。")},
    )


class IssueForm(forms.Form):
    approval_doc_no = forms.CharField(
        label=_("批准文号"), max_length=60, error_messages={"required": _("请填写批准文号。")}
    )
    approval_date = forms.DateField(
        label=_("批准日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("请填写批准日期。"), "invalid": _("批准日期格式应为YYYY-MM-DD。")},
    )
