"""`make smoke`: one small structured request to every configured LLM provider, with the real keys.

For a deployer who has just set keys (in the environment, or LLM_SECRET_ARN for the secret): each configured
built-in provider (OpenAI, Anthropic, Gemini, Bedrock, an OpenAI-compatible server) gets one request for a
tiny structured answer through the registry itself, so the request is exactly what production sends for that
model (its capability row, its token budget). One line per provider: provider, model, ok or the vendor's
error (sanitized), latency, tokens and cost. Exits 1 if any provider failed, 0 if all answered, and 0 with
"nothing to check" when no provider is configured.

It calls real APIs and costs a fraction of a cent per provider; it is never run by `make test` or CI.
Run: make smoke   (or: PYTHONPATH=layers/llm python layers/llm/smoke.py)"""

from __future__ import annotations

import os
import sys
import time

# Readable output: the registry's JSON logs and EMF metric documents would drown the report.
os.environ["POWERTOOLS_LOG_LEVEL"] = "CRITICAL"
os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"

from pydantic import BaseModel, Field

import llm_registry
from llm_registry import BUILTIN_PROVIDERS, LlmRequest, ProvidersExhausted
from llm_registry.config import LlmSettings, get_settings

REQUEST = LlmRequest(
    system="You answer geography questions briefly and precisely.",
    prompt="What is the capital of France, roughly how many million people live there, and two short facts?",
    max_output_tokens=400,
    task="smoke",
)
NOTHING_CONFIGURED = (
    "No LLM provider is configured (set OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, BEDROCK_MODEL, "
    "OPENAI_COMPATIBLE_BASE_URL with OPENAI_COMPATIBLE_MODEL, or LLM_SECRET_ARN): nothing to check."
)


class SmokeAnswer(BaseModel):
    capital: str = Field(min_length=1)
    population_millions: float = Field(gt=0)
    facts: list[str] = Field(min_length=2, max_length=3)


def all_configured() -> LlmSettings:
    """The settings with LLM_PROVIDERS ignored: smoke checks every configured provider, whatever the order."""
    return get_settings().model_copy(update={"llm_providers": None})


def configured_providers() -> list[str]:
    return [name for name in llm_registry.provider_order(all_configured()) if name in BUILTIN_PROVIDERS]


def _check(name: str) -> tuple[bool, list[str]]:
    started = time.monotonic()
    try:
        result = llm_registry.generate(REQUEST, SmokeAnswer, provider=name, settings=all_configured())
    except ProvidersExhausted as exc:
        attempts = exc.attempts
        ok, status = False, ""
    else:
        attempts = result.attempts
        ok, status = True, f"ok: {result.output.capital}"
    elapsed_ms = round((time.monotonic() - started) * 1000)
    last = attempts[-1] if attempts else None
    if not ok:
        if last is None:
            status = "error: not called"
        else:
            kind = (last.error_kind or last.outcome).value
            status = f"error: {kind}" + (f" (HTTP {last.status_code})" if last.status_code else "")
            if last.error_message:
                status += f": {last.error_message}"
    elif len(attempts) > 1:
        status += f" (after {len(attempts) - 1} retry/repair)"
    model = last.model if last is not None else "?"
    tokens_in = sum(a.input_tokens or 0 for a in attempts)
    tokens_out = sum(a.output_tokens or 0 for a in attempts)
    costs = [a.cost_usd for a in attempts if a.cost_usd is not None]
    cost = f"${sum(costs):.6f}" if costs else "unpriced"
    family = (
        llm_registry.profile_for(name, model).family
        if name in ("openai", "anthropic", "gemini", "bedrock")
        else "-"
    )
    return ok, [name, model, family, f"{elapsed_ms} ms", f"{tokens_in}/{tokens_out}", cost, status]


def main() -> int:
    try:
        names = configured_providers()
    except llm_registry.LlmConfigError as exc:
        print(f"The LLM configuration is invalid: {exc}")
        return 1
    if not names:
        print(NOTHING_CONFIGURED)
        return 0
    print(f"Checking {len(names)} provider(s): one small structured request each (prices: genai-prices).")
    header = ["provider", "model", "family", "latency", "tokens in/out", "cost", "result"]
    rows = []
    failures = 0
    for name in names:
        print(f"  {name} ...", file=sys.stderr, flush=True)
        ok, row = _check(name)
        failures += 0 if ok else 1
        rows.append(row)
    print()
    widths = [max(len(str(cells[i])) for cells in [header, *rows]) for i in range(len(header) - 1)]
    for cells in [header, *rows]:
        print(
            "  ".join(str(cell).ljust(width) for cell, width in zip(cells, widths, strict=False))
            + "  "
            + cells[-1]
        )
    print()
    if failures:
        print(
            f"{failures} of {len(names)} provider(s) failed: fix the key, the model id or the account, "
            "then run it again."
        )
        return 1
    print(f"All {len(names)} provider(s) answered.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
