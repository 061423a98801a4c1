"""Provider API keys from AWS Secrets Manager (a JSON secret named by LLM_SECRET_ARN).

Powertools Parameters caches the secret for LLM_SECRET_MAX_AGE_S, so a rotated key is picked up within that
time without a cold start, and most calls cost no AWS request. A key set in the environment always wins
(local development). A secret that cannot be read is logged once and treated as holding no keys: the
providers that needed it are then simply not configured, and the others still work."""

from __future__ import annotations

from llm_registry import observability
from llm_registry.config import LlmSettings

SECRET_KEYS = ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "OPENAI_COMPATIBLE_API_KEY")


def secret_keys(settings: LlmSettings) -> dict[str, str]:
    if not settings.llm_secret_arn:
        return {}
    try:
        # Imported here: only deployments that use a secret pay for the Parameters utility (and boto3).
        from aws_lambda_powertools.utilities import parameters

        value = parameters.get_secret(
            settings.llm_secret_arn, transform="json", max_age=settings.llm_secret_max_age_s
        )
    except Exception as exc:
        observability.warn_once(
            "secret-unreadable",
            "LLM secret could not be read; providers that need its keys are not configured",
            error_type=type(exc).__name__,
        )
        return {}
    if not isinstance(value, dict):
        observability.warn_once("secret-not-object", "LLM secret is not a JSON object; it is ignored")
        return {}
    return {name: value[name] for name in SECRET_KEYS if isinstance(value.get(name), str) and value[name]}


def api_key(settings: LlmSettings, provider: str) -> str | None:
    """The key for a provider: from the environment, else from the secret, else None."""
    return settings.env_api_key(provider) or secret_keys(settings).get(f"{provider.upper()}_API_KEY")
