"""The steps of the year as people take them in the browser, shared by the journey tests."""

from __future__ import annotations

import datetime as dt

from applications import publicity
from applications.models import Application, PublicityNotice
from portal.models import ReviewPlan
from tests.conftest import PDF_BYTES
from tests.factories import resident_id

PASSWORD = "Journey-2026-pass"


def publish_plan(clerk, world, code: str) -> ReviewPlan:
    clerk.goto("/office/plans/new/")
    clerk.shot("plan-form")
    page = clerk.page
    page.fill("#id_code", code)
    page.fill("#id_title", f"2026年度机电制造工程师评审计划（{code}）")
    page.select_option("#id_committee", str(world.committee.pk))
    page.fill("#id_year", "2026")
    page.select_option("#id_qualifications", [str(world.quals[3].pk), str(world.quals[2].pk)])
    page.select_option("#id_specialties", [str(world.specialty.pk)])
    for field, value in [("opens_at", "2026-06-01T09:00"), ("declaration_deadline", "2026-06-30T17:00"),
                         ("employer_deadline", "2026-07-31T17:00"), ("material_deadline", "2026-08-05T17:00")]:
        page.fill(f"#id_{field}", value)
    page.select_option("#id_receiving_org", str(world.bureau.pk))
    page.fill("#id_document_no", "衢人社发〔2026〕18号")
    page.fill("#id_expected_review_month", "9-10月")
    clerk.submit("保存")
    clerk.submit("发布", within=f"tr:has-text('{code}')")
    assert "评审计划已发布" in clerk.flash()
    clerk.shot("plan-published")
    return ReviewPlan.objects.get(code=code)


def sign_up(applicant, username: str, name: str):
    applicant.goto("/signup/")
    page = applicant.page
    page.fill("#id_username", username)
    page.fill("#id_full_name", name)
    page.fill("#id_email", f"{username}@example.cn")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    applicant.shot("signup")
    applicant.submit("注册")


def _add(applicant, section: str, fields: dict[str, str], selects: dict[str, str] | None = None,
         checks: tuple[str, ...] = ()):
    page = applicant.page
    page.locator(f"section#{section} summary").click()
    for name, value in fields.items():
        page.fill(f"#id_{section}-{name}", value)
    for name, value in (selects or {}).items():
        page.select_option(f"#id_{section}-{name}", value)
    for name in checks:
        page.check(f"#id_{section}-{name}")
    applicant.submit("添加", within=f"section#{section}")


def fill_archive(applicant, world, *, name: str, serial: int, route: str):
    page = applicant.page
    applicant.goto("/archive/")
    page.fill("#id_name", name)
    page.select_option("#id_id_type", "resident")
    page.fill("#id_id_number", resident_id(dt.date(1988, 3, 9), serial))
    page.select_option("#id_current_employer", str(world.employer.pk))
    applicant.submit("保存基本信息", within="section#identity")
    _add(applicant, "educations", {"school": "浙江工业大学", "major": "机械设计制造及其自动化",
                                   "graduation_date": "2010-06-30"}, {"level": "bachelor"})
    _add(applicant, "work_periods", {"employer_name": world.employer.name, "start": "2010-07-01"},
         checks=("professional", "skilled"))
    if route == "skills":
        _add(applicant, "skill_certificates", {"occupation": "机修钳工", "obtained_date": "2019-06-30"},
             {"level": "technician"})
    for year in (2023, 2024, 2025):
        _add(applicant, "assessments", {"year": str(year), "employer_name": world.employer.name},
             {"grade": "qualified"})
    for year in (2024, 2025, 2026):
        _add(applicant, "ce_hours", {"year": str(year), "public_hours": "18", "industry_public_hours": "0",
                                     "professional_hours": "72"})
    applicant.shot("archive")


def self_check(applicant, plan: ReviewPlan, world) -> str:
    applicant.goto(f"/self-check/?plan={plan.pk}&qualification={world.quals[3].pk}&specialty_matches=on")
    applicant.shot("self-check")
    return applicant.page.locator("#eligibility").inner_text()


