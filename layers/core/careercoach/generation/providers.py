"""The providers a request may name: the one check of a requested provider, made before any quota is spent."""

from __future__ import annotations

import llm_registry
from careercoach.errors import ValidationFailed
from careercoach.generation.offline_provider import register_offline_provider


def provider_order() -> list[str]:
    """The configured providers in fallback order, the offline generator last."""
    register_offline_provider()  # idempotent
    return llm_registry.provider_order()


def check_provider(provider: str) -> None:
    """`auto`, or a configured provider; anything else is a 422 on `provider`."""
    if provider != "auto" and provider not in provider_order():
        detail = {
            "loc": ["body", "provider"],
            "msg": "unknown or unconfigured provider",
            "type": "value_error",
        }
        raise ValidationFailed(details=[detail])
