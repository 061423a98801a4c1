"""Fan-out end to end: real HTTP and WebSocket through the local runtime, the real OpenAI SDK against the
loopback fake OpenAI server, the offline generator as the last fallback (the production order).

The fake answers every request of a generation like a competent model (tests/support/model_answers.py);
a test breaks one part where it needs to. Shown here: each item is its own request with the same prefix,
resume first; a failing item is retried, or written by the offline generator, alone; cached input tokens
reach the stored usage and the cost; partial results are pushed over the WebSocket in order, and the final
result equals the stored document."""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from websockets.sync.client import connect

from careercoach.checks import question_problems
from careercoach.models.generation import InterviewOptions, QuestionDraft
from careercoach.models.resume import Resume, ResumeContent
from llm_registry import estimate_cost
from tests.fakes.server import PromptCache, RecordedRequest, Reply, Speed
from tests.fakes.wire_formats import OpenAIChatServer
from tests.integration.api.conftest import ApiClient, body_of, local_runtime, openai_env
from tests.integration.api.test_generation_api import create_resume
from tests.integration.api.test_websocket_api import receive_until_done
from tests.support.model_answers import ModelAnswers, last_user_line, schema_name

_ITEM = re.compile(r"\bq(\d{1,2})\b")


@pytest.fixture(scope="module")
def api(openai_fake: OpenAIChatServer) -> Iterator[ApiClient]:
    env = {
        **openai_env(openai_fake, "fanout", fanout="auto"),
        "LLM_PROVIDERS": "openai,offline",
        "OPENAI_TIMEOUT_S": "120",  # no test here is about timeouts; a busy machine must not make one
    }
    with local_runtime(env) as runtime:
        yield ApiClient(runtime.http_url)


@pytest.fixture
def fake(openai_fake: OpenAIChatServer) -> Iterator[OpenAIChatServer]:
    openai_fake.reset()
    yield openai_fake
    openai_fake.default_reply = None
    openai_fake.speed = None
    openai_fake.prompt_cache = None


def content_of(resume: dict[str, Any]) -> ResumeContent:
    return Resume.model_validate(resume).content()


def item_of(request: RecordedRequest) -> str:
    """ "q3" for an item request, else the schema's name."""
    if schema_name(request) != "QuestionItem":
        return schema_name(request)
    match = _ITEM.search(last_user_line(request))
    return f"q{match.group(1)}" if match else "?"


def answering(
    fake: OpenAIChatServer, answers: ModelAnswers, fault: Callable[[str, int], Reply | None] | None = None
) -> None:
    """Answer every request like a competent model; `fault(item, nth request for it)` may answer instead."""
    seen: Counter[str] = Counter()
    lock = threading.Lock()

    def build(request: RecordedRequest) -> Reply:
        item = item_of(request)
        with lock:
            seen[item] += 1
            nth = seen[item]
        broken = fault(item, nth) if fault is not None else None
        return (broken or fake.ok(answers.answer(request))).resolve(request)

    fake.default_reply = Reply(build=build)


def per_item(fake: OpenAIChatServer) -> Counter[str]:
    return Counter(item_of(request) for request in fake.requests)


