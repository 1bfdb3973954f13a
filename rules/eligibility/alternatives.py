""" "不具备上述条件但具备下列5项条件中的2项" — the same five conditions in seed 003 (附件1 二（二）1) and
seed 000 (三（二）4), with the wording difference 重要骨干企业 / 重点骨干企业."""

from __future__ import annotations

import datetime as dt

from rules.vocab import AchievementKind, PatentType

from .conditions import candidates_condition, is_main, post_years, years_text
from .context import RuleSetData
from .facts import ACHIEVEMENT_LEVEL_RANK, Facts
from .result import MET, NEEDS_EVIDENCE, NOT_MET, ConditionResult, at_least

MUNICIPAL = ACHIEVEMENT_LEVEL_RANK["municipal"]
COUNTY = ACHIEVEMENT_LEVEL_RANK["county"]


def _f1(f: Facts, source: str, backbone: str) -> ConditionResult:
    text = (
        f"市级以上技术创新项目的主要承担者或市级以上新产品的主要设计者（主持人）；市级{backbone}企业"
        "重大科技项目的主要完成者、解决关键技术难题的主要贡献者"
    )
    found = [
        a
        for a in f.achievements(AchievementKind.PROJECT, AchievementKind.OTHER)
        if (
            a.kind == AchievementKind.PROJECT
            and (is_main(a) or ACHIEVEMENT_LEVEL_RANK.get(a.level, -1) >= MUNICIPAL)
        )
        or (a.kind == AchievementKind.OTHER and is_main(a))
    ]
    return candidates_condition(
        "f1",
        text,
        source,
        found,
        none="档案中没有市级以上项目或本人为主要完成者的项目",
        check="项目级别及本人是否为主要承担者/主要贡献者需凭立项、验收等材料核实",
    )


def _f2(f: Facts, rs: RuleSetData, source: str) -> ConditionResult:
    """Rank 1 is required for all three kinds (the safe reading of "须排名第一", domain.md c.5). "近五年"
    is the five calendar years ending with the review year, as "近3年（2021-2023年）" is in 一（二）4."""
    years = rs.p("f2.window_years")
    need_utility = rs.p("f2.utility_count")
    first_year = rs.year - years + 1
    since = dt.date(first_year, 1, 1)
    text = f"近五年取得1项以上发明专利或软件著作权，或取得{need_utility}项以上实用新型专利（须排名第一）"
    patents = f.achievements(AchievementKind.PATENT, AchievementKind.SOFTWARE_COPYRIGHT, since=since)

    def count(pred, rank_known: bool | None) -> int:
        return sum(
            1
            for a in patents
            if pred(a) and (rank_known is None or (a.rank == 1 if rank_known else a.rank is None))
        )

    def strong(a):
        return a.kind == AchievementKind.SOFTWARE_COPYRIGHT or (
            a.kind == AchievementKind.PATENT and a.patent_type == PatentType.INVENTION
        )

    def utility(a):
        return a.kind == AchievementKind.PATENT and a.patent_type == PatentType.UTILITY

    strong_1, strong_unknown = count(strong, True), count(strong, False)
    utility_1, utility_unknown = count(utility, True), count(utility, False)
    figures = (
        f"{first_year}—{rs.year}年：发明专利或软件著作权（排名第一）{strong_1}项、"
        f"实用新型专利（排名第一）{utility_1}项"
    )
    if strong_unknown or utility_unknown:
        figures += f"；另有未填排名的发明/软著{strong_unknown}项、实用新型{utility_unknown}项"
    figures += f"；需发明专利或软件著作权1项以上，或实用新型专利{need_utility}项以上，均须排名第一"
    if strong_1 >= 1 or utility_1 >= need_utility:
        status = MET
    elif strong_unknown >= 1 or utility_1 + utility_unknown >= need_utility:
        status = NEEDS_EVIDENCE
    else:
        status = NOT_MET
    return ConditionResult("f2", text, status, figures, source)


def _f3(f: Facts, source: str) -> ConditionResult:
    text = "担任企业技术部门负责人或分管技术的企业负责人3年以上；或市级创新团队核心人员、县级学术技术带头人"
    posts = [a for a in f.achievements(AchievementKind.POST) if post_years(a, f.as_of)[0]]
    teams = [
        a
        for a in f.achievements(AchievementKind.POST, AchievementKind.HONOUR, AchievementKind.OTHER)
        if ("创新团队" in a.title and ACHIEVEMENT_LEVEL_RANK.get(a.level, -1) >= MUNICIPAL)
        or ("带头人" in a.title and ACHIEVEMENT_LEVEL_RANK.get(a.level, -1) >= COUNTY)
    ]
    found = posts + [a for a in teams if a not in posts]
    return candidates_condition(
        "f3",
        text,
        source,
        found,
        none="档案中没有满3年的技术负责人任职，也没有市级创新团队或县级以上学术技术带头人记录",
        check="任职岗位（技术部门负责人/分管技术负责人）或团队、带头人身份需凭任命文件等材料核实",
    )


def _f4(f: Facts, rs: RuleSetData, source: str) -> ConditionResult:
    need = rs.p("f4.years")
    text = f"从事本专业技术工作{need}年以上"
    dur = f.professional()
    status = MET if dur.reaches(need) else NOT_MET
    return ConditionResult(
        "f4", text, status, years_text(dur, need, f.as_of, what="从事专业技术工作"), source
    )


def _f5(f: Facts, source: str) -> ConditionResult:
    text = "受到县级以上党委、政府表彰奖励（不含协会、团体授予）"
    found = [
        a
        for a in f.achievements(AchievementKind.HONOUR, AchievementKind.AWARD)
        if a.issuer_is_government and ACHIEVEMENT_LEVEL_RANK.get(a.level, -1) >= COUNTY
    ]
    return candidates_condition(
        "f5",
        text,
        source,
        found,
        none="档案中没有县级以上党委、政府或其部门授予的表彰奖励",
        check="授予机关须为县级以上党委、政府，需凭表彰文件核实",
    )


def two_of_five(f: Facts, rs: RuleSetData, *, clause: str, backbone: str) -> ConditionResult:
    need = rs.p("alt.min_count")
    children = (
        _f1(f, rs.src(f"{clause}（1）"), backbone),
        _f2(f, rs, rs.src(f"{clause}（2）")),
        _f3(f, rs.src(f"{clause}（3）")),
        _f4(f, rs, rs.src(f"{clause}（4）")),
        _f5(f, rs.src(f"{clause}（5）")),
    )
    statuses = [c.status for c in children]
    figures = (
        f"符合{statuses.count(MET)}项、需材料核实{statuses.count(NEEDS_EVIDENCE)}项、"
        f"不符合{statuses.count(NOT_MET)}项；需具备其中{need}项"
    )
    return ConditionResult(
        "two_of_five",
        f"具备下列5项条件中的{need}项",
        at_least(statuses, need),
        figures,
        rs.src(clause),
        children,
    )
