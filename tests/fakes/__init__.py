"""Loopback fakes of external services, shared by the test suites.

`FakeProviderServer` and its wire formats (OpenAI chat completions, Anthropic messages, Gemini
generateContent, Bedrock Converse) are driven by the real SDKs; `plugin` holds ready-made pytest fixtures."""

from tests.fakes.llm_env import LlmEnvironment
from tests.fakes.server import FakeProviderServer, RecordedRequest, Reply
from tests.fakes.wire_formats import (
    AnthropicMessagesServer,
    BedrockConverseServer,
    GeminiServer,
    OpenAIChatServer,
)

__all__ = [
    "AnthropicMessagesServer",
    "BedrockConverseServer",
    "FakeProviderServer",
    "GeminiServer",
    "LlmEnvironment",
    "OpenAIChatServer",
    "RecordedRequest",
    "Reply",
]
