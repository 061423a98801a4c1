"""Generating interview questions and learning paths: resume -> prompt -> registry (with the domain checks as
its `check`, so a failed check is repaired or falls back) -> catalog resolution -> one stored document.

The same code serves the sync endpoints and the async worker; `on_stage` lets the worker report progress."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Literal, Protocol, TypeVar

from pydantic import BaseModel

import llm_registry
from careercoach.checks import learning_path_problems, question_problems
from careercoach.clock import utc_now
from careercoach.errors import GenerationNotFound, ProvidersUnavailable, ValidationFailed
from careercoach.models.generation import (
    AttemptSummary,
    GenerationOptions,
    GenerationRecord,
    HistoryPage,
    InterviewSet,
    LearningPath,
    LearningPathDraft,
    LearningStep,
    QuestionDraft,
    Resource,
    Usage,
)
from careercoach.models.resume import Language, ResumeContent
from careercoach.observability import logger, record_generation
from careercoach.prompts import interview_prompt, learning_prompt
from careercoach.prompts.builder import CatalogLine
from careercoach.resumes import ResumeService
from careercoach.storage.generations import GenerationRepository
from llm_registry import GenerationResult, LlmRequest, ProvidersExhausted, UnknownProvider

Stage = Literal["loading_resume", "building_prompt", "calling_llm", "validating", "saved"]
StageCallback = Callable[[Stage], None]
RecordT = TypeVar("RecordT", bound=GenerationRecord)
DraftT = TypeVar("DraftT", bound=BaseModel)

# Output budgets: a 10-question set in Korean is the largest answer we ask for.
_MAX_OUTPUT_TOKENS = {"interview": 6000, "learning_path": 5000}


class ResourceCatalog(Protocol):
    """The curated resources; the only source of links in a learning path."""

    def lines_for(self, resume: ResumeContent, job_description: str | None) -> list[CatalogLine]: ...

    def resolve(self, resource_id: str) -> Resource | None: ...


def _no_stage(_: Stage) -> None:
    return None


def _admit_all() -> None:
    """The default admission check (after the resume is found, before any provider is called): none."""
    return None


def _attempt_summaries(attempts: Sequence[llm_registry.Attempt]) -> list[AttemptSummary]:
    return [
        AttemptSummary(
            provider=a.provider,
            model=a.model,
            outcome=a.outcome.value if a.purpose == "first" else f"{a.outcome.value} ({a.purpose})",
            error_kind=a.error_kind.value if a.error_kind else None,
            latency_ms=a.latency_ms,
            input_tokens=a.input_tokens,
            output_tokens=a.output_tokens,
            cost_usd=a.cost_usd,
        )
        for a in attempts
    ]


class GenerationService:
    def __init__(
        self,
        resumes: ResumeService,
        interviews: GenerationRepository[InterviewSet],
        learning_paths: GenerationRepository[LearningPath],
        catalog: ResourceCatalog,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._resumes = resumes
        self._interviews = interviews
        self._learning_paths = learning_paths
        self._catalog = catalog
        self._clock = clock

    # ---- generation -------------------------------------------------------------------------------------

    def interview(
        self,
        unique_key: str,
        options: GenerationOptions,
        *,
        owner: str,
        admit: Callable[[], None] = _admit_all,
        remaining_ms: Callable[[], int] | None = None,
        record_id: str | None = None,
        task_id: str | None = None,
        on_stage: StageCallback = _no_stage,
    ) -> InterviewSet:
        resume, language = self._load(unique_key, options, owner, admit, on_stage)
        prompt = interview_prompt(
            resume, count=options.count, language=language, job_description=options.job_description
        )

        def check(draft: QuestionDraft) -> list[str]:
            return question_problems(draft, resume, count=options.count, language=language)

        on_stage("calling_llm")
        result = self._generate(
            "interview", prompt, QuestionDraft, check, resume, options, language, remaining_ms
        )
        on_stage("validating")
        record = InterviewSet(
            **self._record_fields(result, unique_key, options, language, prompt.version, record_id, task_id),
            questions=result.output.questions,
        )
        stored = self._interviews.insert(record, owner=owner)
        on_stage("saved")
        return stored

    def learning_path(
        self,
        unique_key: str,
        options: GenerationOptions,
        *,
        owner: str,
        admit: Callable[[], None] = _admit_all,
        remaining_ms: Callable[[], int] | None = None,
        record_id: str | None = None,
        task_id: str | None = None,
        on_stage: StageCallback = _no_stage,
    ) -> LearningPath:
        resume, language = self._load(unique_key, options, owner, admit, on_stage)
        catalog = self._catalog.lines_for(resume, options.job_description)
        catalog_ids = {line.id for line in catalog}
        prompt = learning_prompt(
            resume, language=language, catalog=catalog, job_description=options.job_description
        )

        def check(draft: LearningPathDraft) -> list[str]:
            # Any catalog id is acceptable, not only those shown: the offline generator knows them all.
            known = _KnownIds(self._catalog, catalog_ids)
            return learning_path_problems(draft, resume, language=language, catalog_ids=known)

        on_stage("calling_llm")
        result = self._generate(
            "learning_path", prompt, LearningPathDraft, check, resume, options, language, remaining_ms
        )
        on_stage("validating")
        draft = result.output
        steps = [
            LearningStep(
                **step.model_dump(exclude={"resource_ids"}),
                resources=[r for r in map(self._catalog.resolve, step.resource_ids) if r is not None],
            )
            for step in draft.steps
        ]
        record = LearningPath(
            **self._record_fields(result, unique_key, options, language, prompt.version, record_id, task_id),
            analysis=draft.analysis,
            summary=draft.summary,
            steps=steps,
            total_weeks=draft.total_weeks,
        )
        stored = self._learning_paths.insert(record, owner=owner)
        on_stage("saved")
        return stored

    def _load(
        self,
        unique_key: str,
        options: GenerationOptions,
        owner: str,
        admit: Callable[[], None],
        on_stage: StageCallback,
    ) -> tuple[ResumeContent, Language]:
        """The owner's resume and the output language; `admit` (the quota) runs once the resume is known to
        be the owner's, before anything is built or any provider is paid."""
        on_stage("loading_resume")
        resume = self._resumes.get(unique_key, owner=owner).content()
        admit()
        on_stage("building_prompt")
        return resume, options.language or resume.language

    def _generate(
        self,
        kind: Literal["interview", "learning_path"],
        prompt: Any,
        output_model: type[DraftT],
        check: Callable[[DraftT], list[str]],
        resume: ResumeContent,
        options: GenerationOptions,
        language: Language,
        remaining_ms: Callable[[], int] | None,
    ) -> GenerationResult[DraftT]:
        request = LlmRequest(
            system=prompt.system,
            prompt=prompt.user,
            task=kind,
            max_output_tokens=_MAX_OUTPUT_TOKENS[kind],
            # For in-process providers (the offline generator) only; never sent anywhere.
            context={"kind": kind, "resume": resume, "options": options, "language": language},
        )
        try:
            result = llm_registry.generate(
                request, output_model, provider=options.provider, check=check, remaining_ms=remaining_ms
            )
        except UnknownProvider as exc:
            details = [{"loc": ["body", "provider"], "msg": str(exc), "type": "value_error"}]
            raise ValidationFailed(details=details) from None
        except ProvidersExhausted as exc:
            record_generation(kind, options.provider, "failed")
            details = [summary.model_dump() for summary in _attempt_summaries(exc.attempts)]
            raise ProvidersUnavailable(details={"attempts": details}) from None
        self._record_metrics(kind, result)
        return result

    def _record_metrics(self, kind: str, result: GenerationResult[Any]) -> None:
        values = {"InputTokens": result.input_tokens, "OutputTokens": result.output_tokens}
        if result.cost_usd is not None:
            values["CostMicroUSD"] = round(result.cost_usd * 1e6)
        record_generation(kind, result.provider, "succeeded", values)
        logger.info(
            "Generated",
            extra={
                "kind": kind,
                "provider": result.provider,
                "model": result.model,
                "attempts": len(result.attempts),
            },
        )

    def _record_fields(
        self,
        result: GenerationResult[Any],
        unique_key: str,
        options: GenerationOptions,
        language: Language,
        prompt_version: str,
        record_id: str | None,
        task_id: str | None,
    ) -> dict[str, Any]:
        return {
            "id": record_id or uuid.uuid4().hex,
            "unique_key": unique_key,
            "language": language,
            "options": options,
            "provider": result.provider,
            "model": result.model,
            "attempts": _attempt_summaries(result.attempts),
            "usage": Usage(
                input_tokens=result.input_tokens, output_tokens=result.output_tokens, cost_usd=result.cost_usd
            ),
            "prompt_version": prompt_version,
            "task_id": task_id,
            "created_at": self._clock(),
        }

    # ---- reading ----------------------------------------------------------------------------------------

    def latest_interview(self, unique_key: str, *, owner: str) -> InterviewSet:
        return self._latest(self._interviews, unique_key, owner)

    def latest_learning_path(self, unique_key: str, *, owner: str) -> LearningPath:
        return self._latest(self._learning_paths, unique_key, owner)

    def interview_history(
        self, unique_key: str, *, owner: str, limit: int, cursor: str | None
    ) -> HistoryPage:
        self._resumes.get(unique_key, owner=owner)
        return self._interviews.history(unique_key, owner=owner, limit=limit, cursor=cursor)

    def learning_path_history(
        self, unique_key: str, *, owner: str, limit: int, cursor: str | None
    ) -> HistoryPage:
        self._resumes.get(unique_key, owner=owner)
        return self._learning_paths.history(unique_key, owner=owner, limit=limit, cursor=cursor)

    def _latest(self, repository: GenerationRepository[RecordT], unique_key: str, owner: str) -> RecordT:
        self._resumes.get(unique_key, owner=owner)  # 404 for an unknown resume before "nothing generated yet"
        record = repository.latest(unique_key, owner=owner)
        if record is None:
            raise GenerationNotFound()
        return record


class _KnownIds:
    """Membership test over the whole catalog, answering quickly for the ids shown in the prompt."""

    def __init__(self, catalog: ResourceCatalog, shown: set[str]) -> None:
        self._catalog = catalog
        self._shown = shown

    def __contains__(self, item: object) -> bool:
        return isinstance(item, str) and (item in self._shown or self._catalog.resolve(item) is not None)
