"""Condition builders of the 工程师 rule set (``engineer_mid_2023``, seed 003 虞人社职〔2023〕3号): the
common conditions and those of each route; the route table and the parameters are in
``engineer_mid_2023``."""

from __future__ import annotations

from rules.vocab import AchievementKind, EducationLevel

from .archive import EDUCATION_LABEL
from .conditions import (
    assessments,
    candidates_condition,
    ce_hours,
    current_post,
    describe_all,
    education_at_least,
    education_below,
    education_years,
    holds_title,
    integrity,
    is_main,
    post_years,
    row_for,
    skill_years,
    title_years,
    years_text,
)
from .context import EvalContext, RuleSetData
from .employer import honour_condition, private_enterprise_condition, quota_condition
from .facts import ACHIEVEMENT_LEVEL_RANK, Facts
from .result import MET, NEEDS_EVIDENCE, NOT_MET, ConditionResult, at_least

ASSISTANT = 2  # 助理工程师: portal.models.TitleLevel.ASSISTANT


# ---------------------------------------------------------------- common conditions and 正常申报


def common_conditions(f: Facts, rs: RuleSetData, ctx: EvalContext) -> list[ConditionResult]:
    y = rs.year
    ce_first, ce_last = y - rs.p("ce.last_offset") - rs.p("ce.years") + 1, y - rs.p("ce.last_offset")
    common = [
        current_post(
            f,
            text="现职从事机电制造（技术开发、设计开发、生产制造、系统集成、技术服务）专业技术工作",
            source=rs.src("一（一）"),
        ),
        assessments(
            f,
            rs,
            text="任期或近三年业绩考核合格（含）以上，逐年填写",
            source=rs.src("附件1 二（三）；附件3 第9项"),
        ),
        ce_hours(
            f,
            rs,
            total=rs.p("ce.total"),
            professional=rs.p("ce.professional"),
            public=rs.p("ce.public"),
            text=(
                f"近{rs.p('ce.years')}年（{ce_first}—{ce_last}年）继续教育不少于{rs.p('ce.total')}学时，"
                f"其中专业课不少于{rs.p('ce.professional')}学时、公需课不少于{rs.p('ce.public')}学时"
            ),
            source=rs.src("一（二）4"),
        ),
    ]
    if rs.p("integrity.enforce"):
        common.append(integrity(rs, ctx, source=rs.src("四；浙人社发〔2020〕47号")))
    return common


def normal_with_title(f: Facts, rs: RuleSetData) -> list[ConditionResult]:
    src = rs.src("附件1 二（二）1")
    table = {
        EducationLevel.MASTER: rs.p("n1.master_years"),
        EducationLevel.SECOND_BACHELOR: rs.p("n1.master_years"),
        EducationLevel.BACHELOR: rs.p("n1.bachelor_years"),
        EducationLevel.JUNIOR_COLLEGE: rs.p("n1.junior_college_years"),
    }
    edu = education_at_least(
        f,
        code="education",
        source=src,
        level=EducationLevel.JUNIOR_COLLEGE,
        text="获得硕士学位或取得第二学士学位、获得学士学位或大学本科毕业、大学专科毕业",
    )
    title = holds_title(
        f,
        code="assistant_title",
        text="已取得助理工程师资格",
        source=src,
        level=ASSISTANT,
        label="助理工程师",
    )
    best = f.highest_education
    row = row_for(best.rank, table) if best else None
    text = (
        f"取得助理工程师资格后实际从事工程技术工作：硕士/第二学士{table[EducationLevel.MASTER]}年以上、"
        f"本科{table[EducationLevel.BACHELOR]}年以上、大专{table[EducationLevel.JUNIOR_COLLEGE]}年以上"
    )
    if row is None:
        years = ConditionResult("years_since_title", text, NOT_MET, "学历不在本条范围（需大专及以上）", src)
    else:
        years = title_years(
            f,
            code="years_since_title",
            text=text,
            source=src,
            level=ASSISTANT,
            label="助理工程师",
            need=table[row],
            holding=False,
            what="后实际从事工程技术工作",
        )
        if best is not None:
            years = ConditionResult(
                years.code,
                years.text,
                years.status,
                f"{best.label}，需{table[row]}年；{years.figures}",
                years.source,
            )
    return [edu, title, years]


