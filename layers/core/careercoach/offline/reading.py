"""Migrations in resume text: "led the move from Jenkins to GitOps with Argo CD", "Jenkins에서 Argo CD로
전환", "replaced RabbitMQ with Kafka", "moved off Heroku", "deprecated Jenkins".

The old tool is history and the new one is current: the generator never asks about the old tool except as
part of the migration, never calls it a strength and never plans to deepen it. The quality report reads
resumes with the same rules to find output that treats a replaced tool as current."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from careercoach.knowledge.matching import SkillMatcher

_SPAN = r"[^,;.!?\n]+?"  # one clause: a migration never spans a comma or a full stop
# Where a one-sided span ("moved off X", "deprecated X") ends.
_END = r"(?=\s+(?:onto|to|for|in|and|with|after|because)\b|[,;.!?\n]|$)"
# "Python 2", "Java 8": a version upgrade, not a replacement of the tool.
_VERSION_AFTER = re.compile(r"\s*v?\d")
# (pattern, which mentions of the old side count: Korean "A를 B에서 C로" puts other words before the old tool,
# so only the last; "deprecated X once Y..." runs on past it, so only the first; "from X to Y" all of them)
_NEW = r"(?P<new>[^,;.!?\n]+)"
_PATTERNS: tuple[tuple[re.Pattern[str], Literal["all", "first", "last"]], ...] = (
    (re.compile(rf"\bfrom\s+(?P<old>{_SPAN})\s+(?:to|onto|into)\s+{_NEW}", re.I), "all"),
    (
        re.compile(rf"\breplac(?:e|ed|es|ing)\s+(?P<old>{_SPAN})\s+(?:with|by)\s+{_NEW}", re.I),
        "all",
    ),
    (
        re.compile(rf"\bmigrat(?:e|ed|es|ing)\s+(?P<old>{_SPAN})\s+(?:to|onto)\s+{_NEW}", re.I),
        "all",
    ),
    (re.compile(rf"\bmov(?:e|ed|es|ing)\s+off\s+(?:of\s+)?(?P<old>{_SPAN}){_END}", re.I), "first"),
    (
        re.compile(
            rf"\b(?:deprecat(?:e|ed|ing)|retir(?:e|ed|ing)|decommission(?:ed|ing)?|sunset(?:ting)?|"
            rf"phas(?:e|ed|ing)\s+out)\s+(?:the\s+|our\s+)?(?P<old>{_SPAN}){_END}",
            re.I,
        ),
        "first",
    ),
    (
        re.compile(
            rf"(?P<old>{_SPAN})\s*에서\s*(?P<new>{_SPAN})\s*(?:으로|로)\s*(?:의\s*)?"
            r"(?:전환|이전|이관|교체|대체|마이그레이션|옮|바꾸|바꿔|바꿨|갈아타|migration)"
        ),
        "last",
    ),
    (
        re.compile(
            rf"(?P<old>{_SPAN})\s*(?:을|를)\s*(?P<new>(?:(?!에서)[^,;.!?\n])+?)\s*(?:으로|로)\s*"
            r"(?:전환|교체|대체|이관|마이그레이션|바꾸|바꿔|바꿨)"
        ),
        "last",
    ),
    (re.compile(rf"(?P<old>{_SPAN})\s*(?:→|->|=>)\s*{_NEW}"), "last"),
    (re.compile(rf"(?P<old>{_SPAN})\s*(?:을|를)?\s*(?:걷어내|폐기|퇴역|대체하)"), "last"),
)
# Words that make a sentence about a replaced tool a sentence about its replacement.
MIGRATION_WORDS = re.compile(
    r"migrat|\bmov(?:e|ed|ing)\b|replac|switch|transition|\bfrom\b|전환|이전|이관|교체|대체|마이그레이션|옮기|옮긴|바꾼|바꾸",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Migration:
    old: tuple[str, ...]  # skill ids replaced
    new: tuple[str, ...]  # skill ids that replaced them (may be empty: "moved off Heroku")
    span: str  # verbatim text of the migration


# Words without which no pattern can match: most resume lines are skipped before any pattern runs.
_TRIGGER = re.compile(
    r"from|replac|migrat|\boff\b|deprecat|retir|decommission|sunset|phas|→|->|=>"
    r"|전환|이전|이관|교체|대체|마이그레이션|migration|옮|바꾸|바꿔|바꿨|갈아타|걷어내|폐기|퇴역",
    re.I,
)


@functools.lru_cache(maxsize=4096)  # the same resume lines are read for every draft of a request
def _migrations(matcher: SkillMatcher, text: str) -> tuple[Migration, ...]:
    if not _TRIGGER.search(text):
        return ()
    return tuple(_find(matcher, text))


def migrations(matcher: SkillMatcher, text: str) -> list[Migration]:
    return list(_migrations(matcher, text))


def _find(matcher: SkillMatcher, text: str) -> list[Migration]:
    found: list[Migration] = []
    for pattern, which in _PATTERNS:
        for match in pattern.finditer(text):
            old_mentions = matcher.in_text(match.group("old"))
            if which == "last":
                old_mentions = old_mentions[-1:]
            elif which == "first":
                old_mentions = old_mentions[:1]
            new_text = match.groupdict().get("new") or ""
            new = tuple(dict.fromkeys(m.skill_id for m in matcher.in_text(new_text)))
            old_text = match.group("old")
            old = tuple(
                dict.fromkeys(
                    m.skill_id
                    for m in old_mentions
                    if m.skill_id not in new and not _VERSION_AFTER.match(old_text, m.end)
                )
            )
            if old:
                found.append(Migration(old, new, match.group().strip()))
    return found


def replaced_skills(matcher: SkillMatcher, texts: Iterable[str]) -> dict[str, Migration]:
    """Each replaced skill id with the first migration that names it."""
    replaced: dict[str, Migration] = {}
    for text in texts:
        for migration in migrations(matcher, text):
            for skill_id in migration.old:
                replaced.setdefault(skill_id, migration)
    return replaced


def about_migration(text: str, migration: Migration, matcher: SkillMatcher) -> bool:
    """Whether a sentence naming a replaced tool speaks of it as the thing that was replaced."""
    if MIGRATION_WORDS.search(text):
        return True
    return any(m.skill_id in migration.new for m in matcher.in_text(text))
