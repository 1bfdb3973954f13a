"""Reviewers judge what they see, in the browser: HR (from the audit queue), the committee office (from
its qualification page) and a drawn expert (from 我的评审任务 and the meeting) each open an application's
dossier (评审材料) from their own pages and find every archive section with its evidence beside it, the
evidence opening in the page (PDF); the expert sees the ID number masked. Then the office registers the
expert's recusal: the expert loses that dossier and its files at once; and once the meeting closes, every
dossier of the meeting. Screenshots at 1280 and 390 px.

Set-up (the applications' archives, moving them between the stages the journey does not look at) goes
through the services, as the committee tests do; everything the reviewers do goes through the pages.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import audit, publicity
from applications import services as application_services
from applications.models import Achievement, AnnualAssessment, ContinuingEducation, TitleHeld
from applications.states import State
from committees import services as committee_services
from portal.models import Role
from tests import factories
from tests.committees.conftest import CommitteeWorld

from .conftest import Actor

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

PASSWORD = "pass12345"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# The archive's sections (applications/dossier.py SECTIONS): section id -> heading on the page.
SECTIONS = {
    "educations": "学历",
    "work_periods": "工作经历",
    "titles": "专业技术资格",
    "assessments": "年度考核",
    "ce_hours": "继续教育学时",
    "achievements": "业绩成果",
}
GONE = (403, 404)


def _pdf(name: str) -> SimpleUploadedFile:
    """A one-page PDF that prints its own name (each file its own content: the same bytes in two
    applications would be flagged as shared)."""
    text = f"BT /F1 28 Tf 60 760 Td (Evidence: {name}) Tj ET".encode()
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>",
        b"<</Length %d>>stream\n%s\nendstream" % (len(text), text),
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return SimpleUploadedFile(name, bytes(out), "application/pdf")


def _application_with_every_section(cw: CommitteeWorld):
    """A submitted application whose archive has an entry in each section, each with its own PDF."""
    user, serial = cw.new_applicant()
    application = cw.w.ready_draft(user, serial=serial)
    archive = application.archive
    entries = {
        "educations": archive.educations.get(),
        "work_periods": archive.work_periods.get(),
        "titles": TitleHeld.objects.create(
            archive=archive,
            qualification=cw.w.quals[2],
            level=cw.w.quals[2].level,
            obtained_date=dt.date(2019, 9, 1),
            appointed_date=dt.date(2019, 12, 1),
            method="review",
        ),
        "assessments": AnnualAssessment.objects.create(archive=archive, year=2025, grade="excellent"),
        "ce_hours": ContinuingEducation.objects.create(
            archive=archive, year=2025, public_hours=30, professional_hours=60
        ),
        "achievements": Achievement.objects.create(
            archive=archive,
            kind="paper",
            title="数控机床电气控制系统优化研究",
            date=dt.date(2024, 5, 1),
            level="provincial",
        ),
    }
    for key, entry in entries.items():
        application_services.evidence_upload(
            archive=archive, entry=entry, upload=_pdf(f"{key}-{serial}.pdf"), actor=user
        )
    return application_services.application_submit(application=application, actor=user)


def _shots(actor: Actor, label: str) -> None:
    actor.page.set_viewport_size(DESKTOP)
    actor.shot(f"{label}-1280")
    actor.page.set_viewport_size(PHONE)
    actor.shot(f"{label}-390")
    width, inner = actor.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    actor.page.set_viewport_size(DESKTOP)
    assert width <= inner, f"{actor.page.url} runs off to the side at 390 px: {width}px"


def _click(actor: Actor, name: str, *, within: str = "main", exact: bool = True) -> None:
    with actor.page.expect_navigation():
        actor.page.locator(within).get_by_role("link", name=name, exact=exact).first.click()
    actor.check()


def _reads_the_dossier(actor: Actor, application) -> list[str]:
    """On the dossier page: each archive section under its heading with its own file beside its entry,
    shown in the page; the file opens inline as a PDF. Returns the addresses of the section files."""
    page = actor.page
    assert "评审材料" in page.inner_text("h1") and application.number in page.inner_text("h1")
    links = []
    for key, heading in SECTIONS.items():
        section = page.locator(f"section#{key}")
        assert section.locator("h2").inner_text().strip() == heading, key
        entry = section.locator(".dossier-entry").first
        figure = entry.locator("figure.dossier-file")
        assert figure.count() == 1, f"{heading}: {entry.inner_text()}"
        link = figure.locator("figcaption a")
        assert link.inner_text().startswith(f"{key}-"), link.inner_text()
        href = link.get_attribute("href")
        assert figure.locator(f"iframe[src='{href}']").count() == 1, f"{heading}: the PDF is not shown inline"
        response = page.request.get(actor.base_url + href)
        assert response.status == 200, (heading, response.status)
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"].startswith("inline")
        assert response.body().startswith(b"%PDF")
        links.append(href)
    return links


def _status(actor: Actor, path: str) -> int:
    return actor.page.request.get(actor.base_url + path).status


def test_hr_the_office_and_a_drawn_expert_read_the_dossier_until_recused_or_closed(
    actors, world, frozen_clock
):
    cw = CommitteeWorld(world, frozen_clock)
    first = _application_with_every_section(cw)
    second = _application_with_every_section(cw)

    # ------------------------------------------------------------ HR, from the audit queue
    hr = actors("hr")
    hr.login("hr", PASSWORD)
    _click(hr, first.number)
    _click(hr, "评审材料（提交时档案及佐证）")
    _reads_the_dossier(hr, first)
    assert first.archive.id_number in hr.page.inner_text("section#identity")
    _shots(hr, "hr-dossier")

    # The employer and the bureau recommend both (set-up): the committee's qualification check.
    world.through_employer_publicity([first, second], frozen_clock)
    for application in (first, second):
        audit.employer_recommend(application=application, actor=world.hr)
        audit.bureau_recommend(application=application, actor=world.officer)

    # ------------------------------------------------------------ the office, from its qualification page
    clerk = actors("clerk")
    clerk.login("clerk", PASSWORD)
    _click(clerk, first.number)
    assert "资格审查" in clerk.page.inner_text("h1")
    _click(clerk, "评审材料")
    _reads_the_dossier(clerk, first)
    _shots(clerk, "clerk-dossier")

    # Qualified, publicised before review and put on a meeting that starts (set-up).
    for application in (first, second):
        committee_services.qualification_pass(application=application, actor=world.clerk)
    notice = committee_services.pre_review_publicise(
        committee=cw.committee, applications=[first, second], actor=world.clerk, title="2026年度评前公示"
    )
    frozen_clock.set(notice.ends_at)
    publicity.publicity_sweep()
    for application in (first, second):
        application.refresh_from_db()
        assert application.state == State.AWAITING_MEETING
    meeting = cw.started([first, second])
    expert = cw.panel(meeting)[0]
    # The pool's accounts of the committee tests are linked directly; accepting the office's invitation
    # also makes the account a member of the committee as 评审专家, which puts 我的评审任务 in its menu.
    factories.MembershipFactory(user=expert.user, organisation=cw.committee, role=Role.EXPERT)

    # ------------------------------------------------------------ the drawn expert, from 我的评审任务
    reader = actors("expert")
    reader.login(expert.user.username, PASSWORD)
    _click(reader, "我的评审任务", within="nav.role-menu")
    _click(reader, meeting.title)
    reader.page.locator("section#items tr", has_text=first.number).get_by_role(
        "link", name="评审材料"
    ).click()
    reader.page.wait_for_load_state()
    reader.check()
    first_files = _reads_the_dossier(reader, first)
    first_dossier = urlsplit(reader.page.url).path
    identity = reader.page.inner_text("section#identity")
    number = first.archive.id_number
    assert number not in identity and number[-4:] in identity, identity
    _shots(reader, "expert-dossier")
    reader.page.go_back()
    reader.page.locator("section#items tr", has_text=second.number).get_by_role(
        "link", name="评审材料"
    ).click()
    reader.page.wait_for_load_state()
    reader.check()
    second_files = _reads_the_dossier(reader, second)
    second_dossier = urlsplit(reader.page.url).path
    meeting_files = {
        application.pk: [
            f"/committee/meetings/{meeting.pk}/evidence/{e.pk}/" for e in application.evidence.all()
        ]
        for application in (first, second)
    }
    assert all(_status(reader, path) == 200 for path in meeting_files[first.pk])

    # ------------------------------------------------------------ the office registers the recusal
    _click(clerk, "评审会议", within="nav.role-menu")
    _click(clerk, meeting.title)
    form = clerk.page.locator("section#recusal")
    form.locator("#id_r_expert").select_option(label=expert.name)
    form.locator("#id_r_app").select_option(label=first.archive.name)
    form.locator("#id_r_reason").fill("与申报人系同一项目组成员")
    _shots(clerk, "recusal")
    clerk.submit("登记回避", within="section#recusal")
    assert "回避" in clerk.flash(), clerk.flash()

    # At once: that dossier and each of its files are gone for the expert; the other stays.
    response = reader.page.goto(reader.base_url + first_dossier)
    assert response.status in GONE, response.status
    reader.errors.clear()  # the browser reports the refused page as a failed load: expected here
    reader.shot("expert-recused-dossier")
    assert all(_status(reader, path) in GONE for path in first_files + meeting_files[first.pk])
    assert _status(reader, second_dossier) == 200
    assert all(_status(reader, path) == 200 for path in second_files)
    reader.goto(f"/committee/meetings/{meeting.pk}/")
    assert "已回避" in reader.page.locator("section#items tr", has_text=first.number).inner_text()
    _shots(reader, "expert-meeting-after-recusal")

    # ------------------------------------------------------------ the office closes the meeting
    clerk.submit("登记出席", within="section#attendance")
    clerk.submit("开始表决", within="section#attendance")
    assert "已开始表决" in clerk.flash(), clerk.flash()
    clerk.page.check("section#close input[name=allow_missing]")
    clerk.page.fill("section#close textarea[name=note]", "本次演练仅核对评审材料的查阅权限，专家未投票。")
    clerk.submit("结束表决并计票", within="section#close")
    assert "表决结束" in clerk.flash(), clerk.flash()

    for path in [first_dossier, second_dossier]:
        response = reader.page.goto(reader.base_url + path)
        assert response.status in GONE, (path, response.status)
        reader.errors.clear()
    reader.shot("expert-after-close")
    every_file = first_files + second_files + meeting_files[first.pk] + meeting_files[second.pk]
    assert all(_status(reader, path) in GONE for path in every_file)


def test_a_drawn_expert_accepts_from_my_tasks_and_reads_the_dossier_before_the_meeting(
    actors, world, frozen_clock
):
    cw = CommitteeWorld(world, frozen_clock)
    applications = cw.awaiting_meeting(1)
    meeting = cw.drawn(applications)
    expert = cw.panel(meeting)[0]
    factories.MembershipFactory(user=expert.user, organisation=cw.committee, role=Role.EXPERT)
    reader = actors("expert")
    reader.login(expert.user.username, PASSWORD)
    _click(reader, "我的评审任务", within="nav.role-menu")
    row = reader.page.locator("main tr", has_text=meeting.title)
    assert row.get_by_role("button", name="确认参会").count() == 1, row.inner_text()
    with reader.page.expect_navigation():
        row.get_by_role("button", name="确认参会").click()
    reader.check()
    _click(reader, meeting.title)
    _click(reader, "评审材料")
    assert applications[0].number in reader.page.inner_text("h1")
