"""The /test page's Practice card in headless chromium: a whole session (questions generated, a session
started, answers submitted sync and async, the evaluation read, the follow-up answered, finished with its
summary, a learning path made from it), in Korean and in English, with screenshots; and a mock interview,
whose feedback waits for the end. Every piece of text is rendered as text."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import expect

from local.runtime import LocalRuntime
from tests.e2e.conftest import (
    GENERATION_TIMEOUT_MS,
    ROOT,
    create_sample,
    expect_no_error,
    open_page,
    run_async,
    screenshot,
)

ANSWERS = {
    "ko": json.loads(json.loads((ROOT / "events/practice/answer-ko.json").read_text("utf-8"))["body"])[
        "answer"
    ],
    "en": json.loads(json.loads((ROOT / "events/practice/answer-en.json").read_text("utf-8"))["body"])[
        "answer"
    ],
}
XSS = "<img src=x onerror=alert(1)> 모르겠습니다"


def answer(page: Any, text: str, *, asynchronous: bool = False) -> None:
    page.get_by_test_id("practice-answer").fill(text)
    page.get_by_test_id("practice-submit-async" if asynchronous else "practice-submit").click()
    expect(page.get_by_test_id("practice-stage")).to_have_attribute(
        "data-stage", "saved", timeout=GENERATION_TIMEOUT_MS
    )


def practise(page: Any, runtime: LocalRuntime, sample: str, language: str) -> None:
    open_page(page, runtime, f"?lang={language}")
    create_sample(page, sample)
    run_async(page, "interview")
    page.get_by_test_id("practice-start").click()
    expect(page.get_by_test_id("practice-session")).to_be_visible()
    expect(page.get_by_test_id("practice-question")).not_to_be_empty()
    expect(page.get_by_test_id("practice-timer")).to_have_text("0:01", timeout=5000)  # the timer runs

    answer(page, ANSWERS[language])
    expect(page.get_by_test_id("practice-score")).to_have_text(lambda_score())
    assert page.get_by_test_id("practice-rubric-item").count() >= 4
    assert (
        page.get_by_test_id("practice-missing").count() + page.get_by_test_id("practice-covered").count() >= 2
    )
    assert page.get_by_test_id("practice-outline").count() >= 2
    assert page.get_by_test_id("practice-evidence").count() >= 1
    expect(page.get_by_test_id("practice-note")).to_be_visible()  # the offline evaluator says so
    expect(page.get_by_test_id("practice-follow-up")).to_be_visible()
    expect(page.get_by_test_id("practice-learning-path")).to_be_hidden()  # offered once finished
    screenshot(page, f"practice-evaluation-{language}")

    page.get_by_test_id("practice-answer-follow-up").click()
    expect(page.get_by_test_id("practice-position")).to_have_attribute("data-question-id", "q1-f1")
    answer(page, XSS, asynchronous=True)  # async, with its progress polled; markup stays text
    expect(page.get_by_test_id("practice-verdict")).not_to_be_empty()
    assert page.evaluate("() => document.querySelector('#practice-feedback img') === null")

    page.get_by_test_id("practice-finish").click()
    expect(page.get_by_test_id("practice-overall")).not_to_be_empty()
    assert page.get_by_test_id("practice-next-step").count() >= 1
    assert page.get_by_test_id("practice-weak-point").count() >= 1
    screenshot(page, f"practice-summary-{language}")

    page.get_by_test_id("practice-learning-path").click()
    expect(page.get_by_test_id("step").first).to_be_visible(timeout=GENERATION_TIMEOUT_MS)
    expect_no_error(page)
    screenshot(page, f"practice-learning-path-{language}")


def lambda_score() -> Any:
    import re

    return re.compile(r"^\d{1,3}$")


def test_a_whole_practice_session_in_korean(page: Any, runtime: LocalRuntime) -> None:
    practise(page, runtime, "sample-rich-ko", "ko")


def test_a_whole_practice_session_in_english(page: Any, runtime: LocalRuntime) -> None:
    practise(page, runtime, "sample-rich-en", "en")


def test_a_mock_interview_keeps_the_feedback_for_the_end(page: Any, runtime: LocalRuntime) -> None:
    open_page(page, runtime, "?lang=en")
    create_sample(page, "sample-rich-en")
    run_async(page, "interview")
    page.get_by_test_id("practice-mode").select_option("mock")
    page.get_by_test_id("practice-start").click()
    answer(page, ANSWERS["en"])
    expect(page.get_by_test_id("practice-hidden")).to_be_visible()
    expect(page.get_by_test_id("practice-score")).to_have_count(0)
    # The interviewer's follow-up is the next turn.
    expect(page.get_by_test_id("practice-position")).to_have_attribute("data-question-id", "q1-f1")
    page.get_by_test_id("practice-finish").click()
    expect(page.get_by_test_id("practice-score")).to_be_visible()
    expect(page.get_by_test_id("practice-unanswered").first).to_be_visible()
    screenshot(page, "practice-mock-finished")
