"""A request's shared prefix on the wire, for each provider, and cached input tokens back in the attempt and
its cost.

Related requests (the item calls of a fanned-out generation) share a prefix word for word; each provider
sends it first in the user turn so that the vendor's prompt cache can reuse it: OpenAI and Gemini cache
matching prefixes automatically, Anthropic caches up to a `cache_control` breakpoint, which the provider
puts on the prefix block. The vendor's count of cached tokens is kept on the attempt and priced at the
cache-read rate."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import llm_registry
from llm_registry import LlmRequest, estimate_cost, generate
from tests.fakes import tokens
from tests.fakes.sample_output import VALID_PLAN, Plan
from tests.fakes.server import PromptCache, Speed
from tests.fakes.wire_formats import (
    AnthropicMessagesServer,
    BedrockConverseServer,
    GeminiServer,
    OpenAIChatServer,
)

if TYPE_CHECKING:
    from tests.fakes.llm_env import LlmEnvironment

RESUME = "<resume>\n" + "\n".join(
    f"[work_experiences[0].achievements[{i}]] Cut p99 by {i}0 ms" for i in range(200)
)
REQUEST = LlmRequest(
    system="You write study plans.",
    prefix=f"{RESUME}\n</resume>",
    prompt="Write step 3.",
    max_output_tokens=900,
)


def test_openai_sends_the_prefix_first_and_prices_cached_tokens_at_the_cache_rate(
    llm_env: LlmEnvironment, openai_server: OpenAIChatServer
) -> None:
    llm_env.use_openai(openai_server)
    openai_server.queue_ok(VALID_PLAN, input_tokens=3000, output_tokens=100, cached_tokens=2944)

    result = generate(REQUEST, Plan)

    user = openai_server.requests[0].json["messages"][1]["content"]
    assert user == f"{REQUEST.prefix}\n\nWrite step 3."
    (attempt,) = result.attempts
    assert attempt.input_tokens == 3000 and attempt.cached_input_tokens == 2944
    assert result.cached_input_tokens == 2944
    uncached = estimate_cost("openai", attempt.model, 3000, 100)
    assert uncached is not None and attempt.cost_usd is not None and attempt.cost_usd < uncached


def test_openais_automatic_cache_as_the_fake_plays_it(
    llm_env: LlmEnvironment, openai_server: OpenAIChatServer
) -> None:
    """The simulated cache: the second request with the same 1024+ token prefix reads it, in steps of 128."""
    llm_env.use_openai(openai_server)
    openai_server.prompt_cache = PromptCache()
    openai_server.default_reply = openai_server.ok(VALID_PLAN)

    first = generate(REQUEST, Plan)
    second = generate(LlmRequest(system=REQUEST.system, prefix=REQUEST.prefix, prompt="Write step 4."), Plan)

    assert first.cached_input_tokens == 0
    cached = second.cached_input_tokens
    assert cached >= 1024 and cached % 128 == 0 and cached <= second.input_tokens


def test_anthropic_marks_a_cache_breakpoint_after_the_prefix(
    llm_env: LlmEnvironment, anthropic_server: AnthropicMessagesServer
) -> None:
    llm_env.use_anthropic(anthropic_server)
    anthropic_server.queue_ok(VALID_PLAN, input_tokens=20, output_tokens=100, cache_read_input_tokens=2900)

    result = generate(REQUEST, Plan)

    (message,) = anthropic_server.requests[0].json["messages"]
    assert message["content"] == [
        {"type": "text", "text": REQUEST.prefix, "cache_control": {"type": "ephemeral"}},
        {"type": "text", "text": "Write step 3."},
    ]
    (attempt,) = result.attempts
    # Anthropic's input_tokens leaves the cache reads out; the attempt counts every input token.
    assert attempt.input_tokens == 2920 and attempt.cached_input_tokens == 2900


def test_a_request_without_a_prefix_is_sent_as_before(
    llm_env: LlmEnvironment, anthropic_server: AnthropicMessagesServer
) -> None:
    llm_env.use_anthropic(anthropic_server)
    anthropic_server.queue_ok(VALID_PLAN)
    generate(LlmRequest(system="You write study plans.", prompt="Plan for: Kafka."), Plan)
    assert anthropic_server.requests[0].json["messages"] == [{"role": "user", "content": "Plan for: Kafka."}]


def test_gemini_and_bedrock_lead_the_user_turn_with_the_prefix(
    llm_env: LlmEnvironment, gemini_server: GeminiServer, bedrock_server: BedrockConverseServer
) -> None:
    llm_env.use_gemini(gemini_server).use_bedrock(bedrock_server)
    gemini_server.queue_ok(VALID_PLAN, cached_tokens=2048)
    bedrock_server.queue_ok(VALID_PLAN)

    gemini = generate(REQUEST, Plan, provider="gemini")
    generate(REQUEST, Plan, provider="bedrock")

    contents = gemini_server.requests[0].json["contents"]
    assert contents[0]["parts"][0]["text"] == f"{REQUEST.prefix}\n\nWrite step 3."
    assert gemini.cached_input_tokens == 2048
    bedrock_user = bedrock_server.requests[0].json["messages"][0]["content"][0]["text"]
    assert bedrock_user.startswith(REQUEST.prefix) and bedrock_user.endswith("Write step 3.")
    assert llm_registry.provider_order()[:2] == ["gemini", "bedrock"]


def test_simulated_speed_counts_usage_from_the_request_and_the_answer(
    llm_env: LlmEnvironment, openai_server: OpenAIChatServer
) -> None:
    """The fakes' simulated-speed mode: the delay is computed from the answer's size in tokens, and the usage
    the fake reports is counted from what was sent and answered (o200k_base)."""
    llm_env.use_openai(openai_server)
    openai_server.speed = Speed(time_to_first_token_s=0.0, tokens_per_s=1_000_000)
    openai_server.queue_ok(VALID_PLAN)

    result = generate(REQUEST, Plan)

    (attempt,) = result.attempts
    answer = json.dumps(VALID_PLAN, ensure_ascii=False)
    assert attempt.output_tokens == tokens.count(answer)
    body = openai_server.requests[0].json
    sent = "\n".join(message["content"] for message in body["messages"])
    assert attempt.input_tokens == tokens.count(sent)
    assert Speed(time_to_first_token_s=1.0, tokens_per_s=100).delay_s(250) == 3.5
