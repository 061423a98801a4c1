"""JSON from clients, read one way everywhere: HTTP request bodies and WebSocket messages go through
`parse_json`, so both sides refuse the same things.

RFC 8259 JSON only, and nothing that would break code further in: no NaN or Infinity (Python's json accepts
them), no number that overflows to one, no duplicate member names (Python keeps the last silently; a
client that sends two values must not have one picked for it), no lone UTF-16 surrogates (escapes such as
"\\ud800" decode to strings that cannot be encoded again, e.g. by the database driver), and nothing nested
deeper than MAX_JSON_DEPTH: nothing this API accepts comes near it, and code that walks a value recursively
(merge patch, validation) must never meet Python's stack limit."""

from __future__ import annotations

import json
import math
from typing import Any

MAX_JSON_DEPTH = 32


class JsonRejected(ValueError):
    """The text is not JSON this API reads; the message says why, in words safe to show."""


class JsonTooDeep(JsonRejected):
    """Valid JSON, nested deeper than this API reads."""


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonRejected("A number is out of range.")
    return value


def _no_constant(constant: str) -> Any:
    raise JsonRejected(f"{constant} is not JSON.")


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    members = dict(pairs)
    if len(members) != len(pairs):
        raise JsonRejected("An object has the same member name twice.")
    return members


def parse_json(text: str, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """The JSON value of `text`, or JsonRejected."""
    try:
        value = json.loads(
            text,
            parse_float=_finite_float,
            parse_constant=_no_constant,
            object_pairs_hook=_unique_members,
        )
    except RecursionError:
        raise JsonTooDeep(f"The JSON nests deeper than {max_depth} levels.") from None
    except JsonRejected:
        raise
    except ValueError as exc:  # JSONDecodeError
        raise JsonRejected("The text is not valid JSON.") from exc
    _check_value(value, max_depth)
    return value


def _check_value(value: Any, max_depth: int) -> None:
    """Depth and lone surrogates, without recursion."""
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, str):
            _check_text(item)
            continue
        if isinstance(item, dict):
            children: Any = [*item.keys(), *item.values()]
        elif isinstance(item, list):
            children = item
        else:
            continue
        if level + 1 > max_depth:
            raise JsonTooDeep(f"The JSON nests deeper than {max_depth} levels.")
        pending.extend((child, level + 1) for child in children)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise JsonRejected("The JSON holds a lone UTF-16 surrogate.") from None
