"""A fallback is never silent: the result, the attempt record, the log, the metrics and the health record say
so; and what they say is sanitized (no key, no prompt text, at most 300 characters)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from llm_registry import LlmRequest, generate, provider_health
from tests.fakes.sample_output import VALID_PLAN, Plan
from tests.fakes.wire_formats import AnthropicMessagesServer, GeminiServer, OpenAIChatServer

if TYPE_CHECKING:
    from tests.fakes.llm_env import LlmEnvironment
    from tests.integration.llm.conftest import Backup

PROMPT = "Candidate summary: led the payments ledger migration at Northwind Traders, cutting latency 40%."
REQUEST = LlmRequest(system="You write study plans.", prompt=PROMPT, task="test_plan")


def _emf(documents: list[dict[str, Any]], metric: str) -> list[dict[str, Any]]:
    return [document for document in documents if metric in document and "_aws" in document]


def test_an_answer_from_the_first_provider_is_not_degraded(
    llm_env: LlmEnvironment,
    openai_server: OpenAIChatServer,
    backup: Backup,
    emitted: Callable[[], list[dict[str, Any]]],
) -> None:
    llm_env.use_openai(openai_server).order("openai", "backup")
    openai_server.queue_ok(VALID_PLAN)

    result = generate(REQUEST, Plan)

    assert (result.provider, result.degraded, result.fallback_reason) == ("openai", False, None)
    assert [a.error_message for a in result.attempts] == [None]
    assert _emf(emitted(), "LlmDegradedResults") == []
    assert provider_health()["openai"].outcome == "ok"


def test_a_fallback_answer_is_degraded_with_the_first_providers_reason_and_message(
    llm_env: LlmEnvironment,
    openai_server: OpenAIChatServer,
    backup: Backup,
    emitted: Callable[[], list[dict[str, Any]]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    llm_env.use_openai(openai_server).order("openai", "backup")
    openai_server.push(
        openai_server.error(
            401, message="Incorrect API key provided: sk-test-openai. Find your key in the console."
        )
    )

    result = generate(REQUEST, Plan)

    assert (result.provider, result.degraded, result.fallback_reason) == ("backup", True, "auth")
    message = result.attempts[0].error_message
    assert message == "Incorrect API key provided: [redacted]. Find your key in the console."
    # The log says so, with the sanitized message and without the key.
    records = [{**vars(record), "message": record.getMessage()} for record in caplog.records]
    failed = [r for r in records if r["message"] == "LLM attempt failed"]
    assert failed[0]["error_message"] == message
    assert any(r["message"] == "LLM answer came from a fallback provider" for r in records)
    printed = str(emitted()) + str(records)
    assert "sk-test-openai" not in printed


def test_degraded_and_config_failure_metrics_are_service_wide_for_the_alarms(
    llm_env: LlmEnvironment,
    gemini_server: GeminiServer,
    backup: Backup,
    emitted: Callable[[], list[dict[str, Any]]],
) -> None:
    llm_env.use_gemini(gemini_server).order("gemini", "backup")
    gemini_server.push(gemini_server.error(403, message="Permission denied on resource project demo."))

    generate(REQUEST, Plan)

    documents = emitted()
    [degraded] = _emf(documents, "LlmDegradedResults")
    [config] = _emf(documents, "LlmConfigFailures")
    for document in (degraded, config):
        directive = document["_aws"]["CloudWatchMetrics"][0]
        assert directive["Namespace"] == "CareerCoachTest"
        assert directive["Dimensions"] == [["service"]]  # what the template's alarms select on
        assert document["service"] == "careercoach"
    assert degraded["LlmDegradedResults"] == [1.0]
    assert any(d.get("provider") == "gemini" for d in _emf(documents, "LlmProviderMisconfigured"))


def test_vendor_messages_echoing_the_prompt_are_redacted_and_cut_to_300_characters(
    llm_env: LlmEnvironment, anthropic_server: AnthropicMessagesServer, backup: Backup
) -> None:
    llm_env.use_anthropic(anthropic_server).order("anthropic", "backup")
    echo = (
        "messages.0.content.0.text: invalid value: led the payments ledger migration at Northwind Traders, "
        "cutting latency 40%. " + "Further detail. " * 40
    )
    anthropic_server.push(anthropic_server.error(400, message=echo))

    result = generate(REQUEST, Plan)

    message = result.attempts[0].error_message or ""
    assert message.startswith("messages.0.content.0.text: invalid value: [redacted]")
    assert "Northwind" not in message and "payments ledger" not in message
    assert len(message) <= 300
    assert result.fallback_reason == "bad_request"


def test_invalid_output_records_what_was_wrong_without_quoting_the_answer_or_the_check(
    llm_env: LlmEnvironment, openai_server: OpenAIChatServer, backup: Backup
) -> None:
    llm_env.use_openai(openai_server).order("openai", "backup")
    openai_server.push(openai_server.ok({"summary": "x", "items": []}), openai_server.ok(VALID_PLAN))

    checked: list[Plan] = []

    def check(plan: Plan) -> list[str]:  # fails the first answer that reaches it, passes the next
        checked.append(plan)
        return [f"summary must quote the resume: '{PROMPT}'"] if len(checked) == 1 else []

    result = generate(REQUEST, Plan, check=check)

    assert [a.error_message for a in result.attempts] == [
        "the answer did not match the schema (1 problem)",
        "the answer failed the caller's check (1 problem)",
        None,
    ]
    assert (result.degraded, result.fallback_reason) == (True, "check_failed")


def test_health_reports_each_configured_provider_and_never_called(
    llm_env: LlmEnvironment,
    openai_server: OpenAIChatServer,
    anthropic_server: AnthropicMessagesServer,
    gemini_server: GeminiServer,
    backup: Backup,
) -> None:
    llm_env.use_openai(openai_server).use_anthropic(anthropic_server).use_gemini(gemini_server)
    llm_env.order("openai", "anthropic", "gemini", "backup")
    assert {name: h.outcome for name, h in provider_health().items()} == {
        "openai": "never_called",
        "anthropic": "never_called",
        "gemini": "never_called",
        "backup": "never_called",
    }
    openai_server.push(openai_server.error(500), openai_server.error(503))
    anthropic_server.queue_ok(VALID_PLAN)

    generate(REQUEST, Plan)

    health = provider_health()
    assert {name: h.outcome for name, h in health.items()} == {
        "openai": "unavailable",
        "anthropic": "ok",
        "gemini": "never_called",
        "backup": "never_called",
    }
    assert health["openai"].error_kind == "server_error" and health["openai"].status_code == 503
    assert health["openai"].model == "gpt-5.4-mini" and health["openai"].at is not None
    assert health["gemini"].model == "gemini-3.5-flash-lite"
    assert set(health["anthropic"].as_dict()) == {
        "provider",
        "model",
        "outcome",
        "error_kind",
        "status_code",
        "error_message",
        "at",
    }
