"""The archive JSON form (docs/archive-json.md) as the engine reads it."""

from __future__ import annotations

import pytest

from rules.eligibility import NEEDS_EVIDENCE, ArchiveFormatError, parse_archive

from .archive_builder import archive, check, cond, route


def test_the_builder_form_parses():
    a = parse_archive(archive())
    assert a.identity.id_number == "330802199005171234"
    assert a.educations[0].effective_level == "bachelor"
    assert a.work_periods[0].end is None


@pytest.mark.parametrize(
    ("technical_class", "level", "label"),
    [
        # 技工院校中级工班、高级工班、预备技师（技师）的毕业证书分别按中专、大专、本科学历 (seed 000 三)
        ("intermediate_worker", "secondary", "技工院校中级工班（视同中专（中职））"),
        ("advanced_worker", "junior_college", "技工院校高级工班（视同大专（高职））"),
        ("pre_technician", "bachelor", "技工院校预备技师（技师）班（视同大学本科）"),
    ],
)
def test_technical_school_classes_count_as_education(technical_class, level, label):
    a = parse_archive(
        archive(
            educations=[
                {"level": "other", "graduation_date": "2015-06-30", "technical_class": technical_class}
            ]
        )
    )
    assert a.educations[0].effective_level == level
    assert a.educations[0].label == label


@pytest.mark.parametrize(
    ("patch", "path"),
    [
        ({"educations": [{"level": "phd", "graduation_date": "2015-06-30"}]}, "educations[0].level"),
        (
            {"educations": [{"level": "bachelor", "graduation_date": "30/06/2015"}]},
            "educations[0].graduation_date",
        ),
        ({"work_periods": [{"start": "2020-01-01", "end": "2019-01-01"}]}, "work_periods[0].end"),
        ({"titles": [{"level": 9, "obtained_date": "2020-01-01"}]}, "titles[0].level"),
        ({"ce_hours": [{"year": 2022, "public": -3}]}, "ce_hours[0].public"),
        ({"assessments": [{"year": "2022", "grade": "qualified"}]}, "assessments[0].year"),
        ({"work_periods": {"start": "2020-01-01"}}, "work_periods"),
    ],
)
def test_a_bad_value_names_its_path(patch, path):
    with pytest.raises(ArchiveFormatError) as exc:
        parse_archive(archive() | patch)
    assert exc.value.path == path


def test_missing_lists_are_empty_and_unknown_keys_are_ignored():
    a = parse_archive({"identity": {"name": "王五"}, "extra": 1})
    assert a.educations == () and a.work_periods == ()


def test_a_foreign_degree_without_certification_leaves_the_education_to_be_checked():
    edu = {"level": "master", "graduation_date": "2020-06-30", "origin": "foreign"}
    r = route(
        check("zj_engineer_mid_2023", archive(educations=[edu], work=[("2020-07-01", None)])),
        "normal_private",
    )
    c = cond(r, "years_after_graduation")
    assert c.status == NEEDS_EVIDENCE
    assert "留学服务中心认证书" in c.figures
