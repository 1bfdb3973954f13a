"""The steps of the year as people take them in the browser, shared by the journey tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

from applications import publicity
from applications.models import Application, PublicityNotice
from committees.models import Meeting, ResultFiling
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
    for field, value in [
        ("opens_at", "2026-06-01T09:00"),
        ("declaration_deadline", "2026-06-30T17:00"),
        ("employer_deadline", "2026-07-31T17:00"),
        ("material_deadline", "2026-08-05T17:00"),
    ]:
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


def _add(
    applicant,
    section: str,
    fields: dict[str, str],
    selects: dict[str, str] | None = None,
    checks: tuple[str, ...] = (),
):
    page = applicant.page
    page.locator(f"section#{section} summary").click()
    for name, value in fields.items():
        page.fill(f"#id_{section}-{name}", value)
    for name, value in (selects or {}).items():
        page.select_option(f"#id_{section}-{name}", value)
    for name in checks:
        page.check(f"#id_{section}-{name}")
    applicant.submit("添加", within=f"section#{section}")


# The archive each route's applicant keeps (the rules of the plan decide what it satisfies).
EDUCATION = {"recognition": ("master", "浙江大学", "机械工程", "2012-06-30")}
WORK_FROM = {"recognition": "2012-07-01"}


def fill_archive(applicant, world, *, name: str, serial: int, route: str):
    page = applicant.page
    applicant.goto("/archive/")
    page.fill("#id_name", name)
    page.select_option("#id_id_type", "resident")
    page.fill("#id_id_number", resident_id(dt.date(1988, 3, 9), serial))
    page.select_option("#id_current_employer", str(world.employer.pk))
    applicant.submit("保存基本信息", within="section#identity")
    level, school, major, graduated = EDUCATION.get(
        route, ("bachelor", "浙江工业大学", "机械设计制造及其自动化", "2010-06-30")
    )
    _add(
        applicant,
        "educations",
        {"school": school, "major": major, "graduation_date": graduated},
        {"level": level},
    )
    _add(
        applicant,
        "work_periods",
        {"employer_name": world.employer.name, "start": WORK_FROM.get(route, "2010-07-01")},
        checks=("professional", "skilled"),
    )
    if route == "skills":
        _add(
            applicant,
            "skill_certificates",
            {"occupation": "机修钳工", "obtained_date": "2019-06-30"},
            {"level": "technician"},
        )
    if route == "exceptional":
        # 破格A类: 助理工程师 held 3 to 4 years with a bachelor's degree, and 3 of the 7 conditions left
        # to the reviewers: two provincial papers (1), a municipal award (2), a municipal new-product
        # project led by the applicant (3, 4).
        _add(
            applicant,
            "titles",
            {
                "obtained_date": "2023-03-01",
                "appointed_date": "2023-06-30",
                "issuer": "衢州市工程技术人员职称评审委员会",
            },
            {
                "series": str(world.quals[2].series_id),
                "qualification": str(world.quals[2].pk),
                "level": "2",
                "method": "review",
            },
        )
        for i, date in enumerate(("2022-05-01", "2024-09-01"), 1):
            _add(
                applicant,
                "achievements",
                {
                    "title": f"数控机床电气控制系统优化研究（{i}）",
                    "date": date,
                    "issuer": "浙江省机械工程学会",
                },
                {"kind": "paper", "level": "provincial"},
            )
        _add(
            applicant,
            "achievements",
            {
                "title": "衢州市科学技术进步奖二等奖",
                "date": "2024-12-20",
                "rank": "1",
                "issuer": "衢州市人民政府",
            },
            {"kind": "award", "level": "municipal"},
            checks=("issuer_is_government",),
        )
        _add(
            applicant,
            "achievements",
            {"title": "高速数控雕铣机新产品开发", "date": "2025-03-01", "role": "项目负责人"},
            {"kind": "project", "level": "municipal"},
        )
    for year in (2023, 2024, 2025):
        _add(
            applicant,
            "assessments",
            {"year": str(year), "employer_name": world.employer.name},
            {"grade": "qualified"},
        )
    for year in (2024, 2025, 2026):
        _add(
            applicant,
            "ce_hours",
            {
                "year": str(year),
                "public_hours": "18",
                "industry_public_hours": "0",
                "professional_hours": "72",
            },
        )
    applicant.shot("archive")


def self_check(applicant, plan: ReviewPlan, world) -> tuple[str, list[str]]:
    """The verdict on the archive and the declaration types the page offers."""
    page = applicant.page
    applicant.goto("/self-check/")
    page.select_option("#id_plan", str(plan.pk))
    page.select_option("#id_qualification", str(world.quals[3].pk))
    applicant.submit("开始自查")
    applicant.shot("self-check")
    offered = page.locator("button[name=declaration_type]").all_inner_texts()
    return applicant.page.locator("#eligibility").inner_text(), [label.strip() for label in offered]


def declare(
    applicant, plan: ReviewPlan, world, *, declaration_type: str, tmp_path, exceptional_class: str = ""
) -> Application:
    page = applicant.page
    applicant.goto(f"/applications/new/?plan={plan.pk}&qualification={world.quals[3].pk}")
    page.select_option("#id_plan", str(plan.pk))
    page.select_option("#id_qualification", str(world.quals[3].pk))
    page.select_option("#id_specialty", str(world.specialty.pk))
    page.select_option("#id_sub_specialty", str(world.specialty.subspecialties.first().pk))
    page.select_option("#id_declaration_type", declaration_type)
    if exceptional_class:
        page.select_option("#id_exceptional_class", exceptional_class)
    page.select_option("#id_channel", "employer")
    page.select_option("#id_recommending_org", str(world.employer.pk))
    applicant.shot("wizard")
    applicant.submit("下一步")
    application = Application.objects.filter(plan=plan).latest("created_at")
    files = {}
    if declaration_type == "exceptional":
        # The 破格推荐审批表 comes filled from the portal; signed and stamped, its scan is uploaded.
        files["exceptional_form"] = download(
            applicant, "打印破格推荐审批表", tmp_path / "exceptional-form.pdf"
        )
    upload_required(applicant, application, tmp_path, files)
    page.fill("#id_work_summary", "任助理工程师以来负责数控设备电气控制系统的设计与调试。")
    applicant.submit("保存", within="section#edit")
    applicant.submit("签署真实性保证书")
    applicant.shot("ready")
    applicant.submit("提交申报")
    assert "申报已提交" in applicant.flash(), applicant.flash()
    applicant.shot("submitted")
    return application


def download(actor, link_text: str, target: Path) -> Path:
    with actor.page.expect_download() as info:
        actor.page.get_by_role("link", name=link_text).first.click()
    info.value.save_as(str(target))
    assert target.read_bytes().startswith(b"%PDF"), link_text
    return target


def fetch_link(actor, link_text: str):
    """Follow a link with the browser's session without leaving the page (a PDF shown inline)."""
    href = actor.page.get_by_role("link", name=link_text).first.get_attribute("href")
    response = actor.page.request.get(actor.base_url + href)
    assert response.ok, (href, response.status)
    return response


