"""工程师 in private industrial firms, from seed 003 (虞人社职〔2023〕3号, 2023 review, years counted to
2023-12-31 by 三（一）). Each threshold is tried just met and just missed."""

from __future__ import annotations

import datetime as dt

import pytest

from rules.eligibility import MET, NEEDS_EVIDENCE, NOT_MET, BanInfo, EmployerInfo, EvalContext, HonourInfo

from .archive_builder import achievement, archive, check, cond, route, title

T = "zj_engineer_mid_2023"


def run(a, **kw):
    return check(T, a, year=2023, **kw)


# ---------------------------------------------------------------- 正常申报, first paragraph: 助理工程师


@pytest.mark.parametrize(
    ("education", "obtained", "status"),
    [
        # 获得学士学位或大学本科毕业，取得助理工程师资格后，实际从事工程技术工作4年以上
        ("bachelor", "2019-12-31", MET),
        ("bachelor", "2020-01-01", NOT_MET),
        # 大学专科毕业 … 4年以上
        ("junior_college", "2019-12-31", MET),
        ("junior_college", "2020-01-01", NOT_MET),
        # 获得硕士学位或取得第二学士学位 … 2年以上
        ("master", "2021-12-31", MET),
        ("master", "2022-01-01", NOT_MET),
        ("second_bachelor", "2021-12-31", MET),
        ("second_bachelor", "2022-01-01", NOT_MET),
    ],
)
def test_normal_with_assistant_title_counts_years_after_the_title(education, obtained, status):
    a = archive(
        educations=[(education, "2012-06-30")], work=[("2012-07-01", None)], titles=[title(2, obtained)]
    )
    assert route(run(a), "normal_assistant").status == status


def test_normal_with_assistant_title_excludes_a_gap_in_work():
    # Exactly 4 years after a title of 2019-12-31, but one day without work in 2021.
    a = archive(work=[("2012-07-01", "2021-05-31"), ("2021-06-02", None)], titles=[title(2, "2019-12-31")])
    r = route(run(a), "normal_assistant")
    assert r.status == NOT_MET
    assert "需满4年" in cond(r, "years_since_title").figures


def test_normal_with_assistant_title_needs_junior_college_or_above():
    a = archive(
        educations=[("secondary", "2005-06-30")], work=[("2005-07-01", None)], titles=[title(2, "2010-01-01")]
    )
    r = route(run(a), "normal_assistant")
    assert cond(r, "education").status == NOT_MET
    assert r.status == NOT_MET


def test_a_title_of_another_series_is_not_an_assistant_engineer_title():
    a = archive(titles=[title(2, "2015-01-01", name="助理经济师", series="economics")])
    assert cond(route(run(a), "normal_assistant"), "assistant_title").status == NOT_MET


# ---------------------------------------------------------------- 正常申报, second paragraph: no 助理工程师


@pytest.mark.parametrize(
    ("education", "graduated", "work_from", "status"),
    [
        # 大学本科毕业后从事专业工作满5年
        ("bachelor", "2018-06-30", "2018-12-31", MET),
        ("bachelor", "2018-06-30", "2019-01-01", NOT_MET),
        # 研究生毕业（或取得硕士学位）从事专业工作满2年
        ("master", "2021-06-30", "2021-12-31", MET),
        ("master", "2021-06-30", "2022-01-01", NOT_MET),
        # 大专（高职）毕业后从事专业工作满7年
        ("junior_college", "2016-06-30", "2016-12-31", MET),
        ("junior_college", "2016-06-30", "2017-01-01", NOT_MET),
    ],
)
def test_normal_without_title_counts_professional_work_after_graduation(
    education, graduated, work_from, status
):
    a = archive(educations=[(education, graduated)], work=[(work_from, None)])
    assert cond(route(run(a), "normal_private"), "years_after_graduation").status == status