def normal_private(f: Facts, rs: RuleSetData, ctx: EvalContext) -> list[ConditionResult]:
    src = rs.src("附件1 二（二）1")
    extra = 0 if ctx.specialty_matches else rs.p("n2.mismatch_extra_years")
    m, b, j = rs.p("n2.master_years"), rs.p("n2.bachelor_years"), rs.p("n2.junior_college_years")
    return [
        private_enterprise_condition(
            ctx, code="private_enterprise", text="在民营工业企业从事专业技术工作", source=src
        ),
        holds_title(
            f,
            code="no_assistant_title",
            text="没有助理工程师职称",
            source=src,
            level=ASSISTANT,
            label="助理工程师",
            want=False,
        ),
        education_years(
            f,
            code="years_after_graduation",
            source=src,
            text=(
                f"具有本专业或相近专业学历，研究生毕业（或取得硕士学位）从事专业工作满{m}年、大学本科毕业后满{b}年、"
                f"大专（高职）毕业后满{j}年；专业不对口人员年限增加{rs.p('n2.mismatch_extra_years')}年"
            ),
            table={EducationLevel.MASTER: m, EducationLevel.BACHELOR: b, EducationLevel.JUNIOR_COLLEGE: j},
            extra=extra,
        ),
    ]


# ---------------------------------------------------------------- 破格 A类


def exceptional_a_base(f: Facts, rs: RuleSetData) -> ConditionResult:
    src = rs.src("附件1 二（二）2 A类")
    required = rs.p("a.required_education")
    without, with_edu = rs.p("a.years_without_education"), rs.p("a.years_with_education")
    has_edu = f.has_education_at_least(required)
    need = with_edu if has_edu else without
    text = (
        f"不具备规定学历，担任助理工程师职务{without}年以上；或者具备规定学历，担任助理工程师职务未满{without}年的"
        f"（必须满{with_edu}年）"
    )
    base = title_years(
        f,
        code="base",
        text=text,
        source=src,
        level=ASSISTANT,
        label="助理工程师",
        need=need,
        holding=True,
        what="起任职",
    )
    best = f.highest_education
    edu = (
        f"{'具备' if has_edu else '不具备'}规定学历（最高学历：{best.label if best else '无'}；"
        f"规定学历：{EDUCATION_LABEL[required]}及以上），需任职满{need}年"
    )
    return ConditionResult(base.code, text, base.status, f"{edu}；{base.figures}", src)


