"""Any server that speaks the OpenAI Chat Completions API (Ollama, vLLM, llama.cpp server), by base URL.

Uses the openai SDK with `response_format: json_schema` (non-strict: these servers turn the schema into a
grammar and do not need OpenAI's strict subset). For a server with only a JSON mode, set
OPENAI_COMPATIBLE_RESPONSE_FORMAT=json_object: the schema then travels in the system prompt, and validation
plus the repair turn catch what the server does not enforce. No reasoning_effort is sent and the limit is
`max_tokens`, which these servers know; OpenAI's own model table does not apply to them."""

from __future__ import annotations

from typing import Any

from llm_registry.capabilities import Mechanism, ModelProfile
from llm_registry.providers.openai import OpenAIProvider, ResponseFormat
from llm_registry.request import ProviderCall

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
            model=model, api_key=api_key or PLACEHOLDER_API_KEY, base_url=base_url, timeout_s=timeout_s
        )
        mechanism: Mechanism = "json_schema" if response_format == "json_schema" else "json_mode"
        self.profile = ModelProfile(
            "openai-compatible server", r".*", mechanism, "OPENAI_COMPATIBLE_*", strict=False
        )
        self._response_format = response_format
        self._use_strict = False
        self._token_limit_param = "max_tokens"  # noqa: S105 - a parameter name
        self.reasoning_effort, self.config_problem = None, None

    def _options(self, call: ProviderCall) -> dict[str, Any]:
        return {self._token_limit_param: call.request.max_output_tokens}

    def redactions(self) -> tuple[str, ...]:
        return () if self._api_key == PLACEHOLDER_API_KEY else (self._api_key,)
