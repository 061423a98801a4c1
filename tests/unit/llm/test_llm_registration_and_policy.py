"""Providers registered from outside (like the core's offline generator), the `check` hook and the retry,
repair and fallback policy, with in-process providers: no network, no SDK."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

import llm_registry
from llm_registry import (
    ErrorKind,
    FunctionProvider,
    LlmRequest,
    NoProviderConfigured,
    Outcome,
    Provider,
    ProviderCall,
    ProviderError,
    ProviderReply,
    ProvidersExhausted,
    UnknownProvider,
    generate,
    provider_order,
    register_provider,
)
from tests.fakes.sample_output import INVALID_PLAN, VALID_PLAN, Plan

if TYPE_CHECKING:
    from tests.fakes.llm_env import LlmEnvironment

REQUEST = LlmRequest(system="s", prompt="p", local_input={"resume": {"skills": ["Kafka"]}})
Answer = ProviderReply | Plan | dict[str, Any] | str


class Scripted:
    """An in-process provider answering from a list, recording the calls it receives."""

    def __init__(self, *answers: Answer | Exception) -> None:
        self.answers = list(answers)
        self.calls: list[ProviderCall] = []

    def __call__(self, call: ProviderCall) -> Answer:
        self.calls.append(call)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture
def register(llm_env: LlmEnvironment) -> Iterator[Callable[..., Scripted]]:
    names: list[str] = []

    def add(name: str, *answers: Answer | Exception, in_process: bool = True) -> Scripted:
        script = Scripted(*answers)
        register_provider(
            name, lambda: FunctionProvider(name, script, model=f"{name}-model", in_process=in_process)
        )
        names.append(name)
        return script

    yield add
    for name in names:
        llm_registry.unregister_provider(name)


def test_a_registered_provider_is_configured_and_last_in_the_default_order(
    llm_env: LlmEnvironment, register: Callable[..., Scripted]
) -> None:
    llm_env.set(OPENAI_API_KEY="sk")
    register("offline", VALID_PLAN)
    assert provider_order() == ["openai", "offline"]


@pytest.mark.parametrize(
    "answer",
    [Plan.model_validate(VALID_PLAN), VALID_PLAN, json.dumps(VALID_PLAN), ProviderReply(content=VALID_PLAN)],
    ids=["model", "mapping", "json-text", "reply"],
)
def test_an_external_provider_may_return_the_model_a_mapping_or_text(
    register: Callable[..., Scripted], answer: Answer
) -> None:
    script = register("offline", answer)

    result = generate(REQUEST, Plan, provider="offline")

    assert result.output == Plan.model_validate(VALID_PLAN)
    assert (result.provider, result.model) == ("offline", "offline-model")
    assert result.cost_usd == 0.0
    call = script.calls[0]
    assert call.request.local_input == {"resume": {"skills": ["Kafka"]}}  # in-process providers get the data
    assert call.output_model is Plan and call.repair is None


def test_registration_rules(register: Callable[..., Scripted]) -> None:
    with pytest.raises(ValueError, match="built-in"):
        register_provider("openai", lambda: FunctionProvider("openai", lambda call: VALID_PLAN))
    with pytest.raises(ValueError, match="invalid provider name"):
        register_provider("Off Line", lambda: FunctionProvider("x", lambda call: VALID_PLAN))


def test_registrations_survive_a_reset(register: Callable[..., Scripted]) -> None:
    register("offline", VALID_PLAN)
    llm_registry.reset()
    assert "offline" in provider_order()


def test_check_problems_are_fed_back_in_one_repair_attempt(register: Callable[..., Scripted]) -> None:
    script = register("offline", VALID_PLAN, {**VALID_PLAN, "summary": "Deepen Kafka (from the resume)"})

    def quotes_the_resume(plan: Plan) -> list[str]:
        return [] if "resume" in plan.summary else ["summary: quote not in resume"]

    result = generate(REQUEST, Plan, check=quotes_the_resume)

    assert result.output.summary.endswith("(from the resume)")
    assert [(a.purpose, a.outcome, a.error_kind) for a in result.attempts] == [
        ("first", Outcome.INVALID_OUTPUT, ErrorKind.CHECK_FAILED),
        ("repair", Outcome.OK, None),
    ]
    repair = script.calls[1].repair
    assert repair is not None
    assert repair.problems == ("summary: quote not in resume",)
    assert json.loads(repair.previous_answer) == VALID_PLAN
    assert "summary: quote not in resume" in repair.message()


def test_check_failing_twice_moves_to_the_next_provider(register: Callable[..., Scripted]) -> None:
    register("first", VALID_PLAN, VALID_PLAN)
    second = register("second", VALID_PLAN)
    verdicts = iter([["bad"], ["still bad"], []])

    result = generate(REQUEST, Plan, check=lambda plan: next(verdicts))

    assert result.provider == "second"
    assert [a.summary() for a in result.attempts] == [
        "first: check_failed",
        "first (repair): check_failed",
        "second: ok",
    ]
    assert len(second.calls) == 1


def test_an_exception_in_check_is_the_callers_and_propagates(register: Callable[..., Scripted]) -> None:
    register("offline", VALID_PLAN)

    def broken(plan: Plan) -> list[str]:
        raise KeyError("caller bug")

    with pytest.raises(KeyError):
        generate(REQUEST, Plan, check=broken)


def test_schema_errors_and_unparseable_answers_get_one_repair_each_provider(
    register: Callable[..., Scripted],
) -> None:
    first = register("first", "not json at all", INVALID_PLAN)
    register("second", INVALID_PLAN, VALID_PLAN)

    result = generate(REQUEST, Plan)

    assert [a.summary() for a in result.attempts] == [
        "first: unparseable",
        "first (repair): schema_invalid",
        "second: schema_invalid",
        "second (repair): ok",
    ]
    assert first.calls[1].repair is not None and first.calls[1].repair.previous_answer == "not json at all"


def test_retryable_errors_wait_for_retry_after_once(register: Callable[..., Scripted]) -> None:
    register(
        "flaky",
        ProviderError(ErrorKind.RATE_LIMITED, status_code=429, retry_after_s=1.5),
        ProviderError(ErrorKind.SERVER_ERROR, status_code=500),
    )
    register("steady", VALID_PLAN)
    waits: list[float] = []

    result = generate(REQUEST, Plan, sleep=waits.append)

    assert waits == [1.5]  # one retry only, after the provider's Retry-After
    assert [a.summary() for a in result.attempts] == [
        "flaky: rate_limited",
        "flaky (retry): server_error",
        "steady: ok",
    ]


def test_retry_after_beyond_the_configured_maximum_is_not_waited_for(
    llm_env: LlmEnvironment, register: Callable[..., Scripted]
) -> None:
    llm_env.set(LLM_RETRY_MAX_WAIT_MS=1000)
    register("flaky", ProviderError(ErrorKind.RATE_LIMITED, retry_after_s=60))
    register("steady", VALID_PLAN)
    waits: list[float] = []

    assert generate(REQUEST, Plan, sleep=waits.append).provider == "steady"
    assert waits == []


@pytest.mark.parametrize(
    "failure",
    [ProviderError(ErrorKind.TIMEOUT), ProviderError(ErrorKind.REFUSAL), RuntimeError("provider bug")],
    ids=["timeout", "refusal", "unexpected"],
)
def test_other_failures_move_on_without_retry(register: Callable[..., Scripted], failure: Exception) -> None:
    broken = register("broken", failure)
    register("steady", VALID_PLAN)
    waits: list[float] = []

    result = generate(REQUEST, Plan, sleep=waits.append)

    assert result.provider == "steady" and waits == [] and len(broken.calls) == 1
    expected = "internal" if isinstance(failure, RuntimeError) else failure.kind.value  # type: ignore[attr-defined]
    assert result.attempts[0].error_kind == expected


def test_a_provider_whose_factory_fails_is_recorded_as_misconfigured(
    llm_env: LlmEnvironment, register: Callable[..., Scripted]
) -> None:
    def factory() -> Provider:
        raise ImportError("sdk missing")

    register_provider("unbuildable", factory)
    register("steady", VALID_PLAN)
    llm_env.order("unbuildable", "steady")
    try:
        result = generate(REQUEST, Plan)
    finally:
        llm_registry.unregister_provider("unbuildable")

    assert [a.summary() for a in result.attempts] == ["unbuildable: misconfigured", "steady: ok"]


def test_nothing_configured_and_unknown_names(
    llm_env: LlmEnvironment, register: Callable[..., Scripted]
) -> None:
    with pytest.raises(NoProviderConfigured) as caught:
        generate(REQUEST, Plan)
    assert isinstance(caught.value, ProvidersExhausted) and caught.value.attempts == ()

    register("offline", VALID_PLAN)
    with pytest.raises(UnknownProvider, match="'gemini' is not available; available providers: offline"):
        generate(REQUEST, Plan, provider="gemini")


def test_remote_providers_are_skipped_when_the_budget_is_spent(register: Callable[..., Scripted]) -> None:
    remote = register("remote", VALID_PLAN, in_process=False)
    local = register("local", VALID_PLAN)

    result = generate(REQUEST, Plan, remaining_ms=lambda: 10)

    assert remote.calls == [] and len(local.calls) == 1
    assert [(a.provider, a.outcome, a.error_kind) for a in result.attempts] == [
        ("remote", Outcome.SKIPPED, ErrorKind.DEADLINE),
        ("local", Outcome.OK, None),
    ]


def test_exhaustion_message_carries_kinds_only(register: Callable[..., Scripted]) -> None:
    register("only", RuntimeError("password=hunter2 in a stack trace"))

    with pytest.raises(ProvidersExhausted) as caught:
        generate(REQUEST, Plan)

    assert str(caught.value) == "no LLM provider produced a valid answer (only: internal)"


def test_result_totals_add_up_the_attempts(register: Callable[..., Scripted]) -> None:
    class Priced(FunctionProvider):
        # Written before cached tokens existed: two arguments still work (the registry passes two when no
        # cached count is known, and falls back to two if a provider refuses three).
        def cost_usd(self, input_tokens: int | None, output_tokens: int | None) -> float | None:  # type: ignore[override]
            return ((input_tokens or 0) + (output_tokens or 0)) / 1000

    replies = iter([ProviderReply(INVALID_PLAN, 100, 50), ProviderReply(VALID_PLAN, 200, 60)])
    register_provider("priced", lambda: Priced("priced", lambda call: next(replies), in_process=False))
    try:
        result = generate(REQUEST, Plan, provider="priced")
    finally:
        llm_registry.unregister_provider("priced")

    assert (result.input_tokens, result.output_tokens) == (300, 110)
    assert result.cost_usd == pytest.approx(0.41)
    assert result.fallbacks == 0


def test_a_crashing_provider_is_logged_by_type_and_place_without_its_message(
    register: Callable[..., Scripted], caplog: pytest.LogCaptureFixture
) -> None:
    register("broken", ValueError("resume says: Jane Doe, +82 10 1234 5678"))
    register("steady", VALID_PLAN)

    assert generate(REQUEST, Plan).provider == "steady"

    [record] = [r for r in caplog.records if r.getMessage() == "LLM provider raised an unexpected error"]
    assert getattr(record, "error_type", None) == "ValueError"
    assert str(getattr(record, "raised_at", "")).startswith("test_llm_registration_and_policy.py:")
    assert record.exc_info is None
    assert "Jane Doe" not in str([vars(r) for r in caplog.records])
