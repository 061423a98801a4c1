"""Structuring the redacted text through the LLM registry, like generation does: the draft model as the
output schema, the versioned prompt, a domain check whose problems earn a repair turn and then the next
provider, and the offline extractor as the `offline` provider at the end of the chain.

The check keeps providers honest about the document: names of companies, projects, institutions,
certifications and every skill must appear in the document as written, achievements must be mostly made of
the document's words, and no placeholder may be copied into a field. Whatever answers, placeholders are
scrubbed from the result and the total experience is computed from the dates here, the same way for all."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import llm_registry
from careercoach.importing.draft import ResumeDraft
from careercoach.importing.privacy import PLACEHOLDER
from careercoach.importing.prompt import import_prompt
from careercoach.importing.provider import ImportJob, make_request, register_import_provider
from careercoach.models.resume import Language
from llm_registry import GenerationResult

_MAX_OUTPUT_TOKENS = 8000
_NORM_DROP = re.compile(r"[\W_]+", re.UNICODE)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_MIN_WORD_SHARE = 0.6


def _norm(text: str) -> str:
    return _NORM_DROP.sub("", text.casefold())


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def draft_problems(draft: ResumeDraft, document: str, language: Language) -> list[str]:
    """What is wrong with a provider's draft, phrased for the repair turn (empty: accepted)."""
    problems: list[str] = []
    data = draft.model_dump(exclude_none=True)
    for path, value in _strings(data):
        if PLACEHOLDER.search(value):
            problems.append(f"{path}: contains a placeholder; personal data stays out of every field")
    normalised = _norm(document)
    words = set(_WORD.findall(document.casefold()))

    def verbatim(path: str, value: str | None) -> None:
        if value and _norm(value) and _norm(value) not in normalised:
            problems.append(f"{path}: {value!r} does not appear in the document; copy it exactly as written")

    def mostly_verbatim(path: str, value: str) -> None:
        tokens = _WORD.findall(value.casefold())
        if tokens and sum(token in words for token in tokens) / len(tokens) < _MIN_WORD_SHARE:
            problems.append(f"{path}: not the document's wording; copy the item as written")

    for i, w in enumerate(draft.work_experiences):
        verbatim(f"work_experiences[{i}].company", w.company)
        verbatim(f"work_experiences[{i}].position", w.position)
        verbatim(f"work_experiences[{i}].project_name", w.project_name)
        for j, skill in enumerate(w.tech_stack):
            verbatim(f"work_experiences[{i}].tech_stack[{j}]", skill)
        for j, item in enumerate(w.achievements):
            mostly_verbatim(f"work_experiences[{i}].achievements[{j}]", item)
    for i, p in enumerate(draft.personal_projects):
        verbatim(f"personal_projects[{i}].name", p.name)
        for j, skill in enumerate(p.tech_stack):
            verbatim(f"personal_projects[{i}].tech_stack[{j}]", skill)
        for j, item in enumerate(p.key_achievements):
            mostly_verbatim(f"personal_projects[{i}].key_achievements[{j}]", item)
    for group, skills in draft.technical_skills.items():
        for j, skill in enumerate(skills):
            verbatim(f"technical_skills.{group}[{j}]", skill)
    for i, e in enumerate(draft.education):
        verbatim(f"education[{i}].institution", e.institution)
    for i, c in enumerate(draft.certifications):
        verbatim(f"certifications[{i}].name", c.name)
    if draft.language != language:
        problems.append(f"language: the document is in {language!r}")
    return problems


@dataclass(frozen=True)
class Structured:
    draft: ResumeDraft
    result: GenerationResult[ResumeDraft]
    offline_warnings: tuple[str, ...]
    prompt_version: str


def structure(
    text: str,
    *,
    language: Language,
    today: date,
    wrapped: bool,
    provider: str,
    remaining_ms: Callable[[], int] | None,
) -> Structured:
    """Raises the registry's UnknownProvider and ProvidersExhausted; the caller maps them."""
    register_import_provider()
    prompt = import_prompt(text, language=language)
    job = ImportJob(text=text, language=language, today=today, wrapped=wrapped)
    request = make_request(
        system=prompt.system, prompt=prompt.user, job=job, max_output_tokens=_MAX_OUTPUT_TOKENS
    )

    def check(draft: ResumeDraft) -> list[str]:
        return draft_problems(draft, text, language)

    result = llm_registry.generate(
        request, ResumeDraft, provider=provider, check=check, remaining_ms=remaining_ms
    )
    offline_answered = result.attempts[-1].provider == "offline" if result.attempts else False
    return Structured(
        draft=result.output,
        result=result,
        offline_warnings=tuple(job.warnings) if offline_answered else (),
        prompt_version=prompt.version,
    )