def upload_required(applicant, application: Application, tmp_path, files: dict[str, Path] | None = None):
    from applications.services import required_materials

    document = tmp_path / "scan.pdf"
    document.write_bytes(PDF_BYTES)
    for material in required_materials(application):
        if not material.required:
            continue
        item = applicant.page.locator("ol.materials > li", has_text=material.name)
        item.locator("input[type=file]").set_input_files(str((files or {}).get(material.code, document)))
        with applicant.page.expect_navigation():
            item.get_by_role("button", name="上传").click()
        applicant.check()
        assert "材料已上传" in applicant.flash(), (material.name, applicant.flash())


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
    hr.goto("/audit/?role=hr&state=employer_audit")
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
    hr.goto("/audit/?role=hr&state=employer_publicity_done")
    _tick(hr, application)
    hr.submit("推荐所选申报")
    assert "已推荐1份申报" in hr.flash(), hr.flash()


def bureau_recommends(officer, application: Application):
    officer.goto("/audit/?role=officer&state=bureau_review")
    officer.shot("bureau-queue")
    _tick(officer, application)
    officer.submit("审核同意，推荐至评委会")
    assert "推荐" in officer.flash()


# ---------------------------------------------------------------- the committee office and its meeting


def experts_with_accounts(world, n: int = 16) -> list:
    """The committee's expert pool, each with an account of their own (set-up, as tests/committees does)."""
    from committees.models import Expert
    from tests import factories

    return [
        Expert.objects.create(
            user=factories.UserFactory(username=f"expert{i}", first_name=f"专家{i}"),
            name=f"专家{i:02d}",
            committee=world.committee,
            specialty=world.specialty,
            title=world.quals[4],
            region=world.city,
            employer_name=f"专家单位{i}",
            active_from=dt.date(2020, 1, 1),
        )
        for i in range(n)
    ]


