"""The year carried to its end under the README's `manage.py serve` (web, a real Celery worker and beat on
the embedded SQLite), with the demo loaded at 10:00 today on the demo clock, through the pages only, each
step taken by the demo's own account for that role from its menu:

a. today's demo meeting: the filing bureau is told it awaits filing and files it (备案确认); the office
   is told and draws the experts; each drawn expert is told and finds the meeting in 我的评审任务; the
   office starts the meeting, registers attendance and opens the vote; each expert votes; the office
   closes the vote and the meeting shows who passed and who did not;
b. an application whose result publicity is over: the office prepares the result filing (评审结果备案),
   the bureau is told and approves it with its document number; the worker issues and renders the
   certificate; the holder is told, downloads the PDF (its text names the holder and the number) and an
   anonymous visitor finds it genuine on the public verification page.

Only the look-up of who is who (`manage.py shell`, as test_serve_journey does) happens outside the pages.
Screenshots at 1280 and 390 px go to test-artifacts/e2e/serve_year/.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest

from demo.tables import DEMO_PASSWORD
from tests.portal.test_serve import Served, _free_port, _migrated_database

from .conftest import ARTIFACTS, Actor
from .test_serve_journey import BEIJING, _manage

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
FOLDER = ARTIFACTS / "serve_year"

# Who is who in the loaded demo: today's meeting with the longest list, its office and filing bureau,
# and an application of the same committee whose result publicity is over.
FIND = """
import json
from applications.models import Application
from committees.models import Meeting
from committees.services import live_items
from demo.story_meetings import LIVE_TITLE
from demo.tables import PLAN_YEAR
from portal.models import Membership, Role

def first(org, role):
    m = Membership.objects.filter(organisation=org, role=role, is_active=True).order_by('pk').first()
    return m.user.username

meetings = Meeting.objects.filter(title=LIVE_TITLE.format(year=PLAN_YEAR), closed_at__isnull=True)
meeting = max(meetings, key=lambda m: (len(live_items(m)), -m.pk))
committee = meeting.committee
done = Application.objects.filter(committee=committee, state='result_publicity_done').order_by('number')
holder = done.filter(declaration_type='normal').first() or done.first()
print('JOURNEY' + json.dumps({
    'meeting': meeting.pk,
    'title': meeting.title,
    'clerk': first(committee, Role.CLERK),
    'officer': first(committee.parent_bureau, Role.OFFICER),
    'items': {i.application.number: i.application.archive.name for i in live_items(meeting)},
    'holder': {'number': holder.number, 'name': holder.archive.name, 'username': holder.applicant.username},
}, ensure_ascii=False))
"""
PANEL = """
import json
from committees.services import panel_entries
from committees.models import Meeting
meeting = Meeting.objects.get(pk={pk})
print('PANEL' + json.dumps([e.expert.user.username for e in panel_entries(meeting)]))
"""


def _read(var_dir, script: str, tag: str):
    out = _manage(var_dir, "shell", "-c", script)
    return json.loads(next(line for line in out.splitlines() if line.startswith(tag))[len(tag) :])


def _shots(actor: Actor, label: str) -> None:
    """The page at 1280 px and again at a 390 px phone's width (no horizontal scrolling there)."""
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


def _menu(actor: Actor, label: str) -> None:
    _click(actor, label, within="nav.role-menu")


def _told(actor: Actor, *words: str) -> str:
    """The notification naming all the words, in the header's 通知 page."""
    _click(actor, "通知", within="header", exact=False)
    told = [
        text
        for text in actor.page.locator("ul.list > li").all_inner_texts()
        if all(word in text for word in words)
    ]
    assert told, f"{actor.name} was not told {words}: {actor.page.inner_text('main')}"
    return told[0]


def _login(browser, base_url: str, username: str, viewport=None) -> Actor:
    actor = Actor(browser, base_url, FOLDER, username, viewport)
    actor.login(username, DEMO_PASSWORD)
    assert "演示" in actor.page.inner_text("body")  # the demo clock's banner
    return actor


