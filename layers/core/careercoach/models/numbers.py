"""Integers as JSON has them. JSON has one number type, so `6` and `6.0` are two spellings of one value, and
JSON Schema's `integer` accepts both ("Numbers with a zero fractional part are considered integers",
https://json-schema.org/understanding-json-schema/reference/numeric): no OpenAPI document can say "an
integer, but not 6.0". So a request field documented as an integer accepts an integral number written with a
fraction as the int it equals. Request models stay strict otherwise: "6" is not 6, true is not 1, and 6.5 is
a 422."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator


def _integral(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Integer = Annotated[int, BeforeValidator(_integral)]
# For an optional field, the validator goes around the union: inside it, pydantic writes the field's bounds
# into the JSON Schema as `ge`/`le` rather than `minimum`/`maximum`.
OptionalInteger = Annotated[int | None, BeforeValidator(_integral)]
