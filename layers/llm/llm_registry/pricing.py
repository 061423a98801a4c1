"""Cost estimates from a static price table (USD per million tokens, standard on-demand tier).

Prices change: the table records the date it was read, and an unknown model gets a cost of None rather
than a guess. Cached-input discounts and batch tiers are ignored, so estimates err on the high side.
Sources, as read on PRICES_AS_OF: the vendors' pricing and model pages (OpenAI API pricing, Anthropic
model overviews, Gemini API "latest models" guide, AWS Bedrock price list for us-east-1)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

PRICES_AS_OF = date(2026, 11, 23)


@dataclass(frozen=True)
class Price:
    input_per_mtok: float
    output_per_mtok: float
    # Some models bill the whole call at a higher rate once the prompt exceeds a size.
    long_prompt_threshold: int | None = None
    long_input_per_mtok: float | None = None
    long_output_per_mtok: float | None = None

    def cost(self, input_tokens: int, output_tokens: int) -> float:
        input_rate, output_rate = self.input_per_mtok, self.output_per_mtok
        if self.long_prompt_threshold is not None and input_tokens > self.long_prompt_threshold:
            input_rate = self.long_input_per_mtok or input_rate
            output_rate = self.long_output_per_mtok or output_rate
        return (input_tokens * input_rate + output_tokens * output_rate) / 1_000_000


_HAIKU_5_5 = Price(
    0.10, 0.50, long_prompt_threshold=100_000, long_input_per_mtok=0.50, long_output_per_mtok=2.50
)

PRICES: dict[str, dict[str, Price]] = {
    "openai": {
        "gpt-5.5": Price(5.00, 30.00),
        "gpt-5.4": Price(2.50, 15.00),
        "gpt-5.4-mini": Price(0.75, 4.50),
        "gpt-5.4-nano": Price(0.20, 1.25),
        "gpt-5-mini": Price(0.25, 2.00),
        "gpt-5-nano": Price(0.05, 0.40),
        "gpt-4.1-mini": Price(0.40, 1.60),
        "gpt-4.1-nano": Price(0.10, 0.40),
        "gpt-4o-mini": Price(0.15, 0.60),
    },
    "anthropic": {
        "claude-haiku-5-5": _HAIKU_5_5,
        "claude-sonnet-5-5": Price(2.00, 10.00),
        "claude-opus-5-5": Price(4.00, 20.00),
        "claude-haiku-4-5": Price(1.00, 5.00),
    },
    "gemini": {
        "gemini-3.5-flash-lite": Price(0.30, 2.50),
        "gemini-3.6-flash": Price(1.50, 7.50),
        "gemini-3.5-flash": Price(1.50, 9.00),
        "gemini-2.5-flash": Price(0.30, 2.50),
        "gemini-2.5-flash-lite": Price(0.10, 0.40),
    },
    "bedrock": {
        "amazon.nova-micro": Price(0.035, 0.14),
        "amazon.nova-lite": Price(0.06, 0.24),
        "amazon.nova-pro": Price(0.80, 3.20),
        "amazon.nova-2-lite": Price(0.33, 2.75),
        "anthropic.claude-haiku-5-5": _HAIKU_5_5,
        "anthropic.claude-haiku-4-5": Price(1.00, 5.00),
    },
}

# Dated snapshots ("claude-haiku-4-5-20251001", "gpt-5.4-mini-2026-03-17") cost what their alias costs.
_DATE_SUFFIX = re.compile(r"-(\d{8}|\d{4}-\d{2}-\d{2})$")
# Bedrock ids carry a cross-region prefix ("us.", "eu.", "global.") and a version ("-v1:0").
_BEDROCK_REGION_PREFIX = re.compile(r"^(us|eu|apac|ap|jp|au|ca|us-gov|global)\.")
_BEDROCK_VERSION_SUFFIX = re.compile(r"-v\d+(:\d+)?$")


def _normalise(provider: str, model: str) -> str:
    key = model.strip().lower()
    if provider == "bedrock":
        key = _BEDROCK_REGION_PREFIX.sub("", key)
        key = _BEDROCK_VERSION_SUFFIX.sub("", key)
    return _DATE_SUFFIX.sub("", key)


def price_for(provider: str, model: str) -> Price | None:
    table = PRICES.get(provider)
    if table is None:
        return None
    return table.get(model) or table.get(_normalise(provider, model))


def estimate_cost(
    provider: str, model: str, input_tokens: int | None, output_tokens: int | None
) -> float | None:
    """USD estimate for one call, or None when the model's price or the token counts are unknown."""
    price = price_for(provider, model)
    if price is None or input_tokens is None or output_tokens is None:
        return None
    return round(price.cost(input_tokens, output_tokens), 8)