def declare(applicant, plan: ReviewPlan, world, *, declaration_type: str, tmp_path) -> Application:
    page = applicant.page
    applicant.goto(f"/applications/new/?plan={plan.pk}&qualification={world.quals[3].pk}")
    page.select_option("#id_plan", str(plan.pk))
    page.select_option("#id_qualification", str(world.quals[3].pk))
    page.select_option("#id_specialty", str(world.specialty.pk))
    page.select_option("#id_sub_specialty", str(world.specialty.subspecialties.first().pk))
    page.select_option("#id_declaration_type", declaration_type)
    page.select_option("#id_channel", "employer")
    page.select_option("#id_recommending_org", str(world.employer.pk))
    applicant.shot("wizard")
    applicant.submit("下一步")
    application = Application.objects.filter(plan=plan).latest("created_at")
    upload_required(applicant, application, tmp_path)
    page.fill("#id_work_summary", "任助理工程师以来负责数控设备电气控制系统的设计与调试。")
    applicant.submit("保存", within="section#edit")
    applicant.submit("签署真实性保证书")
    applicant.shot("ready")
    applicant.submit("提交申报")
    assert "申报已提交" in applicant.flash(), applicant.flash()
    applicant.shot("submitted")
    return application


def upload_required(applicant, application: Application, tmp_path):
    from applications.services import required_materials

    document = tmp_path / "scan.pdf"
    document.write_bytes(PDF_BYTES)
    for material in required_materials(application):
        if not material.required:
            continue
        item = applicant.page.locator("ol.materials > li", has_text=material.name)
        item.locator("input[type=file]").set_input_files(str(document))
        with applicant.page.expect_navigation():
            item.get_by_role("button", name="上传").click()
        applicant.check()


def hr_returns_one_item(hr, application: Application):
    hr.goto(f"/applications/{application.pk}/")
    hr.shot("audit")
    hr.page.fill("#id_item_degree", "学历学位证书扫描件不清晰，请重新上传")
    hr.submit("退回申报人修改")
    assert "已退回" in hr.flash()


def applicant_corrects(applicant, application: Application, tmp_path):
    applicant.goto(f"/applications/{application.pk}/")
    assert "学历学位证书扫描件不清晰" in applicant.page.inner_text("#returned")
    applicant.shot("returned")
    item = applicant.page.locator("ol.materials > li", has_text="学历学位证书")
    with applicant.page.expect_navigation():
        item.get_by_role("button", name="删除").first.click()
    document = tmp_path / "clear-scan.pdf"
    document.write_bytes(PDF_BYTES)
    item = applicant.page.locator("ol.materials > li", has_text="学历学位证书")
    item.locator("input[type=file]").set_input_files(str(document))
    with applicant.page.expect_navigation():
        item.get_by_role("button", name="上传").click()
    applicant.submit("修改后重新提交")
    assert "重新提交" in applicant.flash()


def _tick(actor, application: Application):
    actor.page.check(f"input[name=applications][value='{application.pk}']")


def hr_publicises(hr, application: Application) -> PublicityNotice:
    hr.goto("/review/?role=hr&state=employer_audit")
    _tick(hr, application)
    hr.page.fill("#id_title", "2026年度工程师职称申报人员公示")
    hr.page.fill("#id_contact", "0570-1234567")
    hr.shot("publicise")
    hr.submit("审核通过并公示")
    hr.shot("notice")
    return PublicityNotice.objects.filter(entries__application=application).latest("created_at")


def publicity_passes(clock, notice: PublicityNotice):
    """Time moves past the period; the beat's sweep advances what is due."""
    clock.set(notice.ends_at + dt.timedelta(minutes=5))
    publicity.publicity_sweep()


def hr_recommends(hr, application: Application):
    hr.goto("/review/?role=hr&state=employer_publicity_done")
    _tick(hr, application)
    hr.submit("推荐所选申报")
    assert "已推荐1份申报" in hr.flash(), hr.flash()


def bureau_recommends(officer, application: Application):
    officer.goto("/review/?role=officer&state=bureau_review")
    officer.shot("bureau-queue")
    _tick(officer, application)
    officer.submit("审核同意，推荐至评委会")
    assert "推荐" in officer.flash()
