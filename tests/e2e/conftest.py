"""Browser tests: Playwright for Python driving Debian's Chromium against the live test server.

The portal's clock is the frozen test clock (tests/conftest.py), shared with the server thread, so a
journey moves time forward by setting it. Screenshots of each page are saved under test-artifacts/e2e/.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
UNTRANSLATED = re.compile(r"\{\{|\{%|%\}|\}\}")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (bash .ci/install installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class Actor:
    """One person at one browser: a context of their own, screenshots and checks on every page."""

    def __init__(self, browser, base_url: str, folder: Path, name: str, viewport=None):
        self.context = browser.new_context(
            viewport=viewport or {"width": 1280, "height": 900}, locale="zh-CN"
        )
        self.page = self.context.new_page()
        self.base_url = base_url
        self.folder = folder
        self.name = name
        self.errors: list[str] = []
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def goto(self, path: str):
        self.page.goto(self.base_url + path)
        self.check()

    def check(self):
        body = self.page.inner_text("body")
        assert not UNTRANSLATED.search(body), f"untranslated template text on {self.page.url}"
        assert "Traceback" not in body and "Server Error" not in body, self.page.url
        assert not self.errors, f"console errors on {self.page.url}: {self.errors}"

    def shot(self, label: str):
        self.folder.mkdir(parents=True, exist_ok=True)
        count = len(list(self.folder.glob("*.png"))) + 1
        self.page.screenshot(path=str(self.folder / f"{count:02d}-{self.name}-{label}.png"), full_page=True)

    def submit(self, button_text: str, *, within: str = "body"):
        """Press a form's button by its text and wait for the resulting page."""
        with self.page.expect_navigation():
            self.page.locator(within).get_by_role("button", name=button_text).first.click()
        self.check()

    def login(self, username: str, password: str):
        self.goto("/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.submit("登录")

    def flash(self) -> str:
        return self.page.locator(".messages").inner_text() if self.page.locator(".messages").count() else ""

    def close(self):
        self.context.close()


@pytest.fixture
def actors(browser, live_server, request):
    folder = ARTIFACTS / re.sub(r"[^\w-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)  # this run's screenshots only, numbered from 01
    created: list[Actor] = []

    def make(name: str, viewport=None) -> Actor:
        actor = Actor(browser, live_server.url, folder, name, viewport)
        created.append(actor)
        return actor

    yield make
    for actor in created:
        actor.close()
