"""Weihai enterprise engineering green channel, written from seed 001: 威人社办发〔2020〕50号 三（二）
(and the 直通车 of 三（一）). Enterprise staff only — not any kind of employment in public institutions."""

from __future__ import annotations

from rules.vocab import AchievementKind, DeclarationType, EducationLevel

from .conditions import candidates_condition, education_years, integrity, make_route
from .context import EvalContext, RuleSetData
from .employer import enterprise_condition
from .facts import Facts
from .result import NEEDS_EVIDENCE, ConditionResult
from .template_spec import BOOL, INT, MONTHDAY, Evaluation, ParamSpec, Template

DOC = "威人社办发〔2020〕50号"

PARAMS = (
    ParamSpec(
        "as_of", "年限计算截止月日（评审年度）", MONTHDAY, "12-31", "（门户统一口径，见docs/eligibility.md）"
    ),
    ParamSpec(
        "assistant.junior_college_years",
        "助理工程师：大专 从事相关专业工程技术工作年限",
        INT,
        3,
        "三（二）",
        0,
        30,
    ),
    ParamSpec(
        "assistant.secondary_years",
        "助理工程师：中专 从事相关专业工程技术工作年限",
        INT,
        5,
        "三（二）",
        0,
        30,
    ),
    ParamSpec(
        "engineer.master_years", "工程师：硕士/第二学士 从事相关专业工作年限", INT, 3, "三（二）", 0, 30
    ),
    ParamSpec("engineer.bachelor_years", "工程师：本科/学士 从事相关专业工作年限", INT, 6, "三（二）", 0, 30),
    ParamSpec(
        "engineer.junior_college_years", "工程师：大专 从事相关专业工作年限", INT, 8, "三（二）", 0, 30
    ),
    ParamSpec("integrity.enforce", "执行诚信记录禁止申报", BOOL, True, "门户决定（docs/eligibility.md）"),
)

TALENT_WORDS = ("惠才卡", "英才卡", "博士后")


def evaluate(f: Facts, rs: RuleSetData, ctx: EvalContext) -> Evaluation:
    src = rs.src("三（二）")
    common = [
        enterprise_condition(
            ctx, code="enterprise", text="长期在企业（不包括事业单位各类用工）中从事工程技术工作", source=src
        ),
        ConditionResult(
            "series_standard",
            "其他条件符合相应系列工程技术评价标准条件",
            NEEDS_EVIDENCE,
            "评价标准中的能力、业绩条件由评委会按材料审查",
            src,
        ),
    ]
    if rs.p("integrity.enforce"):
        common.append(integrity(rs, ctx, source="门户诚信记录（docs/eligibility.md）"))
    routes = []
    if rs.qualification_level == 2:
        jc, sec = rs.p("assistant.junior_college_years"), rs.p("assistant.secondary_years")
        routes.append(
            make_route(
                "green_assistant",
                "绿色通道直接申报助理工程师",
                DeclarationType.NORMAL,
                [
                    education_years(
                        f,
                        code="years_after_graduation",
                        source=src,
                        what="毕业后从事相关专业工程技术工作",
                        text=f"具备大学专科学历，从事相关专业工程技术工作{jc}年以上；或具备中等职业学校毕业学历，从事相关专业"
                        f"工程技术工作{sec}年以上",
                        table={EducationLevel.JUNIOR_COLLEGE: jc, EducationLevel.SECONDARY: sec},
                    ),
                ],
                src,
            )
        )
    else:
        m, b, j = (
            rs.p("engineer.master_years"),
            rs.p("engineer.bachelor_years"),
            rs.p("engineer.junior_college_years"),
        )
        routes.append(
            make_route(
                "green_engineer",
                "绿色通道直接申报工程师",
                DeclarationType.NORMAL,
                [
                    education_years(
                        f,
                        code="years_after_graduation",
                        source=src,
                        what="毕业后从事相关专业工作",
                        text=f"具备硕士学位或第二学士学位，从事相关专业工作{m}年以上；或具备大学本科学历或学士学位，从事相关专业"
                        f"工作{b}年以上；或具备大学专科学历，从事相关专业工作{j}年以上",
                        table={
                            EducationLevel.MASTER: m,
                            EducationLevel.SECOND_BACHELOR: m,
                            EducationLevel.BACHELOR: b,
                            EducationLevel.JUNIOR_COLLEGE: j,
                        },
                    ),
                ],
                src,
            )
        )
    routes.append(
        make_route(
            "talent_direct",
            "高层次人才直通车",
            DeclarationType.NORMAL,
            [
                candidates_condition(
                    "talent_card",
                    "持有“山东惠才卡”“威海英才卡”，或出站后留（来）威工作的博士后、在威在站博士后",
                    rs.src("三（一）"),
                    [
                        a
                        for a in f.archive.achievements
                        if a.kind in (AchievementKind.HONOUR, AchievementKind.POST, AchievementKind.OTHER)
                        and any(w in a.title for w in TALENT_WORDS)
                    ],
                    none="档案中没有人才卡或博士后记录",
                    check="人才卡、博士后身份需凭证件核实",
                )
            ],
            rs.src("三（一）"),
        )
    )
    return Evaluation(common=common, routes=routes, notes=[])


TEMPLATE = Template(
    code="wh_engineer_green_channel_2020",
    name="威海市企业工程技术人才绿色通道（助理工程师、工程师）",
    document=DOC,
    description="企业（不含事业单位）工程技术人员按学历与相关专业工作年限直接申报助理工程师或工程师。",
    levels=(2, 3),
    params=PARAMS,
    evaluate=evaluate,
)
