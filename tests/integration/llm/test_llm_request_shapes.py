"""What each provider module actually puts on the wire: its structured-output mechanism and limits."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

import pytest

import llm_registry
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
    from tests.integration.llm.conftest import Backup

REQUEST = LlmRequest(system="You write study plans.", prompt="Plan for: Kafka.", max_output_tokens=1234)


def test_openai_uses_strict_json_schema_with_the_strict_variant(
    llm_env: LlmEnvironment, openai_server: OpenAIChatServer
) -> None:
    llm_env.use_openai(openai_server)
    openai_server.queue_ok(VALID_PLAN)

    llm_registry.warm_up()  # the SDK import is not what this test times
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


def test_anthropic_haiku_5_5_uses_json_output_with_thinking_disabled_at_low_effort(
    llm_env: LlmEnvironment, anthropic_server: AnthropicMessagesServer
) -> None:
    llm_env.use_anthropic(anthropic_server)  # the default model, claude-haiku-5-5
    anthropic_server.queue_ok(VALID_PLAN)

    llm_registry.warm_up()  # the SDK import is not what this test times
    generate(REQUEST, Plan, deadline=time.monotonic() + 5)

    body = anthropic_server.requests[0].json
    assert body["output_config"]["format"]["type"] == "json_schema"
    assert body["output_config"]["format"]["schema"]["additionalProperties"] is False
    assert body["output_config"]["effort"] == "low"
    assert body["thinking"] == {"type": "disabled"}
    assert "tools" not in body and "tool_choice" not in body
    assert body["system"] == "You write study plans."
    assert body["max_tokens"] == 1234
    assert "temperature" not in body  # recent Claude models reject sampling parameters
    assert 1.0 < float(anthropic_server.requests[0].headers["x-stainless-read-timeout"]) <= 5.0


@pytest.mark.parametrize(
    ("model", "thinking", "room_for_thinking"),
    [
        ("claude-opus-5-5", None, 8192),  # thinking cannot be disabled: left out, effort low
        ("claude-sonnet-5-5", {"type": "between_tools"}, 2048),  # its lowest thinking setting
    ],
)
def test_anthropic_newest_models_get_json_output_never_a_forced_tool_or_disabled_thinking(
    llm_env: LlmEnvironment,
    anthropic_server: AnthropicMessagesServer,
    model: str,
    thinking: dict[str, str] | None,
    room_for_thinking: int,
) -> None:
    llm_env.use_anthropic(anthropic_server, model=model)
    anthropic_server.queue_ok(VALID_PLAN)

    result = generate(REQUEST, Plan)

    assert (result.provider, result.model, result.degraded) == ("anthropic", model, False)
    body = anthropic_server.requests[0].json
    assert body.get("thinking") == thinking
    assert "tool_choice" not in body
    assert body["output_config"]["effort"] == "low"
    assert body["max_tokens"] == 1234 + room_for_thinking  # thinking counts against max_tokens
    assert anthropic_server.rejected == []


def test_anthropic_older_models_force_the_tool_and_unknown_ones_offer_it(
    llm_env: LlmEnvironment, anthropic_server: AnthropicMessagesServer
) -> None:
    for model, tool_choice in (
        ("claude-opus-4-1", {"type": "tool", "name": "Plan"}),
        ("claude-next-1", None),
    ):
        llm_env.use_anthropic(anthropic_server, model=model)
        anthropic_server.reset()
        anthropic_server.queue_ok(VALID_PLAN)

        assert generate(REQUEST, Plan).provider == "anthropic"

        body = anthropic_server.requests[0].json
        assert body["tools"][0]["name"] == "Plan"
        assert body.get("tool_choice") == tool_choice
        assert "thinking" not in body and "output_config" not in body
        if tool_choice is None:
            assert "calling the tool `Plan`" in body["system"]


@pytest.mark.parametrize(
    ("model", "thinking_config", "max_tokens"),
    [
        ("gemini-3.5-flash-lite", {"thinking_level": "MINIMAL"}, 1234 + 1024),
        ("gemini-3.7-flash", {"thinking_level": "LOW"}, 1234 + 4096),
        ("gemini-2.5-flash", {"thinking_budget": 0}, 1234),
        ("gemini-2.5-pro", {"thinking_budget": 128}, 1234 + 1024),  # cannot turn thinking off
    ],
)
def test_gemini_asks_for_json_with_a_response_json_schema_and_the_lowest_thinking(
    llm_env: LlmEnvironment,
    gemini_server: GeminiServer,
    model: str,
    thinking_config: dict[str, object],
    max_tokens: int,
) -> None:
    llm_env.use_gemini(gemini_server, model=model)
    gemini_server.queue_ok(VALID_PLAN)

    assert generate(REQUEST, Plan).provider == "gemini"

    request = gemini_server.requests[0]
    config = request.json["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    assert config["responseJsonSchema"]["title"] == "Plan"
    assert config["maxOutputTokens"] == max_tokens
    assert config["thinkingConfig"] == thinking_config  # google-genai sends this object snake_case
    assert request.json["systemInstruction"]["parts"][0]["text"] == "You write study plans."
    assert request.headers["x-goog-api-key"] == "gemini-test-key"
    assert gemini_server.rejected == []


def test_gemini_unknown_models_get_json_mode_with_the_schema_in_the_instructions(
    llm_env: LlmEnvironment, gemini_server: GeminiServer
) -> None:
    llm_env.use_gemini(gemini_server, model="gemini-2.0-flash")
    gemini_server.queue_ok(VALID_PLAN)

    assert generate(REQUEST, Plan).provider == "gemini"

    body = gemini_server.requests[0].json
    assert body["generationConfig"]["responseMimeType"] == "application/json"
    assert "responseJsonSchema" not in body["generationConfig"]
    assert "thinkingConfig" not in body["generationConfig"]
    assert "conforms to this JSON schema" in body["systemInstruction"]["parts"][0]["text"]


@pytest.mark.parametrize(
    ("model", "tool_choice", "extra_fields", "output_config"),
    [
        ("amazon.nova-lite-v1:0", {"tool": {"name": "Plan"}}, None, None),
        ("us.anthropic.claude-haiku-4-5-20251001-v1:0", {"tool": {"name": "Plan"}}, None, None),
        ("us.anthropic.claude-haiku-5-5", None, {"thinking": {"type": "disabled"}}, {"effort": "low"}),
        ("global.anthropic.claude-opus-5-5", None, None, {"effort": "low"}),
        (
            "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-5-5",
            None,
            {"thinking": {"type": "between_tools"}},
            {"effort": "low"},
        ),
    ],
)
def test_bedrock_claude_and_nova_get_a_tool_forced_only_where_the_model_accepts_it(
    llm_env: LlmEnvironment,
    bedrock_server: BedrockConverseServer,
    model: str,
    tool_choice: dict[str, object] | None,
    extra_fields: dict[str, object] | None,
    output_config: dict[str, object] | None,
) -> None:
    llm_env.use_bedrock(bedrock_server, model=model)
    bedrock_server.queue_ok(VALID_PLAN)

    assert generate(REQUEST, Plan).provider == "bedrock"

    request = bedrock_server.requests[0]
    body = request.json
    assert body["toolConfig"]["tools"][0]["toolSpec"]["name"] == "Plan"
    assert body["toolConfig"].get("toolChoice") == tool_choice
    assert body.get("additionalModelRequestFields") == extra_fields
    assert body.get("outputConfig") == output_config
    assert body["system"][0]["text"].startswith("You write study plans.")
    assert request.headers["authorization"].startswith("AWS4-HMAC-SHA256")  # IAM-signed, no key
    assert bedrock_server.rejected == []


@pytest.mark.parametrize(
    ("model", "system_block"),
    [
        ("meta.llama3-3-70b-instruct-v1:0", True),
        ("us.meta.llama4-maverick-17b-instruct-v1:0", True),
        ("mistral.mistral-large-2402-v1:0", True),
        ("mistral.mistral-7b-instruct-v0:2", False),  # Converse takes no system prompt for it
        ("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3", False),  # unknown
    ],
)
def test_bedrock_llama_mistral_and_unknown_models_get_json_text_with_no_tool(
    llm_env: LlmEnvironment, bedrock_server: BedrockConverseServer, model: str, system_block: bool
) -> None:
    llm_env.use_bedrock(bedrock_server, model=model)
    bedrock_server.queue_ok(VALID_PLAN)

    result = generate(REQUEST, Plan)

    assert (result.provider, result.degraded) == ("bedrock", False)
    body = bedrock_server.requests[0].json
    assert "toolConfig" not in body and "additionalModelRequestFields" not in body
    assert body["inferenceConfig"] == {"maxTokens": 1234}
    instructions = body["system"][0]["text"] if system_block else body["messages"][0]["content"][0]["text"]
    assert "system" in body if system_block else "system" not in body
    assert instructions.startswith("You write study plans.")
    assert "conforms to this JSON schema" in instructions
    assert body["messages"][0]["content"][0]["text"].endswith("Plan for: Kafka.")
    assert bedrock_server.rejected == []


@pytest.mark.parametrize(
    ("model", "effort", "max_completion_tokens"),
    [
        ("gpt-5.4-mini", "none", 1234),  # the default model: its lowest value, no room for reasoning needed
        ("gpt-5-mini", "minimal", 1234 + 1024),
        ("o4-mini", "low", 1234 + 4096),
        ("gpt-4.1-mini", None, 1234),  # not a reasoning model: no reasoning_effort at all
    ],
)
def test_openai_sends_the_lowest_reasoning_effort_each_model_accepts(
    llm_env: LlmEnvironment,
    openai_server: OpenAIChatServer,
    model: str,
    effort: str | None,
    max_completion_tokens: int,
) -> None:
    llm_env.use_openai(openai_server, model=model)
    openai_server.queue_ok(VALID_PLAN)

    assert generate(REQUEST, Plan).provider == "openai"

    body = openai_server.requests[0].json
    assert body.get("reasoning_effort") == effort
    assert body["max_completion_tokens"] == max_completion_tokens
    assert body["response_format"]["type"] == "json_schema"
    assert openai_server.rejected == []


def test_openai_reasoning_effort_is_configurable_and_sizes_the_token_budget(
    llm_env: LlmEnvironment, openai_server: OpenAIChatServer
) -> None:
    llm_env.use_openai(openai_server).set(OPENAI_REASONING_EFFORT="High")
    openai_server.queue_ok(VALID_PLAN)

    generate(REQUEST, Plan)

    body = openai_server.requests[0].json
    assert body["reasoning_effort"] == "high"
    assert body["max_completion_tokens"] == 1234 + 32768  # room for high-effort reasoning plus the answer


def test_openai_effort_the_model_does_not_accept_fails_as_misconfigured_without_a_call(
    llm_env: LlmEnvironment, openai_server: OpenAIChatServer, backup: Backup
) -> None:
    llm_env.use_openai(openai_server, model="gpt-5.1").set(OPENAI_REASONING_EFFORT="minimal")
    llm_env.order("openai", "backup")

    result = generate(REQUEST, Plan)

    assert openai_server.requests == []
    assert (result.provider, result.degraded, result.fallback_reason) == ("backup", True, "misconfigured")
    message = result.attempts[0].error_message or ""
    assert "OPENAI_REASONING_EFFORT=minimal is not accepted by gpt-5.1" in message


def test_openai_unknown_models_get_json_mode_and_no_reasoning_effort(
    llm_env: LlmEnvironment, openai_server: OpenAIChatServer
) -> None:
    llm_env.use_openai(openai_server, model="gpt-next-experimental")
    openai_server.queue_ok(VALID_PLAN)

    assert generate(REQUEST, Plan).provider == "openai"

    body = openai_server.requests[0].json
    assert body["response_format"] == {"type": "json_object"}
    assert "reasoning_effort" not in body
    assert "conforms to this JSON schema" in body["messages"][0]["content"]
