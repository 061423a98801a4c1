"""Filling templates with values from the resume and the knowledge base.

Values copied from the resume are shown inside typographic quotation marks (single in Korean, double in
English): the question
reads naturally in the requested language even when it cites a resume written in the other one, and a
reader (or a test) can tell the candidate's words from ours."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

from careercoach.models.resume import Language
from careercoach.offline.language import capitalise_sentences, fix_articles, josa

# Placeholders whose values are the candidate's own words.
QUOTED = frozenset({"achievement", "project", "company", "position", "role", "quote"})
# Short figures from the resume ("420ms", "0건"): quoted only where they would break the other language.
FIGURES = frozenset({"metric", "before", "after"})
DISPLAY_LIMIT = 160
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def shorten(text: str, limit: int = DISPLAY_LIMIT) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;") + "…"


# Typographic quotes, as escapes so the source stays unambiguous: single for Korean, double for English.
QUOTES: dict[str, tuple[str, str]] = {"ko": ("\u2018", "\u2019"), "en": ("\u201c", "\u201d")}


def quote_marks(text: str, language: Language) -> str:
    left, right = QUOTES[language]
    return f"{left}{text}{right}"


def present(name: str, value: str, language: Language) -> str:
    if name in QUOTED:
        # A quoted sentence sits inside ours: its own full stop would double ours.
        return quote_marks(shorten(value).rstrip(".。 "), language)
    if name in FIGURES and language == "en" and _HANGUL.search(value):
        return quote_marks(value, language)
    return value


def presented(values: Mapping[str, str], language: Language) -> dict[str, str]:
    return {name: present(name, value, language) for name, value in values.items()}


_QUOTED_SPAN = re.compile("\u201c[^\u201d]*\u201d|\u2018[^\u2019]*\u2019")
_HAS_ARTICLE = re.compile(r"\b[Aa]n?\s")
_SPACES = re.compile(r" {2,}")
# A name repeated where a value meets the template around it ("the REST API API").
_DOUBLED_NAME = re.compile(r"\b([A-Za-z]{2,}) \1\b")
# Punctuation doubled where a value meets the template around it: "..”.", "?.", ", ,".
_DOUBLED = re.compile(r"(?<=[^.][.!?。])([\u2019\u201d]?)[.。](?!\.)|(?<=,)\s*,")


def tidy(text: str, language: Language | str | None = None) -> str:
    """Particles for Korean, articles for English, and no doubled punctuation: the last pass over a text."""
    text = _DOUBLED_NAME.sub(r"\1", _DOUBLED.sub(lambda m: m.group(1) or "", text))
    if "(" in text:
        text = josa(text)
    if language != "ko":
        spans = [(m.start(), m.end()) for m in _QUOTED_SPAN.finditer(text)]
        if _HAS_ARTICLE.search(text):
            text = fix_articles(text, spans)
        text = capitalise_sentences(text, spans)
    return _SPACES.sub(" ", text)


def fill(text: str, values: Mapping[str, str], language: Language | str | None = None) -> str:
    """`values` must already be presented and hold every placeholder the text uses."""
    return tidy(text.format_map(values), language)


def jitter(seed: int, *parts: str, scale: float = 1.0) -> float:
    """A stable pseudo-random number in [0, scale) for (seed, parts): varies choices by seed, reproducibly."""
    digest = hashlib.blake2b("\x1f".join((str(seed), *parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64 * scale
