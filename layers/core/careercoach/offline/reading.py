"""Migrations in resume text: "led the move from Jenkins to GitOps with Argo CD", "Jenkins에서 Argo CD로
전환", "replaced RabbitMQ with Kafka", "moved off Heroku", "deprecated Jenkins".

The old tool is history and the new one is current: the generator never asks about the old tool except as
part of the migration, never calls it a strength and never plans to deepen it. The quality report reads
resumes with the same rules to find output that treats a replaced tool as current."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from careercoach.knowledge.matching import SkillMatcher

_SPAN = r"[^,;.!?\n]+?"  # one clause: a migration never spans a comma or a full stop
# Where a one-sided span ("moved off X", "deprecated X") ends.
_END = r"(?=\s+(?:onto|to|for|in|and|with|after|because)\b|[,;.!?\n]|$)"
# "Python 2", "Java 8": a version upgrade, not a replacement of the tool.
_VERSION_AFTER = re.compile(r"\s*v?\d")
# (pattern, whether the old side names one tool: Korean "A를 B에서 C로" puts other words before the old tool)
_NEW = r"(?P<new>[^,;.!?\n]+)"
_PATTERNS: tuple[tuple[re.Pattern[str], bool], ...] = (
    (re.compile(rf"\bfrom\s+(?P<old>{_SPAN})\s+(?:to|onto|into)\s+{_NEW}", re.I), False),
    (
        re.compile(rf"\breplac(?:e|ed|es|ing)\s+(?P<old>{_SPAN})\s+(?:with|by)\s+(?P<new>[^,;.!?\n]+)", re.I),
        False,
    ),
    (
        re.compile(rf"\bmigrat(?:e|ed|es|ing)\s+(?P<old>{_SPAN})\s+(?:to|onto)\s+(?P<new>[^,;.!?\n]+)", re.I),
        False,
    ),
    (re.compile(rf"\bmov(?:e|ed|es|ing)\s+off\s+(?:of\s+)?(?P<old>{_SPAN}){_END}", re.I), False),
    (
        re.compile(
            rf"\b(?:deprecat(?:e|ed|ing)|retir(?:e|ed|ing)|decommission(?:ed|ing)?|sunset(?:ting)?|"
            rf"phas(?:e|ed|ing)\s+out)\s+(?:the\s+|our\s+)?(?P<old>{_SPAN}){_END}",
            re.I,
        ),
        False,
    ),
    (
        re.compile(
            rf"(?P<old>{_SPAN})\s*에서\s*(?P<new>{_SPAN})\s*(?:으로|로)\s*(?:의\s*)?"
            r"(?:전환|이전|이관|교체|대체|마이그레이션|옮|바꾸|바꿔|바꿨|갈아타|migration)"
        ),
        True,
    ),
    (
        re.compile(
            rf"(?P<old>{_SPAN})\s*(?:을|를)\s*(?P<new>(?:(?!에서)[^,;.!?\n])+?)\s*(?:으로|로)\s*"
            r"(?:전환|교체|대체|이관|마이그레이션|바꾸|바꿔|바꿨)"
        ),
        True,
    ),
    (re.compile(rf"(?P<old>{_SPAN})\s*(?:→|->|=>)\s*{_NEW}"), True),
    (re.compile(rf"(?P<old>{_SPAN})\s*(?:을|를)?\s*(?:걷어내|폐기|퇴역|대체하)"), True),
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


def migrations(matcher: SkillMatcher, text: str) -> list[Migration]:
    found: list[Migration] = []
    for pattern, last_only in _PATTERNS:
        for match in pattern.finditer(text):
            old_mentions = matcher.in_text(match.group("old"))
            if last_only:
                old_mentions = old_mentions[-1:]
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
