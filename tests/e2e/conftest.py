"""Browser tests of the /test page: the real template on the local runtime (loopback only), driven by
Playwright through Debian's chromium. Playwright never downloads a browser here.

Without /usr/bin/chromium these tests skip locally and FAIL in CI (env CI set): CI never passes silently."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
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
PHONE_WIDTH = 390


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


@contextmanager
def browser_page(browser: Any, *, locale: str, width: int, height: int) -> Iterator[Any]:
    """A page in a fresh context; a JavaScript dialog (alert, confirm...) or an uncaught error fails it."""
    context = browser.new_context(locale=locale, viewport={"width": width, "height": height})
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


@pytest.fixture
def page(browser: Any, runtime: LocalRuntime) -> Iterator[Any]:
    """A fresh English page on a desktop-sized screen."""
    with browser_page(browser, locale="en-US", width=1100, height=900) as opened:
        yield opened


@pytest.fixture
def phone(browser: Any, runtime: LocalRuntime) -> Iterator[Any]:
    """A fresh Korean page on a phone-sized screen: 390 px wide (a common phone's CSS width)."""
    with browser_page(browser, locale="ko-KR", width=PHONE_WIDTH, height=844) as opened:
        yield opened


def artifact(name: str) -> Path:
    """Where a screenshot called `name` goes: test-artifacts/e2e/<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """The page, saved under test-artifacts/e2e/; `full_page=False` keeps only what the viewport shows."""
    path = artifact(name)
    page.screenshot(path=str(path), full_page=full_page)
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


def expect_no_error(page: Any) -> None:
    """No action's error box is on screen."""
    expect(page.locator(".error:not([hidden])")).to_have_count(0)


def error_box(page: Any, action: str) -> Any:
    """The error box of an action (core.js `action(name, ...)`: data-testid "error-<name>")."""
    return page.get_by_test_id(f"error-{action}")


def in_viewport(locator: Any) -> bool:
    """Whether the element lies entirely within the visible part of the page. Layout positions are fractional
    and the browser scrolls by whole pixels, so an element scrolled to an edge may stick out by less than a
    pixel (bottom 700.09 in a 700 px viewport): that much counts as visible."""
    return bool(
        locator.evaluate(
            "e => { const r = e.getBoundingClientRect();"
            " return r.height > 0 && r.top > -1 && r.bottom < window.innerHeight + 1; }"
        )
    )


def horizontal_overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than the viewport (0: no sideways scrolling)."""
    return int(page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth"))
