"""Generating any kind: resume (and the kind's own input) -> prompt -> registry (the spec's
normalise-then-check as its `check`, so a failed check is repaired or falls back) -> a checked draft
(`draft`) -> the spec's storage keeps it (`generate`): one document, or a turn of a practice session.

A kind that declares a fan-out (generation/plan.py) is planned and written item by item in parallel when
the policy says it pays (generation/fanout.py); the record is the same either way, its `mode` and each
attempt's `part` telling how it was written.

The same code serves the sync endpoints and the async worker; `on_stage` lets the worker report progress
and `on_partial` each item of a fanned-out generation as it arrives."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import llm_registry
from careercoach.clock import utc_now
from careercoach.errors import GenerationNotFound, ProvidersUnavailable
from careercoach.generation.fanout import FanOutResult, FanOutRunner, result_parts
from careercoach.generation.plan import FanOutPolicy, PartialCallback, no_partial
from careercoach.generation.providers import check_provider, provider_order
from careercoach.generation.spec import (
    Drafted,
    DraftT,
    GenerationSpec,
    Job,
    Payload,
    RecordT,
    ResourceCatalog,
    Stores,
)
from careercoach.models.generation import AttemptSummary, HistoryPage, Usage
from careercoach.observability import logger, record_generation
from careercoach.prompts import Prompt
from careercoach.resumes import ResumeService
from llm_registry import GenerationResult, LlmRequest, ProvidersExhausted

StageCallback = Callable[[str], None]
Admission = Callable[[], None]


def _no_stage(_: str) -> None:
    return None


def _admit_all() -> None:
    """The default admission check (after the resume is found, before any provider is called): none."""
    return None


def attempt_summaries(
    attempts: Sequence[llm_registry.Attempt], parts: Sequence[str | None] | None = None
) -> list[AttemptSummary]:
    labels = parts if parts is not None else [None] * len(attempts)
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
            part=part,
        )
        for a, part in zip(attempts, labels, strict=True)
    ]


class GenerationService:
    def __init__(
        self,
        resumes: ResumeService,
        stores: Stores,
        catalog: ResourceCatalog,
        *,
        clock: Callable[[], datetime] = utc_now,
        fanout: FanOutPolicy | None = None,
    ) -> None:
        self._resumes = resumes
        self._stores = stores
        self._catalog = catalog
        self._clock = clock
        self._fanout = fanout or FanOutPolicy()
        provider_order()  # registers the offline provider before the first request names it

    def generate(
        self,
        spec: GenerationSpec[DraftT, RecordT],
        unique_key: str,
        options: Payload,
        *,
        owner: str,
        admit: Admission = _admit_all,
        remaining_ms: Callable[[], int] | None = None,
        record_id: str | None = None,
        task_id: str | None = None,
        on_stage: StageCallback = _no_stage,
        on_partial: PartialCallback = no_partial,
    ) -> RecordT:
        """Generate and store one result of `spec`'s kind. `admit` (the quota) runs once the resume is known
        to be the owner's and the options are valid, before anything is built or any provider is paid."""
        job, drafted = self.draft(
            spec,
            unique_key,
            options,
            owner=owner,
            admit=admit,
            remaining_ms=remaining_ms,
            on_stage=on_stage,
            on_partial=on_partial,
        )
        stored: RecordT = spec.storage.save(
            self._stores,
            job,
            drafted,
            result_id=record_id or uuid.uuid4().hex,
            task_id=task_id,
            owner=owner,
            created_at=self._clock(),
        )
        # A resume deleted while this was generated takes what was just saved with it (ResumeDeleted).
        self._resumes.fence(unique_key, owner=owner)
        on_stage("saved")
        return stored

    def draft(
        self,
        spec: GenerationSpec[DraftT, Any],
        unique_key: str,
        options: Payload,
        *,
        owner: str,
        admit: Admission = _admit_all,
        remaining_ms: Callable[[], int] | None = None,
        on_stage: StageCallback = _no_stage,
        on_partial: PartialCallback = no_partial,
    ) -> tuple[Job, Drafted[DraftT]]:
        """A checked draft of `spec`'s kind, not yet stored: the resume and the kind's own input loaded, the
        prompt built, the registry called (repair and fallback included)."""
        check_provider(options.provider)
        on_stage("loading_resume")
        resume = self._resumes.get(unique_key, owner=owner).content()
        subject = spec.prepare(self._stores, unique_key, options, owner)
        admit()
        on_stage("building_prompt")
        language = options.language or resume.language
        job = Job(spec, resume, options, language, self._catalog, unique_key, subject)
        result: GenerationResult[DraftT]
        if self.fans_out(spec, job):
            assert spec.fanout is not None  # fans_out says so
            version = spec.fanout.prompt_version(job)
            result = self._fan_out(spec, job, remaining_ms, on_partial)
        else:
            prompt = spec.build_prompt(job)
            version = prompt.version
            on_stage("calling_llm")
            result = self._call(spec, job, prompt, remaining_ms)
        self._report(spec, result)
        on_stage("validating")
        drafted = Drafted(
            output=result.output,
            provider=result.provider,
            model=result.model,
            degraded=result.degraded,
            fallback_reason=result.fallback_reason,
            attempts=attempt_summaries(result.attempts, result_parts(result)),
            usage=Usage(
                input_tokens=result.input_tokens,
                output_tokens=result.output_tokens,
                cached_input_tokens=result.cached_input_tokens,
                cost_usd=result.cost_usd,
            ),
            mode="fanout" if isinstance(result, FanOutResult) else "single",
            prompt_version=version,
        )
        return job, drafted

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
            raise self._exhausted(spec, job, exc) from None
        return result

    def fans_out(self, spec: GenerationSpec[Any, Any], job: Job) -> bool:
        """Whether this generation is planned and written item by item (generation/plan.py's policy): the
        kind declares a fan-out, the first provider tried is a remote model, and there are enough items."""
        if spec.fanout is None or self._fanout.mode == "off":
            return False
        first = job.options.provider
        if first == llm_registry.AUTO:
            order = provider_order()
            if not order:
                return False
            first = order[0]
        try:
            in_process = llm_registry.get_provider(first).in_process
        except Exception:
            return False  # unbuildable: the single call records why, as it always has
        return self._fanout.applies(spec.fanout.expected_items(job), in_process)

    def _fan_out(
        self,
        spec: GenerationSpec[DraftT, RecordT],
        job: Job,
        remaining_ms: Callable[[], int] | None,
        on_partial: PartialCallback,
    ) -> FanOutResult[DraftT]:
        runner = FanOutRunner(
            spec, job, policy=self._fanout, remaining_ms=remaining_ms, on_partial=on_partial
        )
        try:
            result = runner.run()
        except ProvidersExhausted as exc:
            raise self._exhausted(spec, job, exc) from None
        if result.degraded:
            first = result.attempts[0].provider if result.attempts else result.provider
            llm_registry.report_degraded_result(
                result.provider, first, result.fallback_reason, task=spec.kind
            )
        return result

    @staticmethod
    def _exhausted(spec: GenerationSpec[Any, Any], job: Job, exc: ProvidersExhausted) -> ProvidersUnavailable:
        record_generation(spec.kind, job.options.provider, "failed")
        details = [summary.model_dump() for summary in attempt_summaries(exc.attempts)]
        return ProvidersUnavailable(details={"attempts": details})

    @staticmethod
    def _report(spec: GenerationSpec[Any, Any], result: GenerationResult[Any] | FanOutResult[Any]) -> None:
        values = {
            "InputTokens": result.input_tokens,
            "OutputTokens": result.output_tokens,
            "CachedInputTokens": result.cached_input_tokens,
        }
        if result.cost_usd is not None:
            values["CostMicroUSD"] = round(result.cost_usd * 1e6)
        # A fallback's answer is a success, counted apart so dashboards and alarms can tell.
        record_generation(spec.kind, result.provider, "degraded" if result.degraded else "succeeded", values)
        shape: dict[str, Any] = {"mode": "single"}
        if isinstance(result, FanOutResult):
            shape = {"mode": "fanout", "planner": result.planner, "items": result.items}
        (logger.warning if result.degraded else logger.info)(
            "Generated by a fallback provider" if result.degraded else "Generated",
            extra={
                "kind": spec.kind,
                "provider": result.provider,
                "model": result.model,
                "attempts": len(result.attempts),
                "degraded": result.degraded,
                "fallback_reason": result.fallback_reason,
                **shape,
            },
        )

    # ---- reading ----------------------------------------------------------------------------------------

    def latest(self, spec: GenerationSpec[Any, RecordT], unique_key: str, *, owner: str) -> RecordT:
        self._resumes.get(unique_key, owner=owner)  # 404 for an unknown resume before "nothing generated yet"
        record: RecordT | None = self._stores.repositories[spec.kind].latest(unique_key, owner=owner)
        if record is None:
            raise GenerationNotFound()
        return record

    def history(
        self, spec: GenerationSpec[Any, Any], unique_key: str, *, owner: str, limit: int, cursor: str | None
    ) -> HistoryPage:
        self._resumes.get(unique_key, owner=owner)
        return self._stores.repositories[spec.kind].history(
            unique_key, owner=owner, limit=limit, cursor=cursor
        )
