"""What happened on each call to a provider, and the result handed back to the caller.

An attempt records kinds and numbers (provider, model, outcome, error kind, status, latency, tokens, cost)
and the vendor's own error message, sanitized (`sanitize.py`: no key, no prompt text, at most 300
characters). Never prompt text or model output, so it is safe to log and to store beside the generated
document. The sanitized message is meant for operators (logs, stored results, an authenticated page);
exhaustion errors (`ProvidersExhausted`) carry only kinds."""

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
    AUTH = "auth"  # 401/403, or a key the vendor calls invalid: the provider is misconfigured (key, IAM)
    BILLING = "billing"  # out of credit, spend limit reached, billing not enabled: a person must act
    MODEL_NOT_FOUND = "model_not_found"  # 404: the configured model (or base URL) does not exist
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
# A 429 or 5xx earns one retry on the same provider, when the wait fits the budget. A 429 that says the
# account is out of credit is BILLING, not RATE_LIMITED: waiting does not help.
RETRYABLE_KINDS = frozenset({ErrorKind.RATE_LIMITED, ErrorKind.SERVER_ERROR})
# Failures that repeat on every call until a person changes the configuration, the key or the account:
# counted in the `LlmConfigFailures` metric, which has an alarm. BAD_REQUEST belongs here because a model
# that rejects the registry's request (a model mismatch) rejects it every time.
CONFIG_FAILURE_KINDS = frozenset(
    {
        ErrorKind.AUTH,
        ErrorKind.BILLING,
        ErrorKind.MODEL_NOT_FOUND,
        ErrorKind.MISCONFIGURED,
        ErrorKind.BAD_REQUEST,
    }
)

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
    input_tokens: int | None = None  # every input token, cached ones included
    output_tokens: int | None = None  # reasoning/thinking tokens included: they are billed as output
    cached_input_tokens: int | None = None  # the part of input_tokens read from the vendor's prompt cache
    cost_usd: float | None = None
    problem_count: int = 0  # how many validation/check problems were found (their text is not kept)
    # The vendor's error message, sanitized (no key, no prompt text, <= 300 characters); None when it
    # answered, or when the failure has no message of its own (a timeout says so in error_kind).
    error_message: str | None = None

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
    def cached_input_tokens(self) -> int:
        """The part of input_tokens read from the vendors' prompt caches."""
        return sum(a.cached_input_tokens or 0 for a in self.attempts)

    @property
    def cost_usd(self) -> float | None:
        """Sum of the known costs; None when no attempt had a known price."""
        known = [a.cost_usd for a in self.attempts if a.cost_usd is not None]
        return round(sum(known), 8) if known else None

    @property
    def fallbacks(self) -> int:
        """How many providers failed before the one that answered."""
        return len({a.provider for a in self.attempts if a.provider != self.provider})

    @property
    def degraded(self) -> bool:
        """True when the answer came from a provider other than the first one tried (an in-process
        provider such as the core's offline generator counts as another provider)."""
        return bool(self.attempts) and self.attempts[0].provider != self.provider

    @property
    def fallback_reason(self) -> str | None:
        """Why the first provider tried did not answer: the error kind of its last attempt (e.g.
        "auth", "timeout", "schema_invalid", "deadline"); None when the first provider answered."""
        if not self.degraded:
            return None
        first = self.attempts[0].provider
        last = [a for a in self.attempts if a.provider == first][-1]
        return (last.error_kind or last.outcome).value
