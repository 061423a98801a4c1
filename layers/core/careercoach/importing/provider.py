"""The offline extractor as the in-process answer of the registry's `offline` provider.

The offline provider (careercoach.generation.offline_provider) is the local default and the last link of every
fallback chain; `LLM_PROVIDERS` names it, so the import's last fallback has to be reachable under that name
rather than a new one (a new name would be filtered out of a configured order, and the generator's
`offline` would be tried on import requests and fail). `register_import_provider` therefore registers, under
`offline`, a provider that answers `ResumeDraft` requests with the offline extractor and hands every other
request to the offline generator's own provider, unchanged. It is idempotent and re-checked on every
import, so a registry reset (tests) is noticed.

The extractor's input travels in-process as the request's typed `local_input` (`ImportJob`), which the
registry never sends anywhere.

The offline generator re-registers its own provider whenever it sees another factory under its name (it
does so on every generation request), and this module re-registers the wrapper on every import. In Lambda
the import and the generators run in different functions, so different processes; in one process serving
both (the local runtime), a generation request landing between an import's registration and its fallback
would leave that import without its offline answer (the attempt is recorded, the import answers 503). The
lasting fix belongs in generation/offline_provider.py: dispatch on the type of `local_input` (a generation
`Job` to the kind's offline entry point, an `ImportJob` to `answer_import`), after which this module only
needs `answer_import`."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date

import llm_registry
from careercoach.generation.offline_provider import PROVIDER_NAME, register_offline_provider
from careercoach.importing.draft import ResumeDraft, finish
from careercoach.importing.offline import OfflineExtractor
from careercoach.models.resume import Language
from llm_registry import LlmRequest, Provider, ProviderCall, ProviderReply

_lock = threading.Lock()


@dataclass
class ImportJob:
    """What the offline extractor needs: the same redacted text a remote provider gets, plus facts."""

    text: str
    language: Language
    today: date
    wrapped: bool
    warnings: list[str] = field(default_factory=list)  # filled by the offline extractor when it answers


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


class _OfflineWithImport(Provider):
    in_process = True

    def __init__(self, generator: Provider) -> None:
        self.name = PROVIDER_NAME
        self.model = generator.model
        self.timeout_s = generator.timeout_s
        self._generator = generator

    def generate(self, call: ProviderCall) -> ProviderReply:
        job = call.request.local_input
        if call.output_model is ResumeDraft and isinstance(job, ImportJob):
            return ProviderReply(content=answer_import(job))
        return self._generator.generate(call)

    def warm_up(self) -> None:
        self._generator.warm_up()

    def cost_usd(
        self, input_tokens: int | None, output_tokens: int | None, cached_input_tokens: int | None = None
    ) -> float | None:
        return 0.0


def register_import_provider() -> None:
    """Make the `offline` provider answer resume-import requests too (idempotent)."""
    with _lock:
        register_offline_provider()
        current = llm_registry.get_provider(PROVIDER_NAME)
        if isinstance(current, _OfflineWithImport):
            return
        llm_registry.register_provider(PROVIDER_NAME, lambda: _OfflineWithImport(current))