def test_work_before_graduation_does_not_count():
    # 毕业后从事专业工作: 8 years of work, but only 4.5 after the degree.
    a = archive(educations=[("bachelor", "2019-06-30")], work=[("2015-07-01", None)])
    c = cond(route(run(a), "normal_private"), "years_after_graduation")
    assert c.status == NOT_MET
    assert "4年6个月" in c.figures


@pytest.mark.parametrize(("work_from", "status"), [("2017-12-31", MET), ("2018-01-01", NOT_MET)])
def test_a_non_matching_specialty_adds_one_year(work_from, status):
    # 专业不对口人员从事专业工作年限需增加一年: a bachelor needs 6 years.
    a = archive(educations=[("bachelor", "2017-06-30")], work=[(work_from, None)])
    matching = run(a)
    mismatched = run(a, ctx=EvalContext(specialty_matches=False))
    assert cond(route(matching, "normal_private"), "years_after_graduation").status == MET
    c = cond(route(mismatched, "normal_private"), "years_after_graduation")
    assert c.status == status
    assert "需满6年" in c.figures


def test_the_non_matching_specialty_does_not_lengthen_the_assistant_title_path():
    a = archive(titles=[title(2, "2019-12-31")])
    result = run(a, ctx=EvalContext(specialty_matches=False))
    assert route(result, "normal_assistant").status == MET


def test_the_private_path_is_for_those_without_an_assistant_engineer_title():
    a = archive(
        educations=[("bachelor", "2010-06-30")], work=[("2010-07-01", None)], titles=[title(2, "2022-01-01")]
    )
    r = route(run(a), "normal_private")
    assert cond(r, "no_assistant_title").status == NOT_MET
    assert cond(r, "years_after_graduation").status == MET


def test_a_registered_private_enterprise_satisfies_the_employer_condition():
    a = archive(educations=[("bachelor", "2010-06-30")], work=[("2010-07-01", None)])
    employer = EmployerInfo(
        name="某机电有限公司",
        credit_code="91330604MA2BCDEF1X",
        organisation_id=7,
        kind="enterprise",
        is_private=True,
    )
    r = route(run(a, ctx=EvalContext(employer=employer)), "normal_private")
    assert r.status == MET
    public = EmployerInfo(name="某研究所", credit_code="12330604MA2BCDEF1X")
    assert (
        cond(route(run(a, ctx=EvalContext(employer=public)), "normal_private"), "private_enterprise").status
        == NOT_MET
    )


# ---------------------------------------------------------------- 正常申报: any 2 of the 5 conditions


def patent(date, patent_type="invention", rank=1):
    return achievement("patent", f"{patent_type}专利", date, patent_type=patent_type, rank=rank)


@pytest.mark.parametrize(
    ("patent_date", "work_from", "status"),
    [
        # (2) 近五年 = 2019—2023 for the 2023 review; (4) 从事本专业技术工作10年以上
        ("2019-01-01", "2013-12-31", MET),
        ("2018-12-31", "2013-12-31", NOT_MET),
        ("2019-01-01", "2014-01-01", NOT_MET),
    ],
)
def test_two_of_five_with_an_invention_patent_and_ten_years(patent_date, work_from, status):
    a = archive(
        educations=[("secondary", "2005-06-30")], work=[(work_from, None)], achievements=[patent(patent_date)]
    )
    assert route(run(a), "normal_alternative").status == status


@pytest.mark.parametrize(
    ("patents", "status"),
    [
        ([patent("2020-01-01", "utility")] * 3, MET),
        ([patent("2020-01-01", "utility")] * 2, NOT_MET),
        (
            [
                patent("2020-01-01", "utility"),
                patent("2020-01-01", "utility"),
                patent("2020-01-01", "utility", rank=2),
            ],
            NOT_MET,
        ),  # 须排名第一
        ([achievement("software_copyright", "控制软件V1.0", "2021-05-01", rank=1)], MET),
        ([patent("2021-01-01", "design")], NOT_MET),  # a design patent is not listed
    ],
)
def test_the_patent_condition(patents, status):
    a = archive(achievements=patents)
    assert cond(route(run(a), "normal_alternative"), "f2").status == status


