"""Shaoxing private-enterprise pilots, from seed 000 (操作办法 三 评价条件): 中级 and 助级, by direct
recognition (认定) and by declaration (申报); 技工院校 classes; +1 year for a non-matching specialty.
Review year 2024, years counted to 2024-12-31."""

from __future__ import annotations

import pytest

from rules.eligibility import MET, NEEDS_EVIDENCE, NOT_MET, EvalContext

from .archive_builder import achievement, archive, check, cond, route, title

MID, ASSISTANT = "sx_engineer_mid_2020", "sx_engineer_assistant_2020"
Y = 2024


def mid(a, **kw):
    return check(
        MID, archive(year=Y, **a) if isinstance(a, dict) and "identity" not in a else a, year=Y, **kw
    )


def assistant(a, **kw):
    return check(ASSISTANT, archive(year=Y, **a), year=Y, **kw)


MISMATCH = EvalContext(specialty_matches=False)


# ---------------------------------------------------------------- 中级认定


@pytest.mark.parametrize(
    ("work_from", "ctx", "status"),
    [
        # 具有研究生学历（或硕士学位）从事专业工作满3年
        ("2021-12-31", None, MET),
        ("2022-01-01", None, NOT_MET),
        # 专业不对口的认定和申报对象，从事专业工作年限均增加一年
        ("2020-12-31", MISMATCH, MET),
        ("2021-01-01", MISMATCH, NOT_MET),
    ],
)
def test_mid_recognition_of_a_master(work_from, ctx, status):
    r = mid({"educations": [("master", "2020-06-30")], "work": [(work_from, None)]}, ctx=ctx)
    assert route(r, "recognition_degree").status == status
    assert route(r, "recognition_degree").declaration_type == "recognition"


def test_mid_recognition_of_a_doctor_in_professional_work():
    # 具有博士学位并从事专业工作 (no years)
    r = mid({"educations": [("doctor", "2024-06-30")], "work": [("2024-07-01", None)]})
    assert route(r, "recognition_degree").status == MET
    r = mid({"educations": [("doctor", "2024-06-30")], "work": [("2020-07-01", "2024-01-01")]})
    assert route(r, "recognition_degree").status == NOT_MET


def test_mid_recognition_by_skills_honour_needs_the_certificate():
    r = mid({"achievements": [achievement("honour", "全国技术能手", "2022-05-01", level="national")]})
    assert route(r, "recognition_skills").status == NEEDS_EVIDENCE
    assert route(mid({}), "recognition_skills").status == NOT_MET


# ---------------------------------------------------------------- 中级申报


@pytest.mark.parametrize(
    ("education", "graduated", "work_from", "status"),
    [
        # 研究生毕业（或取得硕士学位）从事专业工作满2年、大学本科毕业后满5年、大专（高职）毕业后满7年
        ("master", "2022-06-30", "2022-12-31", MET),
        ("master", "2022-06-30", "2023-01-01", NOT_MET),
        ("bachelor", "2019-06-30", "2019-12-31", MET),
        ("bachelor", "2019-06-30", "2020-01-01", NOT_MET),
        ("junior_college", "2017-06-30", "2017-12-31", MET),
        ("junior_college", "2017-06-30", "2018-01-01", NOT_MET),
    ],
)
def test_mid_declaration_by_education_and_years(education, graduated, work_from, status):
    r = mid({"educations": [(education, graduated)], "work": [(work_from, None)]})
    assert route(r, "declaration_education").status == status


@pytest.mark.parametrize(("work_from", "status"), [("2018-12-31", MET), ("2019-01-01", NOT_MET)])
def test_mid_declaration_with_a_non_matching_specialty_needs_six_years_for_a_bachelor(work_from, status):
    r = mid({"educations": [("bachelor", "2018-06-30")], "work": [(work_from, None)]}, ctx=MISMATCH)
    assert route(r, "declaration_education").status == status


@pytest.mark.parametrize(
    ("technical_class", "work_from", "status"),
    [
        # 技工院校高级工班毕业证书按大专学历: 7 years
        ("advanced_worker", "2017-12-31", MET),
        ("advanced_worker", "2018-01-01", NOT_MET),
        # 预备技师（技师）班按本科: 5 years
        ("pre_technician", "2019-12-31", MET),
        ("pre_technician", "2020-01-01", NOT_MET),
    ],
)
def test_mid_declaration_counts_technical_school_classes_as_education(technical_class, work_from, status):
    edu = {"level": "other", "graduation_date": "2017-06-30", "technical_class": technical_class}
    r = mid({"educations": [edu], "work": [(work_from, None)]})
    assert route(r, "declaration_education").status == status


