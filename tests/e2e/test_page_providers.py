"""The provider field offers what the generating functions have configured, read from their health endpoints
(`GET /api/v1/{interview,learning}/health` -> {"providers": [...]}), "auto" first. The runtime here has two:
OpenAI (pointed at a loopback fake that answers every call with a 500) and the offline generator. An import
that the offline extractor structured after OpenAI failed, and an answer the offline evaluator scored after
OpenAI failed, show the same fallback note as a result."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from local.runtime import LocalRuntime
from tests.e2e.conftest import (
    GENERATION_TIMEOUT_MS,
    create_sample,
    error_box,
    local_runtime,
    open_page,
    run_async,
    screenshot,
)
from tests.fakes.wire_formats import OpenAIChatServer
from tests.support.documents import corpus, render_text


@pytest.fixture(scope="module")
def openai_down() -> Iterator[OpenAIChatServer]:
    """OpenAI's wire format on loopback, with no scripted reply: every completion is a 500."""
    with OpenAIChatServer() as server:
        yield server


@pytest.fixture(scope="module")
def runtime(browser: Any, openai_down: OpenAIChatServer) -> Iterator[LocalRuntime]:
    """Overrides conftest's runtime for this module (the `page` fixture gets this one)."""
    env = {
        "MONGODB_URI": "mongomock://localhost/e2e-providers",
        "LLM_PROVIDERS": "openai,offline",
        "OPENAI_API_KEY": "sk-test",
        "OPENAI_BASE_URL": openai_down.base_url,
        "LLM_REQUEST_RESERVE_MS": "0",
    }
    with local_runtime(env) as started:
        yield started


def option_values(page: Any) -> list[str]:
    return list(
        page.get_by_test_id("opt-provider").locator("option").evaluate_all("os => os.map(o => o.value)")
    )


