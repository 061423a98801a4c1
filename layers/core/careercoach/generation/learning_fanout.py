"""A learning path, planned then written one step per call (see generation/plan.py).

The plan holds the analysis (strengths quoted from the resume, gaps the resume does not list), the summary
and the outline of the steps (type, focus, weeks, priority), so the whole-path rules (types present,
numbering, total weeks, gaps, evidence, language) hold by construction once the plan passes them; each step
call writes the step's own text and is checked for catalog-only resources and its language. The local
planner is the offline generator's own analysis and step outline (no call).

A path made from a practice session (`practice_session_id`) gets the session's weak points in every prompt
(the plan call's and the items' shared prefix), as the single call does; its practice gaps and closing
rehearsal step are added by the kind's storage either way."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from careercoach.checks import in_language, learning_path_problems
from careercoach.generation.plan import FanOutJob, FanOutSpec, PartPrompt
from careercoach.generation.spec import Job
from careercoach.models.generation import LearningPathDraft, LearningStep, StepDraft
from careercoach.models.plans import LearningPlan, StepItem, StepOutline
from careercoach.prompts import templates
from careercoach.prompts.evaluation import PRACTICE_BLOCK_VERSION, practice_block
from careercoach.prompts.fanout import (
    AVOID,
    FANOUT_PROMPT_VERSION,
    learning_plan_prompt,
    step_item_ask,
    step_item_prefix,
)

_NOT_WORD = re.compile(r"[\W_]+")
_LANGUAGE = {"ko": "Korean", "en": "English"}


def _practice(job: Job) -> str:
    """The practice session's weak points as a prompt block, or nothing for a path made without one."""
    points = list(job.subject or [])
    return f"\n\n{practice_block(points, job.language)}" if points else ""


def _version(job: Job) -> str:
    return f"{FANOUT_PROMPT_VERSION}+{PRACTICE_BLOCK_VERSION}" if job.subject else FANOUT_PROMPT_VERSION


def _plan_prompt(job: Job) -> PartPrompt:
    prompt = learning_plan_prompt(
        job.resume, language=job.language, job_description=job.options.job_description
    )
    return PartPrompt(system=prompt.system, prefix=prompt.prefix, prompt=f"{prompt.prompt}{_practice(job)}")


def _local_plan(context: FanOutJob) -> LearningPlan:
    draft: LearningPathDraft = context.offline_draft()
    return LearningPlan(
        analysis=draft.analysis.model_copy(deep=True),
        summary=draft.summary,
        steps=[
            StepOutline(
                type=step.type, focus=step.title, estimated_weeks=step.estimated_weeks, priority=step.priority
            )
            for step in draft.steps
        ],
        coverage=draft.coverage,
    )


def _as_draft(plan: LearningPlan) -> LearningPathDraft:
    """The plan as a path whose steps are their focuses: the whole-path checks then apply to it."""
    steps = [
        StepDraft(
            order=n,
            type=o.type,
            title=o.focus,
            why=o.focus,
            actions=[o.focus],
            estimated_weeks=o.estimated_weeks,
            milestone=o.focus,
            priority=o.priority,
        )
        for n, o in enumerate(plan.steps, start=1)
    ]
    return LearningPathDraft(
        analysis=plan.analysis,
        summary=plan.summary,
        steps=steps,
        total_weeks=sum(step.estimated_weeks for step in steps),
    )


def _plan_problems(plan: LearningPlan, job: Job) -> list[str]:
    problems = learning_path_problems(_as_draft(plan), job.resume, language=job.language, catalog_ids=())
    return [problem.replace("step titles", "step focuses") for problem in problems]


def _known(job: Job, resource_id: str) -> bool:
    return job.catalog.resolve(resource_id) is not None


def _item_prompt(job: Job, plan: LearningPlan, index: int) -> PartPrompt:
    prefix = step_item_prefix(
        job.resume,
        plan,
        language=job.language,
        catalog=job.catalog.lines_for(job.resume, job.options.job_description),
        job_description=job.options.job_description,
    )
    return PartPrompt(
        system=templates.SYSTEM[job.language],
        prefix=f"{prefix}{_practice(job)}",  # shared by every step's call, like the rest of the prefix
        prompt=step_item_ask(index, language=job.language),
    )


def _rewrite_prompt(job: Job, plan: LearningPlan, index: int, avoid: str) -> PartPrompt:
    prompt = _item_prompt(job, plan, index)
    note = AVOID[job.language].format(text=avoid)
    return PartPrompt(system=prompt.system, prefix=prompt.prefix, prompt=f"{prompt.prompt}{note}")


