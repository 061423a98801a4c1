"""The offline generator as an LLM-registry provider named `offline`: no network, no key, deterministic.

It is the local default and the last link of every fallback chain. It receives the generation's typed `Job`
as the request's `local_input` (never the prompt text) and answers with the kind's own offline entry point,
so it returns the same validated draft models as the AI providers and passes the same checks."""

from __future__ import annotations

import threading

from pydantic import BaseModel

from careercoach.generation.spec import Job
from llm_registry import FunctionProvider, Provider, ProviderCall, register_provider
from llm_registry.registry import snapshot_registrations

PROVIDER_NAME = "offline"
MODEL_NAME = "careercoach-offline-1"

_lock = threading.Lock()


def _generate(call: ProviderCall) -> BaseModel:
    job = call.request.local_input
    if not isinstance(job, Job):
        # Not a careercoach generation: the offline generator has nothing to work from.
        raise TypeError("the offline provider needs a careercoach Job as the request's local_input")
    return job.spec.offline(job)


def _provider() -> Provider:
    return FunctionProvider(PROVIDER_NAME, _generate, model=MODEL_NAME)


def register_offline_provider() -> None:
    """Idempotent: asks the registry rather than remembering, so a registry reset is noticed, and so is a
    registration left by an earlier import of this module (the local runtime re-imports layer code for each
    run in one process, and a `Job` of this import is not one of the earlier import's)."""
    with _lock:
        if snapshot_registrations().get(PROVIDER_NAME) is not _provider:
            register_provider(PROVIDER_NAME, _provider)