def test_mid_declaration_does_not_accept_an_intermediate_worker_class():
    # 中级工班 counts as 中专, which the 中级 declaration table does not list.
    edu = {"level": "other", "graduation_date": "2000-06-30", "technical_class": "intermediate_worker"}
    r = mid({"educations": [edu], "work": [("2000-07-01", None)]})
    c = cond(route(r, "declaration_education"), "years_after_graduation")
    assert c.status == NOT_MET
    assert "视同中专" in c.figures


@pytest.mark.parametrize(("appointed", "status"), [("2020-12-31", MET), ("2021-01-01", NOT_MET)])
def test_mid_declaration_after_four_years_as_assistant_engineer(appointed, status):
    # 大学本科或大专（高职）学历，担任助理工程师职务满4年
    r = mid(
        {
            "educations": [("junior_college", "2010-06-30")],
            "work": [("2010-07-01", None)],
            "titles": [title(2, "2019-01-01", appointed=appointed)],
        }
    )
    assert route(r, "declaration_assistant").status == status


@pytest.mark.parametrize(("obtained", "status"), [("2021-12-31", MET), ("2022-01-01", NOT_MET)])
def test_mid_declaration_as_technician(obtained, status):
    # 具有技师职业资格或职业技能等级后从事技术技能工作满3年
    r = mid(
        {
            "educations": [("secondary", "2005-06-30")],
            "work": [],
            "skilled_work": [("2005-07-01", None)],
            "skills": [("technician", obtained)],
        }
    )
    assert route(r, "declaration_skills").status == status
    assert route(r, "declaration_skills").declaration_type == "skills"


def test_mid_declaration_two_of_five_uses_the_same_five_conditions():
    r = mid(
        {
            "educations": [("secondary", "2000-06-30")],
            "work": [("2014-12-31", None)],
            "achievements": [achievement("software_copyright", "控制软件", "2020-01-01", rank=1)],
        }
    )
    # (2) 2020—2024 software copyright ranked first; (4) 10 years to 2024-12-31.
    assert route(r, "declaration_alternative").status == MET
    assert "重点骨干" in cond(route(r, "declaration_alternative"), "f1").text


# ---------------------------------------------------------------- 助级认定


@pytest.mark.parametrize(
    ("education", "work_from", "ctx", "status"),
    [
        # 大学本科毕业后从事专业工作满1年、大专（高职）毕业后从事专业工作满3年
        ("bachelor", "2023-12-31", None, MET),
        ("bachelor", "2024-01-01", None, NOT_MET),
        ("junior_college", "2021-12-31", None, MET),
        ("junior_college", "2022-01-01", None, NOT_MET),
        ("bachelor", "2022-12-31", MISMATCH, MET),
        ("bachelor", "2023-01-01", MISMATCH, NOT_MET),
    ],
)
def test_assistant_recognition_by_education(education, work_from, ctx, status):
    r = assistant({"educations": [(education, "2021-06-30")], "work": [(work_from, None)]}, ctx=ctx)
    assert route(r, "recognition_education").status == status


# ---------------------------------------------------------------- 助级申报


@pytest.mark.parametrize(
    ("education", "work_from", "status"),
    [
        # 大专（高职）毕业后从事专业工作满2年、中专毕业后满5年
        ("junior_college", "2022-12-31", MET),
        ("junior_college", "2023-01-01", NOT_MET),
        ("secondary", "2019-12-31", MET),
        ("secondary", "2020-01-01", NOT_MET),
    ],
)
def test_assistant_declaration_by_education(education, work_from, status):
    r = assistant({"educations": [(education, "2015-06-30")], "work": [(work_from, None)]})
    assert route(r, "declaration_education").status == status


def test_a_junior_college_graduate_declares_after_two_years_but_is_recognised_after_three():
    # Seed 000 三（三）2 and 三（四）1 as written (domain.md (g) 20).
    r = assistant({"educations": [("junior_college", "2022-06-30")], "work": [("2022-07-01", None)]})
    assert route(r, "declaration_education").status == MET
    assert route(r, "recognition_education").status == NOT_MET


