"""Any server that speaks the OpenAI Chat Completions API (Ollama, vLLM, llama.cpp server), by base URL.

Uses the openai SDK with `response_format: json_schema` (non-strict: these servers turn the schema into a
grammar and do not need OpenAI's strict subset). For a server with only a JSON mode, set
OPENAI_COMPATIBLE_RESPONSE_FORMAT=json_object: the schema then travels in the system prompt, and validation
plus the repair turn catch what the server does not enforce."""

from __future__ import annotations

from llm_registry.providers.openai import OpenAIProvider, ResponseFormat

# The SDK insists on a key; local servers ignore it.
PLACEHOLDER_API_KEY = "not-needed"


class OpenAICompatibleProvider(OpenAIProvider):
    default_name = "openai_compatible"

    def __init__(
        self,
        *,
        model: str,
        base_url: str,
        api_key: str | None = None,
        timeout_s: float = 30.0,
        response_format: ResponseFormat = "json_schema",
    ) -> None:
        super().__init__(
            model=model,
            api_key=api_key or PLACEHOLDER_API_KEY,
            base_url=base_url,
            timeout_s=timeout_s,
            response_format=response_format,
            use_strict=False,
            token_limit_param="max_tokens",  # noqa: S106 - a parameter name, not a secret
        )
