"""Which providers exist, which are configured, in what order, and their instances.

Built-in providers are configured by settings (a key, or BEDROCK_MODEL, or a compatible server's URL and
model). Providers registered from outside (`register_provider`) are always configured. Instances, and so
their SDK clients, are built on first use and kept for the execution environment; a changed key (a
rotated secret) builds a fresh instance."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

from llm_registry import health, observability, secrets
from llm_registry.config import BUILTIN_PROVIDERS, LlmSettings, get_settings, reset_settings
from llm_registry.errors import UnknownProvider
from llm_registry.health import ProviderHealth
from llm_registry.providers.base import Provider

ProviderFactory = Callable[[], Provider]
_Spec = tuple[tuple[Any, ...], ProviderFactory]

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

_lock = threading.RLock()
_external: dict[str, ProviderFactory] = {}
_instances: dict[str, tuple[tuple[Any, ...], Provider]] = {}


def register_provider(name: str, factory: ProviderFactory) -> None:
    """Make a provider available under `name` (e.g. the core's offline generator).

    The factory is called once, on first use, and must return a `Provider`. Registering a name again
    replaces the earlier factory. Built-in names cannot be taken."""
    if not _NAME.match(name):
        raise ValueError(f"invalid provider name {name!r}: use lower-case letters, digits and underscores")
    if name in BUILTIN_PROVIDERS:
        raise ValueError(f"{name!r} is a built-in provider and cannot be registered")
    with _lock:
        _external[name] = factory
        _instances.pop(name, None)


def unregister_provider(name: str) -> None:
    with _lock:
        _external.pop(name, None)
        _instances.pop(name, None)


def registered_providers() -> tuple[str, ...]:
    with _lock:
        return tuple(_external)


def snapshot_registrations() -> dict[str, ProviderFactory]:
    """The registered factories, to put back later with `restore_registrations` (test isolation)."""
    with _lock:
        return dict(_external)


def restore_registrations(snapshot: dict[str, ProviderFactory]) -> None:
    with _lock:
        _external.clear()
        _external.update(snapshot)
        for name in [name for name in _instances if name not in BUILTIN_PROVIDERS]:
            _instances.pop(name, None)


def _keyed_provider_class(name: str) -> Callable[..., Provider]:
    if name == "openai":
        from llm_registry.providers.openai import OpenAIProvider

        return OpenAIProvider
    if name == "anthropic":
        from llm_registry.providers.anthropic import AnthropicProvider

        return AnthropicProvider
    from llm_registry.providers.gemini import GeminiProvider

    return GeminiProvider


def _builtin_spec(name: str, settings: LlmSettings) -> _Spec | None:
    """How to build a built-in provider, or None when it is not configured. Imports are local so that the
    provider modules load only when used (their SDKs load later still, with the first client)."""
    if name in ("openai", "anthropic", "gemini"):
        key = secrets.api_key(settings, name)
        if not key:
            return None
        args: dict[str, Any] = {
            "model": getattr(settings, f"{name}_model"),
            "api_key": key,
            "base_url": getattr(settings, f"{name}_base_url"),
            "timeout_s": getattr(settings, f"{name}_timeout_s"),
        }
        if name == "openai":
            args["reasoning_effort"] = settings.openai_reasoning_effort
        cls = _keyed_provider_class(name)
        return (name, *sorted(args.items())), lambda: cls(**args)
    if name == "bedrock":
        if not settings.bedrock_model:
            return None
        from llm_registry.providers.bedrock import BedrockProvider

        bedrock: dict[str, Any] = {
            "model": settings.bedrock_model,
            "region": settings.bedrock_region,
            "timeout_s": settings.bedrock_timeout_s,
        }
        return (name, *sorted(bedrock.items())), lambda: BedrockProvider(**bedrock)
    if name == "openai_compatible":
        if not (settings.openai_compatible_base_url and settings.openai_compatible_model):
            return None
        from llm_registry.providers.openai_compatible import OpenAICompatibleProvider

        compatible: dict[str, Any] = {
            "model": settings.openai_compatible_model,
            "base_url": settings.openai_compatible_base_url,
            "api_key": secrets.api_key(settings, name),
            "timeout_s": settings.openai_compatible_timeout_s,
            "response_format": settings.openai_compatible_response_format,
        }
        return (name, *sorted(compatible.items())), lambda: OpenAICompatibleProvider(**compatible)
    return None


def provider_order(settings: LlmSettings | None = None) -> list[str]:
    """The effective order: LLM_PROVIDERS if set (minus what is unavailable), else every configured
    built-in in a fixed order, then the registered providers in registration order."""
    settings = settings or get_settings()
    builtins = [name for name in BUILTIN_PROVIDERS if _builtin_spec(name, settings) is not None]
    external = list(registered_providers())
    if settings.llm_providers is None:
        return builtins + external
    order = []
    for name in settings.llm_providers:
        if name in builtins or name in external:
            order.append(name)
        else:
            observability.warn_once(
                f"unavailable:{name}",
                "LLM_PROVIDERS names a provider that is not configured or not registered; it is skipped",
                provider=name,
            )
    return order


def get_provider(name: str, settings: LlmSettings | None = None) -> Provider:
    settings = settings or get_settings()
    with _lock:
        factory = _external.get(name)
        if factory is not None:
            cached = _instances.get(name)
            if cached is None:
                instance = factory()
                instance.name = name
                cached = ((), instance)
                _instances[name] = cached
            return cached[1]
    spec = _builtin_spec(name, settings)
    if spec is None:
        raise UnknownProvider(name, provider_order(settings))
    fingerprint, build = spec
    with _lock:
        cached = _instances.get(name)
        if cached is None or cached[0] != fingerprint:
            cached = (fingerprint, build())
            _instances[name] = cached
        return cached[1]


def warm_up(settings: LlmSettings | None = None) -> list[str]:
    """Build every configured provider's client now (SDK import included). Call it at module level in a
    Lambda handler to pay this during init rather than in the first request. Returns the names warmed."""
    warmed = []
    for name in provider_order(settings):
        try:
            get_provider(name, settings).warm_up()
        except Exception as exc:  # a broken provider must not break the function's init
            observability.warn_once(
                f"warm-up:{name}", "LLM provider warm-up failed", provider=name, error_type=type(exc).__name__
            )
        else:
            warmed.append(name)
    return warmed


def configured_model(name: str, settings: LlmSettings | None = None) -> str | None:
    """The model a configured provider uses, without building it (None for registered providers not yet
    built, whose model is theirs to say)."""
    settings = settings or get_settings()
    if name in BUILTIN_PROVIDERS:
        model = getattr(settings, f"{name}_model", None)
        return model if isinstance(model, str) else None
    with _lock:
        cached = _instances.get(name)
    return cached[1].model if cached is not None else None


def provider_health(settings: LlmSettings | None = None) -> dict[str, ProviderHealth]:
    """Per configured provider (in order), the outcome of its most recent call in this execution
    environment: "ok", "auth_failed", "bad_request", "rate_limited", "unavailable" or "never_called".

    Calls nothing: it reports what real generations saw (see health.py for how kinds map to outcomes)."""
    settings = settings or get_settings()
    report: dict[str, ProviderHealth] = {}
    for name in provider_order(settings):
        model = configured_model(name, settings)
        latest = health.latest(name)
        if latest is None or (model is not None and latest.model not in (None, model)):
            # Never called, or only called with a model that is no longer configured.
            latest = ProviderHealth(provider=name, model=model, outcome="never_called")
        report[name] = latest
    return report


def reset() -> None:
    """Forget settings, instances, recorded health and log-once state; registrations stay. For tests and
    deliberate reconfiguration."""
    reset_settings()
    with _lock:
        _instances.clear()
    health.forget()
    observability.forget_logged_once()
