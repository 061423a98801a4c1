"""Which characters show. A trimmed text field made only of characters that render as nothing (a zero-width
space, a soft hyphen, a byte-order mark, a Hangul filler, control characters...) is as empty as "" and is
refused like it; the prompt builder uses the same set to see through disguised delimiter tags.

The set is Unicode's Default_Ignorable_Code_Point, derived as UAX #44 defines it
(https://www.unicode.org/reports/tr44/#Default_Ignorable_Code_Point: Other_Default_Ignorable_Code_Point + Cf
+ Variation_Selector - White_Space - FFF9..FFFB - 13430..1343F - Prepended_Concatenation_Mark), computed from
the interpreter's own `unicodedata` categories plus the short lists below, plus whitespace and controls."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from pydantic_core import PydanticCustomError

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
