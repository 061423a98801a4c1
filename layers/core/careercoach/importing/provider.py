"""The offline extractor as the in-process answer of the registry's `offline` provider.

The offline provider (careercoach.generation.offline_provider) is the local default and the last link of every
fallback chain, and `LLM_PROVIDERS` names it, so the import's last fallback is reachable under that name
rather than a new one. It answers any typed `local_input` that can answer itself offline: `ImportJob` does,
with the offline extractor. Its input travels in-process as the request's `local_input`, which the registry
never sends anywhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from careercoach.generation.offline_provider import register_offline_provider
from careercoach.importing.draft import ResumeDraft, finish
from careercoach.importing.offline import OfflineExtractor
from careercoach.models.resume import Language
from llm_registry import LlmRequest


@dataclass
class ImportJob:
    """What the offline extractor needs: the same redacted text a remote provider gets, plus facts."""

    text: str
    language: Language
    today: date
    wrapped: bool
    warnings: list[str] = field(default_factory=list)  # filled by the offline extractor when it answers

    def answer_offline(self) -> ResumeDraft:
        """The offline extractor's answer (see careercoach.generation.offline_provider.OfflineTask)."""
        return answer_import(self)


def make_request(*, system: str, prompt: str, job: ImportJob, max_output_tokens: int) -> LlmRequest:
    return LlmRequest(
        system=system,
        prompt=prompt,
        task="resume_import",
        max_output_tokens=max_output_tokens,
        local_input=job,
    )


def answer_import(job: ImportJob) -> ResumeDraft:
    """The offline extractor's answer to an import request (its warnings go into the job)."""
    draft, warnings = OfflineExtractor().extract(
        job.text, language=job.language, today=job.today, wrapped=job.wrapped
    )
    draft, scrubbed = finish(draft, job.today)
    job.warnings[:] = [*warnings, *scrubbed]
    return draft


def register_import_provider() -> None:
    """Make sure the `offline` provider is registered (idempotent); it answers ImportJob requests."""
    register_offline_provider()
