"""The offline extractor as the in-process answer of the registry's `offline` provider.

The offline provider (careercoach.offline_provider) is the local default and the last link of every
fallback chain; `LLM_PROVIDERS` names it, so the import's last fallback has to be reachable under that name
rather than a new one (a new name would be filtered out of a configured order, and the generator's
`offline` would be tried on import requests and fail). `register_import_provider` therefore registers, under
`offline`, a provider that answers `ResumeDraft` requests with the offline extractor and hands every other
request to the offline generator's own provider, unchanged. It is idempotent and re-checked on every
import, so a registry reset (tests) is noticed.

The extractor's input travels in-process with the request (`ImportJob`, never sent anywhere). The registry
is being changed to carry a typed `local_input` instead of the `context` mapping; `make_request` and
`job_of` accept either, so that change only needs to simplify these two functions."""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import llm_registry
from careercoach.importing.draft import ResumeDraft, finish
from careercoach.importing.offline import OfflineExtractor
from careercoach.models.resume import Language
from careercoach.offline_provider import PROVIDER_NAME, register_offline_provider
from llm_registry import LlmRequest, Provider, ProviderCall, ProviderReply

_lock = threading.Lock()
_CONTEXT_KEY = "resume_import"


@dataclass
class ImportJob:
    """What the offline extractor needs: the same redacted text a remote provider gets, plus facts."""

    text: str
    language: Language
    today: date
    wrapped: bool
    warnings: list[str] = field(default_factory=list)  # filled by the offline extractor when it answers


def make_request(*, system: str, prompt: str, job: ImportJob, max_output_tokens: int) -> LlmRequest:
    fields = {f.name for f in dataclasses.fields(LlmRequest)}
    extra: dict[str, Any] = (
        {"local_input": job} if "local_input" in fields else {"context": {_CONTEXT_KEY: job}}
    )
    return LlmRequest(
        system=system, prompt=prompt, task="resume_import", max_output_tokens=max_output_tokens, **extra
    )


def job_of(request: LlmRequest) -> ImportJob | None:
    candidate = getattr(request, "local_input", None)
    if candidate is None:
        context = getattr(request, "context", None) or {}
        candidate = context.get(_CONTEXT_KEY)
    return candidate if isinstance(candidate, ImportJob) else None


class _OfflineWithImport(Provider):
    in_process = True

    def __init__(self, generator: Provider) -> None:
        self.name = PROVIDER_NAME
        self.model = generator.model
        self.timeout_s = generator.timeout_s
        self._generator = generator
        self._extractor = OfflineExtractor()

    def generate(self, call: ProviderCall) -> ProviderReply:
        job = job_of(call.request)
        if call.output_model is ResumeDraft and job is not None:
            draft, warnings = self._extractor.extract(
                job.text, language=job.language, today=job.today, wrapped=job.wrapped
            )
            draft, scrubbed = finish(draft, job.today)
            job.warnings[:] = [*warnings, *scrubbed]
            return ProviderReply(content=draft)
        return self._generator.generate(call)

    def warm_up(self) -> None:
        self._generator.warm_up()

    def cost_usd(self, input_tokens: int | None, output_tokens: int | None) -> float | None:
        return 0.0


def register_import_provider() -> None:
    """Make the `offline` provider answer resume-import requests too (idempotent)."""
    with _lock:
        register_offline_provider()
        current = llm_registry.get_provider(PROVIDER_NAME)
        if isinstance(current, _OfflineWithImport):
            return
        llm_registry.register_provider(PROVIDER_NAME, lambda: _OfflineWithImport(current))