def test_judgement_conditions_leave_the_route_open_for_the_reviewers():
    a = archive(
        work=[("2012-07-01", None)],
        achievements=[
            achievement(
                "project", "市级技术创新项目：高效电机控制器", "2021-03-01", level="municipal", rank=1
            ),
            achievement("award", "县政府科技进步奖", "2022-01-01", level="county", issuer_is_government=True),
        ],
    )
    r = route(run(a), "normal_alternative")
    assert cond(r, "f1").status == NEEDS_EVIDENCE
    assert cond(r, "f5").status == NEEDS_EVIDENCE
    assert r.status == NEEDS_EVIDENCE


def test_an_award_from_an_association_does_not_count():
    # (5) 受到县级以上党委、政府表彰奖励 (not associations)
    a = archive(
        achievements=[
            achievement(
                "award",
                "机械工程学会优秀论文奖",
                "2022-01-01",
                level="provincial",
                issuer_is_government=False,
            )
        ]
    )
    assert cond(route(run(a), "normal_alternative"), "f5").status == NOT_MET


# ---------------------------------------------------------------- 破格 A类


@pytest.mark.parametrize(
    ("education", "appointed", "status"),
    [
        # 不具备规定学历，担任助理工程师职务4年以上
        ("secondary", "2019-12-31", MET),
        ("secondary", "2020-01-01", NOT_MET),
        # 具备规定学历，担任助理工程师职务未满4年的（必须满3年）
        ("bachelor", "2020-12-31", MET),
        ("bachelor", "2021-01-01", NOT_MET),
    ],
)
def test_exceptional_a_years_holding_the_assistant_title(education, appointed, status):
    a = archive(
        educations=[(education, "2000-06-30")],
        work=[("2000-07-01", None)],
        titles=[title(2, "2018-01-01", appointed=appointed)],
    )
    assert cond(route(run(a), "exceptional_a"), "base").status == status


def test_exceptional_a_without_an_appointment_counts_from_the_qualification_date():
    a = archive(
        educations=[("bachelor", "2000-06-30")], work=[("2000-07-01", None)], titles=[title(2, "2020-12-31")]
    )
    assert cond(route(run(a), "exceptional_a"), "base").status == MET


@pytest.mark.parametrize(
    ("graduated", "work_from", "status"),
    [
        # (6) 从事专业技术工作中专毕业十五年以上
        ("2008-06-30", "2008-12-31", MET),
        ("2008-06-30", "2009-01-01", NOT_MET),
    ],
)
def test_exceptional_a_fifteen_years_after_secondary_school(graduated, work_from, status):
    a = archive(educations=[("secondary", graduated)], work=[(work_from, None)])
    assert cond(route(run(a), "exceptional_a"), "p6").status == status


@pytest.mark.parametrize(("work_from", "status"), [("2003-12-31", MET), ("2004-01-01", NOT_MET)])
def test_exceptional_a_twenty_years_with_other_education(work_from, status):
    a = archive(educations=[("junior_college", "2003-06-30")], work=[(work_from, None)])
    assert cond(route(run(a), "exceptional_a"), "p6").status == status


def test_exceptional_a_needs_three_of_the_seven_conditions():
    base = {
        "educations": [("secondary", "2000-06-30")],
        "work": [("2000-07-01", None)],
        "titles": [title(2, "2015-01-01")],
    }
    two_papers = [achievement("paper", f"论文{i}", "2021-01-01", level="provincial") for i in range(2)]
    award = achievement("award", "市科技进步二等奖", "2022-01-01", level="municipal", rank=2)
    # (6) met by 23 years; (1) and (2) are candidates for the reviewers → open.
    r = route(run(archive(**base, achievements=[*two_papers, award])), "exceptional_a")
    assert cond(r, "three_of_seven").status == NEEDS_EVIDENCE
    assert r.status == NEEDS_EVIDENCE
    # One paper only: (1) fails, (6) and (2) make two → not enough.
    r = route(run(archive(**base, achievements=[two_papers[0], award])), "exceptional_a")
    assert cond(r, "p1").status == NOT_MET
    assert r.status == NOT_MET


