"""Condition builders of the Shaoxing pilots (``shaoxing_2020``, seed 000): the common conditions, the
专业不对口 extra year and note, and the conditions the 中级 and 助级 route tables share or single out."""

from __future__ import annotations

from rules.vocab import AchievementKind, EducationLevel

from .archive import EDUCATION_RANK
from .conditions import (
    assessments,
    candidates_condition,
    current_post,
    education_at_least,
    education_years,
    integrity,
    title_years,
)
from .context import EvalContext, RuleSetData
from .facts import Facts
from .result import NOT_MET, ConditionResult


def common_conditions(f: Facts, rs: RuleSetData, ctx: EvalContext) -> list[ConditionResult]:
    common = [
        current_post(f, text="在工程技术类岗位工作", source=rs.src("三")),
        assessments(f, rs, text="近3年年度考核“合格”以上等次", source=rs.src("三")),
    ]
    if rs.p("integrity.enforce"):
        common.append(integrity(rs, ctx, source="虞人社职〔2023〕3号 四；浙人社发〔2020〕47号"))
    return common


def mismatch_extra_years(rs: RuleSetData, ctx: EvalContext) -> int:
    return 0 if ctx.specialty_matches else rs.p("mismatch_extra_years")


def skill_honour(
    f: Facts, rs: RuleSetData, *, code: str, text: str, clause: str, words: tuple[str, ...]
) -> ConditionResult:
    found = [
        a
        for a in f.achievements(AchievementKind.HONOUR, AchievementKind.AWARD)
        if any(w in a.title for w in words)
    ]
    return candidates_condition(
        code,
        text,
        rs.src(clause),
        found,
        none="档案中没有所列技能荣誉或竞赛名次",
        check="荣誉名称、竞赛类别及名次需凭证书核实",
    )


def mismatch_notes(rs: RuleSetData, ctx: EvalContext) -> list[str]:
    if ctx.specialty_matches:
        return []
    return [
        f"专业不对口：认定和申报条件中的从事专业工作年限均增加{rs.p('mismatch_extra_years')}年（三 第二段）。"
    ]


# ---------------------------------------------------------------- 中级


def recognition_degree(f: Facts, rs: RuleSetData, ctx: EvalContext) -> ConditionResult:
    src = rs.src("三（一）3")
    years = rs.p("r3.master_years")
    text = f"具有博士学位并从事专业工作、具有研究生学历（或硕士学位）从事专业工作满{years}年"
    doctor = education_at_least(f, code="doctor", text="博士", source=src, level=EducationLevel.DOCTOR)
    if doctor.status != NOT_MET and f.current_professional_period is not None:
        return ConditionResult("degree_years", text, doctor.status, doctor.figures + "，现从事专业工作", src)
    master = education_years(
        f,
        code="degree_years",
        text=text,
        source=src,
        table={EducationLevel.MASTER: years},
        extra=mismatch_extra_years(rs, ctx),
    )
    return master


# ---------------------------------------------------------------- 助级


def technician_title(f: Facts, rs: RuleSetData) -> ConditionResult:
    """三（四）2: 大专 + 技术员 2 years, or 中专 + 技术员 4 years (the row of the highest education)."""
    src = rs.src("三（四）2")
    jc, sec = rs.p("a2.junior_college_years"), rs.p("a2.secondary_years")
    text = f"大专（高职）学历并担任技术员职务满{jc}年、中专学历并担任技术员职务满{sec}年"
    best = f.highest_education
    if best is None or best.rank < EDUCATION_RANK[EducationLevel.SECONDARY]:
        return ConditionResult(
            "technician_title_years",
            text,
            NOT_MET,
            f"学历为{best.label if best else '无记录'}，本条要求中专及以上学历",
            src,
        )
    need = jc if best.rank >= EDUCATION_RANK[EducationLevel.JUNIOR_COLLEGE] else sec
    held = title_years(
        f,
        code="technician_title_years",
        text=text,
        source=src,
        level=1,
        label="技术员",
        need=need,
        holding=True,
        what="起任职",
    )
    return ConditionResult(held.code, text, held.status, f"{best.label}，需满{need}年；{held.figures}", src)
