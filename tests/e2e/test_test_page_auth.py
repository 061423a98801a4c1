"""The /test page against the local runtime with authentication on: one runtime for the module, with the
development issuer (`LocalRuntime(auth=True)`) minting each user's token. The HTTP API answers 401 from its
JWT authorizer without a valid bearer token, every resume belongs to the token's sub, and the WebSocket API
checks the `token` query parameter at connect."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from local.dev_issuer import DevIssuer
from local.runtime import LocalRuntime
from tests.e2e.conftest import (
    ENV,
    create_sample,
    expect_no_error,
    local_runtime,
    open_page,
    run_async,
    screenshot,
)

QUOTA_PER_HOUR = 2
SIGN_IN = "Sign-in needed: paste a valid access token"
TOKEN_REJECTED = re.compile(r"^The access token was not accepted")


@pytest.fixture(scope="module")
def runtime(browser: Any) -> Iterator[LocalRuntime]:
    """Overrides conftest's runtime for this module (the `page` fixture gets this one): auth on, and a small
    generation quota so that the 429 is reachable."""
    parameters = {"GenerationQuotaPerHour": str(QUOTA_PER_HOUR)}
    with local_runtime(ENV, auth=True, parameter_overrides=parameters) as started:
        yield started


def issuer(runtime: LocalRuntime) -> DevIssuer:
    assert runtime.dev_issuer is not None, "auth=True starts the development issuer"
    return runtime.dev_issuer


def set_token(page: Any, token: str) -> None:
    page.get_by_test_id("access-token").fill(token)
    expect(page.get_by_test_id("token-state")).to_have_text("Token set: sent as Authorization: Bearer")


def test_without_a_token_sign_in_is_needed(page: Any, runtime: LocalRuntime) -> None:
    open_page(page, runtime)
    expect(page.get_by_test_id("access-token")).to_have_attribute("type", "password")
    create = page.get_by_test_id("create-resume")
    page.get_by_test_id("sample-short").click()
    create.click()
    expect(page.get_by_test_id("error-message")).to_have_text(SIGN_IN)
    # The gateway's own body ({"message": "Unauthorized"}), not the common error body.
    expect(page.get_by_test_id("error-code")).to_have_text("HTTP status 401 · API Gateway: Unauthorized")
    expect(page.get_by_test_id("access-token")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("current-resume")).to_be_hidden()
    screenshot(page, "auth-sign-in-needed")

    page.get_by_test_id("ui-lang").select_option("ko")
    create.click()
    expect(page.get_by_test_id("error-message")).to_have_text(
        "로그인이 필요합니다: 유효한 액세스 토큰을 붙여넣으세요"
    )
    page.get_by_test_id("ui-lang").select_option("en")

    # An expired token is refused too, with a message that says so; so is the list.
    set_token(page, issuer(runtime).token("alice", expires_in=-120))
    expect(page.get_by_test_id("access-token")).not_to_have_attribute("aria-invalid", "true")
    create.click()
    expect(page.get_by_test_id("error-message")).to_have_text(TOKEN_REJECTED)
    page.get_by_test_id("forget-token").click()
    expect(page.get_by_test_id("access-token")).to_have_value("")
    page.get_by_test_id("list-resumes").click()
    expect(page.get_by_test_id("error-message")).to_have_text(SIGN_IN)
    assert page.evaluate("() => sessionStorage.length") == 0


def test_alice_generates_over_websocket_and_lists_her_resume(page: Any, runtime: LocalRuntime) -> None:
    token = issuer(runtime).token("alice")
    api_auth: list[str | None] = []
    sockets: list[str] = []
    page.on(
        "request",
        lambda request: (
            api_auth.append(request.headers.get("authorization"))
            if "/api/" in request.url and not request.url.endswith("/health")  # health is public
            else None
        ),
    )
    page.on("websocket", lambda socket: sockets.append(socket.url))
    open_page(page, runtime)
    set_token(page, token)
    key = create_sample(page)
    run_async(page, "interview")
    expect(page.get_by_test_id("question-card")).to_have_count(5)
    expect(page.get_by_test_id("channel")).to_have_attribute("data-channel", "websocket")
    expect(page.get_by_test_id("channel-note")).to_be_hidden()
    expect_no_error(page)
    screenshot(page, "auth-alice-interview-websocket")

    page.get_by_test_id("list-resumes").click()
    entries = page.get_by_test_id("resume-entry")
    expect(entries).to_have_count(1)
    expect(entries.first.get_by_test_id("resume-entry-key")).to_have_text(key)
    expect(entries.first.get_by_test_id("resume-pick")).to_have_text("김개발")
    expect(page.get_by_test_id("resumes-more")).to_be_hidden()
    entries.first.get_by_test_id("resume-pick").click()
    expect(page.get_by_test_id("event-log")).to_contain_text(f"Resume picked: {key}")
    expect(page.get_by_test_id("unique-key")).to_have_text(key)
    screenshot(page, "auth-alice-my-resumes")

    # Every API request carried the token as a bearer token; the socket got it as its `token` parameter.
    assert api_auth and all(value == f"Bearer {token}" for value in api_auth), api_auth
    assert sockets and all(url.endswith(f"?token={quote(token, safe='')}") for url in sockets), len(sockets)
    # Kept in this tab's sessionStorage only: not localStorage, the page's URL or the event log.
    assert page.evaluate("k => sessionStorage.getItem(k)", "careercoach.accessToken") == token
    assert page.evaluate("() => localStorage.length") == 0
    assert token not in page.url
    assert token not in str(page.get_by_test_id("event-log").text_content())
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.get_by_test_id("access-token")).to_have_value(token)


def test_bob_sees_neither_alices_resume_nor_a_list_of_it(page: Any, runtime: LocalRuntime) -> None:
    alice = issuer(runtime).token("alice")
    created = page.request.post(
        f"{runtime.http_url}/api/v1/resumes",
        data={"summary": "Alice's resume, created through the API"},
        headers={"authorization": f"Bearer {alice}"},
    )
    assert created.status == 201, created.text()
    alice_key = created.json()["unique_key"]

    open_page(page, runtime)
    set_token(page, issuer(runtime).token("bob"))
    page.get_by_test_id("list-resumes").click()
    expect(page.get_by_test_id("resumes-note")).to_have_text("No resumes yet.")
    expect(page.get_by_test_id("resume-entry")).to_have_count(0)
    expect_no_error(page)
    page.get_by_test_id("load-key").fill(alice_key)
    page.get_by_test_id("load-button").click()
    expect(page.get_by_test_id("error-message")).to_have_text("No resume exists with this key.")
    expect(page.get_by_test_id("error-code")).to_contain_text("resume_not_found")
    expect(page.get_by_test_id("error-code")).to_contain_text("404")
    expect(page.get_by_test_id("current-resume")).to_be_hidden()
    screenshot(page, "auth-bob-not-found-and-empty-list")


def test_my_resumes_pages_with_more(page: Any, runtime: LocalRuntime) -> None:
    """The list's first page holds 10 (the page's limit); "More" fetches the rest with next_cursor."""
    headers = {"authorization": f"Bearer {issuer(runtime).token('erin')}"}
    keys = []
    for number in range(11):
        created = page.request.post(
            f"{runtime.http_url}/api/v1/resumes",
            data={"name": f"Erin {number}", "summary": f"Resume number {number}"},
            headers=headers,
        )
        assert created.status == 201, created.text()
        keys.append(created.json()["unique_key"])
    open_page(page, runtime)
    set_token(page, issuer(runtime).token("erin"))
    page.get_by_test_id("list-resumes").click()
    entries = page.get_by_test_id("resume-entry")
    expect(entries).to_have_count(10)
    expect(page.get_by_test_id("resumes-more")).to_be_visible()
    page.get_by_test_id("resumes-more").click()
    expect(entries).to_have_count(11)
    expect(page.get_by_test_id("resumes-more")).to_be_hidden()
    listed = page.get_by_test_id("resume-entry-key").all_text_contents()
    assert sorted(listed) == sorted(keys)
    # Another token, another user: the list goes away rather than show the previous user's.
    set_token(page, issuer(runtime).token("frank"))
    expect(page.get_by_test_id("my-resumes")).to_be_hidden()


def test_refused_websocket_falls_back_to_polling(page: Any, runtime: LocalRuntime) -> None:
    """The page holds a token the WebSocket API refuses at connect (expired); HTTP requests get a valid one
    swapped in by the test, so only the socket is refused: the page must say so and poll instead."""
    valid = issuer(runtime).token("dora")

    def swap_token(route: Any) -> None:
        route.continue_(headers={**route.request.headers, "authorization": f"Bearer {valid}"})

    page.route(f"{runtime.http_url}/api/**", swap_token)
    open_page(page, runtime)
    set_token(page, issuer(runtime).token("dora", expires_in=-120))
    create_sample(page, "sample-short")
    page.get_by_test_id("opt-count").fill("2")
    run_async(page, "interview")
    expect(page.get_by_test_id("question-card")).to_have_count(2)
    expect(page.get_by_test_id("channel")).to_have_attribute("data-channel", "polling")
    note = page.get_by_test_id("channel-note")
    expect(note).to_be_visible()
    expect(note).to_have_text(re.compile(r"^The WebSocket connection was refused"))
    expect_no_error(page)
    screenshot(page, "auth-websocket-refused-polling")


def test_quota_exceeded_shows_the_wait(page: Any, runtime: LocalRuntime) -> None:
    """Polling mode (?ws=off) with a token: two async runs use up carol's hourly quota, the third is 429."""
    left_in_hour = 3600 - time.time() % 3600
    if left_in_hour < 30:  # the quota counts per clock hour: keep all three requests in one
        time.sleep(left_in_hour + 1)
    open_page(page, runtime, "?ws=off")
    set_token(page, issuer(runtime).token("carol"))
    create_sample(page, "sample-short")
    page.get_by_test_id("opt-count").fill("1")
    for _ in range(QUOTA_PER_HOUR):
        run_async(page, "interview")
        expect(page.get_by_test_id("channel")).to_have_attribute("data-channel", "polling")
    page.get_by_test_id("run-async").click()
    message = page.get_by_test_id("error-message")
    expect(message).to_have_text(
        re.compile(
            rf"^Generation limit reached \({QUOTA_PER_HOUR} per hour\): try again in (\d+ min )?\d+ s\.$"
        )
    )
    expect(page.get_by_test_id("error-code")).to_contain_text("quota_exceeded")
    expect(page.get_by_test_id("error-code")).to_contain_text("429")
    screenshot(page, "auth-quota-exceeded")
