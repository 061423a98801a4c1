"""Every provider, through its real SDK, against a fake server speaking its wire format.

Each test runs once per provider (the `harness` fixture); `backup` is an in-process provider registered
after it, standing in for the core's offline generator, so "moves to the next provider" is observable."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from llm_registry import LlmRequest, Outcome, generate
from tests.fakes.sample_output import INVALID_PLAN, VALID_PLAN, VALID_PLAN_STRICT, Plan

if TYPE_CHECKING:
    from tests.integration.llm.conftest import Backup, Harness

REQUEST = LlmRequest(system="You write study plans.", prompt="Plan for: Kafka, Go.", task="test_plan")


def _kinds(result_attempts: Any) -> list[tuple[str, str, str | None]]:
    return [(a.provider, a.purpose, a.error_kind.value if a.error_kind else None) for a in result_attempts]


def test_success_returns_the_validated_model_and_sends_model_and_schema(
    harness: Harness, backup: Backup
) -> None:
    harness.server.queue_ok(VALID_PLAN_STRICT, input_tokens=1000, output_tokens=500)

    result = generate(REQUEST, Plan)

    assert result.output == Plan(**VALID_PLAN)  # the strict-mode null became the default
    assert result.output.note == "none"
    assert (result.provider, result.model) == (harness.name, harness.model)
    [attempt] = result.attempts
    assert attempt.outcome is Outcome.OK
    assert (attempt.input_tokens, attempt.output_tokens) == (1000, 500)
    assert attempt.cost_usd == pytest.approx(harness.cost_1000_in_500_out)
    assert backup.calls == []
    assert harness.model_sent() == harness.model
    schema = harness.schema_sent(harness.server.requests[0].json)
    assert set(schema["properties"]) == {"summary", "items", "note"}
    # refs inlined: the nested item's own properties are in place
    assert set(schema["properties"]["items"]["items"]["properties"]) == {"title", "weeks"}
    assert "$ref" not in json.dumps(schema)
    assert harness.server.unscripted == 0


def test_rate_limit_then_success_retries_once_after_retry_after(harness: Harness, backup: Backup) -> None:
    harness.server.push(harness.server.error(429, retry_after=0.3), harness.server.ok(VALID_PLAN))

    started = time.monotonic()
    result = generate(REQUEST, Plan)
    elapsed = time.monotonic() - started

    assert result.provider == harness.name
    assert _kinds(result.attempts) == [(harness.name, "first", "rate_limited"), (harness.name, "retry", None)]
    assert result.attempts[0].status_code == 429
    assert elapsed >= 0.3  # Retry-After was honoured
    assert len(harness.server.requests) == 2  # no hidden SDK retries on top of ours


def test_server_error_twice_moves_to_the_next_provider_after_one_retry(
    harness: Harness, backup: Backup
) -> None:
    harness.server.push(
        harness.server.error(500, retry_after=0.05), harness.server.error(503, retry_after=0.05)
    )

    result = generate(REQUEST, Plan)

    assert result.provider == "backup"
    assert _kinds(result.attempts) == [
        (harness.name, "first", "server_error"),
        (harness.name, "retry", "server_error"),
        ("backup", "first", None),
    ]
    assert len(harness.server.requests) == 2
    assert result.fallbacks == 1


def test_server_error_without_retry_after_waits_briefly_then_retries(
    harness: Harness, backup: Backup
) -> None:
    harness.server.push(harness.server.error(502), harness.server.ok(VALID_PLAN))

    result = generate(REQUEST, Plan)

    assert result.provider == harness.name
    assert [a.purpose for a in result.attempts] == ["first", "retry"]


def test_answer_slower_than_the_timeout_moves_on(harness: Harness, backup: Backup) -> None:
    harness.set_timeout(0.4)
    harness.server.queue_slow(30.0, VALID_PLAN)

    started = time.monotonic()
    result = generate(REQUEST, Plan)
    elapsed = time.monotonic() - started

    assert result.provider == "backup"
    assert _kinds(result.attempts)[0] == (harness.name, "first", "timeout")
    # Bounds far from any real figure, so a loaded machine cannot fail them: the attempt waited at least its
    # timeout and gave up long before the 30 s answer.
    assert result.attempts[0].latency_ms >= 350
    assert elapsed < 20


def test_answer_that_is_not_json_is_repaired_on_the_same_provider(harness: Harness, backup: Backup) -> None:
    harness.server.push(harness.server.text("Sure! Here is your plan: Kafka for 3 weeks."))
    harness.server.queue_ok(VALID_PLAN)

    result = generate(REQUEST, Plan)

    assert result.provider == harness.name
    assert _kinds(result.attempts) == [(harness.name, "first", "unparseable"), (harness.name, "repair", None)]
    assert result.attempts[0].outcome is Outcome.INVALID_OUTPUT
    previous, follow_up = harness.repair_turns(harness.server.requests[1].json)
    assert previous == "Sure! Here is your plan: Kafka for 3 weeks."
    assert "not valid JSON" in follow_up


def test_schema_invalid_answer_is_fixed_by_the_repair_attempt(harness: Harness, backup: Backup) -> None:
    harness.server.queue_ok(INVALID_PLAN)
    harness.server.queue_ok(VALID_PLAN)

    result = generate(REQUEST, Plan)

    assert result.output == Plan(**VALID_PLAN)
    assert _kinds(result.attempts) == [
        (harness.name, "first", "schema_invalid"),
        (harness.name, "repair", None),
    ]
    assert result.attempts[0].problem_count == 2
    repair_body = harness.server.requests[1].json
    previous, follow_up = harness.repair_turns(repair_body)
    assert '"weeks": 0' in previous  # the previous answer is shown back
    assert "items.0.title: Field required" in follow_up
    assert "items.0.weeks: Input should be greater than or equal to 1" in follow_up
    assert harness.schema_sent(repair_body) == harness.schema_sent(harness.server.requests[0].json)
    assert harness.model_sent(1) == harness.model


def test_invalid_twice_moves_to_the_next_provider(harness: Harness, backup: Backup) -> None:
    harness.server.queue_ok(INVALID_PLAN)
    harness.server.queue_ok(INVALID_PLAN)

    result = generate(REQUEST, Plan)

    assert result.provider == "backup"
    assert _kinds(result.attempts) == [
        (harness.name, "first", "schema_invalid"),
        (harness.name, "repair", "schema_invalid"),
        ("backup", "first", None),
    ]
    assert len(harness.server.requests) == 2  # exactly one repair


def test_malformed_http_body_moves_on_without_repair(harness: Harness, backup: Backup) -> None:
    harness.server.push(harness.server.malformed_body())

    result = generate(REQUEST, Plan)

    assert _kinds(result.attempts) == [(harness.name, "first", "bad_response"), ("backup", "first", None)]


@pytest.mark.parametrize(("scripted", "kind"), [("refusal", "refusal"), ("truncated", "truncated")])
def test_refusal_and_truncation_move_on(harness: Harness, backup: Backup, scripted: str, kind: str) -> None:
    reply: Callable[[], Any] = getattr(harness.server, scripted)
    harness.server.push(reply())

    result = generate(REQUEST, Plan)

    assert _kinds(result.attempts) == [(harness.name, "first", kind), ("backup", "first", None)]
    assert result.attempts[0].input_tokens == 120  # what the refused call cost is still recorded


def test_rejected_credentials_skip_the_provider_and_log_once(
    harness: Harness,
    backup: Backup,
    emitted: Callable[[], list[dict[str, Any]]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    harness.server.push(harness.server.error(harness.auth_status), harness.server.error(harness.auth_status))

    first = generate(REQUEST, Plan)
    second = generate(REQUEST, Plan)

    for result in (first, second):
        assert _kinds(result.attempts) == [(harness.name, "first", "auth"), ("backup", "first", None)]
        assert result.attempts[0].status_code == harness.auth_status
    assert len(harness.server.requests) == 2  # one call per generation: no retry on 401/403
    logged = [r for r in caplog.records if r.getMessage().startswith("LLM provider rejected our credentials")]
    assert len(logged) == 1
    assert logged[0].levelname == "ERROR" and getattr(logged[0], "provider", None) == harness.name
    counted = [d for d in emitted() if "LlmProviderMisconfigured" in d and d.get("provider") == harness.name]
    assert len(counted) == 2


def test_bad_request_is_not_retried_and_moves_on(harness: Harness, backup: Backup) -> None:
    harness.server.push(harness.server.error(400))

    result = generate(REQUEST, Plan)

    assert _kinds(result.attempts) == [(harness.name, "first", "bad_request"), ("backup", "first", None)]
    assert len(harness.server.requests) == 1


def test_attempt_metrics_carry_the_provider_dimension(
    harness: Harness, backup: Backup, emitted: Callable[[], list[dict[str, Any]]]
) -> None:
    harness.server.queue_ok(VALID_PLAN, input_tokens=1000, output_tokens=500)

    generate(REQUEST, Plan)

    [document] = [d for d in emitted() if "LlmAttempts" in d and d.get("provider") == harness.name]
    directive = document["_aws"]["CloudWatchMetrics"][0]
    assert directive["Namespace"] == "CareerCoachTest"
    assert ["provider", "service"] in directive["Dimensions"]
    assert document["LlmInputTokens"] == [1000.0]
    assert document["LlmOutputTokens"] == [500.0]
    assert ("LlmCostUSD" in document) == (harness.cost_1000_in_500_out is not None)


def test_no_prompt_or_output_text_reaches_logs(
    harness: Harness,
    backup: Backup,
    emitted: Callable[[], list[dict[str, Any]]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    harness.server.queue_ok(INVALID_PLAN)
    harness.server.queue_ok(VALID_PLAN)

    generate(LlmRequest(system="SECRET-SYSTEM", prompt="SECRET-RESUME-TEXT"), Plan)

    records = [{**vars(record), "message": record.getMessage()} for record in caplog.records]
    printed = str(emitted()) + str(records)
    for fragment in ("SECRET-SYSTEM", "SECRET-RESUME-TEXT", "Deepen Kafka", "Field required", "sk-"):
        assert fragment not in printed
