"""Builds the prompts. The whole resume goes in, compactly, minus contact data and the name (they are not
resume items, see resume_items.py). Resume and job description are delimited as data; any tag-like text
inside them that could close a delimiter early is neutralised."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from careercoach.models.resume import Language, ResumeContent
from careercoach.prompts import templates as t
from careercoach.resume_items import resume_items
from careercoach.seniority import experience_years, seniority

# The compact resume now carries activities, architecture highlights and certificate expiry dates.
PROMPT_VERSION = "2026-12-06.1"

_DELIMITER_TAG = re.compile(r"<(/?\s*(?:resume|job_description|catalog)\b)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Prompt:
    system: str
    user: str
    version: str = PROMPT_VERSION


@dataclass(frozen=True, slots=True)
class CatalogLine:
    id: str
    title: str
    kind: str


def _neutralise(text: str) -> str:
    # "\u2039" (single angle quote) looks like "<" to a reader but closes no tag.
    return _DELIMITER_TAG.sub("\u2039\\1", " ".join(text.split()))


def compact_resume(resume: ResumeContent) -> str:
    return "\n".join(f"[{item.source}] {_neutralise(item.text)}" for item in resume_items(resume))


def _profile(resume: ResumeContent, language: Language) -> tuple[str, str, str]:
    level = seniority(resume)
    years = experience_years(resume)
    years_label = (
        t.YEARS_LABEL[language].format(years=f"{round(years, 1):g}")
        if years is not None
        else t.UNKNOWN_YEARS[language]
    )
    return level, t.SENIORITY_LABEL[level][language], years_label


def _data_blocks(resume: ResumeContent, job_description: str | None) -> str:
    blocks = f"<resume>\n{compact_resume(resume)}\n</resume>"
    if job_description:
        blocks += f"\n<job_description>\n{_neutralise(job_description)}\n</job_description>"
    return blocks


def interview_prompt(
    resume: ResumeContent, *, count: int, language: Language, job_description: str | None = None
) -> Prompt:
    level, level_label, years_label = _profile(resume, language)
    instructions = (
        t.INTERVIEW[language]
        .format(
            count=count,
            min_categories=min(3, count),
            seniority=level_label,
            years=years_label,
            difficulty_guide=t.DIFFICULTY_GUIDE[level][language],
            job_description_rule=t.JOB_DESCRIPTION_RULE[language] if job_description else "",
        )
        .rstrip()
    )
    return Prompt(
        system=t.SYSTEM[language], user=f"{_data_blocks(resume, job_description)}\n\n{instructions}"
    )


def learning_prompt(
    resume: ResumeContent,
    *,
    language: Language,
    catalog: Sequence[CatalogLine],
    job_description: str | None = None,
) -> Prompt:
    _, level_label, years_label = _profile(resume, language)
    catalog_text = "\n".join(f"{line.id} | {line.kind} | {_neutralise(line.title)}" for line in catalog)
    instructions = t.LEARNING[language].format(
        seniority=level_label,
        years=years_label,
        jd_clause=t.JD_CLAUSE[language] if job_description else "",
        catalog=catalog_text,
    )
    return Prompt(
        system=t.SYSTEM[language], user=f"{_data_blocks(resume, job_description)}\n\n{instructions}"
    )
