"""Logs and metrics of the registry. Names, kinds, numbers and the vendor's error message *sanitized*
(`sanitize.py`: no key, no prompt text, at most 300 characters) are emitted: never prompt text, model output
or API keys.

Per-provider metrics carry a `provider` dimension. Two service-wide metrics (only the `service` dimension)
feed the template's alarms: `LlmDegradedResults` (an answer came from a provider other than the first one
tried) and `LlmConfigFailures` (a failure that repeats until a person acts: rejected key, billing, unknown
model, a request the model rejects, a provider that cannot be built).

Powertools' shared `Metrics` store has one dimension set per flush, which the handler owns (it flushes in
`log_metrics`); mixing provider dimensions into it would tag the caller's own metrics too. So each attempt
is published as its own small EMF document through `EphemeralMetrics` (same library, same namespace from
POWERTOOLS_METRICS_NAMESPACE, isolated state)."""

from __future__ import annotations

import threading
import traceback
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import EphemeralMetrics, MetricUnit

from llm_registry.attempts import Attempt, Outcome

# Same service name as the functions, so the same underlying logger: request ids appended by the handler
# (inject_lambda_context) show up on these records too. Powertools configures it only once.
logger = Logger()

_once_lock = threading.Lock()
_logged_once: set[str] = set()


def first_time(key: str) -> bool:
    """True the first time `key` is seen in this execution environment (for log-once warnings)."""
    with _once_lock:
        if key in _logged_once:
            return False
        _logged_once.add(key)
        return True


def forget_logged_once() -> None:
    with _once_lock:
        _logged_once.clear()


def _publish(provider: str | None, values: list[tuple[str, MetricUnit, float]]) -> None:
    try:
        metrics = EphemeralMetrics()
        if provider is not None:
            metrics.add_dimension(name="provider", value=provider)
        for name, unit, value in values:
            metrics.add_metric(name=name, unit=unit, value=value)
        metrics.flush_metrics()
    except Exception as exc:  # metrics must never break generation (e.g. no namespace configured)
        logger.debug("LLM metrics not published", extra={"error_type": type(exc).__name__})


def attempt_finished(attempt: Attempt, *, task: str) -> None:
    fields: dict[str, Any] = attempt.model_dump(mode="json", exclude_none=True)
    fields["task"] = task
    if attempt.outcome is Outcome.OK:
        logger.info("LLM attempt succeeded", extra=fields)
    elif attempt.outcome is Outcome.SKIPPED:
        logger.warning("LLM provider skipped", extra=fields)
    else:
        logger.warning("LLM attempt failed", extra=fields)

    values: list[tuple[str, MetricUnit, float]] = []
    if attempt.outcome is not Outcome.SKIPPED:
        values.append(("LlmAttempts", MetricUnit.Count, 1))
        values.append(("LlmLatency", MetricUnit.Milliseconds, attempt.latency_ms))
    if attempt.outcome is not Outcome.OK:
        values.append(("LlmAttemptFailures", MetricUnit.Count, 1))
    if attempt.input_tokens is not None:
        values.append(("LlmInputTokens", MetricUnit.Count, attempt.input_tokens))
    if attempt.output_tokens is not None:
        values.append(("LlmOutputTokens", MetricUnit.Count, attempt.output_tokens))
    if attempt.cost_usd is not None:
        values.append(("LlmCostUSD", MetricUnit.NoUnit, attempt.cost_usd))
    _publish(attempt.provider, values)


def fell_back(provider: str, reason: str, *, task: str) -> None:
    logger.warning(
        "LLM falling back to the next provider", extra={"provider": provider, "reason": reason, "task": task}
    )
    _publish(provider, [("LlmFallbacks", MetricUnit.Count, 1)])


def provider_misconfigured(
    provider: str,
    status_code: int | None,
    *,
    error_kind: str | None = None,
    error_message: str | None = None,
) -> None:
    """Rejected credentials, billing, an unknown model or an unbuildable provider: counted every time (per
    provider, and service-wide for the alarm), logged once per execution environment and kind."""
    if first_time(f"misconfigured:{provider}:{error_kind}"):
        logger.error(
            "LLM provider rejected our credentials or configuration; it is skipped",
            extra={
                "provider": provider,
                "status_code": status_code,
                "error_kind": error_kind,
                "error_message": error_message,
            },
        )
    _publish(provider, [("LlmProviderMisconfigured", MetricUnit.Count, 1)])
    _publish(None, [("LlmConfigFailures", MetricUnit.Count, 1)])


def request_rejected(
    provider: str, status_code: int | None, *, task: str, error_message: str | None = None
) -> None:
    """A 4xx other than auth/rate limit means our request does not suit this model (a model mismatch or a
    bug): it repeats on every call, so it counts as a configuration failure too."""
    logger.error(
        "LLM provider rejected the request as invalid",
        extra={
            "provider": provider,
            "status_code": status_code,
            "task": task,
            "error_message": error_message,
        },
    )
    _publish(provider, [("LlmRequestRejected", MetricUnit.Count, 1)])
    _publish(None, [("LlmConfigFailures", MetricUnit.Count, 1)])


def degraded_result(provider: str, first_provider: str, reason: str | None, *, task: str) -> None:
    """The answer came from a provider other than the first one tried: said in the log and counted."""
    logger.warning(
        "LLM answer came from a fallback provider",
        extra={
            "provider": provider,
            "first_provider": first_provider,
            "fallback_reason": reason,
            "task": task,
        },
    )
    _publish(provider, [("LlmDegraded", MetricUnit.Count, 1)])
    _publish(None, [("LlmDegradedResults", MetricUnit.Count, 1)])


def provider_crashed(provider: str, exc: BaseException) -> None:
    """An unexpected exception in provider code. Its type and where it was raised are logged, not its message
    or traceback text, which may quote the data being processed."""
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}" if frame else None
    logger.error(
        "LLM provider raised an unexpected error",
        extra={"provider": provider, "error_type": type(exc).__name__, "raised_at": where},
    )


def exhausted(attempt_count: int, *, budget_exhausted: bool, task: str) -> None:
    logger.error(
        "LLM providers exhausted",
        extra={"attempts": attempt_count, "budget_exhausted": budget_exhausted, "task": task},
    )
    _publish("all", [("LlmExhausted", MetricUnit.Count, 1)])


def warn_once(key: str, message: str, **fields: Any) -> None:
    if first_time(key):
        logger.warning(message, extra=fields)
