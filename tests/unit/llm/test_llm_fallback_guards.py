"""llm_registry.fallback: the guards the policy tests did not reach (issue 20, item 9): a provider whose
warm-up fails, a named provider among several, the time budget per attempt, the one retry's wait, the
misconfiguration and rejection logs, a failing cost estimate, and what exhaustion reports. In-process and
in-memory providers only: no network, no SDK."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

import llm_registry
from llm_registry import (
    ErrorKind,
    LlmRequest,
    Outcome,
    Provider,
    ProviderCall,
    ProviderError,
    ProviderReply,
    ProvidersExhausted,
    generate,
    register_provider,
)
from tests.fakes.sample_output import INVALID_PLAN, VALID_PLAN, Plan

if TYPE_CHECKING:
    from tests.fakes.llm_env import LlmEnvironment

REQUEST = LlmRequest(system="s", prompt="p", task="learning_path")


class Scripted(Provider):
    """Answers from a list (an exception is raised), records each call; remote unless told otherwise."""

    def __init__(
        self,
        name: str,
        *answers: Any,
        in_process: bool = False,
        timeout_s: float = 20.0,
        warm_up_error: Exception | None = None,
        cost: Callable[..., float | None] | None = None,
    ) -> None:
        self.name = name
        self.model = f"{name}-model"
        self.in_process = in_process
        self.timeout_s = timeout_s
        self.answers = list(answers)
        self.calls: list[ProviderCall] = []
        self._warm_up_error = warm_up_error
        self._cost = cost

    def warm_up(self) -> None:
        if self._warm_up_error is not None:
            raise self._warm_up_error

    def generate(self, call: ProviderCall) -> ProviderReply:
        self.calls.append(call)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer if isinstance(answer, ProviderReply) else ProviderReply(content=answer)

    def cost_usd(
        self, input_tokens: int | None, output_tokens: int | None, cached_input_tokens: int | None = None
    ) -> float | None:
        if self._cost is None:
            return None
        if cached_input_tokens is None:
            return self._cost(input_tokens, output_tokens)
        return self._cost(input_tokens, output_tokens, cached_input_tokens)


@pytest.fixture
def add(llm_env: LlmEnvironment) -> Iterator[Callable[..., Scripted]]:
    names: list[str] = []

    def register(name: str, *answers: Any, **options: Any) -> Scripted:
        provider = Scripted(name, *answers, **options)
        register_provider(name, lambda: provider)
        names.append(name)
        llm_env.order(*names)
        return provider

    yield register
    for name in names:
        llm_registry.unregister_provider(name)


def messages(caplog: pytest.LogCaptureFixture, text: str) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.getMessage() == text]


def test_a_provider_whose_warm_up_fails_is_misconfigured_and_skipped(
    add: Callable[..., Scripted], caplog: pytest.LogCaptureFixture
) -> None:
    cold = add("cold", VALID_PLAN, warm_up_error=ImportError("no SDK"))
    add("warm", VALID_PLAN)
    with caplog.at_level(logging.INFO):
        result = generate(REQUEST, Plan)
    assert cold.calls == [] and result.provider == "warm"
    [attempt, _] = result.attempts
    assert (attempt.provider, attempt.model, attempt.outcome, attempt.error_kind, attempt.purpose) == (
        "cold",
        "cold-model",
        Outcome.ERROR,
        ErrorKind.MISCONFIGURED,
        "first",
    )
    [built] = messages(caplog, "LLM provider could not be built")
    assert (built.provider, built.error_type) == ("cold", "ImportError")  # type: ignore[attr-defined]
    assert "no SDK" not in caplog.text


def test_a_named_provider_is_the_only_one_tried(add: Callable[..., Scripted]) -> None:
    first = add("first", VALID_PLAN)
    second = add("second", ProviderError(ErrorKind.TIMEOUT))
    with pytest.raises(ProvidersExhausted) as exhausted:
        generate(REQUEST, Plan, provider="second")
    assert first.calls == [] and len(second.calls) == 1
    assert [a.provider for a in exhausted.value.attempts] == ["second"]
    assert generate(REQUEST, Plan, provider="first").provider == "first"


def test_each_fallback_is_logged_with_the_reason_and_exhaustion_with_the_count(
    add: Callable[..., Scripted], caplog: pytest.LogCaptureFixture
) -> None:
    add("one", ProviderError(ErrorKind.TIMEOUT))
    add("two", "not json", "still not json")
    add("three", ProviderError(ErrorKind.CONNECTION))
    with caplog.at_level(logging.INFO), pytest.raises(ProvidersExhausted) as exhausted:
        generate(REQUEST, Plan)
    fell_back = messages(caplog, "LLM falling back to the next provider")
    assert [(r.provider, r.reason, r.task) for r in fell_back] == [  # type: ignore[attr-defined]
        ("one", "timeout", "learning_path"),
        ("two", "unparseable", "learning_path"),
    ]  # none after the last provider
    [end] = messages(caplog, "LLM providers exhausted")
    assert (end.attempts, end.budget_exhausted, end.task) == (4, False, "learning_path")  # type: ignore[attr-defined]
    assert exhausted.value.budget_exhausted is False
    assert [a.summary() for a in exhausted.value.attempts] == [
        "one: timeout",
        "two: unparseable",
        "two (repair): unparseable",
        "three: connection",
    ]


def test_an_in_process_provider_gets_its_own_timeout_and_a_remote_one_the_budget(
    add: Callable[..., Scripted], llm_env: LlmEnvironment
) -> None:
    llm_env.set(LLM_REQUEST_RESERVE_MS=500, LLM_MIN_ATTEMPT_MS=100)
    remote = add("remote", ProviderError(ErrorKind.TIMEOUT), timeout_s=30.0)
    local = add("local", VALID_PLAN, in_process=True, timeout_s=7.0)
    generate(REQUEST, Plan, remaining_ms=lambda: 2_500)
    assert remote.calls[0].timeout_s == pytest.approx(2.0)  # 2.5 s left minus the 0.5 s reserve
    assert local.calls[0].timeout_s == 7.0  # not bounded by the budget


def test_out_of_time_is_recorded_as_skipped_and_reported_as_budget_exhausted(
    add: Callable[..., Scripted], llm_env: LlmEnvironment, caplog: pytest.LogCaptureFixture
) -> None:
    llm_env.set(LLM_REQUEST_RESERVE_MS=0, LLM_MIN_ATTEMPT_MS=1000)
    remote = add("remote", VALID_PLAN)
    with caplog.at_level(logging.INFO), pytest.raises(ProvidersExhausted) as exhausted:
        generate(REQUEST, Plan, remaining_ms=lambda: 999)
    assert remote.calls == []
    [skipped] = exhausted.value.attempts
    assert (skipped.outcome, skipped.error_kind, skipped.model) == (
        Outcome.SKIPPED,
        ErrorKind.DEADLINE,
        "remote-model",
    )
    assert exhausted.value.budget_exhausted is True
    assert messages(caplog, "LLM providers exhausted")[0].budget_exhausted is True  # type: ignore[attr-defined]


def test_a_retry_that_no_longer_fits_the_budget_is_skipped_as_a_retry(
    add: Callable[..., Scripted], llm_env: LlmEnvironment
) -> None:
    llm_env.set(LLM_REQUEST_RESERVE_MS=0, LLM_MIN_ATTEMPT_MS=100)
    left = [1_000]
    remote = add("remote", ProviderError(ErrorKind.SERVER_ERROR, status_code=503), VALID_PLAN)

    def sleep(seconds: float) -> None:
        left[0] -= 950  # the wait used up the budget

    with pytest.raises(ProvidersExhausted) as exhausted:
        generate(REQUEST, Plan, remaining_ms=lambda: left[0], sleep=sleep)
    assert len(remote.calls) == 1
    assert [(a.purpose, a.outcome, a.error_kind) for a in exhausted.value.attempts] == [
        ("first", Outcome.ERROR, ErrorKind.SERVER_ERROR),
        ("retry", Outcome.SKIPPED, ErrorKind.DEADLINE),
    ]
    assert exhausted.value.attempts[0].status_code == 503


def test_the_default_wait_and_the_wait_limits(add: Callable[..., Scripted], llm_env: LlmEnvironment) -> None:
    llm_env.set(LLM_RETRY_MAX_WAIT_MS=1500)
    add(
        "flaky",
        ProviderError(ErrorKind.RATE_LIMITED),
        ProviderError(ErrorKind.RATE_LIMITED, retry_after_s=1.5),
        VALID_PLAN,
    )
    waits: list[float] = []
    with pytest.raises(ProvidersExhausted):
        generate(REQUEST, Plan, sleep=waits.append)
    assert waits == [0.5]  # no Retry-After: the default pause, and one retry only
    waits.clear()
    add("exact", ProviderError(ErrorKind.RATE_LIMITED, retry_after_s=1.5), VALID_PLAN)
    assert generate(REQUEST, Plan, provider="exact", sleep=waits.append).provider == "exact"
    assert waits == [1.5]  # a wait equal to the maximum is still waited for


def test_no_retry_when_the_wait_would_leave_no_useful_attempt(
    add: Callable[..., Scripted], llm_env: LlmEnvironment
) -> None:
    llm_env.set(LLM_REQUEST_RESERVE_MS=0, LLM_MIN_ATTEMPT_MS=100, LLM_RETRY_MAX_WAIT_MS=10_000)
    flaky = add("flaky", ProviderError(ErrorKind.RATE_LIMITED, retry_after_s=2.0), VALID_PLAN)
    waits: list[float] = []
    with pytest.raises(ProvidersExhausted):
        generate(REQUEST, Plan, remaining_ms=lambda: 2_050, sleep=waits.append)
    assert waits == [] and len(flaky.calls) == 1
    # With room for a useful attempt after the wait, it retries.
    add("roomy", ProviderError(ErrorKind.RATE_LIMITED, retry_after_s=2.0), VALID_PLAN)
    assert generate(
        REQUEST, Plan, provider="roomy", remaining_ms=lambda: 2_100, sleep=waits.append
    ).provider == ("roomy")
    assert waits == [2.0]


@pytest.mark.parametrize(
    ("kind", "status", "message"),
    [
        (ErrorKind.AUTH, 401, "LLM provider rejected our credentials or configuration; it is skipped"),
        (
            ErrorKind.MISCONFIGURED,
            None,
            "LLM provider rejected our credentials or configuration; it is skipped",
        ),
        (ErrorKind.BAD_REQUEST, 400, "LLM provider rejected the request as invalid"),
    ],
)
def test_credential_and_request_rejections_are_logged_as_errors(
    add: Callable[..., Scripted],
    caplog: pytest.LogCaptureFixture,
    kind: ErrorKind,
    status: int | None,
    message: str,
) -> None:
    from llm_registry import observability

    observability.forget_logged_once()
    add("picky", ProviderError(kind, status_code=status))
    add("steady", VALID_PLAN)
    with caplog.at_level(logging.INFO):
        result = generate(REQUEST, Plan)
    assert result.provider == "steady" and result.attempts[0].status_code == status
    [record] = messages(caplog, message)
    fields = vars(record)
    assert record.levelno == logging.ERROR and (fields["provider"], fields["status_code"]) == (
        "picky",
        status,
    )
    if kind is ErrorKind.BAD_REQUEST:
        assert fields["task"] == "learning_path"
    other = {
        "LLM provider rejected our credentials or configuration; it is skipped",
        "LLM provider rejected the request as invalid",
    } - {message}
    assert not messages(caplog, other.pop())


def test_a_failing_cost_estimate_does_not_fail_the_generation(add: Callable[..., Scripted]) -> None:
    def broken(input_tokens: int | None, output_tokens: int | None) -> float | None:
        raise ZeroDivisionError

    add("priced", ProviderReply(VALID_PLAN, 10, 5), cost=broken)
    result = generate(REQUEST, Plan)
    assert result.attempts[0].cost_usd is None and result.attempts[0].input_tokens == 10


def test_costs_tokens_and_problem_counts_are_recorded_per_attempt(add: Callable[..., Scripted]) -> None:
    add(
        "priced",
        ProviderReply(INVALID_PLAN, 100, 40),
        ProviderReply(VALID_PLAN, 120, 50),
        cost=lambda i, o: ((i or 0) + (o or 0)) / 1000,
    )
    result = generate(REQUEST, Plan)
    invalid, ok = result.attempts
    assert (invalid.outcome, invalid.input_tokens, invalid.output_tokens, invalid.cost_usd) == (
        Outcome.INVALID_OUTPUT,
        100,
        40,
        pytest.approx(0.14),
    )
    assert invalid.problem_count >= 1 and ok.problem_count == 0
    assert (ok.purpose, ok.input_tokens, ok.output_tokens, ok.cost_usd) == (
        "repair",
        120,
        50,
        pytest.approx(0.17),
    )
    assert result.fallbacks == 0


def test_a_check_failure_counts_every_problem(add: Callable[..., Scripted]) -> None:
    add("checked", VALID_PLAN, VALID_PLAN)
    verdicts = iter([["a", "b", "c"], []])
    result = generate(REQUEST, Plan, check=lambda plan: next(verdicts))
    assert [a.problem_count for a in result.attempts] == [3, 0]
    assert result.attempts[0].error_kind == ErrorKind.CHECK_FAILED


def test_a_non_repairable_answer_moves_on_without_a_repair(add: Callable[..., Scripted]) -> None:
    empty = add("empty", ProviderReply(content=""), VALID_PLAN)
    add("steady", VALID_PLAN)
    result = generate(REQUEST, Plan)
    assert len(empty.calls) == 1 and result.provider == "steady"
    assert result.attempts[0].outcome == Outcome.ERROR and result.attempts[0].error_kind not in (
        ErrorKind.UNPARSEABLE,
        ErrorKind.SCHEMA_INVALID,
        ErrorKind.CHECK_FAILED,
    )


def test_latency_is_measured_per_attempt(
    add: Callable[..., Scripted], monkeypatch: pytest.MonkeyPatch
) -> None:
    import llm_registry.fallback as fallback

    ticks = iter([100.0, 102.0, 200.0, 200.25])
    monkeypatch.setattr(fallback.time, "monotonic", lambda: next(ticks))
    add("slow", "not json", VALID_PLAN, in_process=True)
    result = generate(REQUEST, Plan)
    assert [a.latency_ms for a in result.attempts] == [2000, 250]


def test_settings_given_to_generate_are_the_ones_providers_are_built_from(llm_env: LlmEnvironment) -> None:
    """Nothing in the environment configures openai; the settings passed in do (a key and a loopback base URL
    where nothing listens), so the built provider is called and fails to connect rather than being unknown."""
    from pydantic import SecretStr

    from llm_registry.config import LlmSettings

    settings = LlmSettings(
        openai_api_key=SecretStr("sk-test"),
        openai_base_url="http://127.0.0.1:9/v1",
        openai_timeout_s=2.0,
        llm_request_reserve_ms=0,
    )
    with pytest.raises(ProvidersExhausted) as exhausted:
        generate(REQUEST, Plan, provider="openai", settings=settings)
    [attempt] = exhausted.value.attempts
    assert attempt.provider == "openai" and attempt.error_kind == ErrorKind.CONNECTION


def test_an_unbuildable_provider_is_logged_once_each_by_type_with_an_empty_model(
    add: Callable[..., Scripted], llm_env: LlmEnvironment, caplog: pytest.LogCaptureFixture
) -> None:
    from llm_registry import observability

    observability.forget_logged_once()

    def broken(error: Exception) -> Callable[[], Provider]:
        def factory() -> Provider:
            raise error

        return factory

    register_provider("first_broken", broken(ImportError("no sdk")))
    register_provider("second_broken", broken(ValueError("bad config")))
    add("steady", VALID_PLAN, VALID_PLAN)
    llm_env.order("first_broken", "second_broken", "steady")
    try:
        with caplog.at_level(logging.INFO):
            result = generate(REQUEST, Plan)
            generate(REQUEST, Plan)  # a second request logs nothing new
    finally:
        llm_registry.unregister_provider("first_broken")
        llm_registry.unregister_provider("second_broken")
    assert [(a.provider, a.model, a.error_kind) for a in result.attempts[:2]] == [
        ("first_broken", "", ErrorKind.MISCONFIGURED),
        ("second_broken", "", ErrorKind.MISCONFIGURED),
    ]
    built = messages(caplog, "LLM provider could not be built")
    assert [(r.provider, r.error_type) for r in built] == [  # type: ignore[attr-defined]
        ("first_broken", "ImportError"),
        ("second_broken", "ValueError"),
    ]
    misconfigured = messages(caplog, "LLM provider rejected our credentials or configuration; it is skipped")
    assert [r.provider for r in misconfigured] == ["first_broken", "second_broken"]  # type: ignore[attr-defined]


def test_each_call_carries_the_output_schema_and_each_attempt_log_the_task(
    add: Callable[..., Scripted], caplog: pytest.LogCaptureFixture
) -> None:
    from llm_registry.schema import output_schema

    checked = add("checked", VALID_PLAN)
    with caplog.at_level(logging.INFO):
        generate(REQUEST, Plan)
    assert checked.calls[0].schema == output_schema(Plan)
    [record] = messages(caplog, "LLM attempt succeeded")
    assert record.task == "learning_path"  # type: ignore[attr-defined]


def test_tokens_reported_with_a_provider_error_are_recorded(add: Callable[..., Scripted]) -> None:
    add("cut", ProviderError(ErrorKind.TRUNCATED, input_tokens=900, output_tokens=4096))
    add("steady", ProviderReply(VALID_PLAN, 10, 20))
    result = generate(REQUEST, Plan)
    assert [(a.input_tokens, a.output_tokens) for a in result.attempts] == [(900, 4096), (10, 20)]
    assert result.input_tokens == 910 and result.output_tokens == 4116


def test_a_deadline_bounds_the_attempts_like_the_remaining_time(
    add: Callable[..., Scripted], llm_env: LlmEnvironment
) -> None:
    import time

    llm_env.set(LLM_REQUEST_RESERVE_MS=0, LLM_MIN_ATTEMPT_MS=100)
    remote = add("remote", VALID_PLAN)
    with pytest.raises(ProvidersExhausted) as exhausted:
        generate(REQUEST, Plan, deadline=time.monotonic() - 1)  # already past
    assert remote.calls == [] and exhausted.value.budget_exhausted is True
    assert generate(REQUEST, Plan, deadline=time.monotonic() + 600).provider == "remote"
    assert remote.calls[0].timeout_s == 20.0  # the provider's own timeout is the smaller


def test_the_minimum_useful_attempt_is_read_in_milliseconds(
    add: Callable[..., Scripted], llm_env: LlmEnvironment
) -> None:
    llm_env.set(LLM_REQUEST_RESERVE_MS=0, LLM_MIN_ATTEMPT_MS=1001)
    remote = add("remote", VALID_PLAN, VALID_PLAN)
    with pytest.raises(ProvidersExhausted):
        generate(REQUEST, Plan, remaining_ms=lambda: 1000)  # 1 ms short of a useful attempt
    assert remote.calls == []
    assert generate(REQUEST, Plan, remaining_ms=lambda: 1001).provider == "remote"


def test_a_crashing_provider_is_logged_under_its_name(
    add: Callable[..., Scripted], caplog: pytest.LogCaptureFixture
) -> None:
    add("crashing", KeyError("bug"))
    add("steady", VALID_PLAN)
    with caplog.at_level(logging.INFO):
        assert generate(REQUEST, Plan).provider == "steady"
    [record] = messages(caplog, "LLM provider raised an unexpected error")
    assert (vars(record)["provider"], vars(record)["error_type"]) == ("crashing", "KeyError")


# ---- what the registry's newer bookkeeping records (degraded answers, messages, health, cached tokens) ----


def test_an_answer_from_a_later_provider_is_logged_as_degraded(
    add: Callable[..., Scripted], caplog: pytest.LogCaptureFixture
) -> None:
    add("first", ProviderError(ErrorKind.TIMEOUT))
    add("second", VALID_PLAN, VALID_PLAN)
    with caplog.at_level(logging.INFO):
        result = generate(REQUEST, Plan)
    [record] = messages(caplog, "LLM answer came from a fallback provider")
    fields = vars(record)
    assert (fields["provider"], fields["first_provider"], fields["task"]) == (
        "second",
        "first",
        "learning_path",
    )
    assert fields["fallback_reason"] == result.fallback_reason and result.degraded
    caplog.clear()
    with caplog.at_level(logging.INFO):
        assert not generate(REQUEST, Plan, provider="second").degraded
    assert messages(caplog, "LLM answer came from a fallback provider") == []


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (["not json"], "the answer was not valid JSON"),
        ([ProviderReply(content="")], "the answer was empty"),
        ([INVALID_PLAN], "the answer did not match the schema"),
    ],
)
def test_invalid_output_is_described_without_quoting_it(
    add: Callable[..., Scripted], answers: list[Any], expected: str
) -> None:
    add("odd", *answers, "not json")
    add("steady", VALID_PLAN)
    first = generate(REQUEST, Plan).attempts[0]
    assert first.error_message is not None and first.error_message.startswith(expected)


def test_a_failed_check_counts_its_problems_in_the_message(add: Callable[..., Scripted]) -> None:
    add("checked", VALID_PLAN, VALID_PLAN)
    verdicts = iter([["one"], ["a", "b"]])
    with pytest.raises(ProvidersExhausted) as exhausted:
        generate(REQUEST, Plan, check=lambda plan: next(verdicts))
    assert [a.error_message for a in exhausted.value.attempts] == [
        "the answer failed the caller's check (1 problem)",
        "the answer failed the caller's check (2 problems)",
    ]
    add("schema_one", {**VALID_PLAN, "summary": None}, VALID_PLAN)
    result = generate(REQUEST, Plan, provider="schema_one")
    assert result.attempts[0].error_message == "the answer did not match the schema (1 problem)"
    add("schema_two", {"summary": None, "items": []}, VALID_PLAN)
    result = generate(REQUEST, Plan, provider="schema_two")
    assert result.attempts[0].error_message == "the answer did not match the schema (2 problems)"


def test_crashes_and_unbuildable_providers_leave_a_message_without_their_text(
    add: Callable[..., Scripted], llm_env: LlmEnvironment
) -> None:
    add("crashing", KeyError("resume of Jane Doe"))
    add("steady", VALID_PLAN, VALID_PLAN)
    assert generate(REQUEST, Plan).attempts[0].error_message == "KeyError raised in the provider's code"

    def factory() -> Provider:
        raise ImportError("no module named vendor_sdk")

    register_provider("unbuildable", factory)
    llm_env.order("unbuildable", "steady")
    try:
        attempt = generate(REQUEST, Plan).attempts[0]
    finally:
        llm_registry.unregister_provider("unbuildable")
    assert attempt.error_message == "ImportError: no module named vendor_sdk"


PROSE = "this answer is not json at all, it is only plain prose written by a model"
PROMPT = "Tell me about the candidate Jane Doe from Seoul and her work on the billing platform"


@pytest.mark.parametrize("redactions_fail", [False, True])
def test_vendor_messages_are_sanitized_of_secrets_and_echoes_of_what_was_sent(
    llm_env: LlmEnvironment, redactions_fail: bool
) -> None:
    class Keyed(Scripted):
        def redactions(self) -> tuple[str, ...]:
            if redactions_fail:
                raise RuntimeError("no key")
            return ("key-1234567890",)

    vendor = f"rejected key-1234567890 for {PROMPT} after {PROSE}"
    keyed = Keyed(
        "keyed", PROSE, ProviderError(ErrorKind.BAD_REQUEST, status_code=400, vendor_message=vendor)
    )
    register_provider("keyed", lambda: keyed)
    llm_env.order("keyed")
    try:
        with pytest.raises(ProvidersExhausted) as exhausted:
            generate(LlmRequest(system="s", prompt=PROMPT, task="interview"), Plan)
    finally:
        llm_registry.unregister_provider("keyed")
    message = exhausted.value.attempts[1].error_message
    assert message is not None and message.startswith("rejected")
    assert "Jane Doe" not in message and "plain prose" not in message  # echoes of the prompt and the repair
    assert ("key-1234567890" in message) is redactions_fail  # the provider's own secret, when it names it


def test_each_attempt_updates_the_provider_s_health(add: Callable[..., Scripted]) -> None:
    from llm_registry import health

    health.forget()
    add("down", ProviderError(ErrorKind.CONNECTION))
    add("up", VALID_PLAN)
    generate(REQUEST, Plan)
    down, up = health.latest("down"), health.latest("up")
    assert down is not None and down.outcome == "unavailable"
    assert up is not None and up.outcome == "ok"


def test_cached_input_tokens_are_recorded_and_priced(
    add: Callable[..., Scripted], llm_env: LlmEnvironment
) -> None:
    class OldStyle(Scripted):
        def cost_usd(self, input_tokens: int | None, output_tokens: int | None) -> float | None:  # type: ignore[override]
            return ((input_tokens or 0) + (output_tokens or 0)) / 1000

    old = OldStyle("old", ProviderReply(VALID_PLAN, 100, 50, cached_input_tokens=80))
    register_provider("old", lambda: old)
    llm_env.order("old")
    try:
        attempt = generate(REQUEST, Plan).attempts[0]
    finally:
        llm_registry.unregister_provider("old")
    assert attempt.cached_input_tokens == 80
    assert attempt.cost_usd == pytest.approx(0.15)  # a two-argument estimate still prices the call
    seen: list[tuple[Any, ...]] = []

    def three(*tokens: Any) -> float:
        seen.append(tokens)
        return 0.5

    add(
        "new",
        ProviderReply(VALID_PLAN, 100, 50, cached_input_tokens=80),
        ProviderReply(VALID_PLAN, 7, 8),
        cost=three,
    )
    generate(REQUEST, Plan, provider="new")
    generate(REQUEST, Plan, provider="new")
    assert seen == [(100, 50, 80), (7, 8)]


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (ErrorKind.AUTH, "LLM provider rejected our credentials or configuration; it is skipped"),
        (ErrorKind.BAD_REQUEST, "LLM provider rejected the request as invalid"),
    ],
)
def test_rejection_logs_carry_the_kind_and_the_sanitized_vendor_message(
    add: Callable[..., Scripted], caplog: pytest.LogCaptureFixture, kind: ErrorKind, message: str
) -> None:
    from llm_registry import observability

    observability.forget_logged_once()
    add(
        "picky", ProviderError(kind, status_code=400, vendor_message="model gpt-x does not support json mode")
    )
    add("steady", VALID_PLAN)
    with caplog.at_level(logging.INFO):
        result = generate(REQUEST, Plan)
    assert result.attempts[0].error_message == "model gpt-x does not support json mode"
    [record] = messages(caplog, message)
    assert vars(record)["error_message"] == "model gpt-x does not support json mode"
    if kind is ErrorKind.AUTH:
        assert vars(record)["error_kind"] == "auth"


def test_an_unbuildable_provider_s_log_names_the_kind_and_message(
    add: Callable[..., Scripted], llm_env: LlmEnvironment, caplog: pytest.LogCaptureFixture
) -> None:
    from llm_registry import observability

    observability.forget_logged_once()

    def factory() -> Provider:
        raise ImportError("no module named vendor_sdk")

    register_provider("unbuildable", factory)
    add("steady", VALID_PLAN)
    llm_env.order("unbuildable", "steady")
    try:
        with caplog.at_level(logging.INFO):
            generate(REQUEST, Plan)
    finally:
        llm_registry.unregister_provider("unbuildable")
    [record] = messages(caplog, "LLM provider rejected our credentials or configuration; it is skipped")
    fields = vars(record)
    assert (fields["error_kind"], fields["error_message"]) == (
        "misconfigured",
        "ImportError: no module named vendor_sdk",
    )
