"""llm_registry: structured generation across LLM providers, with validation, repair and fallback.

Generic: it knows nothing of the domain. The caller passes instructions, a prompt and a Pydantic output
model; it gets back a validated instance and the record of every attempt.

    from llm_registry import LlmRequest, generate

    request = LlmRequest(system=..., prompt=...)
    result = generate(request, Questions, remaining_ms=context.get_remaining_time_in_millis)
    result.output, result.attempts, result.degraded, result.fallback_reason
    llm_registry.provider_health()  # per provider: the outcome of its latest call here

Importing this package loads no provider SDK; each SDK is imported when its provider first builds a client."""

from llm_registry.attempts import CONFIG_FAILURE_KINDS, Attempt, ErrorKind, GenerationResult, Outcome
from llm_registry.capabilities import ModelProfile, profile_for
from llm_registry.config import BUILTIN_PROVIDERS, DEFAULT_MODELS, LlmSettings, get_settings
from llm_registry.errors import (
    LlmConfigError,
    LlmError,
    NoProviderConfigured,
    ProviderError,
    ProvidersExhausted,
    UnknownProvider,
)
from llm_registry.fallback import AUTO, generate, report_degraded_result
from llm_registry.health import HealthOutcome, ProviderHealth
from llm_registry.pricing import estimate_cost
from llm_registry.providers.base import FunctionProvider, Provider
from llm_registry.registry import (
    ProviderFactory,
    get_provider,
    provider_health,
    provider_order,
    register_provider,
    registered_providers,
    reset,
    unregister_provider,
    warm_up,
)
from llm_registry.request import LlmRequest, ProviderCall, ProviderReply, Repair
from llm_registry.sanitize import sanitize_error_message
from llm_registry.schema import OutputSchema, output_schema

__all__ = [
    "AUTO",
    "BUILTIN_PROVIDERS",
    "CONFIG_FAILURE_KINDS",
    "DEFAULT_MODELS",
    "Attempt",
    "ErrorKind",
    "FunctionProvider",
    "GenerationResult",
    "HealthOutcome",
    "LlmConfigError",
    "LlmError",
    "LlmRequest",
    "LlmSettings",
    "ModelProfile",
    "NoProviderConfigured",
    "Outcome",
    "OutputSchema",
    "Provider",
    "ProviderCall",
    "ProviderError",
    "ProviderFactory",
    "ProviderHealth",
    "ProviderReply",
    "ProvidersExhausted",
    "Repair",
    "UnknownProvider",
    "estimate_cost",
    "generate",
    "get_provider",
    "get_settings",
    "output_schema",
    "profile_for",
    "provider_health",
    "provider_order",
    "register_provider",
    "registered_providers",
    "report_degraded_result",
    "reset",
    "sanitize_error_message",
    "unregister_provider",
    "warm_up",
]
