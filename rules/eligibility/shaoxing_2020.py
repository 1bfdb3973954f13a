"""Shaoxing private-enterprise pilots, written from seed 000: 绍兴市民营经济工程技术类专业技术职务社会化
评价操作办法（试行）（征求意见稿）, 三 评价条件 — 中级 and 助级, each by direct recognition (认定) and by
declaration (申报).

三 第二段: 技工院校 中级工班 / 高级工班 / 预备技师（技师）班 count as 中专 / 大专 / 本科 (applied by
``Education.effective_level``); 专业不对口 adds one year to every "从事专业工作年限" of 认定 and
申报 alike."""

from __future__ import annotations

from rules.vocab import AchievementKind, DeclarationType, EducationLevel

from .alternatives import two_of_five
from .conditions import (
    candidates_condition,
    education_at_least,
    education_years,
    make_route,
    skill_years,
    title_years,
)
from .context import EvalContext, RuleSetData
from .facts import Facts
from .shaoxing_2020_conditions import (
    common_conditions,
    mismatch_extra_years,
    mismatch_notes,
    recognition_degree,
    skill_honour,
    technician_title,
)
from .template_spec import BOOL, GRADE, INT, MONTHDAY, Evaluation, ParamSpec, Template

DOC = "绍兴市民营经济工程技术类职称社会化评价操作办法（征求意见稿）"
R, N, S = DeclarationType.RECOGNITION, DeclarationType.NORMAL, DeclarationType.SKILLS

COMMON_PARAMS = (
    ParamSpec(
        "as_of",
        "年限计算截止月日（评审年度）",
        MONTHDAY,
        "12-31",
        "虞人社职〔2023〕3号 三（一）（同市通行口径）",
    ),
    ParamSpec("assessment.years", "年度考核：连续年数", INT, 3, "三", 1, 10),
    ParamSpec("assessment.last_offset", "年度考核：最近一年距评审年度（年）", INT, 1, "三", 0, 5),
    ParamSpec("assessment.min_grade", "年度考核：最低等次", GRADE, "qualified", "三"),
    ParamSpec("mismatch_extra_years", "专业不对口增加年限", INT, 1, "三 第二段", 0, 5),
    ParamSpec("integrity.enforce", "执行弄虚作假3年内不得申报高一级职称", BOOL, True, "浙人社发〔2020〕47号"),
)

# Keywords that mark an archive honour as a candidate for the skills-honour recognition routes.
MID_SKILL_HONOURS = (
    "技能大师工作室",
    "首席技师",
    "全国技术能手",
    "世界技能大赛",
    "技能竞赛",
    "拔尖技能人才",
    "突出贡献高技能人才",
    "高技能",
)
ASSISTANT_SKILL_HONOURS = ("技术能手", "技能竞赛", "优秀技能人才", "高技能")


# ---------------------------------------------------------------- 中级


MID_PARAMS = COMMON_PARAMS + (
    ParamSpec("r3.master_years", "中级认定：研究生（硕士）从事专业工作年限", INT, 3, "三（一）3", 0, 30),
    ParamSpec("d1.master_years", "中级申报：研究生毕业从事专业工作年限", INT, 2, "三（二）1", 0, 30),
    ParamSpec("d1.bachelor_years", "中级申报：本科毕业后从事专业工作年限", INT, 5, "三（二）1", 0, 30),
    ParamSpec("d1.junior_college_years", "中级申报：大专毕业后从事专业工作年限", INT, 7, "三（二）1", 0, 30),
    ParamSpec("d2.assistant_years", "中级申报：本科或大专担任助理工程师年限", INT, 4, "三（二）2", 0, 30),
    ParamSpec("d3.technician_years", "中级申报：取得技师后从事技术技能工作年限", INT, 3, "三（二）3", 0, 30),
    ParamSpec("alt.min_count", "5项条件中需具备的项数", INT, 2, "三（二）4", 1, 5),
    ParamSpec("f2.window_years", "第（2）项：专利/软著统计年数（近N年）", INT, 5, "三（二）4（2）", 1, 20),
    ParamSpec("f2.utility_count", "第（2）项：实用新型专利项数", INT, 3, "三（二）4（2）", 1, 20),
    ParamSpec("f4.years", "第（4）项：从事本专业技术工作年限", INT, 10, "三（二）4（4）", 1, 50),
)