# ---------------------------------------------------------------- 破格 B类


CATEGORY = ("little_giant", "国家级专精特新小巨人企业")


def enterprise(*, issued_on: str, level: str = "national", used: int = 0, extra=()):
    honours = (
        HonourInfo(
            CATEGORY[0],
            CATEGORY[1],
            level,
            "国家级专精特新小巨人企业",
            "工信部企业函〔2022〕xx号",
            dt.date.fromisoformat(issued_on),
        ),
        *extra,
    )
    return EmployerInfo(
        name="某机电有限公司",
        credit_code="91330604MA2BCDEF1X",
        organisation_id=7,
        kind="enterprise",
        is_private=True,
        honours=honours,
        quota_used=used,
    )


def b_candidate():
    return archive(
        educations=[("secondary", "2010-06-30")],
        work=[("2010-07-01", None)],
        achievements=[
            achievement(
                "project",
                "高速伺服电机研发项目",
                "2022-03-01",
                level="enterprise",
                rank=1,
                role="项目技术负责人",
            )
        ],
    )


@pytest.mark.parametrize(
    ("issued_on", "status"),
    [
        # 发文时间为上一年度7月1日至当年度6月30日
        ("2022-07-01", MET),
        ("2023-06-30", MET),
        ("2022-06-30", NOT_MET),
        ("2023-07-01", NOT_MET),
    ],
)
def test_exceptional_b_honour_validity_window(issued_on, status):
    r = route(run(b_candidate(), ctx=EvalContext(employer=enterprise(issued_on=issued_on))), "exceptional_b")
    assert cond(r, "honour").status == status


@pytest.mark.parametrize(
    ("level", "used", "status"),
    [
        # 获国家级荣誉企业推荐人数不超过3人，省级荣誉企业推荐人数不超过2人
        ("national", 2, MET),
        ("national", 3, NOT_MET),
        ("provincial", 1, MET),
        ("provincial", 2, NOT_MET),
    ],
)
def test_exceptional_b_quota(level, used, status):
    ctx = EvalContext(employer=enterprise(issued_on="2022-09-01", level=level, used=used))
    assert cond(route(run(b_candidate(), ctx=ctx), "exceptional_b"), "quota").status == status


def test_exceptional_b_quota_with_both_honour_levels_is_the_national_one():
    provincial = HonourInfo(
        CATEGORY[0], "省级智能工厂", "provincial", "省级智能工厂", "浙经信〔2022〕1号", dt.date(2022, 10, 1)
    )
    ctx = EvalContext(employer=enterprise(issued_on="2022-09-01", used=2, extra=(provincial,)))
    c = cond(route(run(b_candidate(), ctx=ctx), "exceptional_b"), "quota")
    assert c.status == MET
    assert "名额3人" in c.figures


def test_exceptional_b_counts_this_applications_own_place():
    ctx = EvalContext(employer=enterprise(issued_on="2022-09-01", used=2), reservation_slot=3)
    assert cond(route(run(b_candidate(), ctx=ctx), "exceptional_b"), "quota").status == MET


def test_exceptional_b_is_for_those_without_the_required_education_or_the_title():
    ctx = EvalContext(employer=enterprise(issued_on="2022-09-01"))
    r = route(run(b_candidate(), ctx=ctx), "exceptional_b")
    assert r.status == NEEDS_EVIDENCE  # the project lead is checked on the 项目申报书
    with_degree = archive(
        educations=[("junior_college", "2010-06-30")],
        work=[("2010-07-01", None)],
        achievements=b_candidate()["achievements"],
    )
    assert cond(route(run(with_degree, ctx=ctx), "exceptional_b"), "no_required_education").status == NOT_MET
    with_title = b_candidate() | {"titles": [title(2, "2018-01-01")]}
    assert cond(route(run(with_title, ctx=ctx), "exceptional_b"), "no_assistant_title").status == NOT_MET


