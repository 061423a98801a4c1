"""No silent fallback, end to end: when the first provider fails and a fallback (here the offline generator)
answers, the stored result, the task result and the health endpoint say so, with the vendor's message
sanitized. The first provider is the real OpenAI SDK against its loopback fake."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fakes.wire_formats import OpenAIChatServer
from tests.integration.api.conftest import ROOT, ApiClient, body_of, local_runtime, openai_env

RESUME = json.loads(
    json.loads((ROOT / "events" / "resumes" / "create-rich-en.json").read_text(encoding="utf-8"))["body"]
)
KEY = "sk-test"  # the key openai_env configures; it must never come back


@pytest.fixture(scope="module")
def api(openai_fake: OpenAIChatServer) -> Iterator[ApiClient]:
    env = {**openai_env(openai_fake, "degraded"), "LLM_PROVIDERS": "openai,offline"}
    with local_runtime(env) as runtime:
        yield ApiClient(runtime.http_url)


def unique_key(api: ApiClient) -> str:
    reply = api.json("POST", "/api/v1/resumes", RESUME)
    assert reply.status == 201
    return str(body_of(reply)["unique_key"])


def refused(fake: OpenAIChatServer) -> None:
    message = f"Incorrect API key provided: {KEY}. You can find your API key at the dashboard."
    fake.push(fake.error(401, message=message, code="invalid_api_key"))


def test_a_fallback_answer_is_marked_degraded_with_the_first_providers_reason(
    api: ApiClient, fake: OpenAIChatServer
) -> None:
    key = unique_key(api)
    refused(fake)
    reply = api.json("POST", f"/api/v1/interview/{key}/questions", {"count": 3})
    assert reply.status == 201
    result = body_of(reply)
    assert result["provider"] == "offline"
    assert result["degraded"] is True and result["fallback_reason"] == "auth"
    first = result["attempts"][0]
    assert first["provider"] == "openai" and first["error_kind"] == "auth"
    assert first["error_message"] and "Incorrect API key" in first["error_message"]
    assert KEY not in reply.body.decode()
    # The stored document says the same.
    latest = body_of(api.request("GET", f"/api/v1/interview/{key}/questions"))
    assert latest["degraded"] is True and latest["fallback_reason"] == "auth"
    # Health tells the outcome of each provider's latest call here, without the vendor's text.
    health = body_of(api.request("GET", "/api/v1/interview/health"))
    assert health["providers"] == ["openai", "offline"]
    assert health["provider_status"]["openai"]["outcome"] == "auth_failed"
    assert health["provider_status"]["offline"]["outcome"] == "ok"
    assert "error_message" not in health["provider_status"]["openai"]


def test_the_first_provider_answering_is_not_degraded(api: ApiClient, fake: OpenAIChatServer) -> None:
    key = unique_key(api)
    # OpenAI answers with a draft the checks accept: the offline generator's own questions for this resume.
    offline = api.json("POST", f"/api/v1/interview/{key}/questions", {"count": 3, "provider": "offline"})
    assert offline.status == 201
    draft = {"questions": body_of(offline)["questions"]}
    fake.push(fake.ok(draft))
    reply = api.json("POST", f"/api/v1/interview/{key}/questions", {"count": 3})
    assert reply.status == 201
    result = body_of(reply)
    assert result["provider"] == "openai"
    assert result["degraded"] is False and result["fallback_reason"] is None
    assert all(a["error_message"] is None for a in result["attempts"])


def test_a_degraded_task_result_says_so(api: ApiClient, fake: OpenAIChatServer) -> None:
    key = unique_key(api)
    refused(fake)
    accepted = body_of(api.json("POST", f"/api/v1/learning/async/{key}/learning-path", {}))
    deadline = time.monotonic() + 90
    snapshot: dict[str, Any] = {}
    while time.monotonic() < deadline:
        snapshot = body_of(api.request("GET", accepted["progress_url"]))
        if snapshot["status"] in ("succeeded", "failed"):
            break
        time.sleep(0.1)
    assert snapshot["status"] == "succeeded"
    assert snapshot["result"]["degraded"] is True and snapshot["result"]["fallback_reason"] == "auth"
