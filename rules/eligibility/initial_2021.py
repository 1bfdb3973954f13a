"""职称初定 (initial determination), written from seed 004: 衢市人社专〔2021〕61号 二（三）.

The seed gives the continuing-education hours ("按申报人员学历对应的从事专业工作年限计算": 本科及以上初定
助理级 ≥90 学时 of which 公需 ≥18 and 专业 ≥60; 研究生学历或硕士学位初定中级 ≥270 of which 公需 ≥54 and
专业 ≥180) and excludes the unified-exam series. The education × years table itself is in
浙人社发〔2020〕47号,
whose text was not found; the rows below follow domain.md c.9 (a Huzhou FAQ) and are marked as such in
every source. Rows the seed does not give hours for take 90 hours a year of the implied work (18 公需 +
60 专业 a year, the proportion of both seed examples)."""

from __future__ import annotations

from dataclasses import dataclass

from rules.vocab import DeclarationType, EducationLevel

from .archive import EDUCATION_LABEL, EDUCATION_RANK, Education
from .conditions import ce_hours, current_post, integrity, make_route, years_text
from .context import EvalContext, RuleSetData
from .dates import cn_date
from .facts import Facts
from .result import MET, NEEDS_EVIDENCE, NOT_MET, ConditionResult
from .template_spec import BOOL, INT, LEVEL_NAME, MONTHDAY, Evaluation, ParamSpec, Template

DOC = "衢市人社专〔2021〕61号"
TABLE_SOURCE = "浙人社发〔2020〕47号（原文未取得，学历年限据湖州市职称初定问答整理，待核实）"


@dataclass(frozen=True)
class Row:
    code: str
    level: int
    education: str
    years: int
    years_after: int  # >0: years before the degree count, but this many must follow it (master → 中级)
    ce_total: int
    ce_public: int
    ce_professional: int
    hours_source: str


ROWS = (
    Row("l1_secondary", 1, EducationLevel.SECONDARY, 1, 0, 90, 18, 60, "按每年90学时推算"),
    Row("l2_junior_college", 2, EducationLevel.JUNIOR_COLLEGE, 3, 0, 270, 54, 180, "按每年90学时推算"),
    Row("l2_bachelor", 2, EducationLevel.BACHELOR, 1, 0, 90, 18, 60, "二（三）"),
    Row("l2_second_bachelor", 2, EducationLevel.SECOND_BACHELOR, 0, 0, 90, 18, 60, "二（三）（本科及以上）"),
    Row("l3_master", 3, EducationLevel.MASTER, 3, 1, 270, 54, 180, "二（三）"),
    Row("l3_doctor", 3, EducationLevel.DOCTOR, 0, 0, 270, 54, 180, "二（三）（研究生学历）"),
)


def _row_params(row: Row) -> tuple[ParamSpec, ...]:
    name = f"{LEVEL_NAME[row.level]}·{EDUCATION_LABEL[row.education]}"
    specs = [
        ParamSpec(f"{row.code}.years", f"初定{name}：从事专业工作年限", INT, row.years, TABLE_SOURCE, 0, 30),
    ]
    if row.years_after:
        specs.append(
            ParamSpec(
                f"{row.code}.years_after",
                f"初定{name}：其中取得学位后年限",
                INT,
                row.years_after,
                TABLE_SOURCE,
                0,
                30,
            )
        )
    specs += [
        ParamSpec(
            f"{row.code}.ce_total",
            f"初定{name}：继续教育合计学时",
            INT,
            row.ce_total,
            row.hours_source,
            0,
            3000,
        ),
        ParamSpec(
            f"{row.code}.ce_public",
            f"初定{name}：一般公需和行业公需学时",
            INT,
            row.ce_public,
            row.hours_source,
            0,
            3000,
        ),
        ParamSpec(
            f"{row.code}.ce_professional",
            f"初定{name}：专业科目学时",
            INT,
            row.ce_professional,
            row.hours_source,
            0,
            3000,
        ),
    ]
    return tuple(specs)


PARAMS = (
    ParamSpec(
        "as_of", "年限计算截止月日（评审年度）", MONTHDAY, "12-31", "（门户统一口径，见docs/eligibility.md）"
    ),
    ParamSpec("ce.years", "继续教育：统计年数", INT, 3, "二（二）（近三年）", 1, 10),
    ParamSpec(
        "ce.last_offset", "继续教育：最近一年距评审年度（年）", INT, 0, "二（二）（2019-2021年）", 0, 5
    ),
    ParamSpec("integrity.enforce", "执行弄虚作假3年内不得申报高一级职称", BOOL, True, "浙人社发〔2020〕47号"),
) + tuple(spec for row in ROWS for spec in _row_params(row))


@dataclass(frozen=True)
class _Try:
    row: Row
    education: Education
    status: str
    figures: str
    surplus: int