def test_provider_list_comes_from_health(page: Any, runtime: LocalRuntime) -> None:
    health: list[str] = []
    generate_bodies: list[Any] = []

    def on_request(request: Any) -> None:
        if request.url.endswith("/health"):
            health.append(request.url.removeprefix(runtime.http_url))
        elif request.method == "POST" and request.url.endswith("/questions"):
            generate_bodies.append(json.loads(request.post_data or "{}"))

    page.on("request", on_request)
    open_page(page, runtime)
    provider = page.get_by_test_id("opt-provider")
    expect(provider).to_have_attribute("data-state", "ready")
    assert option_values(page) == ["auto", "openai", "offline"]
    assert provider.locator("option").all_text_contents() == [
        "auto",
        "openai",
        "offline (built-in generator)",
    ]
    expect(page.get_by_test_id("providers-hint")).to_have_text(
        "auto tries them in this order: openai → offline"
    )
    assert health == ["/api/v1/interview/health"]

    # Each kind asks its own function.
    page.get_by_test_id("kind-learning").check()
    expect(provider).to_have_attribute("data-state", "ready")
    assert health == ["/api/v1/interview/health", "/api/v1/learning/health"]
    assert option_values(page) == ["auto", "openai", "offline"]
    page.get_by_test_id("kind-interview").check()

    # Choosing OpenAI sends it, and OpenAI is down: the 503 lists the attempts beside the Run buttons.
    create_sample(page, "sample-short")
    provider.select_option("openai")
    page.get_by_test_id("opt-count").fill("2")
    page.get_by_test_id("run-sync").click()
    box = error_box(page, "generate")
    expect(box.get_by_test_id("error-code")).to_contain_text(
        "providers_exhausted · HTTP status 503", timeout=GENERATION_TIMEOUT_MS
    )
    expect(box.get_by_test_id("error-details").locator("li").first).to_contain_text("openai · ")
    expect(box.get_by_test_id("error-details")).to_contain_text("server_error")
    assert generate_bodies[-1] == {"count": 2, "provider": "openai"}
    page.get_by_test_id("ui-lang").select_option("ko")
    expect(box.get_by_test_id("error-message")).to_have_text(
        "모든 AI 제공자가 실패했거나 시간이 부족했습니다. 잠시 후 다시 시도하세요."
    )
    expect(page.get_by_test_id("providers-hint")).to_have_text(
        "자동은 이 순서로 시도합니다: openai → offline"
    )
    assert provider.locator("option").all_text_contents() == ["자동", "openai", "offline (내장 생성기)"]
    expect(provider).to_have_value("openai")
    screenshot(page, "providers-from-health-openai-down")

    # auto falls back to the offline generator, and the result says who answered.
    provider.select_option("auto")
    page.get_by_test_id("run-sync").click()
    expect(page.get_by_test_id("question-card")).to_have_count(2, timeout=GENERATION_TIMEOUT_MS)
    expect(page.get_by_test_id("result-provider")).to_contain_text("offline")
    # ...and that it was a fallback, with openai's reason: never a silent one.
    note = page.get_by_test_id("degraded-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("openai")
    expect(note).to_contain_text("offline")
    expect(note).to_contain_text("server_error")
    screenshot(page, "degraded-result-note")
    expect(box).to_be_hidden()
    assert "provider" not in generate_bodies[-1]


def test_health_failure_offers_auto_and_a_retry(page: Any, runtime: LocalRuntime) -> None:
    """The interview function's health answers 503 (its database is unreachable): the page says so beside the
    field, offers only auto, and reads the list again on Retry."""
    unavailable = {
        "error_code": "database_unavailable",
        "message": "The database is unreachable; try again shortly.",
        "request_id": "e2e-request-id",
    }
    pattern = f"{runtime.http_url}/api/v1/interview/health"
    page.route(pattern, lambda route: route.fulfill(status=503, json=unavailable))
    open_page(page, runtime)
    provider = page.get_by_test_id("opt-provider")
    expect(provider).to_have_attribute("data-state", "error")
    assert option_values(page) == ["auto"]
    note = page.get_by_test_id("providers-note")
    expect(note).to_contain_text(
        "The configured providers could not be read (database_unavailable · HTTP status 503"
    )
    expect(page.get_by_test_id("providers-hint")).to_be_hidden()
    screenshot(page, "providers-health-unavailable")

    page.unroute(pattern)
    page.get_by_test_id("providers-retry").click()
    expect(provider).to_have_attribute("data-state", "ready")
    assert option_values(page) == ["auto", "openai", "offline"]
    expect(note).to_be_hidden()


def test_an_import_a_fallback_structured_says_so(page: Any, runtime: LocalRuntime, tmp_path: Path) -> None:
    """OpenAI (first) fails, the offline extractor structures the file: the Import card's report carries the
    same fallback note as a degraded generation result, and the resume can still be saved."""
    document = tmp_path / "resume.txt"
    document.write_text(render_text(next(r for r in corpus() if r.stem == "en-backend-3y").content))
    open_page(page, runtime)
    page.get_by_test_id("import-file").set_input_files(str(document))
    report = page.get_by_test_id("import-report")
    note = report.get_by_test_id("degraded-note")
    expect(note).to_be_visible(timeout=GENERATION_TIMEOUT_MS)
    expect(note).to_contain_text("Fallback answer: openai did not answer (server_error)")
    expect(note).to_contain_text("so offline wrote this result")
    expect(report.get_by_test_id("report-extracted-by")).to_contain_text(
        "offline (built-in extractor, no AI)"
    )
    screenshot(page, "import-degraded-note")

    page.get_by_test_id("import-save").click()
    expect(page.get_by_test_id("import-saved")).to_contain_text("Saved: ")
    expect(page.get_by_test_id("degraded-note")).to_have_count(1)  # the report stays until another read


def test_an_answer_a_fallback_evaluated_says_so(page: Any, runtime: LocalRuntime) -> None:
    """OpenAI (first) fails, the offline evaluator scores the answer: the Practice card's feedback starts with
    the fallback note, naming openai and its reason, above the score."""
    open_page(page, runtime)
    create_sample(page, "sample-rich-en")
    run_async(page, "interview")
    page.get_by_test_id("practice-start").click()
    expect(page.get_by_test_id("practice-question")).not_to_be_empty()
    page.get_by_test_id("practice-answer").fill(
        "I would measure the checkout latency first, then move the slow pages to server components."
    )
    page.get_by_test_id("practice-submit").click()
    feedback = page.locator("#practice-feedback")
    note = feedback.get_by_test_id("degraded-note")
    expect(note).to_be_visible(timeout=GENERATION_TIMEOUT_MS)
    expect(note).to_contain_text("Fallback answer: openai did not answer (server_error)")
    expect(note).to_contain_text("so offline wrote this result")
    expect(note.get_by_test_id("degraded-message")).to_have_text("openai said: Error code: 500")
    expect(feedback.get_by_test_id("practice-score")).not_to_be_empty()
    screenshot(page, "practice-degraded-note")
