"""Interview questions, planned then written one question per call (see generation/plan.py).

The plan fixes each question's category, difficulty and grounding (a quote checked verbatim against the
resume), so the item calls write only the question's own text; categories and grounding are right by
construction, and each item is checked for its language. The local planner is the offline generator's own
selection of resume items and templates (no call); a model plan is checked with the same rules as a whole
question set (count, verbatim quotes, distinct topics, categories, language)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from careercoach.checks import in_language, normalise_questions, question_problems
from careercoach.generation.plan import FanOutJob, FanOutSpec, PartPrompt
from careercoach.generation.spec import Job
from careercoach.models.generation import Grounding, InterviewOptions, InterviewQuestion, QuestionDraft
from careercoach.models.plans import QuestionItem, QuestionOutline, QuestionPlan
from careercoach.prompts import templates
from careercoach.prompts.fanout import (
    FANOUT_PROMPT_VERSION,
    question_item_ask,
    question_item_prefix,
    question_plan_prompt,
)

_PLACEHOLDER = "-"
_NOT_WORD = re.compile(r"[\W_]+")


def _count(job: Job) -> int:
    options = job.options
    assert isinstance(options, InterviewOptions)  # the service validated them with options_model
    return options.count


def _local_plan(context: FanOutJob) -> QuestionPlan:
    draft: QuestionDraft = context.offline_draft()
    return QuestionPlan(
        questions=[
            QuestionOutline(
                category=q.category,
                difficulty=q.difficulty,
                grounding=q.grounding.model_copy(),
                focus=q.intent[:400],
            )
            for q in draft.questions
        ],
        coverage=draft.coverage,
    )


def _as_draft(plan: QuestionPlan) -> QuestionDraft:
    """The plan as a question set whose questions are their focuses: the whole-set checks then apply to it."""
    return QuestionDraft(
        questions=[
            InterviewQuestion(
                id=f"q{n}",
                category=o.category,
                difficulty=o.difficulty,
                question=o.focus,
                intent=o.focus,
                grounding=o.grounding,
                key_points=[_PLACEHOLDER, _PLACEHOLDER],
                follow_ups=[_PLACEHOLDER],
            )
            for n, o in enumerate(plan.questions, start=1)
        ]
    )


def _normalise_plan(plan: QuestionPlan, job: Job) -> None:
    draft = _as_draft(plan)
    normalise_questions(draft, job.resume)  # each grounding's source: the item that holds its quote
    for outline, question in zip(plan.questions, draft.questions, strict=True):
        outline.grounding = question.grounding


def _plan_problems(plan: QuestionPlan, job: Job) -> list[str]:
    problems = question_problems(_as_draft(plan), job.resume, count=_count(job), language=job.language)
    # The checks speak of questions; in a plan they are the focuses.
    return [problem.replace("write the question in", "write the focus in") for problem in problems]


def _item_prompt(job: Job, plan: QuestionPlan, index: int) -> PartPrompt:
    return PartPrompt(
        system=templates.SYSTEM[job.language],
        prefix=question_item_prefix(
            job.resume, plan, language=job.language, job_description=job.options.job_description
        ),
        prompt=question_item_ask(index, language=job.language),
    )


def _item_problems(item: QuestionItem, job: Job, plan: QuestionPlan, index: int) -> list[str]:
    quote = plan.questions[index].grounding.quote
    if not in_language(item.question, job.language, ignoring=quote):
        name = {"ko": "Korean", "en": "English"}[job.language]
        return [f"Write the question in {name}."]
    return []


def _offline_item(context: FanOutJob, plan: QuestionPlan, index: int) -> QuestionItem:
    """The offline generator's question for this slot: the same one when it made the plan, else the one
    grounded in the same resume item (or in the same position)."""
    questions = context.offline_draft().questions
    source = plan.questions[index].grounding.source
    same_item = [q for q in questions if q.grounding.source == source]
    chosen = same_item[0] if same_item else questions[index % len(questions)]
    if index < len(questions) and questions[index].grounding.source == source:
        chosen = questions[index]
    return QuestionItem(
        question=chosen.question,
        intent=chosen.intent,
        key_points=list(chosen.key_points),
        follow_ups=list(chosen.follow_ups),
    )


def _question(plan: QuestionPlan, index: int, item: QuestionItem) -> InterviewQuestion:
    outline = plan.questions[index]
    return InterviewQuestion(
        id=f"q{index + 1}",
        category=outline.category,
        difficulty=outline.difficulty,
        question=item.question,
        intent=item.intent,
        grounding=Grounding(source=outline.grounding.source, quote=outline.grounding.quote),
        key_points=list(item.key_points),
        follow_ups=list(item.follow_ups),
    )


def _assemble(job: Job, plan: QuestionPlan, items: Sequence[QuestionItem]) -> QuestionDraft:
    return QuestionDraft(
        questions=[_question(plan, n, item) for n, item in enumerate(items)], coverage=plan.coverage
    )


def _conflicts(job: Job, plan: QuestionPlan, items: Sequence[QuestionItem]) -> list[tuple[int, str]]:
    """A question that repeats an earlier one (written in parallel, they cannot see each other)."""
    seen: dict[str, int] = {}
    clashes: list[tuple[int, str]] = []
    for index, item in enumerate(items):
        key = _NOT_WORD.sub("", item.question.casefold())  # as the whole-set check compares them
        if key in seen:
            clashes.append((index, items[seen[key]].question))
        seen.setdefault(key, index)
    return clashes


def _rewrite_prompt(job: Job, plan: QuestionPlan, index: int, avoid: str) -> PartPrompt:
    prompt = _item_prompt(job, plan, index)
    return PartPrompt(
        system=prompt.system,
        prefix=prompt.prefix,
        prompt=question_item_ask(index, language=job.language, avoid=avoid),
    )


def _show_outline(job: Job, plan: QuestionPlan) -> dict[str, Any]:
    return {
        "outline": [
            {
                "id": f"q{n}",
                "category": o.category,
                "difficulty": o.difficulty,
                "grounding": o.grounding.model_dump(mode="json"),
            }
            for n, o in enumerate(plan.questions, start=1)
        ]
    }


def _show_item(job: Job, plan: QuestionPlan, index: int, item: QuestionItem) -> dict[str, Any]:
    return _question(plan, index, item).model_dump(mode="json")


INTERVIEW_FANOUT: FanOutSpec[QuestionDraft, QuestionPlan, QuestionItem] = FanOutSpec(
    plan_model=QuestionPlan,
    item_model=QuestionItem,
    plan_max_output_tokens=2000,
    # One Korean question with its intent, key points and follow-ups is about 250 tokens.
    item_max_output_tokens=1200,
    expected_items=_count,
    local_plan=_local_plan,
    plan_prompt=lambda job: question_plan_prompt(
        job.resume, count=_count(job), language=job.language, job_description=job.options.job_description
    ),
    normalise_plan=_normalise_plan,
    plan_problems=_plan_problems,
    items=lambda plan: len(plan.questions),
    item_prompt=_item_prompt,
    rewrite_prompt=_rewrite_prompt,
    item_problems=_item_problems,
    offline_item=_offline_item,
    assemble=_assemble,
    conflicts=_conflicts,
    show_outline=_show_outline,
    show_item=_show_item,
    item_label=lambda index: f"q{index + 1}",
    prompt_version=lambda job: FANOUT_PROMPT_VERSION,
)
