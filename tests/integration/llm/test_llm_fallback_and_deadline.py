"""Fallback across real SDKs, and the time budget, against fake servers."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

import llm_registry
from llm_registry import (
    ErrorKind,
    LlmRequest,
    Outcome,
    ProvidersExhausted,
    UnknownProvider,
    generate,
)
from tests.fakes.sample_output import INVALID_PLAN, VALID_PLAN, Plan
from tests.fakes.wire_formats import (
    AnthropicMessagesServer,
    BedrockConverseServer,
    GeminiServer,
    OpenAIChatServer,
)

if TYPE_CHECKING:
    from tests.fakes.llm_env import LlmEnvironment
    from tests.integration.llm.conftest import Backup

REQUEST = LlmRequest(system="You write study plans.", prompt="Plan for: Kafka.", task="test_plan")


@pytest.fixture
def all_five(
    llm_env: LlmEnvironment,
    openai_server: OpenAIChatServer,
    anthropic_server: AnthropicMessagesServer,
    gemini_server: GeminiServer,
    bedrock_server: BedrockConverseServer,
    openai_compatible_server: OpenAIChatServer,
) -> LlmEnvironment:
    llm_env.use_openai(openai_server).use_anthropic(anthropic_server).use_gemini(gemini_server)
    llm_env.use_bedrock(bedrock_server).use_openai_compatible(openai_compatible_server)
    return llm_env


def test_default_order_is_every_configured_provider(all_five: LlmEnvironment) -> None:
    from llm_registry import provider_order

    assert provider_order() == ["openai", "anthropic", "gemini", "bedrock", "openai_compatible"]


def test_every_provider_failing_raises_exhaustion_listing_each_attempt(
    all_five: LlmEnvironment,
    openai_server: OpenAIChatServer,
    anthropic_server: AnthropicMessagesServer,
    gemini_server: GeminiServer,
    bedrock_server: BedrockConverseServer,
    openai_compatible_server: OpenAIChatServer,
) -> None:
    all_five.set(GEMINI_TIMEOUT_S=0.3, LLM_RETRY_MAX_WAIT_MS=1000)
    openai_server.push(
        openai_server.error(500, retry_after=0.05, message="internal detail: shard 7 down"),
        openai_server.error(500, retry_after=0.05),
    )
    anthropic_server.push(anthropic_server.error(429, retry_after=30))  # longer than we will wait: no retry
    gemini_server.push(gemini_server.ok(VALID_PLAN).delayed(2.0))
    bedrock_server.push(bedrock_server.error(403))
    openai_compatible_server.push(
        openai_compatible_server.text("no"), openai_compatible_server.ok(INVALID_PLAN)
    )

    with pytest.raises(ProvidersExhausted) as caught:
        generate(REQUEST, Plan)

    error = caught.value
    assert [attempt.summary() for attempt in error.attempts] == [
        "openai: server_error",
        "openai (retry): server_error",
        "anthropic: rate_limited",
        "gemini: timeout",
        "bedrock: auth",
        "openai_compatible: unparseable",
        "openai_compatible (repair): schema_invalid",
    ]
    assert not error.budget_exhausted
    assert "shard 7" not in str(error) and "scripted failure" not in str(error)
    assert str(error).startswith("no LLM provider produced a valid answer (openai: server_error;")
    for server in (openai_server, anthropic_server, gemini_server, bedrock_server, openai_compatible_server):
        assert server.unscripted == 0 and server.pending == 0


def test_failure_on_one_sdk_falls_back_to_another_sdk(
    all_five: LlmEnvironment, openai_server: OpenAIChatServer, anthropic_server: AnthropicMessagesServer
) -> None:
    openai_server.push(openai_server.refusal())
    anthropic_server.queue_ok(VALID_PLAN)

    result = generate(REQUEST, Plan)

    assert result.provider == "anthropic"
    assert [(a.provider, a.error_kind) for a in result.attempts] == [
        ("openai", ErrorKind.REFUSAL),
        ("anthropic", None),
    ]
    assert len(anthropic_server.requests) == 1


def test_named_provider_is_the_only_one_called(
    all_five: LlmEnvironment, openai_server: OpenAIChatServer, gemini_server: GeminiServer
) -> None:
    gemini_server.push(gemini_server.error(500, retry_after=0.01), gemini_server.error(500, retry_after=0.01))

    with pytest.raises(ProvidersExhausted) as caught:
        generate(REQUEST, Plan, provider="gemini")

    assert {a.provider for a in caught.value.attempts} == {"gemini"}
    assert openai_server.requests == []


def test_unknown_or_unconfigured_provider_is_a_caller_error(
    llm_env: LlmEnvironment, openai_server: OpenAIChatServer
) -> None:
    llm_env.use_openai(openai_server)

    for name in ("anthropic", "mistral"):  # unconfigured here, and unknown everywhere
        with pytest.raises(UnknownProvider) as caught:
            generate(REQUEST, Plan, provider=name)
        assert caught.value.available == ("openai",)
        assert isinstance(caught.value, ValueError)
    assert openai_server.requests == []


def test_budget_too_small_for_a_slow_provider_reaches_the_next_in_time(
    llm_env: LlmEnvironment, openai_server: OpenAIChatServer, anthropic_server: AnthropicMessagesServer
) -> None:
    llm_env.use_openai(openai_server, timeout_s=0.5).use_anthropic(anthropic_server)
    openai_server.queue_slow(30.0, VALID_PLAN)
    anthropic_server.queue_ok(VALID_PLAN)
    # Room for a loaded machine, still far short of the slow answer: reaching Anthropic in time means the
    # OpenAI attempt was given up at its own 0.5 s timeout.
    deadline = time.monotonic() + 10.0

    result = generate(REQUEST, Plan, deadline=deadline)

    assert time.monotonic() < deadline
    assert result.provider == "anthropic"
    assert result.attempts[0].error_kind is ErrorKind.TIMEOUT


def test_attempt_timeout_is_cut_to_the_remaining_budget(
    llm_env: LlmEnvironment, openai_server: OpenAIChatServer, anthropic_server: AnthropicMessagesServer
) -> None:
    # The provider would wait 20 s; the caller has 1 s left, keeps 0.2 s in reserve, needs 0.3 s per try.
    llm_env.use_openai(openai_server, timeout_s=20).use_anthropic(anthropic_server)
    llm_env.set(LLM_REQUEST_RESERVE_MS=200, LLM_MIN_ATTEMPT_MS=300)
    openai_server.queue_slow(30.0, VALID_PLAN)
    llm_registry.warm_up()  # SDK imports outside the budget: on a loaded machine they take seconds
    lambda_deadline = time.monotonic() + 1.0

    def remaining_ms() -> int:  # what Lambda's context.get_remaining_time_in_millis does
        return int((lambda_deadline - time.monotonic()) * 1000)

    started = time.monotonic()
    with pytest.raises(ProvidersExhausted) as caught:
        generate(REQUEST, Plan, remaining_ms=remaining_ms)
    elapsed = time.monotonic() - started

    assert elapsed < 5.0  # far below the provider's own 20 s timeout (loose: shared machines are slow)
    error = caught.value
    assert error.budget_exhausted
    assert [(a.provider, a.outcome, a.error_kind) for a in error.attempts] == [
        ("openai", Outcome.ERROR, ErrorKind.TIMEOUT),
        ("anthropic", Outcome.SKIPPED, ErrorKind.DEADLINE),
    ]
    # The attempt was cut to what the budget left (about 0.8 s), not the provider's 20 s.
    assert error.attempts[0].latency_ms < 5_000
    assert anthropic_server.requests == []


def test_retry_after_longer_than_the_budget_moves_on_at_once(
    llm_env: LlmEnvironment, openai_server: OpenAIChatServer, anthropic_server: AnthropicMessagesServer
) -> None:
    llm_env.use_openai(openai_server).use_anthropic(anthropic_server)
    openai_server.push(openai_server.error(429, retry_after=3))
    anthropic_server.queue_ok(VALID_PLAN)
    llm_registry.warm_up()  # SDK imports are not what this test times

    started = time.monotonic()
    result = generate(REQUEST, Plan, deadline=time.monotonic() + 2.0)

    assert time.monotonic() - started < 2.5  # did not sleep the 3 s Retry-After
    assert [a.provider for a in result.attempts] == ["openai", "anthropic"]


def test_an_in_process_provider_still_answers_when_no_remote_attempt_fits(
    llm_env: LlmEnvironment, openai_server: OpenAIChatServer, backup: Backup
) -> None:
    llm_env.use_openai(openai_server).order("openai", "backup")

    result = generate(REQUEST, Plan, remaining_ms=lambda: 20)

    assert result.provider == "backup"
    assert [(a.provider, a.outcome) for a in result.attempts] == [
        ("openai", Outcome.SKIPPED),
        ("backup", Outcome.OK),
    ]
    assert openai_server.requests == []


def test_llm_providers_sets_the_order_and_skips_what_is_unavailable(
    all_five: LlmEnvironment, gemini_server: GeminiServer, backup: Backup
) -> None:
    from llm_registry import provider_order

    all_five.order("gemini", "nonexistent", "backup")
    assert provider_order() == ["gemini", "backup"]
    gemini_server.queue_ok(VALID_PLAN)

    assert generate(REQUEST, Plan).provider == "gemini"
