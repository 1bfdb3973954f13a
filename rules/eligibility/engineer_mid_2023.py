"""工程师 (intermediate engineer) in private industrial firms, written from seed 003:
绍兴市上虞区 虞人社职〔2023〕3号 and its 附件1 工程师资格评审条件, 附件2 荣誉项目清单.

Routes: 正常申报 (three ways), 破格 A类, 破格 B类, 技能人才申报. Common: 现职从事专业技术工作, 近三年考核,
继续教育学时, 诚信记录."""

from __future__ import annotations

from rules.vocab import DeclarationType, EducationLevel

from .alternatives import two_of_five
from .conditions import make_route
from .context import EvalContext, RuleSetData
from .engineer_mid_2023_conditions import (
    common_conditions,
    exceptional_a_base,
    exceptional_a_items,
    exceptional_b,
    normal_private,
    normal_with_title,
    technician_years,
)
from .facts import Facts
from .template_spec import BOOL, EDUCATION, GRADE, INT, MONTHDAY, Evaluation, ParamSpec, Template

DOC = "虞人社职〔2023〕3号"

PARAMS = (
    ParamSpec("as_of", "年限计算截止月日（评审年度）", MONTHDAY, "12-31", "三（一）"),
    ParamSpec("assessment.years", "年度考核：连续年数", INT, 3, "附件1 二（三）；附件3 第9项", 1, 10),
    ParamSpec(
        "assessment.last_offset",
        "年度考核：最近一年距评审年度（年）",
        INT,
        1,
        "附件3 第9项（2020-2022年）",
        0,
        5,
    ),
    ParamSpec("assessment.min_grade", "年度考核：最低等次", GRADE, "qualified", "附件1 二（三）"),
    ParamSpec("ce.years", "继续教育：统计年数", INT, 3, "一（二）4", 1, 10),
    ParamSpec(
        "ce.last_offset", "继续教育：最近一年距评审年度（年）", INT, 0, "一（二）4（2021-2023年）", 0, 5
    ),
    ParamSpec("ce.total", "继续教育：合计学时不少于", INT, 270, "一（二）4"),
    ParamSpec("ce.professional", "继续教育：专业科目学时不少于", INT, 180, "一（二）4"),
    ParamSpec("ce.public", "继续教育：公需科目学时不少于", INT, 54, "一（二）4"),
    ParamSpec(
        "n1.master_years", "正常申报（助工）：硕士/第二学士 取得助工后年限", INT, 2, "附件1 二（二）1", 0, 30
    ),
    ParamSpec("n1.bachelor_years", "正常申报（助工）：本科 取得助工后年限", INT, 4, "附件1 二（二）1", 0, 30),
    ParamSpec(
        "n1.junior_college_years", "正常申报（助工）：大专 取得助工后年限", INT, 4, "附件1 二（二）1", 0, 30
    ),
    ParamSpec(
        "n2.master_years", "正常申报（无助工）：研究生 毕业后专业工作年限", INT, 2, "附件1 二（二）1", 0, 30
    ),
    ParamSpec(
        "n2.bachelor_years", "正常申报（无助工）：本科 毕业后专业工作年限", INT, 5, "附件1 二（二）1", 0, 30
    ),
    ParamSpec(
        "n2.junior_college_years",
        "正常申报（无助工）：大专 毕业后专业工作年限",
        INT,
        7,
        "附件1 二（二）1",
        0,
        30,
    ),
    ParamSpec(
        "n2.mismatch_extra_years", "正常申报（无助工）：专业不对口增加年限", INT, 1, "附件1 二（二）1", 0, 5
    ),
    ParamSpec("alt.min_count", "5项条件中需具备的项数", INT, 2, "附件1 二（二）1", 1, 5),
    ParamSpec(
        "f2.window_years", "第（2）项：专利/软著统计年数（近N年）", INT, 5, "附件1 二（二）1（2）", 1, 20
    ),
    ParamSpec("f2.utility_count", "第（2）项：实用新型专利项数", INT, 3, "附件1 二（二）1（2）", 1, 20),
    ParamSpec("f4.years", "第（4）项：从事本专业技术工作年限", INT, 10, "附件1 二（二）1（4）", 1, 50),
    ParamSpec(
        "a.required_education",
        "破格：规定学历（最低）",
        EDUCATION,
        EducationLevel.JUNIOR_COLLEGE,
        "附件1 二（二）2（“规定学历”未定义，见docs/eligibility.md）",
    ),
    ParamSpec(
        "a.years_without_education", "破格A：无规定学历者任助工年限", INT, 4, "附件1 二（二）2 A类", 0, 30
    ),
    ParamSpec(
        "a.years_with_education",
        "破格A：有规定学历者任助工年限（必须满）",
        INT,
        3,
        "附件1 二（二）2 A类",
        0,
        30,
    ),
    ParamSpec("a.min_count", "破格A：7项条件中需具备的项数", INT, 3, "附件1 二（二）2 A类", 1, 7),
    ParamSpec("a.p1_papers", "破格A第（1）项：论文篇数", INT, 2, "附件1 二（二）2 A类（1）", 1, 20),
    ParamSpec(
        "a.p6_secondary_years",
        "破格A第（6）项：中专毕业从事专业技术工作年限",
        INT,
        15,
        "附件1 二（二）2 A类（6）",
        1,
        50,
    ),
    ParamSpec(
        "a.p6_other_years",
        "破格A第（6）项：其他学历从事专业技术工作年限",
        INT,
        20,
        "附件1 二（二）2 A类（6）",
        1,
        50,
    ),
    ParamSpec(
        "b.window_start", "破格B：荣誉发文起始月日（上一年度）", MONTHDAY, "07-01", "附件1 二（二）2 B类"
    ),
    ParamSpec("b.window_end", "破格B：荣誉发文截止月日（当年度）", MONTHDAY, "06-30", "附件1 二（二）2 B类"),
    ParamSpec("b.quota_national", "破格B：国家级荣誉企业推荐人数上限", INT, 3, "附件1 二（二）2 B类", 0, 50),
    ParamSpec("b.quota_provincial", "破格B：省级荣誉企业推荐人数上限", INT, 2, "附件1 二（二）2 B类", 0, 50),
    ParamSpec("skills.years", "技能人才：取得技师后从事技术技能工作年限", INT, 3, "附件1 二（二）3", 0, 30),
    ParamSpec("integrity.enforce", "执行弄虚作假3年内不得申报高一级职称", BOOL, True, "四"),
)