def exceptional_a_items(f: Facts, rs: RuleSetData) -> ConditionResult:
    clause = "附件1 二（二）2 A类"
    municipal = ACHIEVEMENT_LEVEL_RANK["municipal"]
    provincial = ACHIEVEMENT_LEVEL_RANK["provincial"]
    county = ACHIEVEMENT_LEVEL_RANK["county"]

    def lvl(a) -> int:
        return ACHIEVEMENT_LEVEL_RANK.get(a.level, -1)

    need_papers = rs.p("a.p1_papers")
    papers = [a for a in f.achievements(AchievementKind.PAPER) if lvl(a) >= provincial]
    p1_text = f"在省、部级专业学术会议上或在省级专业刊物上发表过不少于{need_papers}篇有价值的学术论文"
    if len(papers) >= need_papers:
        p1 = ConditionResult(
            "p1",
            p1_text,
            NEEDS_EVIDENCE,
            f"省级以上论文{len(papers)}篇：{describe_all(papers)}；论文价值及刊物级别需凭刊物核实",
            rs.src(f"{clause}（1）"),
        )
    else:
        p1 = ConditionResult(
            "p1",
            p1_text,
            NOT_MET,
            f"档案登记省级以上论文{len(papers)}篇，需不少于{need_papers}篇",
            rs.src(f"{clause}（1）"),
        )
    p2 = candidates_condition(
        "p2",
        "获得国家、省、部级奖，省厅（局）、市（地）一、二等奖和县一等奖的主要贡献者；获省级优秀设计奖和优秀方案设计奖的"
        "主要贡献者；省优良工程和市优质工程的主要技术负责人",
        rs.src(f"{clause}（2）"),
        [a for a in f.achievements(AchievementKind.AWARD) if lvl(a) >= county],
        none="档案中没有县级以上奖项",
        check="奖项等级（市级一、二等奖，县级一等奖）及本人是否为主要贡献者需核实",
    )
    p3 = candidates_condition(
        "p3",
        "担任大中型企业和建筑二级企业的主要技术负责人三年以上现继续任职；省、市（地）重点工程、科研、科技攻关项目的"
        "主要主持、实施者且成绩显著、贡献突出",
        rs.src(f"{clause}（3）"),
        [a for a in f.achievements(AchievementKind.POST) if all(post_years(a, f.as_of))]
        + [a for a in f.achievements(AchievementKind.PROJECT) if lvl(a) >= municipal and is_main(a)],
        none="档案中没有满3年且仍在任的技术负责人任职，也没有本人主持的市级以上重点项目",
        check="企业规模、任职及项目成效需核实",
    )
    p4 = candidates_condition(
        "p4",
        "在开发高层次、高效益的新产品、新工艺、新技术等工作中贡献突出，成绩显著",
        rs.src(f"{clause}（4）"),
        f.achievements(
            AchievementKind.PROJECT,
            AchievementKind.PATENT,
            AchievementKind.STANDARD,
            AchievementKind.SOFTWARE_COPYRIGHT,
        ),
        none="档案中没有新产品、新工艺、新技术方面的项目、专利或标准",
        check="贡献与效益需评审专家判断",
    )
    p5 = candidates_condition(
        "p5",
        "获市（地）劳动模范、科技先进工作者、技术管理先进工作者和县优秀专门人才称号（不包括协会、团体授予的称号）",
        rs.src(f"{clause}（5）"),
        [a for a in f.achievements(AchievementKind.HONOUR) if a.issuer_is_government and lvl(a) >= county],
        none="档案中没有党委、政府授予的县级以上荣誉称号",
        check="称号名称及授予机关需凭证书核实",
    )
    sec, oth = rs.p("a.p6_secondary_years"), rs.p("a.p6_other_years")
    p6_text = f"从事专业技术工作：中专毕业{sec}年以上，其他学历{oth}年以上"
    best = f.highest_education
    if best is not None and best.effective_level == EducationLevel.SECONDARY:
        dur = f.professional(best.graduation_date)
        need, what = sec, f"{best.label}毕业后从事专业技术工作"
    else:
        dur = f.professional()
        need, what = oth, "从事专业技术工作"
    p6 = ConditionResult(
        "p6",
        p6_text,
        MET if dur.reaches(need) else NOT_MET,
        years_text(dur, need, f.as_of, what=what),
        rs.src(f"{clause}（6）"),
    )
    p7 = candidates_condition(
        "p7",
        "浙里工程师平台上年度业绩清单排名前十的注册工程师",
        rs.src(f"{clause}（7）"),
        [a for a in f.archive.achievements if "浙里工程师" in a.title],
        none="档案中没有浙里工程师平台业绩排名记录",
        check="排名需以平台上年度业绩清单核实",
    )
    children = (p1, p2, p3, p4, p5, p6, p7)
    need = rs.p("a.min_count")
    statuses = [c.status for c in children]
    figures = (
        f"符合{statuses.count(MET)}项、需材料核实{statuses.count(NEEDS_EVIDENCE)}项、"
        f"不符合{statuses.count(NOT_MET)}项；需具备其中{need}项以上"
    )
    return ConditionResult(
        "three_of_seven",
        f"同时具备下列规定条件的{need}项以上",
        at_least(statuses, need),
        figures,
        rs.src(clause),
        children,
    )


# ---------------------------------------------------------------- 破格 B类


def exceptional_b(f: Facts, rs: RuleSetData, ctx: EvalContext) -> list[ConditionResult]:
    src = rs.src("附件1 二（二）2 B类；附件2")
    required = rs.p("a.required_education")
    projects = [a for a in f.achievements(AchievementKind.PROJECT) if is_main(a)]
    return [
        honour_condition(rs, ctx, source=src),
        candidates_condition(
            "project_lead",
            "获得荣誉项目的企业的具体项目主要技术负责人（需提供项目申报书及相关证明材料）",
            src,
            projects,
            none="档案中没有本人为主要技术负责人的项目",
            check="需提供项目申报书及相关证明材料核实",
        ),
        education_below(f, code="no_required_education", text="不具备规定学历", source=src, level=required),
        holds_title(
            f,
            code="no_assistant_title",
            text="没有助理工程师职称",
            source=src,
            level=ASSISTANT,
            label="助理工程师",
            want=False,
        ),
        quota_condition(rs, ctx, source=src),
    ]


# ---------------------------------------------------------------- 技能人才申报


def technician_years(f: Facts, rs: RuleSetData) -> ConditionResult:
    need = rs.p("skills.years")
    return skill_years(
        f,
        code="technician_years",
        source=rs.src("附件1 二（二）3"),
        level="technician",
        need=need,
        text=f"具有技师职业资格或职业技能等级后从事技术技能工作满{need}年",
    )
