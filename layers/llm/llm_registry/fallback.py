"""`generate`: one call that walks the providers in order until one returns valid output in time.

Per provider:
- invalid output (not JSON, wrong shape, or problems found by the caller's `check`) gets ONE repair attempt
  on the same provider, with the previous answer and the problems fed back; invalid again -> next provider;
- 429 and 5xx get at most ONE retry, after Retry-After (or a short pause) if that fits the budget;
- timeouts, connection errors, refusals, empty or truncated answers, unreadable bodies -> next provider;
- 401/403, billing (out of credit), unknown model -> the provider is misconfigured: counted, logged once,
  skipped (never retried: they repeat until a person acts);
- other 4xx -> our request does not suit this model (a bug, or a model that lacks a feature): logged as
  an error, counted as a configuration failure, not retried, next provider. Sending the same request
  elsewhere is the useful thing to do for the user; the error log and the alarm get the cause fixed.
Every attempt keeps the vendor's error message, sanitized (sanitize.py), and updates the provider's health
record (health.py). An answer from any provider but the first one tried is `degraded` (GenerationResult),
logged and counted (the `LlmDegradedResults` metric has an alarm): a fallback is never silent.
Each attempt's timeout is min(provider timeout, remaining budget - reserve); when no useful attempt fits,
remote providers are skipped (recorded as such) and `ProvidersExhausted` is raised with every attempt."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from pydantic import BaseModel

from llm_registry import health, observability, pricing, registry
from llm_registry.attempts import (
    CONFIG_FAILURE_KINDS,
    REPAIRABLE_KINDS,
    RETRYABLE_KINDS,
    Attempt,
    ErrorKind,
    GenerationResult,
    Outcome,
    Purpose,
)
from llm_registry.budget import Budget
from llm_registry.config import LlmSettings, get_settings
from llm_registry.errors import NoProviderConfigured, ProviderError, ProvidersExhausted, UnknownProvider
from llm_registry.providers.base import Provider
from llm_registry.request import LlmRequest, ProviderCall, ProviderReply, Repair
from llm_registry.sanitize import sanitize_error_message
from llm_registry.schema import OutputSchema, output_schema
from llm_registry.validation import validate_reply

T = TypeVar("T", bound=BaseModel)

AUTO = "auto"
# Pause before the one retry when the provider gave no Retry-After.
DEFAULT_RETRY_WAIT_S = 0.5


def generate(
    request: LlmRequest,
    output_model: type[T],
    *,
    provider: str = AUTO,
    check: Callable[[T], Sequence[str]] | None = None,
    deadline: float | None = None,
    remaining_ms: Callable[[], int] | None = None,
    settings: LlmSettings | None = None,
    sleep: Callable[[float], None] = time.sleep,
    report_degraded: bool = True,
) -> GenerationResult[T]:
    """Generate `output_model` from `request`, falling back across providers.

    provider: "auto" (every configured provider, in order) or one provider's name (that one only).
    check: domain validation of a schema-valid output; returned problems are handled like schema errors.
        Exceptions it raises propagate: they are the caller's bug, not the provider's.
    report_degraded: log and count a fallback's answer as a degraded result (the `LlmDegradedResults`
        metric, which has an alarm). A caller that combines several answers into one result (a fan-out of
        parts) passes False and reports the combined result once with `report_degraded_result`.
    deadline / remaining_ms: the time budget (a time.monotonic() deadline, or a callable such as Lambda's
        context.get_remaining_time_in_millis); without either, only provider timeouts bound the call.

    Raises UnknownProvider for a named provider that is not available, NoProviderConfigured when nothing is
    configured at all, and ProvidersExhausted when every provider failed or time ran out."""
    settings = settings or get_settings()
    order = registry.provider_order(settings)
    if provider != AUTO:
        if provider not in order:
            raise UnknownProvider(provider, order)
        order = [provider]
    elif not order:
        raise NoProviderConfigured()

    budget = Budget(
        deadline=deadline,
        remaining_ms=remaining_ms,
        reserve_s=settings.llm_request_reserve_ms / 1000,
        min_attempt_s=settings.llm_min_attempt_ms / 1000,
    )
    run: _Run[T] = _Run(request, output_model, output_schema(output_model), check, budget, settings, sleep)
    for position, name in enumerate(order):
        result = run.try_provider(name)
        if result is not None:
            if result.degraded and report_degraded:
                observability.degraded_result(
                    result.provider, result.attempts[0].provider, result.fallback_reason, task=request.task
                )
            return result
        if position + 1 < len(order) and run.last_failure is not None:
            observability.fell_back(name, run.last_failure, task=request.task)
    observability.exhausted(len(run.attempts), budget_exhausted=run.out_of_time, task=request.task)
    raise ProvidersExhausted(run.attempts, budget_exhausted=run.out_of_time)


def report_degraded_result(provider: str, first_provider: str, reason: str | None, *, task: str) -> None:
    """Log and count one degraded result that the caller assembled from several `generate` calls made with
    `report_degraded=False`: the same log line and metrics as a single degraded answer."""
    observability.degraded_result(provider, first_provider, reason, task=task)


class _Run(Generic[T]):
    """The state of one `generate` call: its attempts so far and whether time ran out."""

    def __init__(
        self,
        request: LlmRequest,
        output_model: type[T],
        schema: OutputSchema,
        check: Callable[[T], Sequence[str]] | None,
        budget: Budget,
        settings: LlmSettings,
        sleep: Callable[[float], None],
    ) -> None:
        self.request = request
        self.output_model = output_model
        self.schema = schema
        self.check = check
        self.budget = budget
        self.settings = settings
        self.sleep = sleep
        self.attempts: list[Attempt] = []
        self.out_of_time = False
        self.last_failure: str | None = None
        self.sent_repairs: list[str] = []

    def _record(self, attempt: Attempt) -> None:
        self.attempts.append(attempt)
        observability.attempt_finished(attempt, task=self.request.task)
        health.record(attempt)
        self.last_failure = (
            None if attempt.outcome is Outcome.OK else str(attempt.error_kind or attempt.outcome)
        )

    def _fail(self, name: str, model: str, kind: ErrorKind, purpose: Purpose = "first") -> None:
        outcome = Outcome.SKIPPED if kind is ErrorKind.DEADLINE else Outcome.ERROR
        self._record(Attempt(provider=name, model=model, purpose=purpose, outcome=outcome, error_kind=kind))

    def try_provider(self, name: str) -> GenerationResult[T] | None:
        try:
            provider = registry.get_provider(name, self.settings)
        except Exception as exc:
            self._unbuildable(name, "", exc)
            return None
        try:
            # Build the SDK client before any attempt is timed, so latency measures the call alone.
            provider.warm_up()
        except Exception as exc:
            self._unbuildable(name, provider.model, exc)
            return None

        purpose: Purpose = "first"
        retried = repaired = False
        repair: Repair | None = None
        while True:
            timeout = (
                provider.timeout_s if provider.in_process else self.budget.attempt_timeout(provider.timeout_s)
            )
            if timeout is None:
                self.out_of_time = True
                self._fail(name, provider.model, ErrorKind.DEADLINE, purpose)
                return None
            call = ProviderCall(self.request, self.output_model, self.schema, timeout, repair)
            if not provider.in_process:
                pricing.preload()  # loads in the background while the provider answers
            started = time.monotonic()
            try:
                reply = provider.generate(call)
            except ProviderError as exc:
                self._provider_error(name, provider, exc, purpose, started)
                wait = self._retry_wait(exc) if not retried else None
                if wait is None:
                    return None
                self.sleep(wait)
                retried, purpose = True, "retry"
                continue
            except Exception as exc:  # a bug in a provider must not end the whole generation
                observability.provider_crashed(name, exc)
                self._record(
                    self._attempt(
                        name,
                        provider,
                        purpose,
                        started,
                        Outcome.ERROR,
                        ErrorKind.INTERNAL,
                        message=f"{type(exc).__name__} raised in the provider's code",
                    )
                )
                return None

            verdict = validate_reply(reply, self.output_model, self.schema, self.check)
            tokens = _tokens(reply)
            if verdict.value is not None:
                self._record(self._attempt(name, provider, purpose, started, Outcome.OK, None, tokens=tokens))
                return GenerationResult(
                    output=verdict.value, provider=name, model=provider.model, attempts=tuple(self.attempts)
                )
            kind = verdict.kind or ErrorKind.SCHEMA_INVALID
            outcome = Outcome.INVALID_OUTPUT if kind in REPAIRABLE_KINDS else Outcome.ERROR
            self._record(
                self._attempt(
                    name,
                    provider,
                    purpose,
                    started,
                    outcome,
                    kind,
                    tokens=tokens,
                    problems=len(verdict.problems),
                    message=_invalid_output_message(kind, len(verdict.problems)),
                )
            )
            if repaired or kind not in REPAIRABLE_KINDS:
                return None
            repair = Repair(previous_answer=reply.as_text(), problems=verdict.problems)
            self.sent_repairs += [repair.previous_answer, repair.message()]
            repaired, purpose = True, "repair"

    def _unbuildable(self, name: str, model: str, exc: Exception) -> None:
        observability.warn_once(
            f"build:{name}", "LLM provider could not be built", provider=name, error_type=type(exc).__name__
        )
        message = self._sanitize(f"{type(exc).__name__}: {exc}", ())
        observability.provider_misconfigured(
            name, None, error_kind=ErrorKind.MISCONFIGURED.value, error_message=message
        )
        self._record(
            Attempt(
                provider=name,
                model=model,
                outcome=Outcome.ERROR,
                error_kind=ErrorKind.MISCONFIGURED,
                error_message=message,
            )
        )

    def _sanitize(self, message: str | None, secrets: tuple[str, ...]) -> str | None:
        # Everything sent to the vendor that it could quote back: the instructions, the prompt and the repair
        # turns (a previous answer quotes the prompt). `local_input` never leaves the process.
        texts = [self.request.system, self.request.prefix, self.request.prompt, *self.sent_repairs]
        return sanitize_error_message(message, secrets=secrets, request_texts=texts)

    def _attempt(
        self,
        name: str,
        provider: Provider,
        purpose: Purpose,
        started: float,
        outcome: Outcome,
        kind: ErrorKind | None,
        *,
        tokens: tuple[int | None, int | None, int | None] = (None, None, None),
        status_code: int | None = None,
        problems: int = 0,
        message: str | None = None,
    ) -> Attempt:
        cost = _cost(provider, tokens)
        return Attempt(
            provider=name,
            model=provider.model,
            purpose=purpose,
            outcome=outcome,
            error_kind=kind,
            status_code=status_code,
            latency_ms=round((time.monotonic() - started) * 1000),
            input_tokens=tokens[0],
            output_tokens=tokens[1],
            cached_input_tokens=tokens[2],
            cost_usd=cost,
            problem_count=problems,
            error_message=message,
        )

    def _provider_error(
        self, name: str, provider: Provider, exc: ProviderError, purpose: Purpose, started: float
    ) -> None:
        tokens = (exc.input_tokens, exc.output_tokens, None)
        try:
            secrets = provider.redactions()
        except Exception:
            secrets = ()
        message = self._sanitize(exc.vendor_message, secrets)
        self._record(
            self._attempt(
                name,
                provider,
                purpose,
                started,
                Outcome.ERROR,
                exc.kind,
                tokens=tokens,
                status_code=exc.status_code,
                message=message,
            )
        )
        if exc.kind is ErrorKind.BAD_REQUEST:
            observability.request_rejected(
                name, exc.status_code, task=self.request.task, error_message=message
            )
        elif exc.kind in CONFIG_FAILURE_KINDS:
            observability.provider_misconfigured(
                name, exc.status_code, error_kind=exc.kind.value, error_message=message
            )

    def _retry_wait(self, exc: ProviderError) -> float | None:
        """Seconds to wait before the single retry, or None when there is no retry."""
        if exc.kind not in RETRYABLE_KINDS:
            return None
        wait = exc.retry_after_s if exc.retry_after_s is not None else DEFAULT_RETRY_WAIT_S
        if wait > self.settings.llm_retry_max_wait_ms / 1000 or not self.budget.can_wait(wait):
            return None
        return wait


def _tokens(reply: ProviderReply) -> tuple[int | None, int | None, int | None]:
    return (reply.input_tokens, reply.output_tokens, reply.cached_input_tokens)


def _invalid_output_message(kind: ErrorKind, problems: int) -> str:
    """Invalid output has no vendor message; this says what was wrong without quoting the answer or the
    caller's problems (which may quote the request)."""
    if kind is ErrorKind.UNPARSEABLE:
        return "the answer was not valid JSON"
    if kind is ErrorKind.EMPTY:
        return "the answer was empty"
    if kind is ErrorKind.CHECK_FAILED:
        return f"the answer failed the caller's check ({problems} problem{'s' if problems != 1 else ''})"
    return f"the answer did not match the schema ({problems} problem{'s' if problems != 1 else ''})"


def _cost(provider: Provider, tokens: tuple[int | None, int | None, int | None]) -> float | None:
    """The provider's estimate; providers written before cached tokens existed take two arguments."""
    try:
        if tokens[2] is None:
            return provider.cost_usd(tokens[0], tokens[1])
        return provider.cost_usd(*tokens)
    except TypeError:
        try:
            return provider.cost_usd(tokens[0], tokens[1])
        except Exception:
            return None
    except Exception:
        return None
