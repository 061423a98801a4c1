"""The /test page drives the whole flow in headless chromium against the local runtime."""

from __future__ import annotations

import json
import re
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

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "<script>window.__xss=1</script>"


def test_page_is_served_with_security_headers(page: Any, runtime: LocalRuntime) -> None:
    response = page.goto(f"{runtime.http_url}/test")
    assert response is not None and response.status == 200
    headers = response.headers
    assert headers["content-type"] == "text/html; charset=utf-8"
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["cache-control"] == "no-store"
    for name, docs in (("resumes", "/api/v1/resumes/docs"), ("interview", "/api/v1/interview/docs")):
        link = page.get_by_test_id(f"docs-{name}")
        assert link.evaluate("a => new URL(a.href).pathname") == docs
    script = page.request.get(f"{runtime.http_url}/test/app.js")
    assert script.headers["content-type"] == "text/javascript; charset=utf-8"
    assert script.headers["x-content-type-options"] == "nosniff"
    missing = page.request.get(f"{runtime.http_url}/test/nothing.js")
    assert missing.status == 404 and missing.json()["error_code"] == "not_found"


def test_async_interview_questions_over_websocket(page: Any, runtime: LocalRuntime) -> None:
    open_page(page, runtime)
    create_sample(page)
    expect(page.get_by_test_id("resume-summary")).to_contain_text("백엔드 개발자")
    run_async(page, "interview")
    cards = page.get_by_test_id("question-card")
    expect(cards).to_have_count(5)
    for index in range(5):
        card = cards.nth(index)
        expect(card.get_by_test_id("badge-category")).not_to_be_empty()
        expect(card.get_by_test_id("badge-difficulty")).not_to_be_empty()
        expect(card.get_by_test_id("question-text")).not_to_be_empty()
        expect(card.get_by_test_id("grounding-quote")).not_to_be_empty()
        expect(card.get_by_test_id("grounding-source")).to_contain_text(re.compile(r"\w"))
        assert card.get_by_test_id("key-point").count() >= 2
    expect(page.get_by_test_id("channel")).to_have_attribute("data-channel", "websocket")
    expect(page.get_by_test_id("result-provider")).to_contain_text("offline")
    expect(page.get_by_test_id("result-tokens")).to_contain_text("/")
    expect_no_error(page)
    cards.first.get_by_test_id("question-details").locator("summary").click()
    expect(cards.first.get_by_test_id("follow-up").first).to_be_visible()
    screenshot(page, "interview-async")


def test_async_learning_path(page: Any, runtime: LocalRuntime) -> None:
    open_page(page, runtime)
    create_sample(page, "sample-rich-en")
    run_async(page, "learning")
    steps = page.get_by_test_id("step")
    expect(steps.first).to_be_visible()
    assert 5 <= steps.count() <= 8
    for index in range(steps.count()):
        step = steps.nth(index)
        expect(step.get_by_test_id("step-type")).not_to_be_empty()
        expect(step.get_by_test_id("step-milestone")).not_to_be_empty()
    links = page.get_by_test_id("resource-link")
    assert links.count() >= 1
    for index in range(links.count()):
        link = links.nth(index)
        assert str(link.get_attribute("href")).startswith("https://")
        assert link.get_attribute("rel") == "noopener noreferrer"
        assert link.get_attribute("target") == "_blank"
    assert page.get_by_test_id("strength").count() >= 1
    assert page.get_by_test_id("gap").count() >= 1
    expect(page.get_by_test_id("path-summary")).not_to_be_empty()
    screenshot(page, "learning-path-async")


def test_markup_in_resume_and_results_is_text(page: Any, runtime: LocalRuntime) -> None:
    open_page(page, runtime)
    resume = json.loads(json.loads((ROOT / "events/resumes/create-rich.json").read_text())["body"])
    resume["summary"] = f"{resume['summary']} {XSS_IMG} {XSS_SCRIPT}"
    resume["work_experiences"][0]["achievements"][0] += f" {XSS_IMG}"
    page.get_by_test_id("resume-json").fill(json.dumps(resume, ensure_ascii=False))
    page.get_by_test_id("create-resume").click()
    summary = page.get_by_test_id("resume-summary")
    expect(summary).to_contain_text(XSS_IMG)
    expect(summary).to_contain_text(XSS_SCRIPT)
    page.get_by_test_id("run-sync").click()
    expect(page.get_by_test_id("question-card")).to_have_count(5, timeout=GENERATION_TIMEOUT_MS)
    quotes = page.get_by_test_id("grounding-quote").all_text_contents()
    assert any(XSS_IMG in quote for quote in quotes), quotes
    assert page.locator("main img, main script").count() == 0
    assert page.evaluate("() => window.__xss") is None
    screenshot(page, "markup-as-text")


def test_unknown_key_shows_the_error_readably(page: Any, runtime: LocalRuntime) -> None:
    open_page(page, runtime)
    page.get_by_test_id("load-key").fill("A" * 22)
    page.get_by_test_id("load-button").click()
    expect(page.get_by_test_id("error-load")).to_be_visible()
    expect(page.get_by_test_id("error-message")).to_have_text("No resume exists with this key.")
    expect(page.get_by_test_id("error-code")).to_contain_text("resume_not_found")
    expect(page.get_by_test_id("error-code")).to_contain_text("404")
    screenshot(page, "error-resume-not-found")


