"""What each provider module actually puts on the wire: its structured-output mechanism and limits."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

from llm_registry import LlmRequest, generate
from tests.fakes.sample_output import VALID_PLAN, Plan
from tests.fakes.wire_formats import (
    AnthropicMessagesServer,
    BedrockConverseServer,
    GeminiServer,
    OpenAIChatServer,
)

if TYPE_CHECKING:
    from tests.fakes.llm_env import LlmEnvironment

REQUEST = LlmRequest(system="You write study plans.", prompt="Plan for: Kafka.", max_output_tokens=1234)


def test_openai_uses_strict_json_schema_with_the_strict_variant(
    llm_env: LlmEnvironment, openai_server: OpenAIChatServer
) -> None:
    llm_env.use_openai(openai_server)
    openai_server.queue_ok(VALID_PLAN)

    generate(REQUEST, Plan, deadline=time.monotonic() + 5)

    body = openai_server.requests[0].json
    response_format = body["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["name"] == "Plan"
    assert response_format["json_schema"]["strict"] is True
    schema = response_format["json_schema"]["schema"]
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["summary", "items", "note"]
    assert body["max_completion_tokens"] == 1234 and "max_tokens" not in body
    assert body["messages"] == [
        {"role": "system", "content": "You write study plans."},
        {"role": "user", "content": "Plan for: Kafka."},
    ]
    # The per-attempt timeout came from what was left of the 5 s budget (building the client, the first time,
    # takes some of it), not from the 20 s provider default.
    assert 1.0 < float(openai_server.requests[0].headers["x-stainless-read-timeout"]) <= 5.0
    assert openai_server.requests[0].headers["x-stainless-retry-count"] == "0"


def test_openai_compatible_sends_a_plain_schema_and_max_tokens(
    llm_env: LlmEnvironment, openai_compatible_server: OpenAIChatServer
) -> None:
    llm_env.use_openai_compatible(openai_compatible_server)
    openai_compatible_server.queue_ok(VALID_PLAN)

    generate(REQUEST, Plan)

    body = openai_compatible_server.requests[0].json
    assert body["response_format"]["json_schema"]["strict"] is False
    assert body["response_format"]["json_schema"]["schema"]["properties"]["note"]["default"] == "none"
    assert body["max_tokens"] == 1234
    assert openai_compatible_server.requests[0].headers["authorization"] == "Bearer not-needed"


def test_openai_compatible_json_object_mode_carries_the_schema_in_the_prompt(
    llm_env: LlmEnvironment, openai_compatible_server: OpenAIChatServer
) -> None:
    llm_env.use_openai_compatible(openai_compatible_server, response_format="json_object")
    openai_compatible_server.queue_ok(VALID_PLAN)

    assert generate(REQUEST, Plan).output.summary == "Deepen Kafka"

    body = openai_compatible_server.requests[0].json
    assert body["response_format"] == {"type": "json_object"}
    system = body["messages"][0]["content"]
    assert system.startswith("You write study plans.")
    schema_text = system.split("conforms to this JSON schema:\n", 1)[1]
    assert json.loads(schema_text)["title"] == "Plan"


def test_anthropic_forces_the_tool_and_disables_thinking(
    llm_env: LlmEnvironment, anthropic_server: AnthropicMessagesServer
) -> None:
    llm_env.use_anthropic(anthropic_server)
    anthropic_server.queue_ok(VALID_PLAN)

    generate(REQUEST, Plan, deadline=time.monotonic() + 5)

    body = anthropic_server.requests[0].json
    assert body["tools"][0]["name"] == "Plan"
    assert body["tool_choice"] == {"type": "tool", "name": "Plan"}
    assert body["thinking"] == {"type": "disabled"}
    assert body["system"] == "You write study plans."
    assert body["max_tokens"] == 1234
    assert "temperature" not in body  # recent Claude models reject sampling parameters
    assert 1.0 < float(anthropic_server.requests[0].headers["x-stainless-read-timeout"]) <= 5.0


def test_gemini_asks_for_json_with_a_response_json_schema(
    llm_env: LlmEnvironment, gemini_server: GeminiServer
) -> None:
    llm_env.use_gemini(gemini_server)
    gemini_server.queue_ok(VALID_PLAN)

    generate(REQUEST, Plan)

    request = gemini_server.requests[0]
    config = request.json["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    assert config["maxOutputTokens"] == 1234
    assert request.json["systemInstruction"]["parts"][0]["text"] == "You write study plans."
    assert request.headers["x-goog-api-key"] == "gemini-test-key"


def test_bedrock_forces_the_tool_and_disables_thinking_for_claude_only(
    llm_env: LlmEnvironment, bedrock_server: BedrockConverseServer
) -> None:
    for model, thinking_disabled in (
        ("amazon.nova-lite-v1:0", False),
        ("us.anthropic.claude-haiku-5-5", True),
    ):
        llm_env.use_bedrock(bedrock_server, model=model)
        bedrock_server.reset()
        bedrock_server.queue_ok(VALID_PLAN)

        generate(REQUEST, Plan)

        request = bedrock_server.requests[0]
        body = request.json
        assert body["toolConfig"]["toolChoice"] == {"tool": {"name": "Plan"}}
        assert body["inferenceConfig"] == {"maxTokens": 1234}
        assert body["system"] == [{"text": "You write study plans."}]
        assert ("additionalModelRequestFields" in body) is thinking_disabled
        assert request.headers["authorization"].startswith("AWS4-HMAC-SHA256")  # IAM-signed, no key
