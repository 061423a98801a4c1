"""LLM settings: one validated model read from the environment once per execution environment.

Every field is named after its environment variable (OPENAI_TIMEOUT_S -> openai_timeout_s). API keys found
in the environment win; in AWS they usually come from the JSON secret named by LLM_SECRET_ARN instead (see
`secrets.py`), which is read when a provider is first needed, not here."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from llm_registry.errors import LlmConfigError

BUILTIN_PROVIDERS = ("openai", "anthropic", "gemini", "bedrock", "openai_compatible")

# Each vendor's current cost-efficient model (capabilities.py says what each accepts). Bedrock has no default:
# which models an account may invoke is an IAM and region decision, so BEDROCK_MODEL must be set explicitly.
DEFAULT_MODELS = {
    "openai": "gpt-5.4-mini",
    "anthropic": "claude-haiku-5-5",
    "gemini": "gemini-3.5-flash-lite",
}

_PROVIDER_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class LlmSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    llm_providers: tuple[str, ...] | None = None  # explicit order; None = every configured provider

    openai_api_key: SecretStr | None = None
    openai_model: str = DEFAULT_MODELS["openai"]
    openai_base_url: str | None = None
    openai_timeout_s: float = Field(default=20.0, gt=0, le=900)
    # reasoning_effort for OpenAI reasoning models. Unset: the lowest value the model accepts (see
    # capabilities.py), for speed. A value the model's family does not accept makes the provider fail as
    # misconfigured (and alarm) instead of sending a request the API would reject.
    openai_reasoning_effort: Literal["none", "minimal", "low", "medium", "high", "xhigh", "max"] | None = None

    anthropic_api_key: SecretStr | None = None
    anthropic_model: str = DEFAULT_MODELS["anthropic"]
    anthropic_base_url: str | None = None
    anthropic_timeout_s: float = Field(default=20.0, gt=0, le=900)

    gemini_api_key: SecretStr | None = None
    gemini_model: str = DEFAULT_MODELS["gemini"]
    gemini_base_url: str | None = None
    gemini_timeout_s: float = Field(default=20.0, gt=0, le=900)

    bedrock_model: str | None = None
    bedrock_region: str | None = None  # default: the function's own region (AWS_REGION)
    bedrock_timeout_s: float = Field(default=20.0, gt=0, le=900)

    openai_compatible_base_url: str | None = None
    openai_compatible_model: str | None = None
    openai_compatible_api_key: SecretStr | None = None
    openai_compatible_timeout_s: float = Field(default=30.0, gt=0, le=900)  # local models are slower
    # json_schema for servers with structured outputs (Ollama, vLLM, llama.cpp server); json_object + the
    # schema in the system prompt for servers that only have a JSON mode.
    openai_compatible_response_format: Literal["json_schema", "json_object"] = "json_schema"

    # Kept back from the caller's budget for its own work after generation (validation, storage, response).
    llm_request_reserve_ms: int = Field(default=1000, ge=0)
    # An attempt shorter than this cannot realistically succeed: below it the provider is skipped.
    llm_min_attempt_ms: int = Field(default=1000, ge=1)
    # Longest Retry-After honoured for the single retry on 429/5xx.
    llm_retry_max_wait_ms: int = Field(default=5000, ge=0)

    llm_secret_arn: str | None = None
    llm_secret_max_age_s: int = Field(default=300, ge=0)

    @field_validator("llm_providers", mode="before")
    @classmethod
    def _split_providers(cls, value: Any) -> Any:
        if isinstance(value, str):
            names: list[str] = []
            for raw in value.split(","):
                name = raw.strip().lower()
                if name and name not in names:
                    names.append(name)
            return tuple(names) or None
        return value

    @field_validator("openai_reasoning_effort", mode="before")
    @classmethod
    def _lower_effort(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("llm_providers")
    @classmethod
    def _check_names(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        for name in value or ():
            if not _PROVIDER_NAME.match(name):
                raise ValueError(f"invalid provider name {name!r}")
        return value

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> LlmSettings:
        source = os.environ if env is None else env
        values = {
            field: raw for field in cls.model_fields if (raw := source.get(field.upper())) not in (None, "")
        }
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            # Name the variables and the rule they broke, never their values: some are keys.
            problems = "; ".join(
                f"{'.'.join(str(part) for part in error['loc']).upper()}: {error['msg']}"
                for error in exc.errors()
            )
            raise LlmConfigError(f"invalid LLM configuration: {problems}") from None

    def env_api_key(self, provider: str) -> str | None:
        secret = getattr(self, f"{provider}_api_key", None)
        return (
            secret.get_secret_value() if isinstance(secret, SecretStr) and secret.get_secret_value() else None
        )


_lock = threading.Lock()
_settings: LlmSettings | None = None


def get_settings() -> LlmSettings:
    """The settings of this execution environment, validated on first use."""
    global _settings
    with _lock:
        if _settings is None:
            _settings = LlmSettings.from_env()
        return _settings


def reset_settings() -> None:
    """Forget the cached settings (tests, or after changing the environment on purpose)."""
    global _settings
    with _lock:
        _settings = None
