"""Which characters show. A trimmed text field made only of characters that render as nothing (a zero-width
space, a soft hyphen, a byte-order mark, a Hangul filler, control characters...) is as empty as "" and is
refused like it; the prompt builder uses the same set to see through disguised delimiter tags.

The set is Unicode's Default_Ignorable_Code_Point, derived as UAX #44 defines it
(https://www.unicode.org/reports/tr44/#Default_Ignorable_Code_Point: Other_Default_Ignorable_Code_Point + Cf
+ Variation_Selector - White_Space - FFF9..FFFB - 13430..1343F - Prepended_Concatenation_Mark), computed from
the interpreter's own `unicodedata` categories plus the short lists below, plus whitespace and controls."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

# PropList.txt, Other_Default_Ignorable_Code_Point and Variation_Selector (ranges, inclusive).
_EXTRA_IGNORABLE = (
    (0x034F, 0x034F),  # COMBINING GRAPHEME JOINER
    (0x115F, 0x1160),  # HANGUL CHOSEONG / JUNGSEONG FILLER
    (0x17B4, 0x17B5),  # KHMER VOWEL INHERENT AQ, AA
    (0x180B, 0x180F),  # MONGOLIAN FREE VARIATION SELECTORS
    (0x2065, 0x2065),
    (0x3164, 0x3164),  # HANGUL FILLER
    (0xFE00, 0xFE0F),  # VARIATION SELECTORS
    (0xFFA0, 0xFFA0),  # HALFWIDTH HANGUL FILLER
    (0xFFF0, 0xFFF8),
    (0xE0000, 0xE0FFF),  # tags, variation selectors supplement, reserved
)
# Format characters that are visible (or stand for visible text): not ignorable.
_VISIBLE_FORMAT = (
    (0x0600, 0x0605),  # Prepended_Concatenation_Mark: ARABIC NUMBER SIGN..
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0xFFF9, 0xFFFB),  # interlinear annotation
    (0x13430, 0x1343F),  # Egyptian hieroglyph format controls
)


def _in(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


@lru_cache(maxsize=4096)
def is_invisible(char: str) -> bool:
    """True for whitespace, control characters and default-ignorable code points."""
    if char.isspace():
        return True
    code = ord(char)
    if _in(code, _EXTRA_IGNORABLE):
        return True
    category = unicodedata.category(char)
    if category == "Cc":
        return True
    return category == "Cf" and not _in(code, _VISIBLE_FORMAT)


def is_blank(text: str) -> bool:
    return all(is_invisible(char) for char in text)


def visible(text: str) -> str:
    """Validator for trimmed, required text: refuses a value that shows nothing, as `min_length=1` refuses
    "" (same error type, so clients handle both alike)."""
    if is_blank(text):
        raise PydanticCustomError(
            "string_too_short",
            "String should have at least 1 visible character",
            {"min_length": 1},
        )
    return text


# ---- the same rules, as JSON Schema for the OpenAPI documents ----------------------------------------------
#
# A text field is accepted when what was sent is at most `max_length` characters and shows at least one
# visible character; it is stored trimmed. Both halves are expressible exactly in JSON Schema: `maxLength`
# counts the characters sent, and a `pattern` (which JSON Schema searches for anywhere in the value) made of
# one negated character class matches exactly when the value holds a character outside the invisible set.
# The class is built from `is_invisible` itself, so the document and the validator cannot drift apart.

# Where Unicode can place an invisible character: planes 0 and 1 are scanned; plane 14's ignorables are all in
# _EXTRA_IGNORABLE; planes 2-3 hold CJK ideographs, 4-13 are unassigned and 15-16 are private use
# (https://www.unicode.org/roadmaps/), none of them Cc, Cf or whitespace. A unit test checks the full range.
_SCANNED = range(0x20000)
# The categories `is_invisible` can answer true for, beyond the listed ignorables (unassigned, private-use
# and surrogate code points are unprintable too, and never invisible).
_UNPRINTABLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


def _code_ranges(codes: list[int]) -> tuple[tuple[int, int], ...]:
    ranges: list[tuple[int, int]] = []
    for code in sorted(set(codes)):
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return tuple(ranges)


@lru_cache(maxsize=1)
def invisible_ranges() -> tuple[tuple[int, int], ...]:
    """Every invisible code point (`is_invisible`), as inclusive ranges. Built on first use (about 20 ms), so
    only a function that serves its OpenAPI document pays for it. Whatever is printable (`str.isprintable`)
    is visible but for the space and the listed ignorables, so only the rest needs a closer look."""
    codes = [code for low, high in _EXTRA_IGNORABLE for code in range(low, high + 1)] + [ord(" ")]
    codes += [
        code
        for code in _SCANNED
        if not chr(code).isprintable()
        and unicodedata.category(chr(code)) in _UNPRINTABLE_CATEGORIES
        and is_invisible(chr(code))
    ]
    return _code_ranges(codes)


def _class_char(code: int) -> str:
    # BMP code points as \uXXXX (ECMA-262, Python `re` and Rust regex read it alike); beyond the BMP the
    # character itself, which those three read as one code point (an escape for it differs between them).
    return f"\\u{code:04x}" if code <= 0xFFFF else chr(code)


def _negated_class(ranges: tuple[tuple[int, int], ...]) -> str:
    parts = [
        _class_char(low) if low == high else f"{_class_char(low)}-{_class_char(high)}" for low, high in ranges
    ]
    return "[^" + "".join(parts) + "]"


@lru_cache(maxsize=1)
def visible_pattern() -> str:
    """JSON Schema `pattern` that a value matches exactly when `is_blank` is false for it."""
    return _negated_class(invisible_ranges())


# Whitespace (`str.isspace`) and control characters (Cc): what URLs, e-mail addresses and the like never hold.
# Written out rather than `\s`, which ECMA-262, Python and Rust each read differently (a unit test checks it
# against `str.isspace` over every code point).
SPACE_OR_CONTROL = "\\u0000-\\u0020\\u007f-\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"


# ---- the text type of request fields -----------------------------------------------------------------------

_DOCUMENTING_HTTP: ContextVar[bool] = ContextVar("careercoach_documenting_http", default=False)


@contextmanager
def documenting_http() -> Iterator[None]:
    """While an OpenAPI document is generated: text fields state their visible-character `pattern` there. The
    output schemas handed to AI providers (built from some of the same models) leave it out: a regex over
    Unicode ranges is more than every structured-output decoder is documented to take, and what a provider
    answers is validated by the same rule anyway."""
    token = _DOCUMENTING_HTTP.set(True)
    try:
        yield
    finally:
        _DOCUMENTING_HTTP.reset(token)


def trimmed_visible(text: str) -> str:
    """The value trimmed, after its length was checked as sent; one that shows nothing is refused as "" is
    (`string_too_short`), so clients handle both alike."""
    if is_blank(text):
        raise PydanticCustomError(
            "string_too_short",
            "String should have at least 1 visible character",
            {"min_length": 1},
        )
    return text.strip()


class _VisibleText:
    """`Annotated[str, StringConstraints(min_length=1, max_length=N), VISIBLE]`: at most N characters as sent,
    at least one of them visible, stored trimmed; the OpenAPI documents say exactly that (maxLength, minLength
    and the pattern of `visible_pattern`)."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(trimmed_visible, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        if _DOCUMENTING_HTTP.get():
            json_schema["pattern"] = visible_pattern()
        return json_schema


VISIBLE = _VisibleText()


class DocumentedText:
    """`Annotated[str, DocumentedText(N)]` for text a route checks itself against `VISIBLE` rules (a path
    segment, which arrives URL-encoded and is decoded first): the document states the rules of the decoded
    value, while validation of the raw value is left to the route."""

    def __init__(self, max_length: int) -> None:
        self.max_length = max_length

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema.update(minLength=1, maxLength=self.max_length)
        if _DOCUMENTING_HTTP.get():
            json_schema["pattern"] = visible_pattern()
        return json_schema
