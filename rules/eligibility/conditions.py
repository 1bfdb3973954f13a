"""Condition builders shared by the templates. Each returns a ConditionResult whose figures say what
was compared: the education, the years counted, the threshold and the counting date.

Status policy (docs/eligibility.md "Met, not met, needs evidence"):
- met: settled by the archive's structured data (dates, education tiers, titles, certificates, grades,
  hours, typed and ranked achievements);
- needs_evidence: the wording asks for a judgement ("主要", "贡献突出", "有价值") and the archive holds
  an entry that could satisfy it, so a reviewer must look at the materials;
- not_met: the archive holds nothing that could satisfy it, or the figures fall short.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rules.vocab import GRADE_RANK, AssessmentGrade, EducationLevel

from .archive import EDUCATION_LABEL, EDUCATION_RANK, Achievement, Education, Title
from .context import EvalContext, RuleSetData
from .dates import Duration, add_years, cn_date
from .facts import ACHIEVEMENT_LEVEL_LABEL, SKILL_LABEL, Facts
from .result import MET, NEEDS_EVIDENCE, NOT_MET, ConditionResult, RouteResult, all_of
from .template_spec import LEVEL_NAME

GRADE_LABEL = {
    AssessmentGrade.EXCELLENT: "优秀",
    AssessmentGrade.GOOD: "良好（称职）",
    AssessmentGrade.QUALIFIED: "合格",
    AssessmentGrade.BASIC: "基本合格",
    AssessmentGrade.UNQUALIFIED: "不合格",
}
_STATUS_ORDER = {MET: 0, NEEDS_EVIDENCE: 1, NOT_MET: 2}


def years_text(dur: Duration, need: int, as_of: dt.date, *, what: str, note: str = "") -> str:
    text = f"{what}{dur}，需满{need}年{note}，截至{cn_date(as_of)}"
    if not dur.reaches(need) and need > 0:
        reach = dur.reached_on(need)
        if reach is not None:
            text += f"；按目前工作连续计算，{cn_date(reach)}满{need}年（可参加{reach.year}年度评审）"
    return text


def _reached(dur: Duration, need: int) -> bool:
    return need <= 0 or dur.reaches(need)


def extra_note(extra: int) -> str:
    return f"（专业不对口，年限增加{extra}年）" if extra else ""


# ---------------------------------------------------------------- common conditions


def current_post(f: Facts, *, text: str, source: str, code: str = "post") -> ConditionResult:
    """现职: an open-ended period of professional work, or of skilled technical work (技术技能工作, the
    work of the skills-talent route)."""
    period = f.current_professional_period
    kind = "专业技术工作"
    if period is None:
        period = f.current_skilled_period
        kind = "技术技能工作"
    if period is None:
        return ConditionResult(code, text, NOT_MET, "档案中没有“至今”的专业技术或技术技能工作经历", source)
    where = period.employer_name or "现单位"
    post = f"，岗位：{period.post}" if period.post else ""
    return ConditionResult(code, text, MET, f"{where}（{cn_date(period.start)}至今）从事{kind}{post}", source)


def assessments(
    f: Facts, rs: RuleSetData, *, text: str, source: str, code: str = "assessment"
) -> ConditionResult:
    """Each of the last N years graded at least the minimum (合格以上 = 合格 or better)."""
    years, offset, min_grade = (
        rs.p("assessment.years"),
        rs.p("assessment.last_offset"),
        rs.p("assessment.min_grade"),
    )
    last = rs.year - offset
    window = list(range(last - years + 1, last + 1))
    by_year = {a.year: a.grade for a in f.archive.assessments}
    parts, missing, low = [], [], []
    for year in window:
        grade = by_year.get(year)
        if grade is None:
            missing.append(year)
            parts.append(f"{year}年缺少")
        else:
            parts.append(f"{year}年{GRADE_LABEL[grade]}")
            if GRADE_RANK[grade] < GRADE_RANK[min_grade]:
                low.append(year)
    figures = "、".join(parts) + f"；需逐年{GRADE_LABEL[min_grade]}（含）以上"
    if missing:
        figures += "；缺少" + "、".join(f"{y}年" for y in missing) + "考核结果（需逐年填写，不得合并）"
    if low:
        figures += "；" + "、".join(f"{y}年" for y in low) + f"低于{GRADE_LABEL[min_grade]}"
    return ConditionResult(code, text, NOT_MET if missing or low else MET, figures, source)


def ce_hours(
    f: Facts,
    rs: RuleSetData,
    *,
    total: int,
    professional: int,
    public: int,
    text: str,
    source: str,
    code: str = "ce",
) -> ConditionResult:
    """Continuing-education hours over the window; 公需 counts general plus industry public hours."""
    years, offset = rs.p("ce.years"), rs.p("ce.last_offset")
    last = rs.year - offset
    first = last - years + 1
    rows = [c for c in f.archive.ce_hours if first <= c.year <= last]
    got_total = sum(c.total for c in rows)
    got_prof = sum(c.professional for c in rows)
    got_public = sum(c.public + c.industry_public for c in rows)
    figures = (
        f"{first}—{last}年合计{got_total}学时（专业科目{got_prof}、公需科目{got_public}），"
        f"需不少于{total}学时（专业科目不少于{professional}、公需科目不少于{public}）"
    )
    short = []
    if got_total < total:
        short.append(f"合计差{total - got_total}学时")
    if got_prof < professional:
        short.append(f"专业科目差{professional - got_prof}学时")
    if got_public < public:
        short.append(f"公需科目差{public - got_public}学时")
    if short:
        figures += "；" + "，".join(short)
    return ConditionResult(code, text, NOT_MET if short else MET, figures, source)


def integrity(rs: RuleSetData, ctx: EvalContext, *, source: str, code: str = "integrity") -> ConditionResult:
    """Seed 003 四: false materials → no declaration of a higher title for 3 years from the year after the
    review. A ban recorded at level L covers declarations of level L and above."""
    text = "无因提供虚假材料等被禁止申报高一级职称的记录"
    hits = [
        b for b in ctx.bans if b.first_year <= rs.year <= b.last_year and rs.qualification_level >= b.level
    ]
    if not hits:
        return ConditionResult(code, text, MET, f"{rs.year}年度无禁止申报记录", source)
    b = hits[0]
    doc = f"（{b.decision_document}）" if b.decision_document else ""
    figures = (
        f"{b.review_year}年度评审中被认定{b.finding or '提供虚假材料'}{doc}，"
        f"{b.first_year}—{b.last_year}年不得申报{LEVEL_NAME.get(b.level, '')}及以上职称"
    )
    return ConditionResult(code, text, NOT_MET, figures, source)


# ---------------------------------------------------------------- education × years


@dataclass(frozen=True)
class _Candidate:
    status: str
    figures: str
    surplus: int


def _pick(candidates: Sequence[_Candidate]) -> _Candidate:
    return min(candidates, key=lambda c: (_STATUS_ORDER[c.status], -c.surplus))


def row_for(education_rank: int, table: Mapping[str, int]) -> str | None:
    """The table row an education uses: the highest tier at or below it (a doctor uses the master row)."""
    fitting = [tier for tier in table if EDUCATION_RANK[tier] <= education_rank]
    return max(fitting, key=EDUCATION_RANK.get) if fitting else None


def education_years(
    f: Facts,
    *,
    code: str,
    text: str,
    source: str,
    table: Mapping[str, int],
    extra: int = 0,
    skilled: bool = False,
    what: str = "毕业后从事专业工作",
) -> ConditionResult:
    """ "<education> 毕业后从事专业工作满 N 年": counted after the graduation of that education, gaps
    excluded. Every education in the archive is tried against its row; the most favourable one is shown."""
    candidates: list[_Candidate] = []
    educations: list[Education | None] = list(f.educations)
    if not educations and EducationLevel.OTHER in table:
        educations = [None]  # no education recorded: the "其他学历" row counts all professional work
    for e in educations:
        rank = e.rank if e else EDUCATION_RANK[EducationLevel.OTHER]
        row = row_for(rank, table)
        if row is None:
            continue
        need = table[row] + extra
        label = e.label if e else "其他学历（档案未填学历）"
        if e is not None and e.graduation_date is None:
            candidates.append(_Candidate(NOT_MET, f"{label}：毕业时间未填写，无法计算毕业后年限", -(10**6)))
            continue
        since = e.graduation_date if e else None
        dur = f.skilled(since) if skilled else f.professional(since)
        ok = _reached(dur, need)
        grad = f"（{cn_date(e.graduation_date)}毕业）" if e else ""
        row_note = f"，按{EDUCATION_LABEL[row]}条件" if e and row != e.effective_level else ""
        figures = f"{label}{grad}{row_note}，" + years_text(
            dur, need, f.as_of, what=what, note=extra_note(extra)
        )
        status = MET if ok else NOT_MET
        if ok and e is not None and e.needs_foreign_certification:
            status = NEEDS_EVIDENCE
            figures += "；国（境）外学历需提供教育部留学服务中心认证书"
        candidates.append(_Candidate(status, figures, dur.days - need * 366))
    if not candidates:
        lowest = min(table, key=EDUCATION_RANK.get)
        best = f.highest_education
        have = f"学历为{best.label}" if best else "档案中没有学历记录"
        return ConditionResult(
            code, text, NOT_MET, f"{have}，本条要求{EDUCATION_LABEL[lowest]}及以上学历", source
        )
    best = _pick(candidates)
    return ConditionResult(code, text, best.status, best.figures, source)


def education_at_least(f: Facts, *, code: str, text: str, source: str, level: str) -> ConditionResult:
    best = f.highest_education
    if best is None:
        return ConditionResult(code, text, NOT_MET, "档案中没有学历记录", source)
    ok = best.rank >= EDUCATION_RANK[level]
    figures = f"最高学历：{best.label}；本条要求{EDUCATION_LABEL[level]}及以上"
    status = MET if ok else NOT_MET
    if ok and best.needs_foreign_certification:
        status = NEEDS_EVIDENCE
        figures += "；国（境）外学历需提供教育部留学服务中心认证书"
    return ConditionResult(code, text, status, figures, source)


def education_below(f: Facts, *, code: str, text: str, source: str, level: str) -> ConditionResult:
    """ "不具备规定学历": the highest education is below ``level``."""
    best = f.highest_education
    if best is None:
        return ConditionResult(
            code, text, MET, f"档案中没有学历记录（规定学历：{EDUCATION_LABEL[level]}及以上）", source
        )
    ok = best.rank < EDUCATION_RANK[level]
    figures = f"最高学历：{best.label}；规定学历为{EDUCATION_LABEL[level]}及以上"
    return ConditionResult(code, text, MET if ok else NOT_MET, figures, source)


# ---------------------------------------------------------------- titles and skills


def title_start(title: Title, *, holding: bool) -> tuple[dt.date, str]:
    """ "取得…资格后" counts from the qualification date; "担任…职务" from the appointment date when one
    is recorded, else from the qualification date (private firms often do not appoint formally)."""
    if holding and title.appointed_date:
        return title.appointed_date, "聘任"
    return title.obtained_date, "取得"


def holds_title(
    f: Facts, *, code: str, text: str, source: str, level: int, label: str, want: bool = True
) -> ConditionResult:
    titles = f.titles_at(level)
    if titles:
        t = titles[0]
        figures = f"已取得{t.name or label}（{cn_date(t.obtained_date)}）"
    else:
        figures = f"档案中没有{label}资格"
    ok = bool(titles) == want
    return ConditionResult(code, text, MET if ok else NOT_MET, figures, source)


def title_years(
    f: Facts,
    *,
    code: str,
    text: str,
    source: str,
    level: int,
    label: str,
    need: int,
    holding: bool,
    what: str = "后从事专业工作",
) -> ConditionResult:
    titles = f.titles_at(level)
    if not titles:
        return ConditionResult(code, text, NOT_MET, f"档案中没有{label}资格", source)
    best: tuple[Duration, dt.date, str] | None = None
    for t in titles:
        start, how = title_start(t, holding=holding)
        dur = f.professional(start)
        if best is None or dur.days > best[0].days:
            best = (dur, start, how)
    dur, start, how = best
    figures = f"{label}（{cn_date(start)}{how}）" + years_text(dur, need, f.as_of, what=what)
    return ConditionResult(code, text, MET if _reached(dur, need) else NOT_MET, figures, source)


def skill_years(f: Facts, *, code: str, text: str, source: str, level: str, need: int) -> ConditionResult:
    """ "具有<技能等级>职业资格或职业技能等级后从事技术技能工作满N年" (higher grades count too)."""
    certs = f.skills_at_least(level)
    label = SKILL_LABEL[level]
    if not certs:
        return ConditionResult(
            code, text, NOT_MET, f"档案中没有{label}（或以上）职业资格或职业技能等级", source
        )
    cert = certs[0]
    dur = f.skilled(cert.obtained_date)
    figures = (
        f"{SKILL_LABEL[cert.level]}（{cn_date(cert.obtained_date)}取得"
        + (f"，{cert.occupation}" if cert.occupation else "")
        + "）"
        + years_text(dur, need, f.as_of, what="后从事技术技能工作")
    )
    return ConditionResult(code, text, MET if _reached(dur, need) else NOT_MET, figures, source)


# ---------------------------------------------------------------- achievements


MAIN_ROLE_WORDS = ("主持", "负责", "主要", "牵头", "第一", "总工", "主设计", "组长", "带头")


def is_main(a: Achievement) -> bool:
    return (a.rank is not None and a.rank <= 3) or any(w in a.role for w in MAIN_ROLE_WORDS)


def describe(a: Achievement) -> str:
    level = ACHIEVEMENT_LEVEL_LABEL.get(a.level, "")
    rank = f"，排名第{a.rank}" if a.rank else ""
    role = f"，{a.role}" if a.role else ""
    return f"{level}《{a.title}》（{cn_date(a.date)}{rank}{role}）"


def describe_all(items: Iterable[Achievement], limit: int = 3) -> str:
    items = list(items)
    text = "；".join(describe(a) for a in items[:limit])
    if len(items) > limit:
        text += f"等{len(items)}项"
    return text


def candidates_condition(
    code: str, text: str, source: str, candidates: Sequence[Achievement], *, none: str, check: str
) -> ConditionResult:
    """A condition that needs a reviewer's judgement: open when the archive holds candidate entries."""
    if not candidates:
        return ConditionResult(code, text, NOT_MET, none, source)
    return ConditionResult(
        code, text, NEEDS_EVIDENCE, f"档案登记：{describe_all(candidates)}；{check}", source
    )


def post_years(a: Achievement, as_of: dt.date) -> tuple[bool, bool]:
    """(held ≥3 years by as_of, still held)."""
    end = a.end_date or as_of
    return add_years(a.date, 3) <= min(end, as_of), a.end_date is None or a.end_date >= as_of


def level_name(level: int) -> str:
    return LEVEL_NAME.get(level, "")


def make_route(
    code: str,
    name: str,
    declaration_type: str,
    conditions: Sequence[ConditionResult],
    source: str,
    exceptional_class: str = "",
) -> RouteResult:
    return RouteResult(
        code=code,
        name=name,
        declaration_type=str(declaration_type),
        exceptional_class=exceptional_class,
        status=all_of(c.status for c in conditions),
        conditions=tuple(conditions),
        source=source,
    )
