"""Browser tests of the /test page: the real template on the local runtime (loopback only), driven by
Playwright through Debian's chromium. Playwright never downloads a browser here.

Without /usr/bin/chromium these tests skip locally and FAIL in CI (env CI set): CI never passes silently."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from local.runtime import LocalRuntime
from tests.integration.api.conftest import local_runtime

ROOT: Path = Path(__file__).resolve().parents[2]
ARTIFACTS: Path = ROOT / "test-artifacts" / "e2e"
CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
ENV = {"MONGODB_URI": "mongomock://localhost/e2e", "LLM_PROVIDERS": "offline"}
GENERATION_TIMEOUT_MS = 60_000


def _require_browser() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: install Debian's chromium (`make browser`) to run the browser tests"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def runtime(browser: Any) -> Iterator[LocalRuntime]:
    with local_runtime(ENV) as started:
        yield started


@pytest.fixture
def page(browser: Any, runtime: LocalRuntime) -> Iterator[Any]:
    """A fresh English page; any JavaScript dialog (alert, confirm...) fails the test."""
    context = browser.new_context(locale="en-US", viewport={"width": 1100, "height": 900})
    context.set_default_timeout(15_000)
    opened = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    opened.on("dialog", on_dialog)
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not dialogs, f"the page opened a dialog: {dialogs}"
    assert not errors, f"uncaught errors in the page: {errors}"


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# --- steps on the page, shared by the test modules ------------------------------------------------------
def open_page(page: Any, runtime: LocalRuntime, query: str = "") -> None:
    page.goto(f"{runtime.http_url}/test{query}")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")


def create_sample(page: Any, sample: str = "sample-rich-ko") -> str:
    page.get_by_test_id(sample).click()
    page.get_by_test_id("create-resume").click()
    key = page.get_by_test_id("unique-key")
    expect(key).to_have_text(re.compile(r"^[A-Za-z0-9_-]{22}$"))
    return str(key.text_content())


def run_async(page: Any, kind: str) -> None:
    page.get_by_test_id(f"kind-{kind}").check()
    page.get_by_test_id("run-async").click()
    expect(page.get_by_test_id("progress-value")).to_have_text("100", timeout=GENERATION_TIMEOUT_MS)
    expect(page.get_by_test_id("progress")).to_have_attribute("data-value", "100")
    expect(page.get_by_test_id("stage")).to_have_attribute("data-stage", "saved")