def evaluate_mid(f: Facts, rs: RuleSetData, ctx: EvalContext) -> Evaluation:
    extra = mismatch_extra_years(rs, ctx)
    m, b, j = rs.p("d1.master_years"), rs.p("d1.bachelor_years"), rs.p("d1.junior_college_years")
    d2 = rs.p("d2.assistant_years")
    assistant_edu = education_at_least(
        f,
        code="education",
        text="大学本科或大专（高职）学历",
        source=rs.src("三（二）2"),
        level=EducationLevel.JUNIOR_COLLEGE,
    )
    routes = [
        make_route(
            "recognition_talent",
            "中级认定（高层次人才）",
            R,
            [
                candidates_condition(
                    "talent_catalogue",
                    "绍兴市高层次人才分类目录中的各类人才",
                    rs.src("三（一）1"),
                    f.achievements(AchievementKind.HONOUR),
                    none="档案中没有人才称号记录",
                    check="是否列入绍兴市高层次人才分类目录需核实",
                )
            ],
            rs.src("三（一）1"),
        ),
        make_route(
            "recognition_skills",
            "中级认定（高技能人才荣誉）",
            R,
            [
                skill_honour(
                    f,
                    rs,
                    code="skill_honour",
                    clause="三（一）2",
                    text="浙江省技能大师工作室领办人、省首席技师、全国技术能手，世界技能大赛优胜奖，国家级一类技能竞赛前五名、"
                    "国家级二类技能竞赛前三名，省“百千万”拔尖技能人才，绍兴市突出贡献高技能人才等",
                    words=MID_SKILL_HONOURS,
                )
            ],
            rs.src("三（一）2"),
        ),
        make_route(
            "recognition_degree",
            "中级认定（博士、研究生）",
            R,
            [recognition_degree(f, rs, ctx)],
            rs.src("三（一）3"),
        ),
        make_route(
            "declaration_education",
            "中级申报（学历与专业工作年限）",
            N,
            [
                education_years(
                    f,
                    code="years_after_graduation",
                    source=rs.src("三（二）1"),
                    text=f"研究生毕业（或取得硕士学位）从事专业工作满{m}年、大学本科毕业后满{b}年、大专（高职）毕业后满{j}年",
                    table={
                        EducationLevel.MASTER: m,
                        EducationLevel.BACHELOR: b,
                        EducationLevel.JUNIOR_COLLEGE: j,
                    },
                    extra=extra,
                )
            ],
            rs.src("三（二）1"),
        ),
        make_route(
            "declaration_assistant",
            "中级申报（担任助理工程师）",
            N,
            [
                assistant_edu,
                title_years(
                    f,
                    code="assistant_years",
                    source=rs.src("三（二）2"),
                    level=2,
                    label="助理工程师",
                    need=d2,
                    holding=True,
                    text=f"担任助理工程师职务满{d2}年",
                    what="起任职",
                ),
            ],
            rs.src("三（二）2"),
        ),
        make_route(
            "declaration_skills",
            "中级申报（技师）",
            S,
            [
                skill_years(
                    f,
                    code="technician_years",
                    source=rs.src("三（二）3"),
                    level="technician",
                    need=rs.p("d3.technician_years"),
                    text=f"具有技师职业资格或职业技能等级后从事技术技能工作满{rs.p('d3.technician_years')}年",
                )
            ],
            rs.src("三（二）3"),
        ),
        make_route(
            "declaration_alternative",
            "中级申报（具备5项条件中的2项）",
            N,
            [two_of_five(f, rs, clause="三（二）4", backbone="重点骨干")],
            rs.src("三（二）4"),
        ),
    ]
    return Evaluation(common=common_conditions(f, rs, ctx), routes=routes, notes=mismatch_notes(rs, ctx))


# ---------------------------------------------------------------- 助级


