"""Every role's menu, walked in a browser on the demo data: each demo account signs in through the login
page, lands on its own work page, and opens every item of its menu by clicking it, on a desktop and on
a 390 px phone.

Each page must answer without an error status, lead on somewhere (a link or a form outside the header,
the menu and the footer), show no internal code word or command (the word list of test_page_text.py)
and, on the phone, not run off to the side. The menus are read from portal.menus when the test runs, so
an item added to a role is walked without editing this test.

Screenshots go to the test's tmp path and, when E2E_SHOTS names a directory, there too.
"""

from __future__ import annotations

import os
import re
import shutil
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from demo.people import ADMIN_ROLE_LABEL
from portal.menus import landing_url, menu_for
from portal.models import Role
from tests.test_page_text import code_words, find_codes, visible_text

from .conftest import Actor

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# The role of each journey, by the label load_demo prints in its accounts table.
ROLES = {
    "applicant": str(Role.APPLICANT.label),
    "hr": str(Role.HR.label),
    "officer": str(Role.OFFICER.label),
    "clerk": str(Role.CLERK.label),
    "expert": str(Role.EXPERT.label),
    "auditor": str(Role.AUDITOR.label),
    "admin": ADMIN_ROLE_LABEL,
}
# Links and forms that lead on from a page's own content: not the site's header and footer (on every
# page), not the role menu (on every signed-in page).
LEADS_ON = """() => [...document.querySelectorAll('a[href], form')].filter(el =>
    !el.closest('header, footer, .site-footer, nav.role-menu, #sweep-status')
    && !(el.tagName === 'A' && /^(#|javascript:)/.test(el.getAttribute('href')))
).length"""
OVERFLOW = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def demo_accounts() -> dict[str, tuple[str, str]]:
    """Load the demo; its printed accounts table, as role label -> (username, password) of the first
    account printed with that role."""
    out = StringIO()
    call_command("load_demo", stdout=out)
    lines = out.getvalue().splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("--")) + 1
    accounts: dict[str, tuple[str, str]] = {}
    for line in lines[start:]:
        if not line.strip():
            break
        username, password, role = line.split()[:3]
        accounts.setdefault(role, (username, password))
    return accounts


class Walk:
    """One account at one screen width: its screenshots and the problems found, each naming the role and
    the menu item."""

    def __init__(self, actor: Actor, role: str, width: int, folders: list[Path], words: set[str]):
        self.actor, self.page = actor, actor.page
        self.role, self.width, self.folders, self.words = role, width, folders, words
        self.problems: list[str] = []
        self.count = 0
        # What the page loaded besides itself that failed (a missing stylesheet, icon or script).
        self.failed: list[str] = []
        self.page.on(
            "response",
            lambda response: (
                response.status >= 400
                and response.request.resource_type != "document"
                and self.failed.append(f"{response.status} {response.url}")
            ),
        )

    def problem(self, where: str, what: str) -> None:
        self.problems.append(f"{self.role} @{self.width}px · {where}: {what}")

    def shot(self, name: str) -> None:
        self.count += 1
        slug = re.sub(r"[^\w-]+", "_", name)
        filename = f"{self.role}-{self.width}-{self.count:02d}-{slug}.png"
        self.folders[0].mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(self.folders[0] / filename), full_page=True)
        for folder in self.folders[1:]:
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copy(self.folders[0] / filename, folder / filename)

    def sign_in(self, username: str, password: str) -> None:
        self.page.goto(self.actor.base_url + reverse("login"))
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="登录").click()
        self.shot("landing")
        self.check("after signing in")

    def menu_link(self, section: str, label: str):
        menu = self.page.locator("nav.role-menu .menu-section").filter(
            has=self.page.locator(".menu-title", has_text=section)
        )
        return menu.get_by_role("link", name=label, exact=True)

    def open(self, section: str, item, start_paths: list[str]) -> None:
        """Click the menu item (from the current page, or from the first start page that shows the menu)
        and check the page it opens."""
        where = f"{section} › {item.label}"
        link = self.menu_link(section, str(item.label))
        for path in start_paths:
            if link.count():
                break
            self.page.goto(self.actor.base_url + path)
        if not link.count():
            self.problem(where, "the menu item is not in the menu")
            return
        with self.page.expect_navigation() as navigation:
            link.first.click()
        response = navigation.value
        self.shot(item.url_name.replace(":", "-"))
        if response is not None and response.status >= 400:
            self.problem(where, f"HTTP {response.status} at {self.page.url}")
        if urlsplit(self.page.url).path != urlsplit(item.url).path:
            self.problem(where, f"opened {self.page.url} instead of {item.url}")
        self.check(where)

    def check(self, where: str) -> None:
        if self.failed or self.actor.errors:
            self.problem(where, f"failed to load: {'; '.join(self.failed + self.actor.errors)}")
            self.failed.clear()
            self.actor.errors.clear()
        if not self.page.evaluate(LEADS_ON):
            self.problem(where, f"dead end: no link or form leads on from {self.page.url}")
        codes = find_codes(visible_text(self.page.content()), self.words)
        if codes:
            self.problem(where, f"code words on the page: {', '.join(codes)}")
        scroll_width, inner_width = self.page.evaluate(OVERFLOW)
        if scroll_width > inner_width:
            self.problem(where, f"runs off to the side: {scroll_width}px wide in a {inner_width}px window")


@pytest.mark.parametrize("role", list(ROLES))
def test_every_menu_item_of_the_role_opens_a_usable_page(role, browser, live_server, tmp_path):
    accounts = demo_accounts()
    assert ROLES[role] in accounts, f"load_demo printed no account with the role {ROLES[role]}: {accounts}"
    username, password = accounts[ROLES[role]]
    user = get_user_model().objects.get(username=username)
    landing = landing_url(user)
    sections = [(section.title, section.items) for section in menu_for(user)]
    words = code_words()
    folders = [tmp_path / "role-menus"]
    if os.environ.get("E2E_SHOTS"):
        folders.append(Path(os.environ["E2E_SHOTS"]))

    problems: list[str] = []
    for viewport in (DESKTOP, PHONE):
        actor = Actor(browser, live_server.url, folders[0], role, viewport)
        try:
            walk = Walk(actor, role, viewport["width"], folders, words)
            walk.sign_in(username, password)
            landed = urlsplit(actor.page.url)
            expected = urlsplit(landing)
            if (landed.path, landed.query) != (expected.path, expected.query):
                walk.problem("after signing in", f"landed on {actor.page.url}, not on {landing}")
            # The admin site has no role menu: its items are clicked from a portal page.
            start_paths = [landing, reverse("notifications")]
            for title, items in sections:
                for item in items:
                    walk.open(title, item, start_paths)
            problems += walk.problems
        finally:
            actor.close()
    assert not problems, "\n".join([f"{role} ({username}): {len(problems)} problem(s)", *problems])
