"""The providers a request may name: the one check of a requested provider, made before any quota is spent."""

from __future__ import annotations

import llm_registry
from careercoach.errors import ValidationFailed
from careercoach.generation.offline_provider import register_offline_provider


def provider_order() -> list[str]:
    """The configured providers in fallback order, the offline generator last."""
    register_offline_provider()  # idempotent
    return llm_registry.provider_order()


def provider_status() -> dict[str, dict[str, object]]:
    """Per configured provider, the outcome of its most recent call in this execution environment (ok,
    auth_failed, bad_request, rate_limited, unavailable, never_called). The vendor's message is left out:
    health endpoints are public."""
    register_offline_provider()
    return {
        name: {key: value for key, value in health.as_dict().items() if key != "error_message"}
        for name, health in llm_registry.provider_health().items()
    }


def check_provider(provider: str) -> None:
    """`auto`, or a configured provider; anything else is a 422 on `provider`."""
    if provider != "auto" and provider not in provider_order():
        detail = {
            "loc": ["body", "provider"],
            "msg": "unknown or unconfigured provider",
            "type": "value_error",
        }
        raise ValidationFailed(details=[detail])
