"""Cost estimates from genai-prices (pydantic/genai-prices), its bundled data only, plus a small override
table for models it lacks.

genai-prices carries each vendor's prices with their tiers (e.g. Claude Haiku 5.5 above 100k prompt tokens)
and cache prices, and is updated by its maintainers; the version pinned in requirements.txt is the price
list in force. Its data ships inside the package (`genai_prices/data.py`); it fetches newer data only when
a caller starts `genai_prices.UpdatePrices`, which this module never does, so nothing here touches the
network (a test checks this with sockets disabled).

Loading the bundled data costs about a second of CPU the first time in a process that has no bytecode
cache for it (a Lambda layer is read-only, so every cold start), so `preload()` starts loading it in a
background thread when the first remote call begins; the cost is computed after the answer arrives, by
which time the data is usually ready. Unknown models cost None rather than a guess."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# Our provider names -> genai-prices provider ids.
_PROVIDER_IDS = {"openai": "openai", "anthropic": "anthropic", "gemini": "google", "bedrock": "aws"}

# Bedrock model ids may be ARNs (foundation models, inference profiles) and carry a geography prefix;
# genai-prices lists in-region ids and "regional." / "global." cross-region profiles.
_BEDROCK_GEO_PREFIX = re.compile(r"^(us|eu|apac|ap|jp|au|ca|us-gov|global|regional)\.")


@dataclass(frozen=True)
class OverridePrice:
    """USD per million tokens, for a model genai-prices does not list."""

    input_per_mtok: float
    output_per_mtok: float
    cached_input_per_mtok: float | None = None  # None: cached input is billed as ordinary input
    source: str = ""

    def cost(self, input_tokens: int, output_tokens: int, cached_input_tokens: int) -> float:
        cached_rate = (
            self.input_per_mtok if self.cached_input_per_mtok is None else self.cached_input_per_mtok
        )
        uncached = max(0, input_tokens - cached_input_tokens)
        total = uncached * self.input_per_mtok + cached_input_tokens * cached_rate
        return (total + output_tokens * self.output_per_mtok) / 1_000_000


# Only models genai-prices lacks. Every model the registry uses by default, and every model its tests
# name, is in genai-prices (tests/unit/llm/test_llm_pricing.py checks that), so this stays empty until a
# deployment needs a model the pinned genai-prices does not know yet: add it here with its vendor page.
OVERRIDES: dict[tuple[str, str], OverridePrice] = {}


_lock = threading.Lock()
_loaded = threading.Event()
_loader: threading.Thread | None = None
_snapshot: Any = None
_load_error: BaseException | None = None


def _load() -> None:
    global _snapshot, _load_error
    try:
        from genai_prices import data_snapshot

        snapshot = data_snapshot.get_snapshot()
        if getattr(snapshot, "from_auto_update", False):  # pragma: no cover - nothing here starts updates
            raise RuntimeError("genai-prices is using auto-updated data; this registry expects bundled data")
        _snapshot = snapshot
    except BaseException as exc:  # reported as "no price", never raised into generation
        _load_error = exc
    finally:
        _loaded.set()


def preload() -> None:
    """Start loading the bundled price data in the background (idempotent, returns at once)."""
    global _loader
    with _lock:
        if _loader is None and not _loaded.is_set():
            _loader = threading.Thread(target=_load, name="llm-prices", daemon=True)
            _loader.start()


def _ready_snapshot() -> Any:
    preload()
    _loaded.wait()
    return _snapshot


def source() -> str:
    """What the prices come from, e.g. "genai-prices 0.2.5" (for reports such as `make smoke`)."""
    try:
        from importlib.metadata import version

        return f"genai-prices {version('genai-prices')}"
    except Exception:
        return "genai-prices"


def _candidates(provider: str, model: str) -> list[str]:
    key = model.strip()
    if provider != "bedrock":
        return [key]
    key = key.rsplit("/", 1)[-1]  # an ARN ends with the model or inference-profile id
    names = [key]
    bare = _BEDROCK_GEO_PREFIX.sub("", key)
    if bare != key:
        names.append(bare)
    names += [f"regional.{bare}", f"global.{bare}"]
    return list(dict.fromkeys(names))


def _genai_cost(
    provider: str, model: str, input_tokens: int, output_tokens: int, cached: int
) -> float | None:
    provider_id = _PROVIDER_IDS.get(provider)
    snapshot = _ready_snapshot()
    if provider_id is None or snapshot is None:
        return None
    from genai_prices.types import Usage

    usage = Usage(input_tokens=input_tokens, output_tokens=output_tokens, cache_read_tokens=cached or None)
    for candidate in _candidates(provider, model):
        try:
            calculation = snapshot.calc(usage, candidate, provider_id, None, None)
        except LookupError:
            continue
        total = calculation.total_price
        return float(total) if isinstance(total, Decimal | int | float) else None
    return None


def estimate_cost(
    provider: str,
    model: str,
    input_tokens: int | None,
    output_tokens: int | None,
    cached_input_tokens: int | None = None,
) -> float | None:
    """USD estimate for one call, or None when the model's price or the token counts are unknown.

    `input_tokens` counts every input token; `cached_input_tokens` is the part of it read from the
    vendor's prompt cache, priced at the vendor's cache-read rate."""
    if input_tokens is None or output_tokens is None:
        return None
    cached = min(max(cached_input_tokens or 0, 0), input_tokens)
    override = OVERRIDES.get((provider, model))
    if override is not None:
        return round(override.cost(input_tokens, output_tokens, cached), 8)
    try:
        cost = _genai_cost(provider, model, input_tokens, output_tokens, cached)
    except Exception:
        return None
    return None if cost is None else round(cost, 8)
