"""The outcome of each provider's most recent call in this execution environment, for health endpoints.

A health endpoint must not call the providers (that costs money and time on every probe); what it can say
honestly is how the last real call went. Each finished attempt updates its provider's record; attempts
skipped for lack of time do not (the provider was not called). The record lives in this process only: a
new execution environment starts with every provider `never_called`."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Literal

from llm_registry.attempts import Attempt, ErrorKind, Outcome

HealthOutcome = Literal["ok", "auth_failed", "bad_request", "rate_limited", "unavailable", "never_called"]

# How each error kind reads on a health endpoint. Kinds that mean "the provider answered, but the answer
# was not usable" (invalid output, refusal, truncation) are `ok`: the provider is reachable and accepts the
# key and the request; the answer's quality is the attempt's business, not the provider's health.
_OUTCOME_OF_KIND: dict[ErrorKind, HealthOutcome] = {
    ErrorKind.AUTH: "auth_failed",
    ErrorKind.BILLING: "auth_failed",  # the account cannot be used until someone acts, like a bad key
    ErrorKind.BAD_REQUEST: "bad_request",
    ErrorKind.MODEL_NOT_FOUND: "bad_request",
    ErrorKind.MISCONFIGURED: "bad_request",
    ErrorKind.RATE_LIMITED: "rate_limited",
    ErrorKind.TIMEOUT: "unavailable",
    ErrorKind.SERVER_ERROR: "unavailable",
    ErrorKind.CONNECTION: "unavailable",
    ErrorKind.INTERNAL: "unavailable",
}


@dataclass(frozen=True)
class ProviderHealth:
    provider: str
    model: str | None
    outcome: HealthOutcome
    error_kind: str | None = None  # the attempt's ErrorKind value, when it failed
    status_code: int | None = None
    error_message: str | None = None  # sanitized vendor message (see sanitize.py)
    at: float | None = None  # epoch seconds of the call

    def as_dict(self) -> dict[str, object]:
        return {
            "provider": self.provider,
            "model": self.model,
            "outcome": self.outcome,
            "error_kind": self.error_kind,
            "status_code": self.status_code,
            "error_message": self.error_message,
            "at": self.at,
        }


_lock = threading.Lock()
_latest: dict[str, ProviderHealth] = {}


def outcome_of(attempt: Attempt) -> HealthOutcome:
    if attempt.outcome is Outcome.OK or attempt.error_kind is None:
        return "ok"
    return _OUTCOME_OF_KIND.get(attempt.error_kind, "ok")


def record(attempt: Attempt, *, clock: float | None = None) -> None:
    if attempt.outcome is Outcome.SKIPPED:
        return
    entry = ProviderHealth(
        provider=attempt.provider,
        model=attempt.model or None,
        outcome=outcome_of(attempt),
        error_kind=attempt.error_kind.value if attempt.error_kind else None,
        status_code=attempt.status_code,
        error_message=attempt.error_message,
        at=time.time() if clock is None else clock,
    )
    with _lock:
        _latest[attempt.provider] = entry


def latest(provider: str) -> ProviderHealth | None:
    with _lock:
        return _latest.get(provider)


def forget() -> None:
    with _lock:
        _latest.clear()
