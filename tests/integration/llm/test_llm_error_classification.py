"""Every classification case through the real SDK, against fakes answering with the vendor's error body."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from llm_registry import ErrorKind, LlmRequest, generate, provider_health
from tests.fakes.sample_output import VALID_PLAN, Plan
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

GEMINI_BAD_KEY = [
    {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "API_KEY_INVALID",
        "domain": "googleapis.com",
        "metadata": {"service": "generativelanguage.googleapis.com"},
    },
    {
        "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
        "locale": "en-US",
        "message": "API key not valid. Please pass a valid API key.",
    },
]
OPENAI_QUOTA = "You exceeded your current quota, please check your plan and billing details."


def _kinds(result: Any) -> list[tuple[str, str, str | None]]:
    return [(a.provider, a.purpose, a.error_kind.value if a.error_kind else None) for a in result.attempts]


def _use(llm_env: LlmEnvironment, server: Any, name: str, **kwargs: Any) -> None:
    getattr(llm_env, f"use_{name}")(server, **kwargs)
    llm_env.order(name, "backup")


def test_gemini_api_key_invalid_is_an_auth_failure_not_a_bad_request(
    llm_env: LlmEnvironment, gemini_server: GeminiServer, backup: Backup
) -> None:
    _use(llm_env, gemini_server, "gemini")
    gemini_server.push(
        gemini_server.error(
            400, message="API key not valid. Please pass a valid API key.", details=GEMINI_BAD_KEY
        )
    )

    result = generate(REQUEST, Plan)

    assert _kinds(result) == [("gemini", "first", "auth"), ("backup", "first", None)]
    assert result.attempts[0].status_code == 400
    assert result.attempts[0].error_message == "API key not valid. Please pass a valid API key."
    assert provider_health()["gemini"].outcome == "auth_failed"


def test_gemini_billing_precondition_is_a_billing_failure(
    llm_env: LlmEnvironment, gemini_server: GeminiServer, backup: Backup
) -> None:
    _use(llm_env, gemini_server, "gemini")
    gemini_server.push(
        gemini_server.error(
            400,
            grpc_status="FAILED_PRECONDITION",
            message="Gemini API free tier is not available in your country. Please enable billing.",
        )
    )

    result = generate(REQUEST, Plan)

    assert _kinds(result) == [("gemini", "first", "billing"), ("backup", "first", None)]
    assert len(gemini_server.requests) == 1


def test_gemini_retry_info_delay_is_honoured(
    llm_env: LlmEnvironment, gemini_server: GeminiServer, backup: Backup
) -> None:
    _use(llm_env, gemini_server, "gemini")
    retry_info = [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "0.4s"}]
    gemini_server.push(
        gemini_server.error(
            429, message="Resource has been exhausted (e.g. check quota).", details=retry_info
        ),
        gemini_server.ok(VALID_PLAN),
    )

    started = time.monotonic()
    result = generate(REQUEST, Plan)

    assert time.monotonic() - started >= 0.4  # the body's retryDelay, with no Retry-After header
    assert _kinds(result) == [("gemini", "first", "rate_limited"), ("gemini", "retry", None)]


def test_gemini_retry_info_longer_than_the_wait_limit_moves_on(
    llm_env: LlmEnvironment, gemini_server: GeminiServer, backup: Backup
) -> None:
    _use(llm_env, gemini_server, "gemini")
    retry_info = [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "38s"}]
    gemini_server.push(gemini_server.error(429, details=retry_info))

    started = time.monotonic()
    result = generate(REQUEST, Plan)

    assert time.monotonic() - started < 5
    assert _kinds(result) == [("gemini", "first", "rate_limited"), ("backup", "first", None)]
    assert provider_health()["gemini"].outcome == "rate_limited"


def test_openai_insufficient_quota_is_billing_and_not_retried_like_a_rate_limit(
    llm_env: LlmEnvironment,
    openai_server: OpenAIChatServer,
    backup: Backup,
    emitted: Callable[[], list[dict[str, Any]]],
) -> None:
    _use(llm_env, openai_server, "openai")
    openai_server.push(
        openai_server.error(
            429, retry_after=0.01, message=OPENAI_QUOTA, type="insufficient_quota", code="insufficient_quota"
        )
    )

    result = generate(REQUEST, Plan)

    assert _kinds(result) == [("openai", "first", "billing"), ("backup", "first", None)]
    assert len(openai_server.requests) == 1  # no retry, whatever Retry-After says
    assert result.attempts[0].error_message == OPENAI_QUOTA
    assert provider_health()["openai"].outcome == "auth_failed"
    assert any("LlmConfigFailures" in document for document in emitted())


@pytest.mark.parametrize("code", ["credit_balance_exhausted", "project_spend_limit_exceeded"])
def test_openai_billing_codes_are_billing_too(
    llm_env: LlmEnvironment, openai_server: OpenAIChatServer, backup: Backup, code: str
) -> None:
    _use(llm_env, openai_server, "openai")
    openai_server.push(openai_server.error(429, message=OPENAI_QUOTA, type="insufficient_quota", code=code))

    assert _kinds(generate(REQUEST, Plan))[0] == ("openai", "first", "billing")


def test_openai_plain_rate_limit_is_still_retried(
    llm_env: LlmEnvironment, openai_server: OpenAIChatServer, backup: Backup
) -> None:
    _use(llm_env, openai_server, "openai")
    openai_server.push(
        openai_server.error(
            429, retry_after=0.05, message="Rate limit reached for gpt-5.4-mini", code="rate_limit_exceeded"
        ),
        openai_server.ok(VALID_PLAN),
    )

    assert _kinds(generate(REQUEST, Plan)) == [("openai", "first", "rate_limited"), ("openai", "retry", None)]


def test_anthropic_billing_error_is_billing(
    llm_env: LlmEnvironment, anthropic_server: AnthropicMessagesServer, backup: Backup
) -> None:
    _use(llm_env, anthropic_server, "anthropic")
    anthropic_server.push(anthropic_server.error(402, message="Your credit balance is too low."))

    result = generate(REQUEST, Plan)

    assert _kinds(result) == [("anthropic", "first", "billing"), ("backup", "first", None)]
    assert result.attempts[0].error_message == "Your credit balance is too low."


@pytest.mark.parametrize(
    ("name", "message", "fields"),
    [
        (
            "openai",
            "The model `gpt-5.4-mni` does not exist or you do not have access to it.",
            {"code": "model_not_found"},
        ),
        ("anthropic", "model: claude-opus-9-9", {}),
        ("gemini", "models/gemini-9-flash is not found for API version v1beta.", {}),
        ("bedrock", "The provided model identifier is invalid.", {}),
    ],
)
def test_an_unknown_model_is_model_not_found_on_every_provider(
    name: str,
    message: str,
    fields: dict[str, str],
    llm_env: LlmEnvironment,
    request: pytest.FixtureRequest,
    backup: Backup,
    emitted: Callable[[], list[dict[str, Any]]],
) -> None:
    server = request.getfixturevalue(f"{name}_server")
    _use(llm_env, server, name)
    server.push(server.error(404, message=message, **fields))

    result = generate(REQUEST, Plan)

    assert _kinds(result) == [(name, "first", "model_not_found"), ("backup", "first", None)]
    assert result.attempts[0].error_message == message
    assert len(server.requests) == 1
    assert provider_health()[name].outcome == "bad_request"
    assert any("LlmConfigFailures" in document for document in emitted())


@pytest.mark.parametrize(
    ("status", "error_type", "kind"),
    [
        (403, "AccessDeniedException", "auth"),
        (400, "UnrecognizedClientException", "auth"),
        (400, "ValidationException", "bad_request"),
        (400, "ServiceQuotaExceededException", "rate_limited"),
        (429, "ThrottlingException", "rate_limited"),
        (424, "ModelErrorException", "server_error"),
        (408, "ModelTimeoutException", "timeout"),
    ],
)
def test_bedrock_error_codes(
    llm_env: LlmEnvironment,
    bedrock_server: BedrockConverseServer,
    backup: Backup,
    status: int,
    error_type: str,
    kind: str,
) -> None:
    _use(llm_env, bedrock_server, "bedrock")
    llm_env.set(LLM_RETRY_MAX_WAIT_MS=0)  # no retry: one answer per error
    bedrock_server.push(bedrock_server.error(status, message=f"{error_type} says so", error_type=error_type))

    result = generate(REQUEST, Plan)

    assert _kinds(result)[0] == ("bedrock", "first", kind)
    assert result.attempts[0].error_message == f"{error_type} says so"


def test_bad_request_keeps_the_vendor_message_and_counts_as_a_configuration_failure(
    llm_env: LlmEnvironment,
    anthropic_server: AnthropicMessagesServer,
    backup: Backup,
    emitted: Callable[[], list[dict[str, Any]]],
) -> None:
    _use(llm_env, anthropic_server, "anthropic")
    anthropic_server.push(anthropic_server.error(400, message="max_tokens: 999999 > 128000, the maximum"))

    result = generate(REQUEST, Plan)

    assert _kinds(result) == [("anthropic", "first", "bad_request"), ("backup", "first", None)]
    assert result.attempts[0].error_message == "max_tokens: 999999 > 128000, the maximum"
    documents = emitted()
    assert any("LlmConfigFailures" in document for document in documents)
    assert provider_health()["anthropic"].outcome == "bad_request"


def test_kinds_never_put_vendor_text_into_the_exhaustion_message(
    llm_env: LlmEnvironment, openai_server: OpenAIChatServer
) -> None:
    llm_env.use_openai(openai_server)
    openai_server.push(openai_server.error(429, message=OPENAI_QUOTA, type="insufficient_quota"))

    from llm_registry import ProvidersExhausted

    with pytest.raises(ProvidersExhausted) as caught:
        generate(REQUEST, Plan)

    assert str(caught.value) == "no LLM provider produced a valid answer (openai: billing)"
    assert caught.value.attempts[0].error_kind is ErrorKind.BILLING
