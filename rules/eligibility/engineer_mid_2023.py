"""工程师 (intermediate engineer) in private industrial firms, written from seed 003:
绍兴市上虞区 虞人社职〔2023〕3号 and its 附件1 工程师资格评审条件, 附件2 荣誉项目清单.

Routes: 正常申报 (three ways), 破格 A类, 破格 B类, 技能人才申报. Common: 现职从事专业技术工作, 近三年考核,
继续教育学时, 诚信记录."""

from __future__ import annotations

from rules.vocab import AchievementKind, DeclarationType, EducationLevel

from .alternatives import two_of_five
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
    make_route,
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
from .template_spec import BOOL, EDUCATION, GRADE, INT, MONTHDAY, Evaluation, ParamSpec, Template

DOC = "虞人社职〔2023〕3号"
ASSISTANT = 2  # 助理工程师: portal.models.TitleLevel.ASSISTANT

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


def _common(f: Facts, rs: RuleSetData, ctx: EvalContext) -> list[ConditionResult]:
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


def _normal_with_title(f: Facts, rs: RuleSetData) -> list[ConditionResult]:
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


def _normal_private(f: Facts, rs: RuleSetData, ctx: EvalContext) -> list[ConditionResult]:
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


def _exceptional_a_base(f: Facts, rs: RuleSetData) -> ConditionResult:
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


def _exceptional_a_items(f: Facts, rs: RuleSetData) -> ConditionResult:
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


def _exceptional_b(f: Facts, rs: RuleSetData, ctx: EvalContext) -> list[ConditionResult]:
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


def evaluate(f: Facts, rs: RuleSetData, ctx: EvalContext) -> Evaluation:
    N, X, S = DeclarationType.NORMAL, DeclarationType.EXCEPTIONAL, DeclarationType.SKILLS
    routes = [
        make_route(
            "normal_assistant",
            "正常申报（已取得助理工程师资格）",
            N,
            _normal_with_title(f, rs),
            rs.src("附件1 二（二）1"),
        ),
        make_route(
            "normal_private",
            "正常申报（民营工业企业，无助理工程师职称）",
            N,
            _normal_private(f, rs, ctx),
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
            [_exceptional_a_base(f, rs), _exceptional_a_items(f, rs)],
            rs.src("附件1 二（二）2 A类"),
            exceptional_class="A",
        ),
        make_route(
            "exceptional_b",
            "破格申报B类",
            X,
            _exceptional_b(f, rs, ctx),
            rs.src("附件1 二（二）2 B类"),
            exceptional_class="B",
        ),
        make_route(
            "skills",
            "技能人才申报",
            S,
            [
                _skills(f, rs),
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
    return Evaluation(common=_common(f, rs, ctx), routes=routes, notes=notes)


def _skills(f: Facts, rs: RuleSetData) -> ConditionResult:
    need = rs.p("skills.years")
    return skill_years(
        f,
        code="technician_years",
        source=rs.src("附件1 二（二）3"),
        level="technician",
        need=need,
        text=f"具有技师职业资格或职业技能等级后从事技术技能工作满{need}年",
    )


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