def test_each_question_is_its_own_request_sharing_the_resume_prefix(
    api: ApiClient, fake: OpenAIChatServer
) -> None:
    resume = create_resume(api)
    content = content_of(resume)
    answering(fake, ModelAnswers(content, {"interview": InterviewOptions(count=5)}))

    reply = api.json("POST", f"/api/v1/interview/{resume['unique_key']}/questions", {"count": 5})

    assert reply.status == 201, reply.body[:400]
    stored = body_of(reply)
    assert stored["mode"] == "fanout" and stored["provider"] == "openai" and stored["degraded"] is False
    assert per_item(fake) == Counter({"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 1})
    assert [a["part"] for a in stored["attempts"]] == ["q1", "q2", "q3", "q4", "q5"]
    draft = QuestionDraft.model_validate({"questions": stored["questions"]})
    assert question_problems(draft, content, count=5, language="ko") == []
    # One system prompt and one user turn per request; the user turns differ only in their last line, and
    # start with the resume: the prefix the vendors' prompt caches reuse.
    users = [request.json["messages"][1]["content"] for request in fake.requests]
    assert len({request.json["messages"][0]["content"] for request in fake.requests}) == 1
    assert all(user.startswith("<resume>") for user in users)
    assert len({user.rsplit("\n", 1)[0] for user in users}) == 1 and len(set(users)) == 5
    for private in ("kim.dev@example.com", "010-1234-5678", "김개발"):
        assert all(private not in user for user in users)
    assert stored["usage"]["input_tokens"] == sum(a["input_tokens"] for a in stored["attempts"])
    latest = body_of(api.request("GET", f"/api/v1/interview/{resume['unique_key']}/questions"))
    assert latest == stored


def test_a_failing_item_is_retried_alone(api: ApiClient, fake: OpenAIChatServer) -> None:
    resume = create_resume(api)
    answers = ModelAnswers(content_of(resume), {"interview": InterviewOptions(count=4)})
    answering(fake, answers, lambda item, nth: fake.error(500) if (item, nth) == ("q3", 1) else None)

    reply = api.json("POST", f"/api/v1/interview/{resume['unique_key']}/questions", {"count": 4})

    assert reply.status == 201
    stored = body_of(reply)
    assert per_item(fake) == Counter({"q1": 1, "q2": 1, "q3": 2, "q4": 1})
    assert [(a["outcome"], a["error_kind"]) for a in stored["attempts"] if a["part"] == "q3"] == [
        ("error", "server_error"),
        ("ok (retry)", None),
    ]
    assert stored["provider"] == "openai" and stored["degraded"] is False


def test_an_item_the_provider_cannot_write_is_written_offline_alone(
    api: ApiClient, fake: OpenAIChatServer
) -> None:
    resume = create_resume(api)
    content = content_of(resume)
    answers = ModelAnswers(content, {"interview": InterviewOptions(count=5)})
    answering(fake, answers, lambda item, nth: fake.error(500) if item == "q2" else None)

    stored = body_of(api.json("POST", f"/api/v1/interview/{resume['unique_key']}/questions", {}))

    assert per_item(fake) == Counter({"q1": 1, "q2": 2, "q3": 1, "q4": 1, "q5": 1})
    q2 = [(a["provider"], a["error_kind"]) for a in stored["attempts"] if a["part"] == "q2"]
    assert q2 == [("openai", "server_error"), ("openai", "server_error"), ("offline", None)]
    assert stored["degraded"] is True and stored["fallback_reason"] == "server_error"
    assert stored["provider"] == "openai"  # four of five items
    draft = QuestionDraft.model_validate({"questions": stored["questions"]})
    assert question_problems(draft, content, count=5, language="ko") == []


def test_cached_input_tokens_reach_the_usage_and_the_cost(api: ApiClient, fake: OpenAIChatServer) -> None:
    resume = create_resume(api)
    answering(fake, ModelAnswers(content_of(resume), {"interview": InterviewOptions(count=5)}))
    fake.prompt_cache = PromptCache()  # OpenAI's documented automatic prefix cache (1024+, steps of 128)

    first = body_of(api.json("POST", f"/api/v1/interview/{resume['unique_key']}/questions", {}))
    again = body_of(api.json("POST", f"/api/v1/interview/{resume['unique_key']}/questions", {}))

    for stored in (first, again):
        cached = [a["cached_input_tokens"] or 0 for a in stored["attempts"]]
        assert stored["usage"]["cached_input_tokens"] == sum(cached)
    # The second generation for the same resume reuses every item's prefix from the first.
    attempts = again["attempts"]
    assert all((a["cached_input_tokens"] or 0) >= 1024 for a in attempts)
    for attempt in attempts:
        uncached = estimate_cost("openai", again["model"], attempt["input_tokens"], attempt["output_tokens"])
        assert uncached is not None and attempt["cost_usd"] < uncached


def test_partial_results_arrive_over_the_websocket_in_order(api: ApiClient, fake: OpenAIChatServer) -> None:
    resume = create_resume(api)
    answering(fake, ModelAnswers(content_of(resume), {"interview": InterviewOptions(count=5)}))
    # Slow enough that the subscription is in place before the first item arrives.
    fake.speed = Speed(time_to_first_token_s=1.5, tokens_per_s=400)

    accepted = body_of(api.json("POST", f"/api/v1/interview/async/{resume['unique_key']}/questions", {}))
    with connect(accepted["websocket_url"], open_timeout=5) as socket:
        socket.send(json.dumps({"action": "subscribe", "task_id": accepted["task_id"]}))
        messages = receive_until_done(socket)

    assert messages[-1]["type"] == "completed"
    progress = [m["progress"] for m in messages]
    assert progress == sorted(progress)
    arrivals = [m for m in messages if m["type"] == "partial" and m["index"] is not None]
    assert [m["partial"]["done"] for m in arrivals] == [1, 2, 3, 4, 5]
    assert len({m["progress"] for m in arrivals}) == 5  # the bar moves with every item
    for message in arrivals:
        assert message["stage"] == "calling_llm" and message["partial"]["total"] == 5
        assert message["partial"]["items"][message["index"]] == message["item"]
    final = messages[-1]["result"]
    latest = body_of(api.request("GET", f"/api/v1/interview/{resume['unique_key']}/questions"))
    assert final == latest and final["mode"] == "fanout"
    assert arrivals[-1]["partial"]["items"] == final["questions"]
    assert "partial" not in messages[-1]  # the result takes its place
    polled = body_of(api.request("GET", accepted["progress_url"]))
    assert polled["status"] == "succeeded" and "partial" not in polled


def test_a_slow_provider_does_not_hold_the_async_task(api: ApiClient, fake: OpenAIChatServer) -> None:
    """The worker has its own, longer budget: a provider at this speed finishes there."""
    resume = create_resume(api)
    answering(fake, ModelAnswers(content_of(resume), {"interview": InterviewOptions(count=3)}))
    fake.speed = Speed(time_to_first_token_s=0.2, tokens_per_s=200)
    accepted = body_of(
        api.json("POST", f"/api/v1/interview/async/{resume['unique_key']}/questions", {"count": 3})
    )
    deadline = time.monotonic() + 60
    snapshot: dict[str, Any] = {}
    while time.monotonic() < deadline:
        snapshot = body_of(api.request("GET", accepted["progress_url"]))
        if snapshot["status"] in ("succeeded", "failed"):
            break
        time.sleep(0.05)
    assert snapshot["status"] == "succeeded"
    assert snapshot["result"]["provider"] == "openai" and snapshot["result"]["degraded"] is False
