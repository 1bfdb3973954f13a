from __future__ import annotations

import copy
import datetime as dt

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from portal import clock
from portal.form_rendering import OPTION_TEMPLATE, render_input, render_options, render_select
from portal.models import ReviewPlan

from .forms import DateInput
from .returns import ItemKind, Reason


def _blank_options(choices) -> list[dict]:
    """A select's options with no value given, as Django's widget context has them: the first option
    whose value is the empty string selected."""
    options, chosen = [], False
    for value, label in choices:
        selected = not chosen and str(value) == ""
        chosen |= selected
        attrs = {"selected": True} if selected else {}
        options.append({"value": value, "label": label, "attrs": attrs, "template_name": OPTION_TEMPLATE})
    return options


def _row_field(field: forms.Field, label: str, aria_label: str) -> forms.Field:
    """The field of one row: a copy of the form's one field of its kind with the row's label and its own
    widget (an aria-label first, then what the field adds, as the field's constructor orders them). The
    choices, validators and messages are shared: nothing changes them once built. Sixty rows copy two
    fields instead of constructing sixty."""
    row = copy.copy(field)
    row.label = label
    row.widget = copy.copy(field.widget)
    row.widget.attrs = {"aria-label": aria_label, **field.widget.attrs}
    return row


class _DefectRows(forms.Form):
    """One row per item of the application (returns.items_for): a coded reason and words, so that a
    return names every defect at once (一次性告知). A material or section row with words but no coded
    reason stays a free-text item, the shape returns had before coded reasons."""

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.return_items = list(items)
        reason = forms.ChoiceField(required=False, choices=[("", "—"), *Reason.choices], widget=forms.Select)
        words = forms.CharField(
            required=False,
            max_length=300,
            help_text=_("如需修改，写明理由；无问题留空"),
            widget=forms.TextInput,
        )
        for item in self.return_items:
            self.fields[f"reason_{item.code}"] = _row_field(
                reason, item.label, f"{item.label}：{_('退回原因')}"
            )
            self.fields[f"item_{item.code}"] = _row_field(words, item.label, f"{item.label}：{_('具体说明')}")

    def rows(self):
        """(item, reason widget, words widget) per item. The form as a page first shows it (unbound, no
        initial values) writes its widgets straight from the fields, the options written once for all
        rows: the same HTML as the bound fields render (tests/applications/test_return_form_rows.py),
        without sixty bound fields and a dict per option. Shown again with the user's input and errors,
        the bound fields render it as Django does."""
        if self.is_bound or self.initial or not self.auto_id:
            return [
                (item, self[f"reason_{item.code}"], self[f"item_{item.code}"]) for item in self.return_items
            ]
        if not self.return_items:
            return []
        choices = self.fields[f"reason_{self.return_items[0].code}"].choices
        options = render_options([(None, _blank_options(choices), 0)])
        return [
            (
                item,
                mark_safe(render_select(self._blank(f"reason_{item.code}"), options)),
                mark_safe(render_input({**self._blank(f"item_{item.code}"), "type": "text", "value": None})),
            )
            for item in self.return_items
        ]

    def free_text(self) -> list:
        """The bound free-text field shown above the rows (the return's note, or its reason)."""
        return [self[name] for name in ("note", "reason") if name in self.fields]

    def _blank(self, name: str) -> dict:
        """The widget context Django builds for the unbound field: its name and attributes."""
        field, html_name = self.fields[name], self.add_prefix(name)
        auto_id = self.auto_id % html_name if "%s" in str(self.auto_id) else html_name
        attrs = dict(field.widget.attrs)
        if field.help_text and "aria-describedby" not in attrs:
            attrs["aria-describedby"] = f"{auto_id}_helptext"
        attrs.setdefault("id", auto_id)
        return {"name": html_name, "attrs": attrs}

    def _free_text(self, item) -> bool:
        return (
            item.kind in (ItemKind.MATERIAL, ItemKind.SECTION)
            and not self.cleaned_data[f"reason_{item.code}"]
        )

    def items(self) -> dict[str, str]:
        return {
            item.code: self.cleaned_data[f"item_{item.code}"]
            for item in self.return_items
            if self._free_text(item) and self.cleaned_data[f"item_{item.code}"]
        }

    def defects(self) -> list[dict]:
        defects = []
        for item in self.return_items:
            reason = self.cleaned_data[f"reason_{item.code}"]
            text = self.cleaned_data[f"item_{item.code}"]
            if reason or (text and not self._free_text(item)):
                defects.append(
                    {"kind": item.kind, "item": item.code, "reason": reason or Reason.OTHER, "text": text}
                )
        return defects


class ReturnForm(_DefectRows):
    note = forms.CharField(label=_("退回说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnReasonForm(_DefectRows):
    """The bureau's and the committee's return: a reason, the coded defects, or both."""

    reason = forms.CharField(
        label=_("退回理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("意见"), required=False, max_length=500)


class PublicityForm(forms.Form):
    title = forms.CharField(label=_("公示标题"), max_length=200)
    posted_on = forms.DateField(label=_("公示发布日期"), widget=DateInput())
    working_days = forms.IntegerField(label=_("公示工作日数"), min_value=5, max_value=30, initial=5)
    contact = forms.CharField(label=_("异议受理联系方式"), max_length=120, required=False)
    body = forms.CharField(label=_("公示说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class EntrustForm(forms.Form):
    to_plan = forms.ModelChoiceField(
        queryset=ReviewPlan.objects.filter(status=ReviewPlan.Status.PUBLISHED), label=_("受托评审计划")
    )
    letter_no = forms.CharField(label=_("委托评审函文号"), max_length=60)
    letter_date = forms.DateField(label=_("委托评审函日期"), widget=DateInput())
    letter = forms.FileField(label=_("委托评审函扫描件"), required=False)

    def clean_letter_date(self):
        value = self.cleaned_data["letter_date"]
        if value > clock.today() + dt.timedelta(days=1):
            raise forms.ValidationError(_("委托评审函日期不能晚于今天。"))
        return value


class ObjectionForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("异议人姓名（实名）"), max_length=60)
    contact = forms.CharField(label=_("联系电话或邮箱"), max_length=120)
    reason = forms.CharField(label=_("异议事由"), widget=forms.Textarea(attrs={"rows": 4}), max_length=3000)
    evidence = forms.FileField(label=_("证明材料（可选，PDF/JPEG/PNG）"), required=False)
    # Abuse guard without a captcha: a field people do not see and a signed form-render time.
    website = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        label=_("请勿填写此项"),
    )
    issued = forms.CharField(widget=forms.HiddenInput)


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[("dismissed", _("异议不成立")), ("upheld", _("异议成立"))], label=_("调查结论")
    )
    reason = forms.CharField(
        label=_("调查处理结果"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    false_materials = forms.BooleanField(label=_("经查提供虚假材料（记入诚信档案）"), required=False)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("授权委托书（PDF/JPEG/PNG）"))