ASSISTANT_PARAMS = COMMON_PARAMS + (
    ParamSpec("j2.bachelor_years", "助级认定：本科毕业后从事专业工作年限", INT, 1, "三（三）2", 0, 30),
    ParamSpec("j2.junior_college_years", "助级认定：大专毕业后从事专业工作年限", INT, 3, "三（三）2", 0, 30),
    ParamSpec("a1.junior_college_years", "助级申报：大专毕业后从事专业工作年限", INT, 2, "三（四）1", 0, 30),
    ParamSpec("a1.secondary_years", "助级申报：中专毕业后从事专业工作年限", INT, 5, "三（四）1", 0, 30),
    ParamSpec("a1.other_years", "助级申报：其他学历毕业后从事专业工作年限", INT, 10, "三（四）1", 0, 40),
    ParamSpec("a2.junior_college_years", "助级申报：大专担任技术员年限", INT, 2, "三（四）2", 0, 30),
    ParamSpec("a2.secondary_years", "助级申报：中专担任技术员年限", INT, 4, "三（四）2", 0, 30),
    ParamSpec(
        "a3.advanced_worker_years", "助级申报：取得高级工后从事技术技能工作年限", INT, 2, "三（四）3", 0, 30
    ),
)


def evaluate_assistant(f: Facts, rs: RuleSetData, ctx: EvalContext) -> Evaluation:
    extra = mismatch_extra_years(rs, ctx)
    jb, jj = rs.p("j2.bachelor_years"), rs.p("j2.junior_college_years")
    aj, asec, aoth = rs.p("a1.junior_college_years"), rs.p("a1.secondary_years"), rs.p("a1.other_years")
    a3 = rs.p("a3.advanced_worker_years")
    routes = [
        make_route(
            "recognition_skills",
            "助级认定（技能荣誉）",
            R,
            [
                skill_honour(
                    f,
                    rs,
                    code="skill_honour",
                    clause="三（三）1",
                    text="浙江省技术能手、省级一类技能竞赛前五名、省级二类技能竞赛前三名，省“百千万”优秀技能人才等",
                    words=ASSISTANT_SKILL_HONOURS,
                )
            ],
            rs.src("三（三）1"),
        ),
        make_route(
            "recognition_education",
            "助级认定（学历与专业工作年限）",
            R,
            [
                education_years(
                    f,
                    code="years_after_graduation",
                    source=rs.src("三（三）2"),
                    text=f"大学本科毕业后从事专业工作满{jb}年、大专（高职）毕业后从事专业工作满{jj}年",
                    table={EducationLevel.BACHELOR: jb, EducationLevel.JUNIOR_COLLEGE: jj},
                    extra=extra,
                )
            ],
            rs.src("三（三）2"),
        ),
        make_route(
            "declaration_education",
            "助级申报（学历与专业工作年限）",
            N,
            [
                education_years(
                    f,
                    code="years_after_graduation",
                    source=rs.src("三（四）1"),
                    text=f"大专（高职）毕业后从事专业工作满{aj}年、中专毕业后满{asec}年、其他学历毕业后满{aoth}年",
                    table={
                        EducationLevel.JUNIOR_COLLEGE: aj,
                        EducationLevel.SECONDARY: asec,
                        EducationLevel.OTHER: aoth,
                    },
                    extra=extra,
                )
            ],
            rs.src("三（四）1"),
        ),
        make_route(
            "declaration_technician",
            "助级申报（担任技术员）",
            N,
            [technician_title(f, rs)],
            rs.src("三（四）2"),
        ),
        make_route(
            "declaration_skills",
            "助级申报（高级工）",
            S,
            [
                skill_years(
                    f,
                    code="advanced_worker_years",
                    source=rs.src("三（四）3"),
                    level="advanced_worker",
                    need=a3,
                    text=f"具有高级工职业资格或职业技能等级后从事技术技能工作满{a3}年",
                )
            ],
            rs.src("三（四）3"),
        ),
    ]
    return Evaluation(common=common_conditions(f, rs, ctx), routes=routes, notes=mismatch_notes(rs, ctx))


MID = Template(
    code="sx_engineer_mid_2020",
    name="绍兴市民营经济工程技术类中级（认定与申报）",
    document=DOC,
    description="中级认定三项、中级申报四项（含5项条件中的2项）；技工院校班级视同学历；专业不对口加一年。",
    levels=(3,),
    params=MID_PARAMS,
    evaluate=evaluate_mid,
)

ASSISTANT = Template(
    code="sx_engineer_assistant_2020",
    name="绍兴市民营经济工程技术类助级（认定与申报）",
    document=DOC,
    description="助级认定两项、助级申报三项；技工院校班级视同学历；专业不对口加一年。",
    levels=(2,),
    params=ASSISTANT_PARAMS,
    evaluate=evaluate_assistant,
)