def _item_problems(item: StepItem, job: Job, plan: LearningPlan, index: int) -> list[str]:
    problems: list[str] = []
    unknown = sorted({rid for rid in item.resource_ids if not _known(job, rid)})
    if unknown:
        problems.append(f"Use resource ids from the catalog only; unknown: {unknown}.")
    if not in_language(item.title, job.language):
        problems.append(f"Write the step title in {_LANGUAGE[job.language]}.")
    return problems


def _offline_item(context: FanOutJob, plan: LearningPlan, index: int) -> StepItem:
    """The offline generator's step for this slot: the same one when it made the plan, else its step of the
    same type in the same rank (the second close_gap for the second close_gap), or in the same position."""
    steps = context.offline_draft().steps
    wanted = plan.steps[index].type
    rank = sum(1 for o in plan.steps[:index] if o.type == wanted)
    same_type = [s for s in steps if s.type == wanted]
    if index < len(steps) and steps[index].type == wanted and steps[index].title == plan.steps[index].focus:
        chosen = steps[index]
    elif same_type:
        chosen = same_type[min(rank, len(same_type) - 1)]
    else:
        chosen = steps[index % len(steps)]
    return StepItem(
        title=chosen.title,
        why=chosen.why,
        actions=list(chosen.actions),
        resource_ids=list(chosen.resource_ids),
        milestone=chosen.milestone,
    )


def _step(plan: LearningPlan, index: int, item: StepItem) -> StepDraft:
    outline = plan.steps[index]
    return StepDraft(
        order=index + 1,
        type=outline.type,
        title=item.title,
        why=item.why,
        actions=list(item.actions),
        resource_ids=list(item.resource_ids),
        estimated_weeks=outline.estimated_weeks,
        milestone=item.milestone,
        priority=outline.priority,
    )


def _assemble(job: Job, plan: LearningPlan, items: Sequence[StepItem]) -> LearningPathDraft:
    steps = [_step(plan, n, item) for n, item in enumerate(items)]
    return LearningPathDraft(
        analysis=plan.analysis.model_copy(deep=True),
        summary=plan.summary,
        steps=steps,
        total_weeks=sum(step.estimated_weeks for step in steps),
        coverage=plan.coverage,
    )


def _conflicts(job: Job, plan: LearningPlan, items: Sequence[StepItem]) -> list[tuple[int, str]]:
    seen: dict[str, int] = {}
    clashes: list[tuple[int, str]] = []
    for index, item in enumerate(items):
        key = _NOT_WORD.sub("", item.title.casefold())
        if key in seen:
            clashes.append((index, items[seen[key]].title))
        seen.setdefault(key, index)
    return clashes


def _show_outline(job: Job, plan: LearningPlan) -> dict[str, Any]:
    return {
        "analysis": plan.analysis.model_dump(mode="json"),
        "summary": plan.summary,
        "total_weeks": sum(o.estimated_weeks for o in plan.steps),
        "outline": [
            {"order": n, "type": o.type, "estimated_weeks": o.estimated_weeks, "priority": o.priority}
            for n, o in enumerate(plan.steps, start=1)
        ],
    }


def _show_item(job: Job, plan: LearningPlan, index: int, item: StepItem) -> dict[str, Any]:
    step = _step(plan, index, item)
    resources = [r for r in map(job.catalog.resolve, step.resource_ids) if r is not None]
    shown = LearningStep(**step.model_dump(exclude={"resource_ids"}), resources=resources)
    return shown.model_dump(mode="json")


LEARNING_FANOUT: FanOutSpec[LearningPathDraft, LearningPlan, StepItem] = FanOutSpec(
    plan_model=LearningPlan,
    item_model=StepItem,
    plan_max_output_tokens=2500,
    item_max_output_tokens=1200,
    # 5 to 8 steps; the plan decides. Enough to know that fanning out pays.
    expected_items=lambda job: 5,
    local_plan=_local_plan,
    plan_prompt=_plan_prompt,
    normalise_plan=lambda plan, job: None,
    plan_problems=_plan_problems,
    items=lambda plan: len(plan.steps),
    item_prompt=_item_prompt,
    rewrite_prompt=_rewrite_prompt,
    item_problems=_item_problems,
    offline_item=_offline_item,
    assemble=_assemble,
    conflicts=_conflicts,
    show_outline=_show_outline,
    show_item=_show_item,
    item_label=lambda index: f"step{index + 1}",
    prompt_version=_version,
)
