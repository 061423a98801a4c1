"""Checks a generated result must pass before it is stored, and the normalisation that runs before them.

`normalise_*` makes the only changes ever made to a draft: ids renumbered in order, steps sorted by their
order, and a grounding pointed at the resume item that actually holds its quote. `*_problems` then only
report: each returns the problems it found, in words a model can act on; the registry feeds them back as a
repair request, then falls back to the next provider. Nothing is silently trimmed."""

from __future__ import annotations

import re
from collections.abc import Container

from careercoach.models.generation import LearningPathDraft, QuestionDraft
from careercoach.models.resume import Language, ResumeContent
from careercoach.resume_items import ResumeItem, normalise_text, resume_items

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LETTER = re.compile(r"[^\W\d_]")
_NOT_WORD = re.compile(r"[\W_]+")
_REQUIRED_STEP_TYPES = ("close_gap", "project", "communication")
# English text may carry Korean names copied from the resume; beyond this share it is not English.
_MAX_HANGUL_SHARE_IN_ENGLISH = 0.3


def required_categories(count: int) -> int:
    return min(3, count)


def _hangul_share(text: str) -> float:
    letters = _LETTER.findall(text)
    return len(_HANGUL.findall(text)) / len(letters) if letters else 0.0


def in_language(text: str, language: Language, *, ignoring: str = "") -> bool:
    if language == "ko":
        return bool(_HANGUL.search(text))
    if ignoring:
        text = text.replace(ignoring, " ")
    return _hangul_share(text) <= _MAX_HANGUL_SHARE_IN_ENGLISH


def _dedupe_key(text: str) -> str:
    return _NOT_WORD.sub("", text.casefold())


def _item_holding(quote: str, items: list[ResumeItem], preferred: str) -> ResumeItem | None:
    needle = normalise_text(quote)
    if not needle:
        return None
    holders = [item for item in items if needle in normalise_text(item.text)]
    return next((item for item in holders if item.source == preferred), holders[0] if holders else None)


def normalise_questions(draft: QuestionDraft, resume: ResumeContent) -> None:
    """Ids q1..qN in order; each grounding's source is the item that holds its quote (the named one when
    several do). A quote found nowhere keeps its source: the check reports it."""
    items = resume_items(resume)
    for index, question in enumerate(draft.questions, start=1):
        question.id = f"q{index}"
        holder = _item_holding(question.grounding.quote, items, question.grounding.source)
        if holder is not None:
            question.grounding.source = holder.source


def question_problems(
    draft: QuestionDraft, resume: ResumeContent, *, count: int, language: Language
) -> list[str]:
    problems: list[str] = []
    questions = draft.questions
    if len(questions) != count:
        problems.append(f"Return exactly {count} questions; you returned {len(questions)}.")
    items = resume_items(resume)
    seen: dict[str, int] = {}
    for index, question in enumerate(questions, start=1):
        key = _dedupe_key(question.question)
        if key in seen:
            problems.append(f"q{index} repeats q{seen[key]}; every question must be different.")
        seen.setdefault(key, index)
        if _item_holding(question.grounding.quote, items, question.grounding.source) is None:
            problems.append(
                f"q{index}: grounding.quote must be copied exactly from one resume line; "
                f"{question.grounding.quote!r} is not in the resume."
            )
        if not in_language(question.question, language, ignoring=question.grounding.quote):
            problems.append(f"q{index}: write the question in {_language_name(language)}.")
    categories = {question.category for question in questions}
    if len(categories) < required_categories(count):
        problems.append(
            f"Use at least {required_categories(count)} different categories; you used {sorted(categories)}."
        )
    return problems


def normalise_learning_path(draft: LearningPathDraft) -> None:
    """Steps in their stated order (a numbering gap or repeat is still reported by the check)."""
    draft.steps.sort(key=lambda step: step.order)


def learning_path_problems(
    draft: LearningPathDraft, resume: ResumeContent, *, language: Language, catalog_ids: Container[str]
) -> list[str]:
    problems: list[str] = []
    orders = [step.order for step in draft.steps]
    if orders != list(range(1, len(orders) + 1)):
        problems.append(f"Number the steps 1..{len(orders)} in order; you used {orders}.")
    weeks = sum(step.estimated_weeks for step in draft.steps)
    if draft.total_weeks != weeks:
        problems.append(
            f"total_weeks must equal the sum of estimated_weeks ({weeks}), not {draft.total_weeks}."
        )
    types = {step.type for step in draft.steps}
    missing_types = [kind for kind in _REQUIRED_STEP_TYPES if kind not in types]
    if missing_types:
        problems.append(f"Include at least one step of each type: missing {missing_types}.")
    unknown = sorted({rid for step in draft.steps for rid in step.resource_ids if rid not in catalog_ids})
    if unknown:
        problems.append(f"Use resource ids from the catalog only; unknown: {unknown}.")
    listed = {_dedupe_key(skill) for skills in resume.technical_skills.values() for skill in skills}
    listed |= {_dedupe_key(skill) for job in resume.work_experiences for skill in job.tech_stack}
    listed |= {_dedupe_key(skill) for project in resume.personal_projects for skill in project.tech_stack}
    for gap in draft.analysis.gaps:
        if _dedupe_key(gap.area) in listed:
            problems.append(f"{gap.area!r} is already on the resume; it is not a gap.")
    items = resume_items(resume)
    for strength in draft.analysis.strengths:
        if _item_holding(strength.evidence, items, "") is None:
            problems.append(f"Evidence for {strength.area!r} must be copied exactly from the resume.")
    texts = [draft.summary, *(step.title for step in draft.steps)]
    if not all(in_language(text, language) for text in texts):
        problems.append(f"Write the summary and step titles in {_language_name(language)}.")
    return problems


def _language_name(language: Language) -> str:
    return {"ko": "Korean", "en": "English"}[language]
