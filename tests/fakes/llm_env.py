"""Point the LLM registry at fake servers through the same environment variables production uses.

Every change resets the registry's cached settings and clients, so a test sees exactly the configuration
it set. The variables are set with pytest's monkeypatch and so restored after the test; registrations of
external providers are set aside for the test and put back after it."""

from __future__ import annotations

import pytest

from tests.fakes.wire_formats import (
    AnthropicMessagesServer,
    BedrockConverseServer,
    GeminiServer,
    OpenAIChatServer,
)

LLM_ENV_VARS = (
    "LLM_PROVIDERS",
    "LLM_REQUEST_RESERVE_MS",
    "LLM_MIN_ATTEMPT_MS",
    "LLM_RETRY_MAX_WAIT_MS",
    "LLM_SECRET_ARN",
    "LLM_SECRET_MAX_AGE_S",
    "OPENAI_API_KEY",
    "OPENAI_MODEL",
    "OPENAI_BASE_URL",
    "OPENAI_TIMEOUT_S",
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_MODEL",
    "ANTHROPIC_BASE_URL",
    "ANTHROPIC_TIMEOUT_S",
    "GEMINI_API_KEY",
    "GEMINI_MODEL",
    "GEMINI_BASE_URL",
    "GEMINI_TIMEOUT_S",
    "GOOGLE_API_KEY",
    "BEDROCK_MODEL",
    "BEDROCK_REGION",
    "BEDROCK_TIMEOUT_S",
    "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
    "OPENAI_COMPATIBLE_BASE_URL",
    "OPENAI_COMPATIBLE_MODEL",
    "OPENAI_COMPATIBLE_API_KEY",
    "OPENAI_COMPATIBLE_TIMEOUT_S",
    "OPENAI_COMPATIBLE_RESPONSE_FORMAT",
)

# Fast defaults for tests: no reserve, and short attempts still count as useful.
TEST_DEFAULTS = {"LLM_REQUEST_RESERVE_MS": "0", "LLM_MIN_ATTEMPT_MS": "50"}


class LlmEnvironment:
    """Also isolates provider registrations: the test starts with none, and whatever was registered before
    (an offline provider registered once by cached application code) is put back by `close()`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from llm_registry import registry

        self._monkeypatch = monkeypatch
        self._registrations = registry.snapshot_registrations()
        registry.restore_registrations({})
        for name in LLM_ENV_VARS:
            monkeypatch.delenv(name, raising=False)
        self.set(**TEST_DEFAULTS)

    def close(self) -> None:
        from llm_registry import registry

        registry.restore_registrations(self._registrations)
        self.reset_registry()

    def set(self, **values: str | float | int | None) -> LlmEnvironment:
        """Set (or, with None, unset) variables by their exact names."""
        for name, value in values.items():
            if value is None:
                self._monkeypatch.delenv(name, raising=False)
            else:
                self._monkeypatch.setenv(name, str(value))
        self.reset_registry()
        return self

    @staticmethod
    def reset_registry() -> None:
        import llm_registry

        llm_registry.reset()

    def order(self, *names: str) -> LlmEnvironment:
        return self.set(LLM_PROVIDERS=",".join(names))

    def use_openai(
        self, server: OpenAIChatServer, *, model: str = "gpt-5.4-mini", timeout_s: float | None = None
    ) -> LlmEnvironment:
        return self.set(
            OPENAI_API_KEY="sk-test-openai",
            OPENAI_BASE_URL=server.base_url,
            OPENAI_MODEL=model,
            OPENAI_TIMEOUT_S=timeout_s,
        )

    def use_anthropic(
        self,
        server: AnthropicMessagesServer,
        *,
        model: str = "claude-haiku-5-5",
        timeout_s: float | None = None,
    ) -> LlmEnvironment:
        return self.set(
            ANTHROPIC_API_KEY="sk-ant-test",
            ANTHROPIC_BASE_URL=server.base_url,
            ANTHROPIC_MODEL=model,
            ANTHROPIC_TIMEOUT_S=timeout_s,
        )

    def use_gemini(
        self, server: GeminiServer, *, model: str = "gemini-3.5-flash-lite", timeout_s: float | None = None
    ) -> LlmEnvironment:
        return self.set(
            GEMINI_API_KEY="gemini-test-key",
            GEMINI_BASE_URL=server.base_url,
            GEMINI_MODEL=model,
            GEMINI_TIMEOUT_S=timeout_s,
        )

    def use_bedrock(
        self,
        server: BedrockConverseServer,
        *,
        model: str = "amazon.nova-lite-v1:0",
        timeout_s: float | None = None,
    ) -> LlmEnvironment:
        return self.set(
            BEDROCK_MODEL=model, AWS_ENDPOINT_URL_BEDROCK_RUNTIME=server.base_url, BEDROCK_TIMEOUT_S=timeout_s
        )

    def use_openai_compatible(
        self,
        server: OpenAIChatServer,
        *,
        model: str = "llama3.2",
        timeout_s: float | None = None,
        response_format: str | None = None,
    ) -> LlmEnvironment:
        return self.set(
            OPENAI_COMPATIBLE_BASE_URL=server.base_url,
            OPENAI_COMPATIBLE_MODEL=model,
            OPENAI_COMPATIBLE_TIMEOUT_S=timeout_s,
            OPENAI_COMPATIBLE_RESPONSE_FORMAT=response_format,
        )
