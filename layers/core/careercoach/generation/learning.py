"""The learning-path kind: an ordered plan (strengths, gaps, steps with catalog resources) for one resume."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from careercoach.checks import learning_path_problems, normalise_learning_path
from careercoach.errors import PracticeSessionNotFound, SessionNotEvaluated
from careercoach.exports.calendar import LEARNING_PATH_CALENDAR
from careercoach.generation.learning_fanout import LEARNING_FANOUT
from careercoach.generation.spec import (
    ApiNames,
    DocumentStorage,
    GenerationSpec,
    Job,
    ResourceCatalog,
    Stores,
)
from careercoach.models.generation import (
    GenerationOptions,
    LearningPath,
    LearningPathDraft,
    LearningPathOptions,
    LearningStep,
    PathAnalysis,
    PathGap,
    PracticeCitation,
)
from careercoach.prompts import Prompt, learning_prompt
from careercoach.prompts.evaluation import PRACTICE_BLOCK_VERSION, practice_block

if TYPE_CHECKING:
    from careercoach.models.practice import WeakPoint

# The practice package (its session models and phrases) loads only for a path made from a practice session:
# a learning function's cold start and plain paths do not pay for it.


def _prepare(
    stores: Stores, unique_key: str, options: GenerationOptions, owner: str
) -> list[WeakPoint] | None:
    """With `practice_session_id`: the session's weakest points (the path's subject); None without one (plain
    generation options have none)."""
    session_id = getattr(options, "practice_session_id", None)
    if session_id is None:
        return None
    from careercoach.practice.session import feedback_hidden, latest_turns, weakest_points

    session = stores.practice_sessions.get(session_id, owner=owner)
    if session is None or session.unique_key != unique_key:
        raise PracticeSessionNotFound()
    if not latest_turns(session) or feedback_hidden(session):
        raise SessionNotEvaluated()
    return weakest_points(session)


def _weak_points(job: Job) -> list[WeakPoint]:
    return list(job.subject or [])


def _prompt(job: Job) -> Prompt:
    prompt = learning_prompt(
        job.resume,
        language=job.language,
        catalog=job.catalog.lines_for(job.resume, job.options.job_description),
        job_description=job.options.job_description,
    )
    points = _weak_points(job)
    if not points:
        return prompt
    return Prompt(
        system=prompt.system,
        user=f"{prompt.user}\n\n{practice_block(points, job.language)}",
        version=f"{prompt.version}+{PRACTICE_BLOCK_VERSION}",
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


def _practice_gaps(points: list[WeakPoint], job: Job) -> list[PathGap]:
    """One gap per weak point, citing the answer it comes from (built by the service, never a provider)."""
    from careercoach.practice import phrases as ph

    options: LearningPathOptions = job.options
    assert options.practice_session_id is not None
    return [
        PathGap(
            area=point.point,
            why=ph.say(
                ph.PRACTICE_STEP,
                "gap_why",
                job.language,
                question_id=point.question_id,
                score=point.score,
                quote=point.answer_quote,
            )[:1000],
            practice=PracticeCitation(
                session_id=options.practice_session_id,
                turn_id=point.turn_id,
                question_id=point.question_id,
                score=point.score,
                answer_quote=point.answer_quote,
            ),
        )
        for point in points
    ]


def _rehearsal(points: list[WeakPoint], order: int, language: str) -> LearningStep:
    """The closing step of a path made from a practice session: answer the weak questions again."""
    from careercoach.practice import phrases as ph

    by_question: dict[str, list[str]] = {}
    for point in points:
        by_question.setdefault(point.question_id, []).append(point.point)
    actions = [
        ph.say(ph.PRACTICE_STEP, "action", language, question_id=qid, point="; ".join(p))[:400]
        for qid, p in list(by_question.items())[:5]
    ]
    return LearningStep(
        order=order,
        type="communication",
        title=ph.PRACTICE_STEP["title"][language],
        why=ph.say(ph.PRACTICE_STEP, "why", language, points="; ".join(p.point for p in points[:3]))[:1000],
        actions=[*actions, ph.PRACTICE_STEP["action_mock"][language]],
        resources=[],
        estimated_weeks=1,
        milestone=ph.PRACTICE_STEP["milestone"][language],
        priority="high",
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
    gaps = [PathGap(**gap.model_dump()) for gap in draft.analysis.gaps]
    total_weeks = draft.total_weeks
    points = _weak_points(job)
    if points:
        gaps = [*_practice_gaps(points, job), *gaps]
        steps.append(_rehearsal(points, len(steps) + 1, job.language))
        total_weeks += steps[-1].estimated_weeks
    return {
        "analysis": PathAnalysis(strengths=draft.analysis.strengths, gaps=gaps),
        "summary": draft.summary,
        "steps": steps,
        "total_weeks": total_weeks,
        "coverage": draft.coverage,
    }


LEARNING_PATH: GenerationSpec[LearningPathDraft, LearningPath] = GenerationSpec(
    kind="learning_path",
    label="learning path",
    draft_model=LearningPathDraft,
    record_model=LearningPath,
    max_output_tokens=5000,
    api=ApiNames(
        prefix="/api/v1/learning",
        resource="learning-path",
        title="Learning path API",
        description="A personalised, ordered learning path built from a stored resume.",
    ),
    options_model=LearningPathOptions,
    prepare=_prepare,
    request_errors=(409,),
    build_prompt=_prompt,
    normalise=lambda draft, job: normalise_learning_path(draft),
    problems=_problems,
    offline=_offline,
    storage=DocumentStorage(
        collection="learning_paths",
        record_fields=_record_fields,
        items=lambda record: len(record.steps),
    ),
    exports=(LEARNING_PATH_CALENDAR,),
    fanout=LEARNING_FANOUT,
)
