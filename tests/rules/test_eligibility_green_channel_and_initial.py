"""Seed 001 (威人社办发〔2020〕50号 三（二）, the enterprise green channel) and seed 004
(衢市人社专〔2021〕61号 二（三）, 职称初定)."""

from __future__ import annotations

import pytest

from rules.eligibility import MET, NEEDS_EVIDENCE, NOT_MET, EmployerInfo, EvalContext

from .archive_builder import achievement, archive, check, cond, route

GREEN, INITIAL = "wh_engineer_green_channel_2020", "zj_initial_2021"
ENTERPRISE = EvalContext(employer=EmployerInfo(name="威海某机械有限公司", credit_code="91371000MA3ABCDE1X"))


def green(level, a, ctx=ENTERPRISE):
    return check(GREEN, archive(year=2021, **a), year=2021, level=level, ctx=ctx)


@pytest.mark.parametrize(
    ("education", "work_from", "status"),
    [
        # 具备大学专科学历，从事相关专业工程技术工作3年以上 … 可直接申报评审助理工程师
        ("junior_college", "2018-12-31", MET),
        ("junior_college", "2019-01-01", NOT_MET),
        # 具备中等职业学校毕业学历，从事相关专业工程技术工作5年以上
        ("secondary", "2016-12-31", MET),
        ("secondary", "2017-01-01", NOT_MET),
    ],
)
def test_green_channel_assistant_engineer(education, work_from, status):
    r = green(2, {"educations": [(education, "2016-06-30")], "work": [(work_from, None)]})
    assert route(r, "green_assistant").status == status


@pytest.mark.parametrize(
    ("education", "work_from", "status"),
    [
        # 具备硕士学位或第二学士学位，从事相关专业工作3年以上
        ("master", "2018-12-31", MET),
        ("master", "2019-01-01", NOT_MET),
        ("second_bachelor", "2018-12-31", MET),
        # 具备大学本科学历或学士学位，从事相关专业工作6年以上
        ("bachelor", "2015-12-31", MET),
        ("bachelor", "2016-01-01", NOT_MET),
        # 具备大学专科学历，从事相关专业工作8年以上
        ("junior_college", "2013-12-31", MET),
        ("junior_college", "2014-01-01", NOT_MET),
    ],
)
def test_green_channel_engineer(education, work_from, status):
    r = green(3, {"educations": [(education, "2013-06-30")], "work": [(work_from, None)]})
    assert route(r, "green_engineer").status == status


def test_green_channel_is_for_enterprise_staff_and_leaves_the_standard_to_the_committee():
    a = {"educations": [("bachelor", "2010-06-30")], "work": [("2010-07-01", None)]}
    result = green(3, a)
    assert cond(result, "enterprise").status == MET
    assert cond(result, "series_standard").status == NEEDS_EVIDENCE
    assert result.verdict == "needs_evidence"
    assert result.allowed_declaration_types == ["normal"]
    # 不包括事业单位各类用工: a 事业单位 credit code starts with 12 (GB 32100-2015).
    institution = EvalContext(employer=EmployerInfo(name="某研究院", credit_code="12371000MB0000000X"))
    assert cond(green(3, a, ctx=institution), "enterprise").status == NOT_MET


def initial(level, a, **kw):
    return check(INITIAL, archive(year=2021, **a), year=2021, level=level, **kw)


@pytest.mark.parametrize(
    ("hours", "status"),
    [
        # 本科及以上学历初定助理级，至少需取得90学时，
        # 其中一般公需和行业公需科目不少于18学时，专业科目不少于60学时
        ({"public": 18, "industry_public": 0, "professional": 72}, MET),
        ({"public": 10, "industry_public": 8, "professional": 72}, MET),
        ({"public": 17, "industry_public": 0, "professional": 73}, NOT_MET),
        ({"public": 30, "industry_public": 0, "professional": 59}, NOT_MET),
        ({"public": 18, "industry_public": 0, "professional": 71}, NOT_MET),  # 89 in all
    ],
)
def test_initial_assistant_hours_for_a_bachelor(hours, status):
    a = {
        "educations": [("bachelor", "2019-06-30")],
        "work": [("2019-07-01", None)],
        "ce_hours": [{"year": 2021, **hours}],
    }
    r = route(initial(2, a), "initial")
    assert cond(r, "ce").status == status
    assert cond(r, "education_years").status == MET


@pytest.mark.parametrize(
    ("graduated", "status"),
    [
        # 研究生学历或硕士学位初定中级: 3 years of work, at least one of them after the degree
        ("2020-12-31", MET),
        ("2021-01-01", NOT_MET),
    ],
)
def test_initial_intermediate_for_a_master(graduated, status):
    a = {
        "educations": [("bachelor", "2015-06-30"), ("master", graduated)],
        "work": [("2018-12-31", None)],
        "ce_hours": [
            {"year": y, "public": 18, "industry_public": 0, "professional": 72} for y in (2019, 2020, 2021)
        ],
    }
    r = route(initial(3, a), "initial")
    assert cond(r, "education_years").status == status
    assert cond(r, "ce").status == MET  # 270 = 54 公需 + 216 专业


def test_initial_intermediate_needs_270_hours():
    a = {
        "educations": [("master", "2018-06-30")],
        "work": [("2018-07-01", None)],
        "ce_hours": [
            {"year": y, "public": 18, "industry_public": 0, "professional": 71} for y in (2019, 2020, 2021)
        ],
    }
    assert cond(route(initial(3, a), "initial"), "ce").status == NOT_MET


def test_initial_intermediate_is_not_for_a_bachelor():
    a = {"educations": [("bachelor", "2010-06-30")], "work": [("2010-07-01", None)]}
    c = cond(route(initial(3, a), "initial"), "education_years")
    assert c.status == NOT_MET
    assert "硕士研究生及以上" in c.figures


def test_exam_based_series_have_no_initial_determination():
    # 对国家、省设立统一考试的职称系列，如经济、会计 … 不再进行职称初定
    a = {
        "educations": [("bachelor", "2019-06-30")],
        "work": [("2019-07-01", None)],
        "ce_hours": [{"year": 2021, "public": 18, "industry_public": 0, "professional": 72}],
    }
    result = initial(
        2,
        a,
        series_code="economics",
        series_name="经济",
        series_exam_based=True,
        qualification_name="助理经济师",
    )
    assert cond(route(result, "initial"), "not_exam_series").status == NOT_MET
    assert result.verdict == "not_eligible"
    assert initial(2, a).verdict == "eligible"
    assert initial(2, a).allowed_declaration_types == ["initial"]


def test_green_channel_talent_cards_go_straight_to_review():
    # 持有“山东惠才卡”“威海英才卡”的高层次人才，可按规定直接申报参评相应层级的职称 (三（一）)
    a = {
        "educations": [("master", "2021-06-30")],
        "work": [("2021-07-01", None)],
        "achievements": [achievement("honour", "威海英才卡（A卡）", "2021-09-01", level="municipal")],
    }
    assert route(green(3, a), "talent_direct").status == NEEDS_EVIDENCE
    assert route(green(3, {"work": [("2021-07-01", None)]}), "talent_direct").status == NOT_MET
