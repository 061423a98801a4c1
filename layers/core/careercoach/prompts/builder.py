"""Builds the prompts. The whole resume goes in, compactly, minus contact data and the name (they are not
resume items, see resume_items.py). Resume and job description are delimited as data; any tag-like text
inside them that could close a delimiter early is neutralised."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from careercoach.models.resume import Language, ResumeContent
from careercoach.models.text import is_invisible
from careercoach.prompts import templates as t
from careercoach.resume_items import resume_items
from careercoach.seniority import experience_years, seniority

# The compact resume now carries activities, architecture highlights and certificate expiry dates.
PROMPT_VERSION = "2026-12-06.1"

_DELIMITER_NAMES = ("resume", "job_description", "catalog")


def _name_pattern(name: str) -> str:
    # Spaces may split the name ("re sume"), and "_" may be written as a space or a hyphen.
    return r"\s*".join(r"[\s_-]*" if char == "_" else re.escape(char) for char in name)


# Matched against the folded form (see _folded): "<", then optional "/", then a delimiter name, with any
# whitespace in between; `\b` after the name, so "<resumes>" is not one but "<resume x>" is.
_DELIMITER_TAG = re.compile(
    rf"<\s*/?\s*(?:{'|'.join(_name_pattern(name) for name in _DELIMITER_NAMES)})(?![a-z0-9])"
)


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


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """How one character reads when looking for tags. Whitespace and invisible characters (zero-width,
    soft hyphen, controls) read as a space: the tag pattern allows spaces inside a tag and its name, and a
    space ends the name (so "</resume" + U+200B + "x" still ends the block). Otherwise the NFKD compatibility
    decomposition (full-width letters become ASCII ones, accents separate) without combining marks,
    case-folded."""
    if char.isspace() or is_invisible(char):
        return " "
    return "".join(
        part
        for part in unicodedata.normalize("NFKD", char)
        if not is_invisible(part) and unicodedata.category(part) not in ("Mn", "Me")
    ).casefold()


def _folded(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the index of the original character it came from."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        form = _fold_char(char)
        folded.append(form)
        origin.extend([index] * len(form))
    return "".join(folded), origin


def _neutralise(text: str) -> str:
    """Whitespace collapsed, and every "<" that opens something reading as a delimiter tag (once zero-width
    characters, soft hyphens, accents and other combining marks are dropped, compatibility forms such as
    full-width letters folded by NFKD, case folded and whitespace collapsed) replaced by "\u2039" (a single
    angle quote: it looks like "<" to a reader but opens no tag). Nothing else changes: the model sees the
    text as written."""
    text = " ".join(text.split())
    folded, origin = _folded(text)
    starts = {origin[match.start()] for match in _DELIMITER_TAG.finditer(folded)}
    if not starts:
        return text
    return "".join("\u2039" if index in starts else char for index, char in enumerate(text))


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