def _queue(actor, world, state: str):
    actor.goto(f"/committee/?committee={world.committee.pk}&state={state}")


def clerk_passes_qualification(clerk, world, application: Application):
    _queue(clerk, world, "qualification_review")
    clerk.shot("committee-queue")
    with clerk.page.expect_navigation():
        clerk.page.get_by_role("link", name=application.number).click()
    clerk.check()
    assert application.archive.name in clerk.page.inner_text("h1")
    clerk.shot("qualification-review")
    clerk.page.fill("#id_note", "资格条件比对无误，材料齐全。")
    clerk.submit("资格审查通过", within="section#decide")
    assert "资格审查通过" in clerk.flash(), clerk.flash()


def clerk_publicises(clerk, world, application: Application, *, state: str, title: str) -> PublicityNotice:
    """A publicity from the office's queue: 评前公示 of the qualified, 结果公示 of the recognised."""
    _queue(clerk, world, state)
    _tick(clerk, application)
    clerk.page.fill("#id_title", title)
    clerk.page.fill("#id_contact", "0570-3071234")
    clerk.shot(f"publicise-{state}")
    clerk.submit("发布公示")
    assert "已发布公示" in clerk.flash(), clerk.flash()
    clerk.shot("notice")
    return PublicityNotice.objects.filter(entries__application=application).latest("created_at")


def clerk_creates_meeting(clerk, clock, world, application: Application) -> Meeting:
    clerk.goto("/committee/meetings/")
    with clerk.page.expect_navigation():
        clerk.page.get_by_role("link", name="创建评审会议").click()
    clerk.check()
    page = clerk.page
    held_on = clock.now().date() + dt.timedelta(days=10)  # at least a week ahead
    page.fill("#id_title", "2026年度机电制造工程师评审会议")
    page.fill("#id_held_on", held_on.isoformat())
    page.fill("#id_place", "衢州市人力资源市场三楼会议室")
    page.select_option("#id_mode", "on_site")
    page.select_option("#id_level", "3")
    clerk.shot("meeting-new")
    clerk.submit("创建")
    assert "评审会议已创建" in clerk.flash(), clerk.flash()
    meeting = Meeting.objects.filter(committee=world.committee).latest("pk")
    # The office puts the application on the meeting's list from its queue.
    _queue(clerk, world, "awaiting_meeting")
    _tick(clerk, application)
    clerk.submit("安排至")
    assert "已安排1份申报" in clerk.flash(), clerk.flash()
    clerk.shot("meeting-created")
    return meeting


def bureau_files_meeting(officer, meeting: Meeting):
    officer.goto(f"/committee/meetings/{meeting.pk}/")
    officer.page.fill("section#filing textarea[name=note]", "评审对象均已完成资格审查和评前公示，同意备案。")
    officer.shot("meeting-filing")
    officer.submit("备案确认", within="section#filing")
    assert "已备案确认" in officer.flash(), officer.flash()


