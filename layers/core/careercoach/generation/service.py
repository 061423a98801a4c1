"""Generating any kind: resume -> prompt -> registry (the spec's normalise-then-check as its `check`, so a
failed check is repaired or falls back) -> the spec's record -> one stored document.

The same code serves the sync endpoints and the async worker; `on_stage` lets the worker report progress."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

import llm_registry
from careercoach.clock import utc_now
from careercoach.errors import GenerationNotFound, ProvidersUnavailable
from careercoach.generation.providers import check_provider, provider_order
from careercoach.generation.spec import DraftT, GenerationSpec, Job, RecordT, ResourceCatalog
from careercoach.models.generation import AttemptSummary, GenerationOptions, HistoryPage, Usage
from careercoach.observability import logger, record_generation
from careercoach.prompts import Prompt
from careercoach.resumes import ResumeService
from careercoach.storage.generations import GenerationRepository
from llm_registry import GenerationResult, LlmRequest, ProvidersExhausted

StageCallback = Callable[[str], None]
Admission = Callable[[], None]


def _no_stage(_: str) -> None:
    return None


def _admit_all() -> None:
    """The default admission check (after the resume is found, before any provider is called): none."""
    return None


def attempt_summaries(attempts: Sequence[llm_registry.Attempt]) -> list[AttemptSummary]:
    return [
        AttemptSummary(
            provider=a.provider,
            model=a.model,
            outcome=a.outcome.value if a.purpose == "first" else f"{a.outcome.value} ({a.purpose})",
            error_kind=a.error_kind.value if a.error_kind else None,
            error_message=a.error_message,
            latency_ms=a.latency_ms,
            input_tokens=a.input_tokens,
            output_tokens=a.output_tokens,
            cached_input_tokens=a.cached_input_tokens,
            cost_usd=a.cost_usd,
        )
        for a in attempts
    ]


class GenerationService:
    def __init__(
        self,
        resumes: ResumeService,
        repositories: Mapping[str, GenerationRepository[Any]],
        catalog: ResourceCatalog,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._resumes = resumes
        self._repositories = repositories
        self._catalog = catalog
        self._clock = clock
        provider_order()  # registers the offline provider before the first request names it

    def generate(
        self,
        spec: GenerationSpec[DraftT, RecordT],
        unique_key: str,
        options: GenerationOptions,
        *,
        owner: str,
        admit: Admission = _admit_all,
        remaining_ms: Callable[[], int] | None = None,
        record_id: str | None = None,
        task_id: str | None = None,
        on_stage: StageCallback = _no_stage,
    ) -> RecordT:
        """Generate and store one result of `spec`'s kind. `admit` (the quota) runs once the resume is known
        to be the owner's and the options are valid, before anything is built or any provider is paid."""
        check_provider(options.provider)
        on_stage("loading_resume")
        resume = self._resumes.get(unique_key, owner=owner).content()
        admit()
        on_stage("building_prompt")
        job = Job(spec, resume, options, options.language or resume.language, self._catalog)
        prompt = spec.build_prompt(job)
        on_stage("calling_llm")
        result = self._call(spec, job, prompt, remaining_ms)
        on_stage("validating")
        record = spec.record_model(
            id=record_id or uuid.uuid4().hex,
            unique_key=unique_key,
            language=job.language,
            options=options,
            provider=result.provider,
            model=result.model,
            degraded=result.degraded,
            fallback_reason=result.fallback_reason,
            attempts=attempt_summaries(result.attempts),
            usage=Usage(
                input_tokens=result.input_tokens, output_tokens=result.output_tokens, cost_usd=result.cost_usd
            ),
            prompt_version=prompt.version,
            task_id=task_id,
            created_at=self._clock(),
            **spec.record_fields(result.output, job),
        )
        stored: RecordT = self._repositories[spec.kind].insert(record, owner=owner)
        # A resume deleted while this was generated takes the new document with it (ResumeDeleted).
        self._resumes.fence(unique_key, owner=owner)
        on_stage("saved")
        return stored

    def _call(
        self,
        spec: GenerationSpec[DraftT, RecordT],
        job: Job,
        prompt: Prompt,
        remaining_ms: Callable[[], int] | None,
    ) -> GenerationResult[DraftT]:
        request = LlmRequest(
            system=prompt.system,
            prompt=prompt.user,
            task=spec.kind,
            max_output_tokens=spec.max_output_tokens,
            local_input=job,  # for the in-process offline provider only; never sent anywhere
        )
        try:
            result = llm_registry.generate(
                request,
                spec.draft_model,
                provider=job.options.provider,
                check=spec.check(job),
                remaining_ms=remaining_ms,
            )
        except ProvidersExhausted as exc:
            record_generation(spec.kind, job.options.provider, "failed")
            details = [summary.model_dump() for summary in attempt_summaries(exc.attempts)]
            raise ProvidersUnavailable(details={"attempts": details}) from None
        values = {"InputTokens": result.input_tokens, "OutputTokens": result.output_tokens}
        if result.cost_usd is not None:
            values["CostMicroUSD"] = round(result.cost_usd * 1e6)
        # A fallback's answer is a success, counted apart so dashboards and alarms can tell.
        record_generation(spec.kind, result.provider, "degraded" if result.degraded else "succeeded", values)
        (logger.warning if result.degraded else logger.info)(
            "Generated by a fallback provider" if result.degraded else "Generated",
            extra={
                "kind": spec.kind,
                "provider": result.provider,
                "model": result.model,
                "attempts": len(result.attempts),
                "degraded": result.degraded,
                "fallback_reason": result.fallback_reason,
            },
        )
        return result

    # ---- reading ----------------------------------------------------------------------------------------

    def latest(self, spec: GenerationSpec[Any, RecordT], unique_key: str, *, owner: str) -> RecordT:
        self._resumes.get(unique_key, owner=owner)  # 404 for an unknown resume before "nothing generated yet"
        record: RecordT | None = self._repositories[spec.kind].latest(unique_key, owner=owner)
        if record is None:
            raise GenerationNotFound()
        return record

    def history(
        self, spec: GenerationSpec[Any, Any], unique_key: str, *, owner: str, limit: int, cursor: str | None
    ) -> HistoryPage:
        self._resumes.get(unique_key, owner=owner)
        return self._repositories[spec.kind].history(unique_key, owner=owner, limit=limit, cursor=cursor)