def test_exceptional_b_honour_outside_the_plan_list_does_not_count():
    other = HonourInfo("other_list", "某市级荣誉", "national", "某荣誉", "x", dt.date(2022, 9, 1))
    employer = EmployerInfo(name="某公司", organisation_id=7, kind="enterprise", honours=(other,))
    r = route(run(b_candidate(), ctx=EvalContext(employer=employer)), "exceptional_b")
    assert cond(r, "honour").status == NOT_MET


# ---------------------------------------------------------------- 技能人才申报


@pytest.mark.parametrize(
    ("level", "obtained", "status"),
    [
        # 具有技师职业资格或职业技能等级后从事技术技能工作满3年
        ("technician", "2020-12-31", MET),
        ("technician", "2021-01-01", NOT_MET),
        ("senior_technician", "2020-12-31", MET),
        ("advanced_worker", "2015-01-01", NOT_MET),
    ],
)
def test_skills_talent_route(level, obtained, status):
    a = archive(
        educations=[("secondary", "2005-06-30")],
        work=[],
        skilled_work=[("2005-07-01", None)],
        skills=[(level, obtained)],
    )
    assert route(run(a), "skills").status == status


# ---------------------------------------------------------------- common conditions


@pytest.mark.parametrize(
    ("grades", "status"),
    [
        # 近3年（2020-2022年）考核合格，需填逐年考核结果
        ({2020: "qualified", 2021: "excellent", 2022: "good"}, MET),
        ({2020: "qualified", 2021: "basic", 2022: "good"}, NOT_MET),  # 基本合格 is below 合格
        ({2020: "qualified", 2021: "qualified"}, NOT_MET),  # 2022 missing
        ({2021: "qualified", 2022: "qualified", 2023: "qualified"}, NOT_MET),  # 2023 is not one of the three
    ],
)
def test_annual_assessments_of_the_three_previous_years(grades, status):
    a = archive(
        titles=[title(2, "2019-01-01")], assessments=[{"year": y, "grade": g} for y, g in grades.items()]
    )
    assert cond(run(a), "assessment").status == status


@pytest.mark.parametrize(
    ("hours", "status"),
    [
        # 近3年（2021-2023年）不少于270学时（其中专业课不少于180学时，公需课不少于54学时）
        ({2021: (30, 0, 60), 2022: (30, 0, 60), 2023: (30, 0, 60)}, MET),  # 270 = 180 专业 + 90 公需
        ({2021: (30, 0, 60), 2022: (30, 0, 60), 2023: (30, 0, 59)}, NOT_MET),  # 269 in all, 179 professional
        ({2021: (17, 0, 73), 2022: (18, 0, 72), 2023: (18, 0, 72)}, NOT_MET),  # 公需 53
        ({2021: (10, 8, 72), 2022: (18, 0, 72), 2023: (18, 0, 72)}, MET),  # 行业公需 counts as 公需
        ({2020: (30, 0, 60), 2021: (30, 0, 60), 2022: (30, 0, 60)}, NOT_MET),  # 2020 is outside
    ],
)
def test_continuing_education_hours(hours, status):
    rows = [
        {"year": y, "public": p, "industry_public": i, "professional": q} for y, (p, i, q) in hours.items()
    ]
    a = archive(titles=[title(2, "2019-01-01")], ce_hours=rows)
    result = run(a)
    assert cond(result, "ce").status == status
    assert (result.verdict == "eligible") == (status == MET)


