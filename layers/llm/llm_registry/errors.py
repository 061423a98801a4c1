"""Exceptions of the registry. Their messages carry names and short kinds only, never provider error text,
prompt text or model output, so a caller may put them in an API response."""

from __future__ import annotations

from collections.abc import Sequence

from llm_registry.attempts import Attempt, ErrorKind


class LlmError(Exception):
    """Base class of everything the registry raises on purpose."""


class LlmConfigError(LlmError, ValueError):
    """The LLM environment configuration is invalid (raised once, when settings are first read)."""


class UnknownProvider(LlmError, ValueError):
    """The caller named a provider that is unknown or not configured here: a caller error (HTTP 422)."""

    def __init__(self, name: str, available: Sequence[str]) -> None:
        self.name = name
        self.available = tuple(available)
        listed = ", ".join(self.available) or "none"
        super().__init__(f"LLM provider {name!r} is not available; available providers: {listed}")


class ProvidersExhausted(LlmError):
    """No provider produced a valid answer in time (HTTP 503 on a sync path, a failed task on the worker).

    `attempts` lists every call made, and every provider skipped for lack of time."""

    def __init__(self, attempts: Sequence[Attempt], *, budget_exhausted: bool = False) -> None:
        self.attempts = tuple(attempts)
        self.budget_exhausted = budget_exhausted
        if self.attempts:
            detail = "; ".join(attempt.summary() for attempt in self.attempts)
            message = f"no LLM provider produced a valid answer ({detail})"
        else:
            message = "no LLM provider is configured"
        super().__init__(message)


class NoProviderConfigured(ProvidersExhausted):
    """Automatic selection found no configured provider at all: a deployment problem, not a caller error."""

    def __init__(self) -> None:
        super().__init__(())


class ProviderError(Exception):
    """Raised by a provider for one failed call. Carries a kind and, in `vendor_message`, the vendor's own
    error text exactly as received: the registry sanitizes it before it goes anywhere (attempt, log), and
    it never appears in `str(exc)`.

    Token counts are kept when the provider answered but the answer was unusable (refusal, truncation), so
    that the attempt still records what it cost."""

    def __init__(
        self,
        kind: ErrorKind,
        *,
        status_code: int | None = None,
        retry_after_s: float | None = None,
        input_tokens: int | None = None,
        output_tokens: int | None = None,
        vendor_message: str | None = None,
    ) -> None:
        self.kind = kind
        self.status_code = status_code
        self.retry_after_s = retry_after_s
        self.input_tokens = input_tokens
        self.output_tokens = output_tokens
        self.vendor_message = vendor_message
        super().__init__(kind.value if status_code is None else f"{kind.value} (HTTP {status_code})")