def clerk_draws_and_holds_meeting(clerk, clock, meeting: Meeting) -> list:
    """The draw, the meeting day, attendance of the whole panel, and the vote opened; the panel's experts."""
    from committees import services as committee_services

    clerk.goto(f"/committee/meetings/{meeting.pk}/")
    clerk.submit("随机抽取专家")
    assert "已随机抽取专家" in clerk.flash(), clerk.flash()
    assert "抽取结果在会议开始前保密" in clerk.page.inner_text("section#draw")
    clerk.shot("drawn")
    meeting.refresh_from_db()
    clock.set(dt.datetime.combine(meeting.held_on, dt.time(1, 0), tzinfo=dt.UTC))  # 09:00 in Beijing
    clerk.goto(f"/committee/meetings/{meeting.pk}/")
    clerk.submit("会议开始")
    assert "会议已开始" in clerk.flash(), clerk.flash()
    panel = [entry.expert for entry in committee_services.panel_entries(meeting)]
    assert len(panel) == meeting.panel_size
    clerk.shot("started")
    clerk.submit("登记出席", within="section#attendance")  # everyone on the panel present on site
    assert f"出席{len(panel)}人" in clerk.flash(), clerk.flash()
    clerk.submit("开始表决", within="section#attendance")
    assert "已开始表决" in clerk.flash(), clerk.flash()
    clerk.shot("voting")
    return panel


def expert_votes(expert_actor, expert, meeting: Meeting, application: Application, *, shoot: bool = False):
    expert_actor.login(expert.user.username, "pass12345")
    expert_actor.goto("/committee/my-meetings/")
    with expert_actor.page.expect_navigation():
        expert_actor.page.get_by_role("link", name=meeting.title).click()
    expert_actor.check()
    row = expert_actor.page.locator("section#items tr", has_text=application.number)
    row.get_by_label("同意", exact=True).check()
    if shoot:
        expert_actor.shot("ballot")
    with expert_actor.page.expect_navigation():
        row.get_by_role("button", name="投票").click()
    expert_actor.check()
    assert "已投票" in expert_actor.flash(), expert_actor.flash()


def clerk_closes_meeting(clerk, meeting: Meeting, application: Application):
    clerk.goto(f"/committee/meetings/{meeting.pk}/")
    clerk.submit("结束表决并计票", within="section#close")
    assert "表决结束" in clerk.flash(), clerk.flash()
    result = clerk.page.locator("section#results tr", has_text=application.archive.name).inner_text()
    assert "通过" in result and "未通过" not in result, result
    clerk.shot("results")


def clerk_publicises_meeting_results(clerk, meeting: Meeting, application: Application) -> PublicityNotice:
    clerk.goto(f"/committee/meetings/{meeting.pk}/")
    form = f"form[action='/committee/meetings/{meeting.pk}/publicise/']"
    clerk.page.fill(f"{form} [name=title]", "2026年度机电制造工程师评审结果公示")
    clerk.page.fill(f"{form} [name=contact]", "0570-3071234")
    clerk.submit("发布结果公示", within=form)
    assert "评审结果公示已发布" in clerk.flash(), clerk.flash()
    clerk.shot("result-notice")
    return PublicityNotice.objects.filter(entries__application=application, stage="result").get()


def clerk_recognises(clerk, application: Application):
    clerk.goto(f"/committee/qualification/{application.pk}/")
    clerk.page.fill("#id_reason", "具有硕士学位，从事机电制造专业技术工作满3年，符合中级认定条件。")
    clerk.shot("recognise")
    clerk.submit("认定通过")
    assert "已认定通过" in clerk.flash(), clerk.flash()


# ---------------------------------------------------------------- result publicity, objection, filing


def visitor_objects(visitor, clock, notice: PublicityNotice, name: str):
    # The first day of the publicity, mid-morning in Beijing.
    clock.set(max(clock.now(), dt.datetime.combine(notice.first_day, dt.time(2, 0), tzinfo=dt.UTC)))
    visitor.goto("/publicity/")
    with visitor.page.expect_navigation():
        visitor.page.get_by_role("link", name=notice.title).click()
    visitor.check()
    page = visitor.page
    assert name in page.locator("#id_entry_choice").inner_text()  # the one person on this notice
    page.fill("#id_name", "李群众")
    page.fill("#id_contact", "13900000000")
    page.fill("#id_reason", "反映该同志业绩材料中的获奖情况与实际不符，请予核实。")
    visitor.shot("objection")
    clock.advance(seconds=30)  # people take a while to write (the form refuses instant submissions)
    visitor.submit("提交异议")
    assert "异议已提交" in visitor.flash(), visitor.flash()


