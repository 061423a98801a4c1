"""The sync routes answer inside their deadline whatever the providers do.

The fake OpenAI server plays a model far too slow for the deadline (simulated speed: 1 s to the first token,
then 20 tokens per second, so one whole question set would take about a minute and even one question
about ten seconds). The deadline is set to 4 s (SYNC_DEADLINE_MS; 27 s in production) so the test is quick;
the mechanism is the same. Whether the route answered in time is read from the route's own budget clock
(the `Server-Timing` header it sends), not by timing this machine."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from careercoach.models.generation import InterviewOptions
from careercoach.models.resume import Resume
from tests.fakes import tokens
from tests.fakes.server import Speed
from tests.fakes.wire_formats import OpenAIChatServer
from tests.integration.api.conftest import ApiClient, body_of, local_runtime, openai_env
from tests.integration.api.test_generation_api import create_resume
from tests.support.model_answers import ModelAnswers

DEADLINE_MS = 4000
SLOW = Speed(time_to_first_token_s=1.0, tokens_per_s=20)


@pytest.fixture(scope="module")
def api(openai_fake: OpenAIChatServer) -> Iterator[ApiClient]:
    env = {
        **openai_env(openai_fake, "deadline", fanout="auto"),
        "LLM_PROVIDERS": "openai,offline",
        "SYNC_DEADLINE_MS": str(DEADLINE_MS),
        "LLM_REQUEST_RESERVE_MS": "500",
        # One question takes the single-call path here, so that both paths meet the slow provider.
        "GENERATION_FANOUT_MIN_ITEMS": "2",
    }
    with local_runtime(env) as runtime:
        client = ApiClient(runtime.http_url)
        # A warm function: the SDK client is built (its import alone can take a second on a busy machine,
        # which a cold start pays inside the budget: with 27 s it does not matter, with 4 s it would).
        resume = create_resume(client)
        answers = ModelAnswers(
            Resume.model_validate(resume).content(), {"interview": InterviewOptions(count=1)}
        )
        openai_fake.default_reply = answers.reply(openai_fake)
        warm = client.json("POST", f"/api/v1/interview/{resume['unique_key']}/questions", {"count": 1})
        assert warm.status == 201 and body_of(warm)["provider"] == "openai"
        openai_fake.default_reply = None
        yield client


@pytest.fixture
def slow(openai_fake: OpenAIChatServer) -> Iterator[OpenAIChatServer]:
    openai_fake.reset()
    openai_fake.speed = SLOW
    yield openai_fake
    openai_fake.speed = None
    openai_fake.default_reply = None


def timing(header: str | None) -> dict[str, int]:
    """Server-Timing metrics and their durations, e.g. {"generation": 3620, "deadline": 4000}."""
    assert header, "the sync route sends Server-Timing"
    return {name: int(value) for name, value in re.findall(r"(\w+);dur=(\d+)", header)}


@pytest.mark.parametrize("count", [5, 1], ids=["fanned-out", "one-call"])
def test_a_provider_too_slow_for_the_deadline_still_gets_an_answer_in_time(
    api: ApiClient, slow: OpenAIChatServer, count: int
) -> None:
    resume = create_resume(api)
    answers = ModelAnswers(
        Resume.model_validate(resume).content(), {"interview": InterviewOptions(count=count)}
    )
    slow.default_reply = answers.reply(slow)
    whole = answers.answer_for("QuestionDraft", "")
    one_call_ms = SLOW.delay_s(tokens.count(json.dumps(whole, ensure_ascii=False))) * 1000
    assert one_call_ms > DEADLINE_MS  # the single call would miss the deadline

    reply = api.json("POST", f"/api/v1/interview/{resume['unique_key']}/questions", {"count": count})

    assert reply.status == 201, reply.body[:300]
    stored = body_of(reply)
    spent = timing(reply.header("server-timing"))
    assert spent["deadline"] == DEADLINE_MS and spent["generation"] < DEADLINE_MS
    # Nobody finished in time: the offline generator answered, and the result says so.
    assert stored["degraded"] is True and stored["fallback_reason"] == "timeout"
    assert stored["provider"] == "offline"
    assert stored["mode"] == ("fanout" if count > 1 else "single")
    assert len(stored["questions"]) == count
    assert {a["error_kind"] for a in stored["attempts"] if a["provider"] == "openai"} == {"timeout"}
    latest = body_of(api.request("GET", f"/api/v1/interview/{resume['unique_key']}/questions"))
    assert latest == stored
