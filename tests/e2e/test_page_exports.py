"""The /test page's Export card, with authentication on (so the download has to carry the token): the links
follow the current resume and start day, a click downloads the file the API names, errors (no resume, no
token, nothing generated yet) appear beside the links, and the files are what the API makes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
from playwright.sync_api import expect

from local.runtime import LocalRuntime
from tests.e2e.conftest import (
    ENV,
    GENERATION_TIMEOUT_MS,
    artifact,
    create_sample,
    error_box,
    expect_no_error,
    local_runtime,
    open_page,
    screenshot,
)


@pytest.fixture(scope="module")
def runtime(browser: Any) -> Iterator[LocalRuntime]:
    """Overrides conftest's runtime for this module: auth on, as a deployment would run."""
    with local_runtime(ENV, auth=True) as started:
        yield started


def set_token(page: Any, runtime: LocalRuntime, sub: str) -> str:
    assert runtime.dev_issuer is not None
    token = runtime.dev_issuer.token(sub)
    page.get_by_test_id("access-token").fill(token)
    return token


def run_sync(page: Any, kind: str) -> None:
    page.get_by_test_id(f"kind-{kind}").check()
    page.get_by_test_id("run-sync").click()
    expect(page.get_by_test_id("stage")).to_have_attribute(
        "data-stage", "saved", timeout=GENERATION_TIMEOUT_MS
    )


def downloaded(page: Any, testid: str) -> tuple[str, str]:
    """Click an export link; the file's suggested name and its text."""
    with page.expect_download() as started:
        page.get_by_test_id(testid).click()
    file = started.value
    return str(file.suggested_filename), Path(file.path()).read_text(encoding="utf-8")


def test_the_export_links_download_the_latest_results_with_the_token(
    page: Any, runtime: LocalRuntime
) -> None:
    sent: list[tuple[str, str | None]] = []
    page.on(
        "request",
        lambda request: (
            sent.append((request.url, request.headers.get("authorization")))
            if ".md" in request.url or ".ics" in request.url
            else None
        ),
    )
    open_page(page, runtime)
    markdown, calendar = page.get_by_test_id("export-markdown"), page.get_by_test_id("export-calendar")

    # No resume yet: the links lead nowhere, and a click says why, beside them.
    expect(markdown).to_have_attribute("aria-disabled", "true")
    markdown.click()
    box = error_box(page, "export")
    expect(box.get_by_test_id("error-message")).to_have_text("Create or load a resume first.")
    assert box.evaluate("(box) => box.previousElementSibling.id") == "export-links"

    token = set_token(page, runtime, "alice")
    key = create_sample(page, "sample-rich-en")
    expect(markdown).to_have_attribute("href", f"api/v1/interview/{key}/questions.md")
    expect(calendar).to_have_attribute("href", f"api/v1/learning/{key}/learning-path.ics")

    # Nothing generated yet: the API's 404, explained beside the links.
    markdown.click()
    expect(box.get_by_test_id("error-code")).to_contain_text("generation_not_found")
    screenshot(page, "export-nothing-generated")

    run_sync(page, "interview")
    name, text = downloaded(page, "export-markdown")
    assert name.startswith("interview-questions-") and name.endswith(".md")
    shown = page.get_by_test_id("question-text").all_text_contents()
    assert text.startswith("# Interview questions") and text.count("\n## ") == len(shown) == 5
    expect_no_error(page)

    run_sync(page, "learning")
    start = date(2025, 9, 1)
    page.get_by_test_id("export-start").fill(start.isoformat())
    expect(calendar).to_have_attribute("href", f"api/v1/learning/{key}/learning-path.ics?start=2025-09-01")
    name, text = downloaded(page, "export-calendar")
    assert name == "learning-path-2025-09-01.ics"
    events = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert len(events) == page.get_by_test_id("step").count()
    assert events[0].decoded("DTSTART") == start
    weeks = sum(int(w.split()[0]) for w in page.get_by_test_id("step-weeks").all_text_contents())
    assert events[-1].decoded("DTEND") == start + timedelta(weeks=weeks)
    expect(page.get_by_test_id("event-log")).to_contain_text("Downloaded learning-path-2025-09-01.ics")
    expect_no_error(page)
    card = page.locator("section", has=page.get_by_test_id("export-links"))
    card.screenshot(path=str(artifact("export-card-downloaded")))

    # Each download carried the token; none went out without it.
    assert sent and all(auth == f"Bearer {token}" for _, auth in sent), sent

    # Without a token, the API's JWT authorizer refuses, and the page says what to do.
    page.get_by_test_id("forget-token").click()
    calendar.click()
    expect(box.get_by_test_id("error-message")).to_have_text("Sign-in needed: paste a valid access token")


def test_the_export_card_in_korean(page: Any, runtime: LocalRuntime) -> None:
    open_page(page, runtime, "?lang=ko")
    set_token(page, runtime, "bob")
    create_sample(page)
    expect(page.get_by_test_id("export-calendar")).to_have_text("학습 경로 (iCalendar, .ics)")
    page.get_by_test_id("export-calendar").click()
    message = error_box(page, "export").get_by_test_id("error-message")
    expect(message).to_have_text("이 이력서로 아직 생성된 결과가 없습니다.")
    card = page.locator("section", has=page.get_by_test_id("export-links"))
    card.screenshot(path=str(artifact("export-card-korean-nothing-generated")))
