"""The /test page shows a fanned-out generation's questions and steps as they arrive, then the result.

The generating functions use the real OpenAI SDK against the loopback fake OpenAI server at a simulated
speed slow enough to watch (1 s to the first token, 40 tokens per second: each item takes several seconds,
and they finish at different times), answering like a competent model (tests/support/model_answers.py).
Questions arrive over the WebSocket; the learning path is followed by polling (`?ws=off`), which shows the
same partial results from the progress snapshot."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from careercoach.models.generation import InterviewOptions, LearningPathOptions
from careercoach.models.resume import ResumeInput
from local.runtime import LocalRuntime
from tests.e2e.conftest import (
    GENERATION_TIMEOUT_MS,
    ROOT,
    create_sample,
    expect_no_error,
    open_page,
    screenshot,
)
from tests.fakes.server import Speed
from tests.fakes.wire_formats import OpenAIChatServer
from tests.integration.api.conftest import local_runtime
from tests.support.model_answers import ModelAnswers

SAMPLE = ROOT / "samples" / "resume-ko-backend.json"


@pytest.fixture(scope="module")
def fake() -> Iterator[OpenAIChatServer]:
    with OpenAIChatServer() as server:
        content = ResumeInput.model_validate(json.loads(SAMPLE.read_text(encoding="utf-8"))).to_content()
        options = {"interview": InterviewOptions(), "learning_path": LearningPathOptions()}
        server.default_reply = ModelAnswers(content, options).reply(server)
        server.speed = Speed(time_to_first_token_s=1.0, tokens_per_s=40)
        yield server


@pytest.fixture(scope="module")
def runtime(browser: Any, fake: OpenAIChatServer) -> Iterator[LocalRuntime]:
    env = {
        "MONGODB_URI": "mongomock://localhost/e2e_partials",
        "LLM_PROVIDERS": "openai,offline",
        "OPENAI_API_KEY": "sk-test",
        "OPENAI_BASE_URL": fake.base_url,
        "GENERATION_FANOUT": "auto",
        # The async worker's calls may take their time on a busy machine: this test is about the page.
        "OPENAI_TIMEOUT_S": "120",
    }
    with local_runtime(env) as started:
        yield started


def test_questions_appear_one_by_one_over_the_websocket(page: Any, runtime: LocalRuntime) -> None:
    open_page(page, runtime)
    create_sample(page)
    page.get_by_test_id("kind-interview").check()
    page.get_by_test_id("run-async").click()

    # While the items are being written: some questions in place, the others marked as being written.
    note = page.get_by_test_id("partial-note")
    expect(note).to_contain_text(re.compile(r"Written so far: [1-4] of 5"), timeout=GENERATION_TIMEOUT_MS)
    expect(page.get_by_test_id("question-pending").first).to_be_visible()
    expect(page.get_by_test_id("partial-questions").get_by_test_id("question-card").first).to_be_visible()
    screenshot(page, "interview-partial")

    # Then the stored result replaces them.
    expect(page.get_by_test_id("progress-value")).to_have_text("100", timeout=GENERATION_TIMEOUT_MS)
    expect(page.get_by_test_id("channel")).to_have_attribute("data-channel", "websocket")
    expect(note).to_have_count(0)
    expect(page.get_by_test_id("question-card")).to_have_count(5)
    expect(page.get_by_test_id("question-pending")).to_have_count(0)
    expect(page.get_by_test_id("result-provider")).to_contain_text("openai")
    expect_no_error(page)


def test_learning_steps_appear_as_they_arrive_when_polling(page: Any, runtime: LocalRuntime) -> None:
    open_page(page, runtime, "?ws=off")
    create_sample(page)
    page.get_by_test_id("kind-learning").check()
    page.get_by_test_id("run-async").click()

    partial = page.get_by_test_id("partial-learning-path")
    expect(partial).to_be_visible(timeout=GENERATION_TIMEOUT_MS)
    # The plan's analysis and summary are there at once; steps join as they are written.
    expect(partial.get_by_test_id("path-summary")).not_to_be_empty()
    expect(partial.get_by_test_id("strength").first).to_be_visible()
    expect(page.get_by_test_id("partial-note")).to_contain_text(
        re.compile(r"Written so far: [1-6] of 7"), timeout=GENERATION_TIMEOUT_MS
    )
    expect(partial.get_by_test_id("step").first).to_be_visible()
    screenshot(page, "learning-partial")

    expect(page.get_by_test_id("progress-value")).to_have_text("100", timeout=GENERATION_TIMEOUT_MS)
    expect(page.get_by_test_id("partial-note")).to_have_count(0)
    expect(page.get_by_test_id("step")).to_have_count(7)
    expect(page.get_by_test_id("result-provider")).to_contain_text("openai")
    expect_no_error(page)
