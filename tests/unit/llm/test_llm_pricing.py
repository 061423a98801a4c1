"""Prices come from genai-prices' bundled data; the registry keeps only overrides for models it lacks."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from llm_registry import DEFAULT_MODELS, estimate_cost, pricing

REPO = Path(__file__).resolve().parents[3]


def test_cost_is_tokens_times_the_vendor_rates() -> None:
    # gpt-5.4-mini: $0.75 in, $4.50 out per million tokens (OpenAI's price list, as genai-prices carries it)
    assert estimate_cost("openai", "gpt-5.4-mini", 2_000, 1_000) == pytest.approx(0.0015 + 0.0045)


def test_cached_input_tokens_are_priced_at_the_cache_read_rate() -> None:
    # Claude Haiku 5.5: $0.10 input, $0.01 cache read, $0.50 output per million (prompts up to 100k tokens).
    full = estimate_cost("anthropic", "claude-haiku-5-5", 50_000, 0)
    cached = estimate_cost("anthropic", "claude-haiku-5-5", 50_000, 0, cached_input_tokens=50_000)
    assert full == pytest.approx(0.005)
    assert cached == pytest.approx(0.0005)
    # gpt-5.4-mini caches at a tenth of its input price.
    half = estimate_cost("openai", "gpt-5.4-mini", 1_000_000, 0, cached_input_tokens=500_000)
    assert half == pytest.approx(0.375 + 0.0375)


def test_dated_snapshots_cost_what_their_alias_costs() -> None:
    assert estimate_cost("anthropic", "claude-haiku-4-5-20251001", 1000, 1000) == estimate_cost(
        "anthropic", "claude-haiku-4-5", 1000, 1000
    )
    assert estimate_cost("openai", "gpt-5.4-mini-2026-03-17", 1000, 1000) == estimate_cost(
        "openai", "gpt-5.4-mini", 1000, 1000
    )


@pytest.mark.parametrize(
    "model_id",
    [
        "amazon.nova-lite-v1:0",
        "us.amazon.nova-lite-v1:0",
        "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0",
        "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-lite-v1:0",
    ],
)
def test_bedrock_ids_and_arns_are_priced(model_id: str) -> None:
    assert estimate_cost("bedrock", model_id, 1_000_000, 1_000_000) == pytest.approx(0.06 + 0.24)


def test_tiered_prices_switch_above_the_threshold() -> None:
    short = estimate_cost("anthropic", "claude-haiku-5-5", 100_000, 1_000)
    long = estimate_cost("anthropic", "claude-haiku-5-5", 100_001, 1_000)
    assert short == pytest.approx(100_000 * 0.10 / 1e6 + 1_000 * 0.50 / 1e6)
    assert long == pytest.approx(100_001 * 0.50 / 1e6 + 1_000 * 2.50 / 1e6)


@pytest.mark.parametrize(
    ("provider", "model", "tokens"),
    [
        ("openai", "gpt-99-ultra", (10, 10)),  # unknown model
        ("openai_compatible", "llama3.2", (10, 10)),  # self-hosted: no price
        ("offline", "kb-v1", (10, 10)),  # a provider genai-prices does not know
        ("openai", "gpt-5.4-mini", (None, 10)),  # the provider did not report usage
    ],
)
def test_unknown_prices_or_usage_give_no_estimate(
    provider: str, model: str, tokens: tuple[int | None, int | None]
) -> None:
    assert estimate_cost(provider, model, *tokens) is None


@pytest.mark.parametrize(
    ("provider", "model"),
    [
        *DEFAULT_MODELS.items(),
        # every model the tests and the capability tables' documented rows use
        ("anthropic", "claude-opus-5-5"),
        ("anthropic", "claude-sonnet-5-5"),
        ("gemini", "gemini-2.5-pro"),
        ("bedrock", "us.anthropic.claude-haiku-5-5"),
        ("bedrock", "meta.llama3-3-70b-instruct-v1:0"),
        ("bedrock", "mistral.mistral-large-2402-v1:0"),
    ],
)
def test_every_default_and_tested_model_has_a_price(provider: str, model: str) -> None:
    assert estimate_cost(provider, model, 1000, 1000) is not None


def test_an_override_prices_a_model_genai_prices_lacks(monkeypatch: pytest.MonkeyPatch) -> None:
    assert estimate_cost("openai", "gpt-99-ultra", 1_000_000, 1_000_000) is None
    monkeypatch.setitem(pricing.OVERRIDES, ("openai", "gpt-99-ultra"), pricing.OverridePrice(1.0, 2.0, 0.1))
    assert estimate_cost("openai", "gpt-99-ultra", 1_000_000, 1_000_000) == pytest.approx(3.0)
    assert estimate_cost("openai", "gpt-99-ultra", 1_000_000, 0, 1_000_000) == pytest.approx(0.1)


def test_prices_load_from_the_bundled_data_with_the_network_off() -> None:
    """In a fresh interpreter with every socket connection refused: the price is computed, from data that
    did not come from genai-prices' auto-updater."""
    probe = textwrap.dedent(
        """
        import socket
        def refuse(*args, **kwargs):
            raise OSError("network is off in this probe")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        from llm_registry import pricing
        cost = pricing.estimate_cost("openai", "gpt-5.4-mini", 2000, 1000)
        snapshot = pricing._ready_snapshot()
        print(cost, snapshot.from_auto_update, pricing._load_error)
        """
    )
    completed = subprocess.run(  # noqa: S603 - our own interpreter running our own probe
        [sys.executable, "-c", probe],
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO / "layers" / "llm")},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert completed.stdout.split() == ["0.006", "False", "None"]