def clerk_dismisses_objection(clerk, notice: PublicityNotice):
    clerk.goto(f"/audit/publicity/{notice.pk}/")
    objection = clerk.page.locator("div.objection", has_text="李群众")
    objection.locator("select[name=outcome]").select_option("dismissed")
    objection.locator("textarea[name=reason]").fill("经调查核实，获奖证书及公示材料真实，异议不成立。")
    clerk.shot("objection-review")
    with clerk.page.expect_navigation():
        objection.get_by_role("button", name="记录调查处理结果").click()
    clerk.check()
    assert "异议处理结果已记录" in clerk.flash(), clerk.flash()
    assert "异议不成立" in clerk.page.inner_text("div.objection")


def clerk_files_from_meeting(clerk, meeting: Meeting) -> ResultFiling:
    clerk.goto(f"/committee/meetings/{meeting.pk}/")
    clerk.submit("生成评审结果备案表")
    clerk.shot("filing")
    return ResultFiling.objects.get(meeting=meeting)


def clerk_files_from_queue(clerk, world, application: Application) -> ResultFiling:
    _queue(clerk, world, "result_publicity_done")
    _tick(clerk, application)
    clerk.submit("生成备案表")
    assert "备案表已生成" in clerk.flash(), clerk.flash()
    clerk.shot("filing")
    return ResultFiling.objects.get(entries__application=application)


def bureau_approves(officer, filing: ResultFiling):
    officer.goto("/committee/filings/")
    with officer.page.expect_navigation():
        officer.page.get_by_role("link", name=filing.title).click()
    officer.check()
    form = fetch_link(officer, "打印评审结果备案表（PDF）")  # shown inline: fetched as the browser would
    assert form.headers["content-type"] == "application/pdf" and form.body().startswith(b"%PDF")
    officer.page.fill("#id_document_no", "衢人社职〔2026〕8号")
    officer.shot("filing-approve")
    officer.submit("核准公布")
    assert "已核准公布" in officer.flash(), officer.flash()


# ---------------------------------------------------------------- the certificate


def wait_for_certificate(application: Application, timeout: float = 60.0):
    """The certificate, issued and rendered (at once in-process; a worker takes a few seconds)."""
    import time

    from certificates.models import Certificate

    deadline = time.monotonic() + timeout
    while True:
        certificate = Certificate.objects.filter(
            application=application, pdf_rendered_at__isnull=False
        ).first()
        if certificate is not None:
            return certificate
        assert time.monotonic() < deadline, f"no rendered certificate after {timeout}s"
        time.sleep(0.3)


def applicant_downloads_certificate(applicant, certificate, tmp_path) -> Path:
    applicant.goto("/certificates/mine/")
    assert certificate.number in applicant.page.inner_text("table")
    applicant.shot("my-certificates")
    return download(applicant, "下载PDF", tmp_path / "certificate.pdf")


def visitor_verifies_by_number(visitor, certificate, name: str):
    visitor.goto("/certificates/verify/")
    visitor.page.fill("#id_number", certificate.number)
    visitor.page.fill("#id_name", name)
    visitor.submit("核验")
    result = visitor.page.inner_text("section.verification")
    assert "有效" in result and name in result and certificate.number in result, result
    visitor.shot("verified-by-number")


def qr_link(pdf: Path, tmp_path) -> str:
    """The verification link of the QR code printed on the certificate (pdftoppm + zxing-cpp)."""
    import subprocess

    import zxingcpp
    from PIL import Image

    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "qr")], check=True
    )
    (text,) = [r.text for r in zxingcpp.read_barcodes(Image.open(next(tmp_path.glob("qr*.png"))))]
    return text


def visitor_verifies_by_qr(visitor, link: str, certificate, name: str):
    parts = urlsplit(link)
    assert parts.path == "/certificates/verify/" and parts.query.startswith("c="), link
    visitor.goto(f"{parts.path}?{parts.query}")  # the printed host is the portal's; here the test server
    result = visitor.page.inner_text("section.verification")
    assert "有效" in result and name in result and certificate.number in result, result
    visitor.shot("verified-by-qr")