def test_validation_details_are_listed(page: Any, runtime: LocalRuntime) -> None:
    open_page(page, runtime)
    page.get_by_test_id("resume-json").fill(json.dumps({"summary": "Backend engineer", "hobby": "chess"}))
    page.get_by_test_id("create-resume").click()
    expect(page.get_by_test_id("error-code")).to_contain_text("validation_error")
    expect(page.get_by_test_id("error-details")).to_contain_text("hobby: Extra inputs are not permitted")


def test_polling_fallback_without_websocket(page: Any, runtime: LocalRuntime) -> None:
    open_page(page, runtime, "?ws=off")
    create_sample(page, "sample-short")
    page.get_by_test_id("opt-count").fill("3")
    run_async(page, "interview")
    expect(page.get_by_test_id("question-card")).to_have_count(3)
    expect(page.get_by_test_id("channel")).to_have_attribute("data-channel", "polling")
    expect(page.get_by_test_id("event-log")).to_contain_text("?ws=off")
    screenshot(page, "interview-polling")


def test_form_and_korean_ui(page: Any, runtime: LocalRuntime) -> None:
    open_page(page, runtime, "?lang=ko")
    expect(page.get_by_test_id("run-async")).to_have_text("실행 (비동기)")
    page.locator("details.form > summary").click()
    page.get_by_test_id("form-summary").fill("5년차 백엔드 개발자, Go와 Kubernetes 기반 결제 시스템 운영")
    page.get_by_test_id("form-years").fill("5")
    page.get_by_test_id("form-skills").fill("Go, Kubernetes, PostgreSQL")
    page.get_by_test_id("form-company").fill("페이코프")
    page.get_by_test_id("form-position").fill("백엔드 개발자")
    page.get_by_test_id("form-achievement").fill("결제 API 지연 시간을 420ms에서 180ms로 단축")
    page.get_by_test_id("create-from-form").click()
    expect(page.get_by_test_id("resume-language")).to_have_text("ko")
    page.get_by_test_id("kind-learning").check()
    page.get_by_test_id("run-sync").click()
    expect(page.get_by_test_id("step").first).to_be_visible(timeout=GENERATION_TIMEOUT_MS)
    page.get_by_test_id("ui-lang").select_option("en")
    expect(page.get_by_test_id("run-async")).to_have_text("Run (async)")
    expect(page.get_by_test_id("step").first).to_contain_text("Why")
    screenshot(page, "form-learning-path-sync")


def test_works_behind_a_stage_prefix(page: Any, runtime: LocalRuntime) -> None:
    """API Gateway serves a named stage under /<stage>/: the page must address the API relative to itself.
    The browser asks for /dev/...; the route strips the stage, as API Gateway would."""
    staged = f"{runtime.http_url}/dev/"
    requested: list[str] = []

    def strip_stage(route: Any) -> None:
        requested.append(route.request.url.removeprefix(staged))
        route.continue_(url=route.request.url.replace(staged, f"{runtime.http_url}/", 1))

    page.route(f"{staged}**", strip_stage)
    page.goto(f"{staged}test?ws=off")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    create_sample(page, "sample-short")
    run_async(page, "learning")
    expect(page.get_by_test_id("step").first).to_be_visible()
    assert "test/app.js" in requested and "api/v1/resumes" in requested
    assert any(re.fullmatch(r"api/v1/learning/tasks/[0-9a-f]{32}/progress", url) for url in requested)
    docs = page.get_by_test_id("docs-learning").evaluate("a => new URL(a.href).pathname")
    assert docs == "/dev/api/v1/learning/docs"


def test_every_api_docs_link_opens_its_swagger_ui(page: Any, runtime: LocalRuntime) -> None:
    """The header links to every function's Swagger UI, and each link answers one (import and practice
    included)."""
    open_page(page, runtime)
    links = page.locator("nav.docs a")
    hrefs = [links.nth(i).evaluate("a => a.href") for i in range(links.count())]
    paths = [re.sub(r"^https?://[^/]+", "", href) for href in hrefs]
    assert paths == [
        f"/api/v1/{name}/docs" for name in ("resumes", "interview", "learning", "resumes/import", "practice")
    ]
    for href in hrefs:
        answer = page.request.get(href)
        assert answer.status == 200, href
        assert "swagger-ui" in answer.text(), href


def test_my_resumes_with_authentication_off(page: Any, runtime: LocalRuntime) -> None:
    """Authentication off: the list answers 403 authentication_disabled, which the page shows as a note in
    the list's place (in the UI language), not as an error."""
    open_page(page, runtime)
    expect(page.get_by_test_id("token-state")).to_have_text(
        "No token: requests are sent without Authorization"
    )
    page.get_by_test_id("list-resumes").click()
    note = page.get_by_test_id("resumes-note")
    expect(note).to_have_text(re.compile(r"^Authentication is switched off on this deployment"))
    expect(page.get_by_test_id("resume-entry")).to_have_count(0)
    expect(page.get_by_test_id("resumes-more")).to_be_hidden()
    expect_no_error(page)
    page.get_by_test_id("ui-lang").select_option("ko")
    expect(note).to_have_text(re.compile(r"^이 배포는 인증이 꺼져 있어"))
    screenshot(page, "my-resumes-auth-off")