@pytest.mark.parametrize(("work_from", "status"), [("2019-12-31", MET), ("2020-01-01", NOT_MET)])
def test_assistant_declaration_counts_an_intermediate_worker_class_as_secondary(work_from, status):
    # 技工院校中级工班 → 中专: 5 years
    edu = {"level": "other", "graduation_date": "2019-06-30", "technical_class": "intermediate_worker"}
    r = assistant({"educations": [edu], "work": [(work_from, None)]})
    assert route(r, "declaration_education").status == status


@pytest.mark.parametrize(("work_from", "status"), [("2014-12-31", MET), ("2015-01-01", NOT_MET)])
def test_assistant_declaration_with_other_education_needs_ten_years(work_from, status):
    # 其他学历毕业后从事专业工作满10年 (here: no education recorded at all)
    r = assistant({"educations": [], "work": [(work_from, None)]})
    assert route(r, "declaration_education").status == status


@pytest.mark.parametrize(
    ("education", "appointed", "status"),
    [
        # 大专（高职）学历并担任技术员职务满2年、中专学历并担任技术员职务满4年
        ("junior_college", "2022-12-31", MET),
        ("junior_college", "2023-01-01", NOT_MET),
        ("secondary", "2020-12-31", MET),
        ("secondary", "2021-01-01", NOT_MET),
    ],
)
def test_assistant_declaration_as_technician_title_holder(education, appointed, status):
    r = assistant(
        {
            "educations": [(education, "2010-06-30")],
            "work": [("2010-07-01", None)],
            "titles": [title(1, "2020-01-01", appointed=appointed)],
        }
    )
    assert route(r, "declaration_technician").status == status


@pytest.mark.parametrize(("obtained", "status"), [("2022-12-31", MET), ("2023-01-01", NOT_MET)])
def test_assistant_declaration_as_advanced_worker(obtained, status):
    # 具有高级工职业资格或职业技能等级后从事技术技能工作满2年
    r = assistant(
        {
            "educations": [("secondary", "2010-06-30")],
            "work": [],
            "skilled_work": [("2010-07-01", None)],
            "skills": [("advanced_worker", obtained)],
        }
    )
    assert route(r, "declaration_skills").status == status


def test_the_three_previous_assessments_apply_to_every_route():
    # 近3年年度考核“合格”以上等次: 2021—2023 for 2024
    a = {
        "educations": [("bachelor", "2015-06-30")],
        "work": [("2015-07-01", None)],
        "assessments": [
            {"year": 2021, "grade": "qualified"},
            {"year": 2022, "grade": "unqualified"},
            {"year": 2023, "grade": "good"},
        ],
    }
    result = assistant(a)
    assert route(result, "recognition_education").status == MET
    assert cond(result, "assessment").status == NOT_MET
    assert result.verdict == "not_eligible"
    assert result.allowed_declaration_types == []


def test_mid_declaration_two_of_five_just_missing_the_ten_years():
    r = mid(
        {
            "educations": [("secondary", "2000-06-30")],
            "work": [("2015-01-01", None)],
            "achievements": [achievement("software_copyright", "控制软件", "2020-01-01", rank=1)],
        }
    )
    assert route(r, "declaration_alternative").status == NOT_MET


def test_assistant_recognition_by_provincial_skills_honour_needs_the_certificate():
    # 浙江省技术能手、省级一类技能竞赛前五名 …
    r = assistant(
        {"achievements": [achievement("honour", "浙江省技术能手", "2023-05-01", level="provincial")]}
    )
    assert route(r, "recognition_skills").status == NEEDS_EVIDENCE
    assert route(assistant({}), "recognition_skills").status == NOT_MET


def test_a_gap_delays_the_assistant_declaration():
    # 大专 2 years to 2024-12-31: from 2022-12-31 is just enough; a month away in 2023 is not.
    whole = assistant({"educations": [("junior_college", "2022-06-30")], "work": [("2022-12-31", None)]})
    gap = assistant(
        {
            "educations": [("junior_college", "2022-06-30")],
            "work": [("2022-12-31", "2023-05-31"), ("2023-07-01", None)],
        }
    )
    assert route(whole, "declaration_education").status == MET
    assert route(gap, "declaration_education").status == NOT_MET