# 附件2: 2023年省级及以上工业和信息化领域荣誉项目清单 (the default list of a new rule set).
HONOUR_CATEGORIES = (
    ("green_manufacturing", "国家/省级绿色制造系列（绿色设计产品、绿色工厂、绿色供应链、绿色设计示范企业）"),
    ("eagle_chain_champion", "雄鹰企业、省级链主企业、隐形冠军企业"),
    ("dyeing_standard", "国家级印染规范公告企业"),
    ("first_set_smart_factory", "国家级/省级首台套企业、省级未来工厂、省级智能工厂"),
    ("first_batch_version", "省首批次、首版次企业"),
    ("little_giant", "国家级专精特新小巨人企业"),
    (
        "it_integration_digital",
        "工信部/省级新一代信息技术与制造业融合发展试点示范企业、省级工业互联网平台认定企业、"
        "省级数字工厂、省级制造业“云上企业”",
    ),
    (
        "champion_tech_centre",
        "单项冠军、国家级技术创新示范企业，国家级（省级）企业技术中心、工业设计中心（企业）、"
        "服务型制造示范企业（平台）、省级制造精品",
    ),
)


def evaluate(f: Facts, rs: RuleSetData, ctx: EvalContext) -> Evaluation:
    N, X, S = DeclarationType.NORMAL, DeclarationType.EXCEPTIONAL, DeclarationType.SKILLS
    routes = [
        make_route(
            "normal_assistant",
            "正常申报（已取得助理工程师资格）",
            N,
            normal_with_title(f, rs),
            rs.src("附件1 二（二）1"),
        ),
        make_route(
            "normal_private",
            "正常申报（民营工业企业，无助理工程师职称）",
            N,
            normal_private(f, rs, ctx),
            rs.src("附件1 二（二）1"),
        ),
        make_route(
            "normal_alternative",
            "正常申报（具备5项条件中的2项）",
            N,
            [two_of_five(f, rs, clause="附件1 二（二）1", backbone="重要骨干")],
            rs.src("附件1 二（二）1"),
        ),
        make_route(
            "exceptional_a",
            "破格申报A类",
            X,
            [exceptional_a_base(f, rs), exceptional_a_items(f, rs)],
            rs.src("附件1 二（二）2 A类"),
            exceptional_class="A",
        ),
        make_route(
            "exceptional_b",
            "破格申报B类",
            X,
            exceptional_b(f, rs, ctx),
            rs.src("附件1 二（二）2 B类"),
            exceptional_class="B",
        ),
        make_route(
            "skills",
            "技能人才申报",
            S,
            [
                technician_years(f, rs),
            ],
            rs.src("附件1 二（二）3"),
        ),
    ]
    notes = []
    if not ctx.specialty_matches:
        notes.append(
            f"专业不对口：无助理工程师职称的正常申报年限增加{rs.p('n2.mismatch_extra_years')}年"
            "（其他申报途径原文未规定增加年限）。"
        )
    return Evaluation(common=common_conditions(f, rs, ctx), routes=routes, notes=notes)


TEMPLATE = Template(
    code="zj_engineer_mid_2023",
    name="上虞区民营工业企业机电制造工程师（2023）",
    document=DOC,
    description="工程师评审：正常申报、破格A/B类、技能人才申报；近三年考核；继续教育270学时。",
    levels=(3,),
    params=PARAMS,
    evaluate=evaluate,
    honour_categories=HONOUR_CATEGORIES,
)
