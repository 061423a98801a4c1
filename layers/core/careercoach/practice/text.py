"""Reading answers, questions and key points as terms, in Korean and English, for the offline evaluator.

No morphological analyser: Korean analysers that would do this properly ship models of tens of megabytes
(kiwipiepy's model is an 88 MB download), too heavy for a Lambda layer and its cold start. The evaluator only
needs to know whether known terms occur, so a Korean word is compared by its stem: a term matches a word that
starts with it ("트랜잭션" in "트랜잭션을"), after the common particles and endings are stripped from the
term itself ("변경한" -> "변경"). English words are compared by their Snowball stems ("boundaries" and
"boundary" are one term). Technical terms come with their synonyms in both languages (knowledge/terms.json),
and skills are recognised by the knowledge base's skill matcher ("스프링부트" is Spring Boot)."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

from careercoach.knowledge.loader import knowledge
from careercoach.knowledge.terms import terms

_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")
_WORD = re.compile(r"[a-z0-9+#]+|[\uac00-\ud7a3]+")
# A figure as people write one: not glued to letters before it (p99, N+1 and v2 are names), with its unit.
_NUMBER = re.compile(
    r"(?<![A-Za-z0-9.+])\d+(?:[.,]\d+)*\s?(?:ms|%|x|배|초|분|시간|일|주|개월|건|명|개|만|천|억|k\b|m\b|gb|mb|tb|"
    r"tps|qps|rps|req/s|s\b|seconds?|minutes?|hours?|days?|weeks?|months?|users?|times)?",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")
_MIN_HANGUL_STEM = 2
_MIN_LATIN_STEM = 2

_local = threading.local()


def _stemmer() -> Any:
    # A Snowball stemmer keeps state while it works: one per thread (the local runtime serves several
    # functions from one process). Imported on first use: functions that only read results never need it.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        import snowballstemmer

        stemmer = _local.stemmer = snowballstemmer.stemmer("english")
    return stemmer


@cache
def stem_latin(word: str) -> str:
    return str(_stemmer().stemWord(word))


@cache
def _particles() -> tuple[str, ...]:
    return tuple(sorted(terms().particles, key=len, reverse=True))


@cache
def _stopwords() -> frozenset[str]:
    vocabulary = terms()
    return frozenset(
        [stem_latin(w) for w in vocabulary.stopwords.en]
        + [w for w in vocabulary.stopwords.ko]
        + vocabulary.stopwords.en
    )


def stem_hangul(word: str) -> str:
    """The word without a trailing particle or ending ("트랜잭션을" -> "트랜잭션"); the word itself when
    stripping would leave less than two syllables."""
    for particle in _particles():
        if word.endswith(particle) and len(word) - len(particle) >= _MIN_HANGUL_STEM:
            return word[: -len(particle)]
    return word


def fold(text: str) -> str:
    return _SPACE.sub(" ", text.casefold()).strip()


def _latin_stems(text: str) -> list[str]:
    return [stem_latin(w) for w in re.findall(r"[a-z0-9+#]+", text)]


@dataclass(frozen=True)
class Alternative:
    """One way a term may be written: Latin stems (all present), or Korean text (a stem, or words)."""

    latin: tuple[str, ...] = ()
    hangul: str = ""  # without spaces
    hangul_words: int = 0


def alternative(surface: str) -> Alternative:
    folded = fold(surface)
    if _HANGUL_RUN.search(folded):
        runs = _HANGUL_RUN.findall(folded)
        if len(runs) == 1:
            return Alternative(hangul=stem_hangul(runs[0]), hangul_words=1)
        return Alternative(hangul="".join(runs), hangul_words=len(runs))
    return Alternative(latin=tuple(_latin_stems(folded)))


@dataclass(frozen=True)
class Concept:
    """A term a text must contain, in any of its ways of being written, or a skill by its id."""

    label: str
    alternatives: tuple[Alternative, ...] = ()
    skill: str | None = None
    weight: float = 1.0


@cache
def _synonym_index() -> tuple[tuple[tuple[str, ...], tuple[Alternative, ...]], ...]:
    """Every synonym group: its surfaces (folded) and their alternatives."""
    groups = []
    for group in terms().synonyms:
        surfaces = tuple(fold(s) for s in group)
        groups.append((surfaces, tuple(alternative(s) for s in group)))
    return tuple(groups)


@dataclass(frozen=True)
class Analysed:
    """A text as the evaluator compares it."""

    text: str
    folded: str
    compact: str  # folded, without spaces: Korean phrases match across spacing
    latin: frozenset[str]  # stems, stopwords included (phrases need them)
    hangul: tuple[str, ...]  # words as written
    content: tuple[str, ...]  # content words: Latin stems and Korean stems, without stopwords
    numbers: tuple[str, ...]
    skills: frozenset[str]

    def has(self, alt: Alternative) -> bool:
        if alt.latin:
            return all(stem in self.latin for stem in alt.latin)
        if not alt.hangul:
            return False
        if alt.hangul_words == 1:
            return any(word.startswith(alt.hangul) for word in self.hangul)
        return alt.hangul in self.compact

    def covers(self, concept: Concept) -> bool:
        if concept.skill is not None and concept.skill in self.skills:
            return True
        return any(self.has(alt) for alt in concept.alternatives)


def analyse(text: str) -> Analysed:
    folded = fold(text)
    stop = _stopwords()
    latin_words = re.findall(r"[a-z0-9+#]+", folded)
    latin = [stem_latin(w) for w in latin_words]
    hangul = tuple(_HANGUL_RUN.findall(folded))
    content: list[str] = []
    for word in _WORD.findall(folded):
        if _HANGUL_RUN.fullmatch(word):
            stem = stem_hangul(word)
            if len(stem) >= _MIN_HANGUL_STEM and stem not in stop and word not in stop:
                content.append(stem)
        elif not word.isdigit():
            stem = stem_latin(word)
            if len(stem) >= _MIN_LATIN_STEM and word not in stop and stem not in stop:
                content.append(stem)
    return Analysed(
        text=text,
        folded=folded,
        compact=folded.replace(" ", ""),
        latin=frozenset(latin),
        hangul=hangul,
        content=tuple(content),
        numbers=tuple(_NUMBER.findall(text)),
        skills=frozenset(m.skill_id for m in knowledge().matcher.in_text(text)),
    )


def concepts(text: str) -> list[Concept]:
    """The terms a text (a key point, a question) is made of: synonym groups it names, skills it names, and
    its other content words, each once."""
    analysed = analyse(text)
    found: list[Concept] = []
    covered_words: set[str] = set()
    for surfaces, alternatives in _synonym_index():
        if any(analysed.has(alt) for alt in alternatives):
            found.append(Concept(surfaces[0], alternatives))
            for alt in alternatives:
                covered_words.update(alt.latin)
                if alt.hangul and alt.hangul_words == 1:
                    covered_words.add(alt.hangul)
    matcher = knowledge().matcher
    for mention in matcher.in_text(text):
        if all(c.skill != mention.skill_id for c in found):
            found.append(Concept(mention.text, (alternative(mention.text),), mention.skill_id, weight=1.5))
            covered_words.update(alternative(mention.text).latin)
    for word in analysed.content:
        if word in covered_words or any(word.startswith(w) or w.startswith(word) for w in covered_words if w):
            continue
        covered_words.add(word)
        alt = (
            Alternative(hangul=word, hangul_words=1) if _HANGUL_RUN.fullmatch(word) else Alternative((word,))
        )
        found.append(Concept(word, (alt,), weight=0.8))
    return found


def coverage(answer: Analysed, wanted: list[Concept]) -> float:
    """The weighted share of `wanted` that the answer contains (1.0 when nothing is wanted)."""
    total = sum(c.weight for c in wanted)
    if total == 0:
        return 1.0
    return sum(c.weight for c in wanted if answer.covers(c)) / total


def contains_phrase(answer: Analysed, phrases: list[str]) -> bool:
    """Whether a marker phrase occurs: Korean ones as stems, English ones as words."""
    for phrase in phrases:
        folded = fold(phrase)
        if _HANGUL_RUN.search(folded):
            if folded.replace(" ", "") in answer.compact:
                return True
        elif re.search(rf"(?<![a-z0-9]){re.escape(folded)}(?![a-z0-9])", answer.folded):
            return True
    return False