def _try(f: Facts, rs: RuleSetData, row: Row, e: Education) -> _Try:
    need = rs.p(f"{row.code}.years")
    if e.graduation_date is None:
        return _Try(row, e, NOT_MET, f"{e.label}：毕业时间未填写", -(10**6))
    after = f.professional(e.graduation_date)
    if f"{row.code}.years_after" in rs.params:
        need_after = rs.p(f"{row.code}.years_after")
        total = f.professional()
        ok = (need <= 0 or total.reaches(need)) and (need_after <= 0 or after.reaches(need_after))
        figures = (
            f"{e.label}（{cn_date(e.graduation_date)}毕业），"
            + years_text(total, need, f.as_of, what="从事专业工作（含学位前）")
            + f"；其中学位后{after}，需满{need_after}年"
        )
        surplus = total.days - need * 366
    else:
        ok = need <= 0 or after.reaches(need)
        figures = f"{e.label}（{cn_date(e.graduation_date)}毕业），" + years_text(
            after, need, f.as_of, what="毕业后从事专业工作"
        )
        surplus = after.days - need * 366
    status = MET if ok else NOT_MET
    if ok and e.needs_foreign_certification:
        status, figures = NEEDS_EVIDENCE, figures + "；国（境）外学历需提供教育部留学服务中心认证书"
    return _Try(row, e, status, figures, surplus)


def evaluate(f: Facts, rs: RuleSetData, ctx: EvalContext) -> Evaluation:
    level = rs.qualification_level
    level_name = LEVEL_NAME.get(level, "")
    src = rs.src("二（三）")
    common = [current_post(f, text="从事专业技术工作", source=src)]
    if rs.p("integrity.enforce"):
        common.append(integrity(rs, ctx, source="浙人社发〔2020〕47号"))

    exam = ConditionResult(
        "not_exam_series",
        "非国家、省设立统一考试的职称系列（经济、会计、审计、统计、出版、翻译、档案、卫生技术、药学、医疗器械、"
        "计算机软考等须通过考试取得职称，不再进行职称初定）",
        NOT_MET if rs.series_exam_based else MET,
        f"{rs.series_name}系列{'为统一考试系列，不进行初定' if rs.series_exam_based else '不属统一考试系列'}",
        src,
    )
    rows = [r for r in ROWS if r.level == level]
    tries = []
    for e in f.educations:
        fitting = [r for r in rows if EDUCATION_RANK[r.education] <= e.rank]
        if fitting:
            tries.append(_try(f, rs, max(fitting, key=lambda r: EDUCATION_RANK[r.education]), e))
    edu_text = (
        "学历及对应从事专业工作年限："
        + "；".join(
            f"{EDUCATION_LABEL[r.education]}{'及以上' if r.education != EducationLevel.DOCTOR else ''}"
            f"{'满' + str(rs.p(r.code + '.years')) + '年' if rs.p(r.code + '.years') else '（不限年限）'}"
            for r in rows
        )
        + f"，初定{level_name}"
    )
    if not rows:
        conditions = [
            exam,
            ConditionResult("education_years", edu_text, NOT_MET, f"{level_name}不进行初定", src),
        ]
        return Evaluation(
            common=common,
            routes=[
                make_route("initial", f"职称初定（{level_name}）", DeclarationType.INITIAL, conditions, src)
            ],
            notes=[],
        )
    if not tries:
        lowest = min(rows, key=lambda r: EDUCATION_RANK[r.education])
        best = f.highest_education
        have = f"学历为{best.label}" if best else "档案中没有学历记录"
        education = ConditionResult(
            "education_years",
            edu_text,
            NOT_MET,
            f"{have}；初定{level_name}需{EDUCATION_LABEL[lowest.education]}及以上学历",
            TABLE_SOURCE,
        )
        ce = ConditionResult(
            "ce", "继续教育学时按学历对应的从事专业工作年限计算", NOT_MET, "学历不符，无对应学时要求", src
        )
    else:
        order = {MET: 0, NEEDS_EVIDENCE: 1, NOT_MET: 2}
        best_try = min(tries, key=lambda t: (order[t.status], -t.surplus))
        row = best_try.row
        education = ConditionResult(
            "education_years", edu_text, best_try.status, best_try.figures, TABLE_SOURCE
        )
        total, public, prof = (
            rs.p(f"{row.code}.ce_total"),
            rs.p(f"{row.code}.ce_public"),
            rs.p(f"{row.code}.ce_professional"),
        )
        ce = ce_hours(
            f,
            rs,
            total=total,
            professional=prof,
            public=public,
            source=rs.src(f"二（三）；{row.hours_source}"),
            text=(
                f"继续教育学时按学历对应的从事专业工作年限计算：{EDUCATION_LABEL[row.education]}初定{level_name}"
                f"至少{total}学时，其中一般公需和行业公需科目不少于{public}学时，专业科目不少于{prof}学时"
            ),
        )
    route = make_route(
        "initial", f"职称初定（{level_name}）", DeclarationType.INITIAL, [exam, education, ce], src
    )
    return Evaluation(common=common, routes=[route], notes=[])


TEMPLATE = Template(
    code="zj_initial_2021",
    name="浙江职称初定（衢州2021继续教育学时）",
    document=DOC,
    description="初定员级、助理级、中级：学历与从事专业工作年限、继续教育学时；统一考试系列不初定。",
    levels=(1, 2, 3),
    params=PARAMS,
    evaluate=evaluate,
)
