"""llm_registry: structured generation across LLM providers, with validation, repair and fallback.

Generic: it knows nothing of the domain. The caller passes instructions, a prompt and a Pydantic output
model; it gets back a validated instance and the record of every attempt.

    from llm_registry import LlmRequest, generate

    request = LlmRequest(system=..., prompt=...)
    result = generate(request, Questions, remaining_ms=context.get_remaining_time_in_millis)
    result.output, result.attempts

Importing this package loads no provider SDK; each SDK is imported when its provider first builds a client."""

from llm_registry.attempts import Attempt, ErrorKind, GenerationResult, Outcome
from llm_registry.config import BUILTIN_PROVIDERS, DEFAULT_MODELS, LlmSettings, get_settings
from llm_registry.errors import (
    LlmConfigError,
    LlmError,
    NoProviderConfigured,
    ProviderError,
    ProvidersExhausted,
    UnknownProvider,
)
from llm_registry.fallback import AUTO, generate
from llm_registry.pricing import PRICES_AS_OF, estimate_cost
from llm_registry.providers.base import FunctionProvider, Provider
from llm_registry.registry import (
    ProviderFactory,
    get_provider,
    provider_order,
    register_provider,
    registered_providers,
    reset,
    unregister_provider,
    warm_up,
)
from llm_registry.request import LlmRequest, ProviderCall, ProviderReply, Repair
from llm_registry.schema import OutputSchema, output_schema

__all__ = [
    "AUTO",
    "BUILTIN_PROVIDERS",
    "DEFAULT_MODELS",
    "PRICES_AS_OF",
    "Attempt",
    "ErrorKind",
    "FunctionProvider",
    "GenerationResult",
    "LlmConfigError",
    "LlmError",
    "LlmRequest",
    "LlmSettings",
    "NoProviderConfigured",
    "Outcome",
    "OutputSchema",
    "Provider",
    "ProviderCall",
    "ProviderError",
    "ProviderFactory",
    "ProviderReply",
    "ProvidersExhausted",
    "Repair",
    "UnknownProvider",
    "estimate_cost",
    "generate",
    "get_provider",
    "get_settings",
    "output_schema",
    "provider_order",
    "register_provider",
    "registered_providers",
    "reset",
    "unregister_provider",
    "warm_up",
]
