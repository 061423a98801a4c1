"""What happened on each call to a provider, and the result handed back to the caller.

An attempt records kinds and numbers only (provider, model, outcome, error kind, status, latency, tokens,
cost): never prompt text, model output or exception messages, so it is safe to log, to store beside the
generated document and to return in an API error's details."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T", bound=BaseModel)


class Outcome(StrEnum):
    OK = "ok"
    INVALID_OUTPUT = "invalid_output"  # the provider answered, but the answer failed parsing, schema or check
    ERROR = "error"  # the provider did not answer usefully (transport, HTTP status, refusal, empty)
    SKIPPED = "skipped"  # not called: no time left in the budget


class ErrorKind(StrEnum):
    TIMEOUT = "timeout"
    RATE_LIMITED = "rate_limited"  # 429
    SERVER_ERROR = "server_error"  # 5xx
    CONNECTION = "connection"
    AUTH = "auth"  # 401/403: the provider is misconfigured (key, IAM)
    BAD_REQUEST = (
        "bad_request"  # other 4xx: our request is wrong for this provider (a bug or a model mismatch)
    )
    BAD_RESPONSE = "bad_response"  # the HTTP body could not be read as the provider's format
    REFUSAL = "refusal"
    EMPTY = "empty"
    TRUNCATED = "truncated"  # the model hit its output limit: the JSON is incomplete
    UNPARSEABLE = "unparseable"  # the answer is not JSON
    SCHEMA_INVALID = "schema_invalid"  # JSON, but not the requested shape
    CHECK_FAILED = "check_failed"  # the right shape, but the caller's domain check found problems
    MISCONFIGURED = "misconfigured"  # the provider could not even be built (SDK missing, bad settings)
    INTERNAL = "internal"  # an unexpected exception in provider code
    DEADLINE = "deadline"  # skipped: the remaining budget could not fit an attempt


# Invalid output earns one repair attempt on the same provider; transport and API errors do not.
REPAIRABLE_KINDS = frozenset({ErrorKind.UNPARSEABLE, ErrorKind.SCHEMA_INVALID, ErrorKind.CHECK_FAILED})
# A 429 or 5xx earns one retry on the same provider, when the wait fits the budget.
RETRYABLE_KINDS = frozenset({ErrorKind.RATE_LIMITED, ErrorKind.SERVER_ERROR})

Purpose = Literal["first", "retry", "repair"]


class Attempt(BaseModel):
    model_config = ConfigDict(frozen=True)

    provider: str
    model: str
    purpose: Purpose = "first"
    outcome: Outcome
    error_kind: ErrorKind | None = None
    status_code: int | None = None
    latency_ms: int = 0
    input_tokens: int | None = None
    output_tokens: int | None = None
    cost_usd: float | None = None
    problem_count: int = 0  # how many validation/check problems were found (their text is not kept)

    def summary(self) -> str:
        """Short and free of internal text, for exhaustion messages: `openai: timeout`."""
        label = self.error_kind.value if self.error_kind else self.outcome.value
        return (
            f"{self.provider}: {label}"
            if self.purpose == "first"
            else f"{self.provider} ({self.purpose}): {label}"
        )


@dataclass(frozen=True)
class GenerationResult(Generic[T]):
    output: T
    provider: str
    model: str
    attempts: tuple[Attempt, ...]

    @property
    def input_tokens(self) -> int:
        return sum(a.input_tokens or 0 for a in self.attempts)

    @property
    def output_tokens(self) -> int:
        return sum(a.output_tokens or 0 for a in self.attempts)

    @property
    def cost_usd(self) -> float | None:
        """Sum of the known costs; None when no attempt had a known price."""
        known = [a.cost_usd for a in self.attempts if a.cost_usd is not None]
        return round(sum(known), 8) if known else None

    @property
    def fallbacks(self) -> int:
        """How many providers failed before the one that answered."""
        return len({a.provider for a in self.attempts if a.provider != self.provider})
