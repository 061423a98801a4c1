"""The offline generator as an LLM-registry provider named `offline`: no network, no key, deterministic.

It is the local default and the last link of every fallback chain. It reads the structured resume and
options from the request's in-process context (never the prompt text) and returns the same validated draft
models as the AI providers, so its output passes the same checks."""

from __future__ import annotations

import threading

from pydantic import BaseModel

from careercoach.models.generation import GenerationOptions, LearningPathDraft, QuestionDraft
from careercoach.models.resume import ResumeContent
from llm_registry import FunctionProvider, ProviderCall, register_provider, registered_providers

PROVIDER_NAME = "offline"
MODEL_NAME = "careercoach-offline-1"

_lock = threading.Lock()


def _generate(call: ProviderCall) -> BaseModel:
    from careercoach.offline import OfflineGenerator

    context = call.request.context
    resume = context.get("resume")
    options = context.get("options")
    language = context.get("language")
    if (
        not isinstance(resume, ResumeContent)
        or not isinstance(options, GenerationOptions)
        or language is None
    ):
        # Not a careercoach request: the offline generator has nothing to work from.
        raise ValueError("the offline provider needs the structured resume in the request context")
    generator = OfflineGenerator()
    if call.output_model is QuestionDraft:
        return generator.questions(
            resume,
            count=options.count,
            language=language,
            seed=options.seed,
            job_description=options.job_description,
        )
    if call.output_model is LearningPathDraft:
        return generator.learning_path(
            resume, language=language, seed=options.seed, job_description=options.job_description
        )
    raise ValueError(f"the offline provider cannot produce {call.output_model.__name__}")


def register_offline_provider() -> None:
    """Idempotent: asks the registry rather than remembering, so a registry reset (tests) is noticed."""
    with _lock:
        if PROVIDER_NAME not in registered_providers():
            register_provider(
                PROVIDER_NAME, lambda: FunctionProvider(PROVIDER_NAME, _generate, model=MODEL_NAME)
            )
