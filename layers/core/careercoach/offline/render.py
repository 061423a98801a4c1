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
        return quote_marks(shorten(value), language)
    if name in FIGURES and language == "en" and _HANGUL.search(value):
        return quote_marks(value, language)
    return value


def presented(values: Mapping[str, str], language: Language) -> dict[str, str]:
    return {name: present(name, value, language) for name, value in values.items()}


def fill(text: str, values: Mapping[str, str]) -> str:
    """`values` must already be presented and hold every placeholder the text uses."""
    return josa(text.format_map(values))


def jitter(seed: int, *parts: str, scale: float = 1.0) -> float:
    """A stable pseudo-random number in [0, scale) for (seed, parts): varies choices by seed, reproducibly."""
    digest = hashlib.blake2b("\x1f".join((str(seed), *parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64 * scale


# Korean particles depend on whether the preceding word ends in a consonant (받침). Templates write the
# neutral form ("을(를)", "와(과)", "(으)로") after a placeholder; `josa` picks the right one once the value
# is known, reading Latin words and acronyms the way Korean speakers pronounce them.
_JOSA = re.compile(
    r"(을\(를\)|를\(을\)|이\(가\)|가\(이\)|은\(는\)|는\(은\)|와\(과\)|과\(와\)|\(으\)로|\(이\)라는|\(이\)라고)"
)
_JOSA_FORMS: dict[str, tuple[str, str]] = {  # marker -> (after a consonant, after a vowel)
    "을(를)": ("을", "를"),
    "를(을)": ("을", "를"),
    "이(가)": ("이", "가"),
    "가(이)": ("이", "가"),
    "은(는)": ("은", "는"),
    "는(은)": ("은", "는"),
    "와(과)": ("과", "와"),
    "과(와)": ("과", "와"),
    "(으)로": ("으로", "로"),
    "(이)라는": ("이라는", "라는"),
    "(이)라고": ("이라고", "라고"),
}
# Final consonant of each digit's and capital letter's Korean reading ("" for none, "ㄹ" matters for 로).
_DIGIT_FINAL = {
    "0": "ㅇ",
    "1": "ㄹ",
    "2": "",
    "3": "ㅁ",
    "4": "",
    "5": "",
    "6": "ㄱ",
    "7": "ㄹ",
    "8": "ㄹ",
    "9": "",
}
_LETTER_FINAL = {"L": "ㄹ", "M": "ㅁ", "N": "ㄴ", "R": "ㄹ"}
_CLOSERS = "\u2019\u201d'\")]}」』 .,!?…"
_SYMBOL_FINAL = {"%": "", "+": "", "#": "ㅂ", "&": ""}  # 퍼센트, 플러스, 샵, 앤드


def _final(before: str) -> str:
    """The final consonant of the text before a particle ("" for none; unknown endings read as none)."""
    text = before.rstrip(_CLOSERS)
    if not text:
        return ""
    last = text[-1]
    if last in _SYMBOL_FINAL:
        return _SYMBOL_FINAL[last]
    if "\uac00" <= last <= "\ud7a3":
        index = (ord(last) - 0xAC00) % 28
        return "" if index == 0 else "ㄹ" if index == 8 else "ㄱ"
    if last.isdigit():
        return _DIGIT_FINAL[last]
    word = re.search(r"[A-Za-z]+$", text)
    if word is None:
        return ""
    token = word.group()
    if re.search(r"[A-Z]{2,}$", token) or len(token) == 1:  # an acronym is read letter by letter
        return _LETTER_FINAL.get(token[-1].upper(), "")
    lower = token.lower()
    if lower.endswith("ng"):
        return "ㅇ"
    return {"l": "ㄹ", "m": "ㅁ", "n": "ㄴ"}.get(lower[-1], "")


def josa(text: str) -> str:
    def pick(match: re.Match[str]) -> str:
        marker = match.group()
        final = _final(text[: match.start()])
        consonant, vowel = _JOSA_FORMS[marker]
        if marker == "(으)로" and final == "ㄹ":
            return vowel  # ㄹ takes 로: "파일로", "SQL로"
        return consonant if final else vowel

    return _JOSA.sub(pick, text)
