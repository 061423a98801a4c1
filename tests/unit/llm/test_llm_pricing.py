from __future__ import annotations

from datetime import date

import pytest

from llm_registry import PRICES_AS_OF, estimate_cost
from llm_registry.pricing import PRICES, price_for


def test_the_table_records_when_prices_were_read() -> None:
    assert isinstance(PRICES_AS_OF, date)
    assert PRICES_AS_OF.year >= 2026


def test_cost_is_tokens_times_the_per_million_rates() -> None:
    # gpt-5.4-mini: $0.75 in, $4.50 out per million tokens
    assert estimate_cost("openai", "gpt-5.4-mini", 2_000, 1_000) == pytest.approx(0.0015 + 0.0045)


def test_dated_snapshots_cost_what_their_alias_costs() -> None:
    assert price_for("anthropic", "claude-haiku-4-5-20251001") == PRICES["anthropic"]["claude-haiku-4-5"]
    assert price_for("openai", "gpt-5.4-mini-2026-03-17") == PRICES["openai"]["gpt-5.4-mini"]


@pytest.mark.parametrize(
    "model_id",
    [
        "amazon.nova-lite-v1:0",
        "us.amazon.nova-lite-v1:0",
        "eu.amazon.nova-lite-v1:0",
        "global.amazon.nova-lite-v1:0",
    ],
)
def test_bedrock_ids_are_priced_whatever_their_region_prefix_and_version(model_id: str) -> None:
    assert estimate_cost("bedrock", model_id, 1_000_000, 1_000_000) == pytest.approx(0.06 + 0.24)


def test_long_prompts_switch_to_the_long_context_rate() -> None:
    short = estimate_cost("anthropic", "claude-haiku-5-5", 100_000, 1_000)
    long = estimate_cost("anthropic", "claude-haiku-5-5", 100_001, 1_000)
    assert short == pytest.approx(100_000 * 0.10 / 1e6 + 1_000 * 0.50 / 1e6)
    assert long == pytest.approx(100_001 * 0.50 / 1e6 + 1_000 * 2.50 / 1e6)


@pytest.mark.parametrize(
    ("provider", "model", "tokens"),
    [
        ("openai", "gpt-99-ultra", (10, 10)),  # unknown model
        ("openai_compatible", "llama3.2", (10, 10)),  # self-hosted: no price
        ("offline", "kb-v1", (10, 10)),  # a provider the table does not know
        ("openai", "gpt-5.4-mini", (None, 10)),  # the provider did not report usage
    ],
)
def test_unknown_prices_or_usage_give_no_estimate(
    provider: str, model: str, tokens: tuple[int | None, int | None]
) -> None:
    assert estimate_cost(provider, model, *tokens) is None


def test_every_default_model_has_a_price() -> None:
    from llm_registry import DEFAULT_MODELS

    for provider, model in DEFAULT_MODELS.items():
        assert price_for(provider, model) is not None, provider
