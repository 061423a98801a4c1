"""The offline generator as an LLM-registry provider named `offline`: no network, no key, deterministic.

It is the local default and the last link of every fallback chain. It receives a typed task as the
request's `local_input` (never the prompt text) — a generation `Job`, answered by its kind's own offline
entry point, a part of a fanned-out generation (generation/plan.py: a `PlanJob`, an `ItemJob`), or a resume
import's `ImportJob`, answered by the offline extractor — so it returns the same validated models as the AI
providers and passes the same checks."""

from __future__ import annotations

import threading
from typing import Protocol, runtime_checkable

from pydantic import BaseModel

from llm_registry import FunctionProvider, Provider, ProviderCall, register_provider
from llm_registry.registry import snapshot_registrations

PROVIDER_NAME = "offline"
MODEL_NAME = "careercoach-offline-1"

_lock = threading.Lock()


@runtime_checkable
class OfflineTask(Protocol):
    """What the offline provider answers: any typed `local_input` that can answer itself offline — a
    generation `Job` (its kind's offline entry point) or a resume import's `ImportJob` (the offline
    extractor). Matched by shape, so one registered provider serves every in-process task, and a job made by
    a re-imported module (the local runtime reloads layer code between runs) is still recognised."""

    def answer_offline(self) -> BaseModel: ...


def _generate(call: ProviderCall) -> BaseModel:
    task = call.request.local_input
    if not isinstance(task, OfflineTask):
        # Not a careercoach task: the offline generator has nothing to work from.
        raise TypeError("the offline provider needs a careercoach task (Job, ImportJob) as local_input")
    return task.answer_offline()


def _provider() -> Provider:
    return FunctionProvider(PROVIDER_NAME, _generate, model=MODEL_NAME)


def register_offline_provider() -> None:
    """Idempotent: asks the registry rather than remembering, so a registry reset is noticed, and so is a
    registration left by an earlier import of this module (the local runtime re-imports layer code for each
    run in one process, and a `Job` of this import is not one of the earlier import's)."""
    with _lock:
        if snapshot_registrations().get(PROVIDER_NAME) is not _provider:
            register_provider(PROVIDER_NAME, _provider)