@pytest.mark.parametrize(
    ("review_year", "level", "status"),
    [
        # 从评审次年起3年内不得申报高一级专业技术资格: found in 2022 → 2023-2025 banned
        (2022, 3, NOT_MET),
        (2020, 3, NOT_MET),
        (2019, 3, MET),  # 2020-2022 is over
        (2022, 4, MET),  # the ban was for 高级; 工程师 is not higher
    ],
)
def test_integrity_ban(review_year, level, status):
    ban = BanInfo(
        review_year=review_year,
        first_year=review_year + 1,
        last_year=review_year + 3,
        level=level,
        decision_document="绍人社〔2022〕9号",
    )
    result = run(archive(titles=[title(2, "2019-01-01")]), ctx=EvalContext(bans=(ban,)))
    assert cond(result, "integrity").status == status
    assert result.eligible == (status == MET)


def test_not_currently_in_professional_work_fails_the_common_condition():
    a = archive(work=[("2012-07-01", "2022-12-31")], titles=[title(2, "2015-01-01")])
    assert cond(run(a), "post").status == NOT_MET


# ---------------------------------------------------------------- the result as a whole


def test_the_result_names_the_routes_and_the_types_that_can_be_used():
    a = archive(titles=[title(2, "2019-12-31")])
    result = run(a)
    assert result.verdict == "eligible"
    assert result.allowed_declaration_types == ["normal"]
    data = result.as_dict()
    assert [r["code"] for r in data["routes"]] == [
        "normal_assistant",
        "normal_private",
        "normal_alternative",
        "exceptional_a",
        "exceptional_b",
        "skills",
    ]
    years = cond(route(result, "normal_assistant"), "years_since_title")
    assert years.figures.startswith(
        "大学本科，需4年；助理工程师（2019年12月31日取得）后实际从事工程技术工作4年"
    )
    assert "截至2023年12月31日" in years.figures
    assert years.source == "虞人社职〔2023〕3号 附件1 二（二）1"


def test_a_requested_declaration_type_narrows_the_verdict():
    a = archive(titles=[title(2, "2019-12-31")])
    assert run(a, ctx=EvalContext(declaration_type="skills")).verdict == "not_eligible"
    exceptional = run(a, ctx=EvalContext(declaration_type="exceptional", exceptional_class="A"))
    assert [r.code for r in exceptional.routes if r.selected] == ["exceptional_a"]
    recognition = run(a, ctx=EvalContext(declaration_type="recognition"))
    assert recognition.verdict == "not_eligible"
    assert cond(recognition, "declaration_type").status == NOT_MET


def test_a_short_route_tells_when_it_will_be_met():
    a = archive(titles=[title(2, "2020-03-01")])
    c = cond(route(run(a), "normal_assistant"), "years_since_title")
    assert "2024年3月1日满4年（可参加2024年度评审）" in c.figures


def test_a_bureau_changed_threshold_is_used():
    a = archive(titles=[title(2, "2020-12-31")])
    assert route(run(a), "normal_assistant").status == NOT_MET
    assert route(run(a, params={"n1.bachelor_years": 3}), "normal_assistant").status == MET


@pytest.mark.parametrize(("as_of", "status"), [("02-28", MET), ("02-27", NOT_MET)])
def test_a_start_on_29_february_completes_its_years_on_28_february(as_of, status):
    # A bureau counting to another day: 5 years from 2016-02-29 end on 2021-02-28 (民法典第二百零二条).
    a = archive(year=2021, educations=[("bachelor", "2016-02-29")], work=[("2016-02-29", None)])
    result = check(T, a, year=2021, params={"as_of": as_of})
    assert cond(route(result, "normal_private"), "years_after_graduation").status == status


def test_a_skilled_worker_in_skilled_work_holds_a_current_post_and_may_use_the_skills_route():
    a = archive(
        educations=[("secondary", "2005-06-30")],
        work=[],
        skilled_work=[("2005-07-01", None)],
        skills=[("technician", "2015-01-01")],
    )
    result = run(a)
    assert cond(result, "post").status == MET
    assert result.allowed_declaration_types == ["skills"]
