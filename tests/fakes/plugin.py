"""Pytest fixtures for the fake provider servers. Import them into a conftest.py:

    from tests.fakes.plugin import llm_env, openai_server  # noqa: F401

Each server fixture starts a fresh server on 127.0.0.1 (port 0) and stops it after the test; `llm_env`
clears every LLM variable and external registration and resets the registry, then lets the test point
providers at servers; all of it is restored afterwards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.llm_env import LlmEnvironment
from tests.fakes.wire_formats import (
    AnthropicMessagesServer,
    BedrockConverseServer,
    GeminiServer,
    OpenAIChatServer,
)


@pytest.fixture
def openai_server() -> Iterator[OpenAIChatServer]:
    with OpenAIChatServer() as server:
        yield server


@pytest.fixture
def openai_compatible_server() -> Iterator[OpenAIChatServer]:
    with OpenAIChatServer() as server:
        server.enforce_openai_rules = False  # Ollama, vLLM and the like are not OpenAI
        yield server


@pytest.fixture
def anthropic_server() -> Iterator[AnthropicMessagesServer]:
    with AnthropicMessagesServer() as server:
        yield server


@pytest.fixture
def gemini_server() -> Iterator[GeminiServer]:
    with GeminiServer() as server:
        yield server


@pytest.fixture
def bedrock_server() -> Iterator[BedrockConverseServer]:
    with BedrockConverseServer() as server:
        yield server


@pytest.fixture
def llm_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[LlmEnvironment]:
    environment = LlmEnvironment(monkeypatch)
    yield environment
    environment.close()
