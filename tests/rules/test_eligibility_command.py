"""manage.py eligibility: one archive → JSON; many archives (JSON lines or Excel) → a result table."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from portal.models import TitleLevel
from rules.services.rulesets import ruleset_install_defaults
from tests import factories

from .archive_builder import archive, title

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = factories.PlanFactory(year=2023, code="yu-2023")
    ruleset_install_defaults(
        plan=plan,
        template="zj_engineer_mid_2023",
        qualification=plan.qualifications.get(level=TitleLevel.INTERMEDIATE),
    )
    return plan


def run(*args) -> str:
    out = io.StringIO()
    call_command("eligibility", *args, stdout=out)
    return out.getvalue()


def test_one_archive_prints_the_result_as_json(plan, tmp_path):
    path = tmp_path / "a.json"
    path.write_text(
        json.dumps(archive(year=2023, titles=[title(2, "2019-12-31")]), ensure_ascii=False), "utf-8"
    )
    data = json.loads(run("--plan", "yu-2023", "--archive", str(path)))
    assert data["verdict"] == "eligible"
    assert data["allowed_declaration_types"] == ["normal"]
    years = data["routes"][0]["conditions"][2]
    assert years["status"] == "met"
    assert "截至2023年12月31日" in years["figures"]


def test_options_of_the_declaration_are_passed_on(plan, tmp_path):
    path = tmp_path / "a.json"
    # 本科 5 years 6 months after graduation: enough, but not the 6 years of a non-matching specialty.
    path.write_text(
        json.dumps(archive(year=2023, educations=[("bachelor", "2018-06-30")], work=[("2018-07-01", None)])),
        "utf-8",
    )
    matching = json.loads(run("--plan", "yu-2023", "--archive", str(path), "--declaration-type", "normal"))
    mismatched = json.loads(
        run(
            "--plan",
            "yu-2023",
            "--archive",
            str(path),
            "--declaration-type",
            "normal",
            "--specialty-mismatch",
        )
    )
    private = {r["code"]: r for r in matching["routes"]}["normal_private"]["conditions"][2]
    assert private["status"] == "met"
    private = {r["code"]: r for r in mismatched["routes"]}["normal_private"]["conditions"][2]
    assert private["status"] == "not_met"


def test_bulk_json_lines_to_csv(plan, tmp_path):
    src = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"ref": "A1", "archive": archive(year=2023, titles=[title(2, "2019-12-31")])}),
        json.dumps(archive(year=2023, titles=[title(2, "2020-01-01")], id_number="330802199005170000")),
        "{not json",
        json.dumps({"ref": "A4", "archive": archive() | {"educations": [{"level": "phd"}]}}),
    ]
    src.write_text("\n".join(lines) + "\n", "utf-8")
    out = tmp_path / "out.csv"
    message = run("--plan", "yu-2023", "--bulk", str(src), "--output", str(out))
    assert "已检查4个档案" in message
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [r["编号"] for r in rows] == ["A1", "330802199005170000", "第3行", "A4"]
    assert rows[0]["总体结论"] == "符合条件"
    assert rows[0]["正常申报（已取得助理工程师资格）"] == "符合条件"
    assert rows[1]["总体结论"] == "不符合条件"
    assert "需满4年" in rows[1]["不符合的条件"]
    assert rows[2]["错误"].startswith("JSON格式错误")
    assert "educations[0].level" in rows[3]["错误"]


def test_bulk_flat_excel_sheet_to_excel(plan, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "编号",
            "姓名",
            "证件号码",
            "学历",
            "技工院校班级",
            "毕业时间",
            "专业工作经历",
            "职称名称",
            "职称取得时间",
            "年度考核",
            "继续教育",
            "专业对口",
        ]
    )
    ce = "2021:18+0+72;2022:18+0+72;2023:18+0+72"
    grades = "2020:合格;2021:优秀;2022:合格"
    sheet.append(
        [
            "1",
            "李四",
            "330802199001011234",
            "本科",
            "",
            "2012-06-30",
            "2012-07-01~",
            "助理工程师",
            "2019-12-31",
            grades,
            ce,
            "是",
        ]
    )
    sheet.append(
        [
            "2",
            "王五",
            "330802199001011235",
            "其他",
            "高级工班",
            "2016-06-30",
            "2016-12-31~",
            "",
            "",
            grades,
            ce,
            "是",
        ]
    )
    sheet.append(["3", "赵六", "330802199001011236", "博士后", "", "2016-06-30", "", "", "", "", "", ""])
    src = tmp_path / "list.xlsx"
    book.save(src)
    out = tmp_path / "result.xlsx"
    run("--plan", "yu-2023", "--bulk", str(src), "--output", str(out))
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    header = rows[0]
    by_ref = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert by_ref["1"]["总体结论"] == "符合条件"
    # 高级工班 counts as 大专: 7 years after 2016-06-30, worked from 2016-12-31 → just met (seed 000).
    assert by_ref["2"]["正常申报（民营工业企业，无助理工程师职称）"] != "不符合条件"
    assert "未知的学历" in by_ref["3"]["错误"]


def test_bulk_excel_with_the_archive_json_column(plan, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["编号", "档案JSON", "申报类型"])
    sheet.append(
        [
            "X1",
            json.dumps(archive(year=2023, titles=[title(2, "2019-12-31")]), ensure_ascii=False),
            "技能人才",
        ]
    )
    src = tmp_path / "json.xlsx"
    book.save(src)
    out = tmp_path / "result.jsonl"
    run("--plan", "yu-2023", "--bulk", str(src), "--output", str(out))
    record = json.loads(out.read_text("utf-8").splitlines()[0])
    assert record["ref"] == "X1"
    assert record["result"]["declaration_type"] == "skills"
    assert record["result"]["verdict"] == "not_eligible"


def test_install_and_list_templates(tmp_path):
    plan = factories.PlanFactory(year=2024, code="sx-2024")
    message = run("--plan", "sx-2024", "--install", "sx_engineer_assistant_2020")
    assert "助理工程师" in message
    assert plan.rule_sets.get().template == "sx_engineer_assistant_2020"
    assert "zj_initial_2021" in run("--templates")
    with pytest.raises(CommandError):
        run("--plan", "sx-2024", "--install", "sx_engineer_assistant_2020", "--qualification", "不存在")
    with pytest.raises(CommandError):
        run("--plan", "nope", "--archive", "x.json")