def test_the_year_runs_to_a_verified_certificate_under_serve(browser, tmp_path):
    shutil.rmtree(FOLDER, ignore_errors=True)
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    _migrated_database(var_dir)
    today = dt.datetime.now(BEIJING).date()
    _manage(var_dir, "load_demo", "--now", f"{today:%Y-%m-%d}T10:00")
    who = _read(var_dir, FIND, "JOURNEY")
    assert len(who["items"]) >= 2, who

    served = Served(var_dir, _free_port())
    actors: list[Actor] = []

    def login(username: str, viewport=None) -> Actor:
        actors.append(_login(browser, base, username, viewport))
        return actors[-1]

    try:
        served.wait_for(lambda: len(served.pids()) == 3, "three children")
        served.wait_for(lambda: (b := served.health()) and b["status"] == "ok", "a healthy portal")
        base = f"http://127.0.0.1:{served.port}"

        # ------------------------------------------------ a. today's meeting, filed, drawn, held, voted
        officer = login(who["officer"])
        _told(officer, who["title"], "待备案确认")
        _shots(officer, "officer-told-filing-due")
        _menu(officer, "评审会议备案")
        _click(officer, who["title"])
        officer.page.fill(
            "section#filing textarea[name=note]", "评审对象均已完成资格审查和评前公示，同意备案。"
        )
        _shots(officer, "meeting-filing")
        officer.submit("备案确认", within="section#filing")
        assert "已备案确认" in officer.flash(), officer.flash()

        clerk = login(who["clerk"])
        _told(clerk, who["title"], "已备案确认")
        _menu(clerk, "评审会议")
        _click(clerk, who["title"])
        clerk.submit("随机抽取专家")
        assert "已随机抽取专家" in clerk.flash(), clerk.flash()
        _shots(clerk, "drawn")

        panel = _read(var_dir, PANEL.format(pk=who["meeting"]), "PANEL")
        assert len(panel) >= 5, panel
        experts = {}
        for i, username in enumerate(panel):
            expert = login(username, PHONE if i == 0 else None)
            told = _told(expert, "您被抽取为", who["title"])
            assert "请确认能否参会" in told, told
            _menu(expert, "我的评审任务")
            row = expert.page.locator("main tr", has_text=who["title"])
            assert "已抽取专家" in row.inner_text()  # the meeting is theirs; they do not decline
            if i == 0:
                _shots(expert, "expert-my-tasks")
            experts[username] = expert

        clerk.submit("会议开始")
        assert "会议已开始" in clerk.flash(), clerk.flash()
        clerk.submit("登记出席", within="section#attendance")  # the whole panel present on site
        assert f"出席{len(panel)}人" in clerk.flash(), clerk.flash()
        clerk.submit("开始表决", within="section#attendance")
        assert "已开始表决" in clerk.flash(), clerk.flash()
        _shots(clerk, "voting-opened")

        numbers = sorted(who["items"])
        refused = numbers[-1]  # the panel votes this one down
        for i, expert in enumerate(experts.values()):
            _told(expert, who["title"], "已开始")
            _menu(expert, "我的评审任务")
            _click(expert, who["title"])
            for number in numbers:
                row = expert.page.locator("section#items tr", has_text=number)
                row.get_by_label("不同意" if number == refused else "同意", exact=True).check()
                if i == 0 and number == numbers[0]:
                    _shots(expert, "ballot")
                with expert.page.expect_navigation():
                    row.get_by_role("button", name="投票").click()
                expert.check()
                assert "已投票" in expert.flash(), expert.flash()
            expert.close()
            actors.remove(expert)

        clerk.page.reload()
        clerk.submit("结束表决并计票", within="section#close")
        assert "表决结束" in clerk.flash(), clerk.flash()
        _shots(clerk, "results")
        for number, name in who["items"].items():
            result = clerk.page.locator("section#results tr", has_text=name).inner_text()
            state = clerk.page.locator("section#items tr", has_text=number).inner_text()
            if number == refused:
                assert "未通过" in result and "评审未通过" in state, (result, state)
            else:
                assert "通过" in result and "未通过" not in result, result
                assert "评审（认定）通过" in state, state

        # ------------------------------------------------ b. result filing, approval, the certificate
        holder = who["holder"]
        _menu(clerk, "资格审查")
        _click(clerk, "结果公示结束，待核准", exact=False)
        clerk.page.check(f"tr:has-text('{holder['number']}') input[name=applications]")
        clerk.page.fill("#id_title", "评审结果备案表（演示）")
        _shots(clerk, "result-filing-queue")
        clerk.submit("生成备案表")
        assert "备案表已生成" in clerk.flash(), clerk.flash()
        assert holder["name"] in clerk.page.inner_text("main")
        _shots(clerk, "result-filing")

        _told(officer, "评审结果备案表（演示）", "请核准")
        _menu(officer, "评审结果核准")
        _click(officer, "评审结果备案表（演示）")
        officer.page.fill("#id_document_no", "虞人社职〔2026〕9号")
        _shots(officer, "filing-approve")
        officer.submit("核准公布")
        assert "已核准公布" in officer.flash(), officer.flash()

        owner = login(holder["username"], PHONE)

        def rendered() -> bool:
            owner.goto("/certificates/mine/")
            return owner.page.get_by_role("link", name="下载PDF").count() > 0

        served.wait_for(rendered, "the worker to issue and render the certificate")
        number = owner.page.locator("main table tbody tr td").first.inner_text().strip()
        told = _told(owner, "电子职称证书", number)
        assert "已生成" in told, told
        _menu(owner, "我的证书")
        _shots(owner, "my-certificates")
        with owner.page.expect_download() as info:
            owner.page.get_by_role("link", name="下载PDF").first.click()
        pdf = tmp_path / "certificate.pdf"
        info.value.save_as(str(pdf))
        assert pdf.read_bytes().startswith(b"%PDF")
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert holder["name"] in text and number in text, text

        visitor = Actor(browser, base, FOLDER, "visitor", PHONE)
        actors.append(visitor)
        visitor.goto("/")
        _click(visitor, "证书查验", within="header")
        visitor.page.fill("#id_number", number)
        visitor.page.fill("#id_name", holder["name"])
        visitor.submit("核验")
        result = visitor.page.inner_text("section.verification")
        assert "有效" in result and holder["name"] in result and number in result, result
        _shots(visitor, "verified")
    finally:
        for actor in actors:
            actor.close()
        served.stop()
        FOLDER.mkdir(parents=True, exist_ok=True)
        (FOLDER / "serve.log").write_text(served.output())
