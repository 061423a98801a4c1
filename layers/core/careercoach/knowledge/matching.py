"""Skill mentions in resume text, Korean and English.

Two ways a skill shows up: as a whole list entry (tech_stack, technical_skills: "springboot", "Spring-Boot")
compared by a spacing- and punctuation-insensitive key, and inside free text (summary, achievements).

Free text is split into tokens (runs of Latin letters/digits, or runs of Hangul) and aliases are looked up
as n-grams of consecutive tokens. Token boundaries are word boundaries, so "Go" never matches inside
"Google". A Hangul token may carry a particle ("스프링부트로", "패턴으로"), so its prefix may end a match; the
longest match wins, which keeps "자바" out of "자바스크립트". A dictionary lookup builds in milliseconds,
where one regular expression over a thousand aliases took about 0.4 s to compile on a cold start."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from careercoach.knowledge.models import Skill

_KEY_DROP = re.compile(r"[\s.\-_/·]+")
# A token: Latin letters, digits and the symbols that belong to names (C++, C#, W&B), or a Hangul run.
_TOKEN = re.compile(r"[A-Za-z0-9+#&]+|[\uac00-\ud7a3]+")
# What may sit between two tokens of one alias ("Spring Boot", "Node.js", "CI/CD", "docker-compose").
_JOINER = re.compile(r"^[\s.\-_/·]*$")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_MAX_TOKENS = 6
_MIN_HANGUL_PREFIX = 2  # a one-syllable prefix ("깃") would match too many unrelated words


def alias_key(text: str) -> str:
    """Spacing-, case- and punctuation-insensitive form: "Spring-Boot", "spring boot" -> "springboot"."""
    return _KEY_DROP.sub("", text.casefold())


def _raw_key(text: str) -> str:
    return _KEY_DROP.sub("", text)


@dataclass(frozen=True, slots=True)
class Mention:
    skill_id: str
    text: str  # verbatim span of the searched text
    start: int
    end: int


class SkillMatcher:
    def __init__(self, skills: Iterable[Skill]) -> None:
        self._by_key: dict[str, str] = {}  # alias key -> skill id, for whole list entries
        self._loose: dict[str, str] = {}  # case-folded key -> skill id, for free text
        self._exact: dict[str, str] = {}  # case-kept key -> skill id, for free text
        for skill in skills:
            names = [skill.name.en, skill.name.ko]
            for alias in [*names, *skill.aliases, *skill.exact_aliases, *skill.list_aliases]:
                self._by_key.setdefault(alias_key(alias), skill.id)
            # A display name that is also a case-sensitive or list-only alias ("Go") keeps that restriction.
            restricted = {alias_key(a) for a in [*skill.exact_aliases, *skill.list_aliases]}
            for alias in [*names, *skill.aliases]:
                key = alias_key(alias)
                if len(key) > 1 and key not in restricted:
                    self._loose.setdefault(key, skill.id)
            for alias in skill.exact_aliases:
                self._exact.setdefault(_raw_key(alias), skill.id)

    def key_owner(self, text: str) -> str | None:
        """The skill a whole entry names, if any."""
        return self._by_key.get(alias_key(text))

    def _lookup(self, raw: str) -> str | None:
        return self._exact.get(raw) or self._loose.get(raw.casefold())

    def in_text(self, text: str) -> list[Mention]:
        tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
        found: list[Mention] = []
        i = 0
        while i < len(tokens):
            best: tuple[str, int] | None = None  # (skill id, end offset in text)
            raw = ""
            for j in range(i, min(i + _MAX_TOKENS, len(tokens))):
                if j > i and not _JOINER.match(text[tokens[j - 1][1] : tokens[j][0]]):
                    break
                start, end = tokens[j]
                token = text[start:end]
                owner = self._lookup(raw + token)
                if owner is not None:
                    best = (owner, end)
                elif _HANGUL.match(token):
                    # A particle may follow the name inside the same Hangul run: try the longest prefix.
                    for cut in range(len(token) - 1, _MIN_HANGUL_PREFIX - 1, -1):
                        owner = self._lookup(raw + token[:cut])
                        if owner is not None:
                            if best is None or start + cut > best[1]:
                                best = (owner, start + cut)
                            break
                raw += token
            if best is None:
                i += 1
                continue
            skill_id, end = best
            found.append(Mention(skill_id, text[tokens[i][0] : end], tokens[i][0], end))
            while i < len(tokens) and tokens[i][0] < end:
                i += 1
        return found

    def in_entry(self, entry: str) -> list[Mention]:
        """Mentions in one list entry: the entry as a whole when it names a skill, else what it contains."""
        owner = self.key_owner(entry)
        if owner is not None:
            return [Mention(owner, entry, 0, len(entry))]
        return self.in_text(entry)
