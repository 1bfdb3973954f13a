"""Conditions about the applicant's employer: the kind of organisation, the honours it holds and the
破格B recommendation quota. The facts come from the portal's registry through EvalContext.employer."""

from __future__ import annotations

import datetime as dt

from .context import EmployerInfo, EvalContext, HonourInfo, RuleSetData
from .dates import cn_date, monthday
from .result import MET, NEEDS_EVIDENCE, NOT_MET, ConditionResult

HONOUR_LEVEL_LABEL = {"national": "国家级", "provincial": "省级"}


def credit_code_kind(code: str | None) -> str:
    """The registering authority of a unified social credit code (GB 32100-2015, 登记管理部门码 and
    机构类别码): 9x 市场监管 (企业、个体工商户、农民专业合作社), 12 事业单位, 11 机关, 5x 社会组织."""
    if not code:
        return ""
    if code.startswith("9"):
        return "enterprise"
    if code.startswith("12"):
        return "public_institution"
    if code.startswith("11"):
        return "government"
    if code.startswith("5"):
        return "social_org"
    return "other"


KIND_LABEL = {
    "enterprise": "企业",
    "public_institution": "事业单位",
    "government": "机关",
    "social_org": "社会组织",
    "other": "其他机构",
}


def _employer_name(e: EmployerInfo | None) -> str:
    if e is None:
        return "现工作单位"
    return e.name or e.credit_code or "现工作单位"


def enterprise_condition(ctx: EvalContext, *, code: str, text: str, source: str) -> ConditionResult:
    """Enterprise staff only, not public institutions (seed 001 三（二）)."""
    e = ctx.employer
    if e is None or (not e.registered and not e.credit_code):
        return ConditionResult(
            code, text, NEEDS_EVIDENCE, "档案未填写现工作单位统一社会信用代码，单位性质待核实", source
        )
    kind = e.kind if e.registered else credit_code_kind(e.credit_code)
    how = "平台登记" if e.registered else "按统一社会信用代码判断"
    if kind == "enterprise":
        return ConditionResult(code, text, MET, f"{_employer_name(e)}：企业（{how}）", source)
    if kind in KIND_LABEL:
        return ConditionResult(
            code, text, NOT_MET, f"{_employer_name(e)}：{KIND_LABEL[kind]}（{how}）", source
        )
    return ConditionResult(code, text, NEEDS_EVIDENCE, f"{_employer_name(e)}：单位性质待核实", source)


def private_enterprise_condition(ctx: EvalContext, *, code: str, text: str, source: str) -> ConditionResult:
    """民营工业企业 (seed 003 一（一）, 附件1 二（二）1): the portal knows 民营 only for registered
    organisations."""
    e = ctx.employer
    if e is None or (not e.registered and not e.credit_code):
        return ConditionResult(
            code, text, NEEDS_EVIDENCE, "档案未填写现工作单位统一社会信用代码，单位性质待核实", source
        )
    kind = e.kind if e.registered else credit_code_kind(e.credit_code)
    if kind != "enterprise":
        return ConditionResult(
            code, text, NOT_MET, f"{_employer_name(e)}：{KIND_LABEL.get(kind, '非企业')}", source
        )
    if e.registered and e.is_private:
        return ConditionResult(code, text, MET, f"{_employer_name(e)}：民营企业（平台登记）", source)
    return ConditionResult(
        code, text, NEEDS_EVIDENCE, f"{_employer_name(e)}：企业，是否为民营工业企业待单位审核确认", source
    )


def honour_window(rs: RuleSetData) -> tuple[dt.date, dt.date]:
    """Seed 003 附件1 二（二）2 B类: documents issued from 1 July of the previous year to 30 June of this
    year, valid for one year."""
    return monthday(rs.year - 1, rs.p("b.window_start")), monthday(rs.year, rs.p("b.window_end"))


def valid_honours(rs: RuleSetData, employer: EmployerInfo | None) -> list[HonourInfo]:
    if employer is None:
        return []
    start, end = honour_window(rs)
    codes = {code for code, _ in rs.honour_categories}
    return [h for h in employer.honours if start <= h.issued_on <= end and h.category_code in codes]


def quota_for(rs: RuleSetData, honours: list[HonourInfo]) -> tuple[int, str]:
    """An enterprise with a national honour may recommend up to 3, with only provincial ones up to 2.
    Holding both gives the larger quota, not the sum (domain.md (g) 12; docs/eligibility.md)."""
    if any(h.level == "national" for h in honours):
        return rs.p("b.quota_national"), "national"
    if honours:
        return rs.p("b.quota_provincial"), "provincial"
    return 0, ""


def honour_condition(rs: RuleSetData, ctx: EvalContext, *, source: str) -> ConditionResult:
    start, end = honour_window(rs)
    text = (
        f"所在企业获得省级及以上工业和信息化领域相关荣誉项目（附件2所列），发文时间在{cn_date(start)}至"
        f"{cn_date(end)}之间"
    )
    e = ctx.employer
    if e is None or not e.registered:
        figures = "未能在平台中确定所在企业（档案未填写或平台未登记其统一社会信用代码），荣誉待核实"
        return ConditionResult("honour", text, NEEDS_EVIDENCE, figures, source)
    honours = valid_honours(rs, e)
    if not honours:
        other = [h for h in e.honours if not start <= h.issued_on <= end]
        figures = f"{_employer_name(e)}在有效期内没有附件2所列荣誉的登记"
        if other:
            figures += (
                "（另有有效期外的荣誉："
                + "；".join(f"{h.title}，{cn_date(h.issued_on)}" for h in other[:3])
                + "）"
            )
        figures += "；如已获得，请由区人力社保部门登记"
        return ConditionResult("honour", text, NOT_MET, figures, source)
    figures = f"{_employer_name(e)}：" + "；".join(
        f"{HONOUR_LEVEL_LABEL.get(h.level, '')}{h.category_name}“{h.title}”"
        f"（{h.document_no}，{cn_date(h.issued_on)}）"
        for h in honours[:3]
    )
    return ConditionResult("honour", text, MET, figures, source)


def quota_condition(rs: RuleSetData, ctx: EvalContext, *, source: str) -> ConditionResult:
    national, provincial = rs.p("b.quota_national"), rs.p("b.quota_provincial")
    text = f"企业推荐名额：获国家级荣誉企业推荐不超过{national}人，省级荣誉企业不超过{provincial}人"
    e = ctx.employer
    honours = valid_honours(rs, e)
    quota, _level = quota_for(rs, honours)
    if e is None or not e.registered:
        return ConditionResult("quota", text, NEEDS_EVIDENCE, "未能在平台中确定所在企业，名额待核实", source)
    if not honours:
        return ConditionResult(
            "quota",
            text,
            NOT_MET,
            f"{_employer_name(e)}没有有效期内的附件2所列荣誉，无破格B类推荐名额",
            source,
        )
    if ctx.reservation_slot is not None:
        return ConditionResult(
            "quota",
            text,
            MET,
            f"已占用{_employer_name(e)}第{ctx.reservation_slot}个名额（共{quota}个）",
            source,
        )
    used = e.quota_used
    if used < quota:
        return ConditionResult(
            "quota",
            text,
            MET,
            f"{_employer_name(e)}已推荐{used}人，名额{quota}人，尚余{quota - used}个（单位推荐时占用名额）",
            source,
        )
    return ConditionResult(
        "quota", text, NOT_MET, f"{_employer_name(e)}已推荐{used}人，名额{quota}人，已满", source
    )
