"""The learning-path kind: an ordered plan (strengths, gaps, steps with catalog resources) for one resume."""

from __future__ import annotations

from typing import Any

from careercoach.checks import learning_path_problems, normalise_learning_path
from careercoach.generation.spec import ApiNames, GenerationSpec, Job, ResourceCatalog
from careercoach.models.generation import LearningPath, LearningPathDraft, LearningPathOptions, LearningStep
from careercoach.prompts import Prompt, learning_prompt


def _prompt(job: Job) -> Prompt:
    return learning_prompt(
        job.resume,
        language=job.language,
        catalog=job.catalog.lines_for(job.resume, job.options.job_description),
        job_description=job.options.job_description,
    )


class _KnownIds:
    """Membership over the whole catalog: any catalog id is acceptable, not only those shown in the prompt
    (the offline generator knows them all)."""

    def __init__(self, catalog: ResourceCatalog) -> None:
        self._catalog = catalog

    def __contains__(self, item: object) -> bool:
        return isinstance(item, str) and self._catalog.resolve(item) is not None


def _problems(draft: LearningPathDraft, job: Job) -> list[str]:
    return learning_path_problems(
        draft, job.resume, language=job.language, catalog_ids=_KnownIds(job.catalog)
    )


def _offline(job: Job) -> LearningPathDraft:
    from careercoach.offline import OfflineGenerator

    return OfflineGenerator().learning_path(
        job.resume,
        language=job.language,
        seed=job.options.seed,
        job_description=job.options.job_description,
    )


def _record_fields(draft: LearningPathDraft, job: Job) -> dict[str, Any]:
    # Drafts name resources by catalog id; the links come from the catalog, never from a provider.
    steps = [
        LearningStep(
            **step.model_dump(exclude={"resource_ids"}),
            resources=[r for r in map(job.catalog.resolve, step.resource_ids) if r is not None],
        )
        for step in draft.steps
    ]
    return {
        "analysis": draft.analysis,
        "summary": draft.summary,
        "steps": steps,
        "total_weeks": draft.total_weeks,
        "coverage": draft.coverage,
    }


LEARNING_PATH: GenerationSpec[LearningPathDraft, LearningPath] = GenerationSpec(
    kind="learning_path",
    label="learning path",
    draft_model=LearningPathDraft,
    record_model=LearningPath,
    options_model=LearningPathOptions,
    collection="learning_paths",
    max_output_tokens=5000,
    api=ApiNames(
        prefix="/api/v1/learning",
        resource="learning-path",
        title="Learning path API",
        description="A personalised, ordered learning path built from a stored resume.",
    ),
    build_prompt=_prompt,
    normalise=lambda draft, job: normalise_learning_path(draft),
    problems=_problems,
    record_fields=_record_fields,
    offline=_offline,
    items=lambda record: len(record.steps),
)
