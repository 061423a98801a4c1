"""The fakes refuse what the vendors document as refused, so a registry that sent it would fail here.

First, each documented rejection is shown to bite: the provider is made to send the refused request (its
capability row swapped for a wrong one) and the real SDK gets the vendor's 400. Then the models the issue
names generate through their own provider, not through a fallback, with the registry's real rows."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import pytest

import llm_registry
from llm_registry import LlmRequest, generate
from tests.fakes.sample_output import VALID_PLAN, Plan

if TYPE_CHECKING:
    from tests.fakes.llm_env import LlmEnvironment
    from tests.integration.llm.conftest import Backup

REQUEST = LlmRequest(system="You write study plans.", prompt="Plan for: Kafka.", task="test_plan")


@pytest.mark.parametrize(
    ("name", "model", "wrong", "vendor_says"),
    [
        (
            "anthropic",
            "claude-sonnet-5-5",
            {"mechanism": "forced_tool", "thinking": None},
            "tool_choice.type 'tool'",
        ),
        (
            "anthropic",
            "claude-opus-5-5",
            {"thinking": {"type": "disabled"}},
            '"thinking.type.disabled" is not',
        ),
        (
            "anthropic",
            "claude-sonnet-5-5",
            {"thinking": {"type": "disabled"}},
            '"thinking.type.disabled" is not',
        ),
        ("anthropic", "claude-haiku-5-5", {"effort": "max"}, "effort 'max' requires thinking"),
        (
            "anthropic",
            "claude-opus-4-7",
            {"mechanism": "forced_tool", "thinking": {"type": "adaptive"}},
            "Thinking may not",
        ),
        (
            "anthropic",
            "claude-opus-4-1",
            {"mechanism": "json_schema"},
            "structured outputs are not",
        ),
        ("bedrock", "meta.llama3-3-70b-instruct-v1:0", {"mechanism": "forced_tool"}, "toolChoice.tool field"),
        ("bedrock", "mistral.mistral-large-2402-v1:0", {"mechanism": "forced_tool"}, "toolChoice.tool field"),
        (
            "bedrock",
            "us.anthropic.claude-sonnet-5-5",
            {"mechanism": "forced_tool", "thinking": None},
            "forcing is",
        ),
        (
            "bedrock",
            "us.anthropic.claude-opus-5-5",
            {"thinking": {"type": "disabled"}},
            "thinking.type.disabled",
        ),
        (
            "bedrock",
            "meta.llama3-3-70b-instruct-v1:0",
            {"thinking": {"type": "disabled"}},
            "extraneous key [thinking]",
        ),
        (
            "bedrock",
            "mistral.mistral-7b-instruct-v0:2",
            {"system_prompt": True},
            "doesn't support system messages",
        ),
        (
            "gemini",
            "gemini-2.5-pro",
            {"gemini_thinking": {"thinking_budget": 0}},
            "only works in thinking mode",
        ),
        (
            "gemini",
            "gemini-3-pro-preview",
            {"gemini_thinking": {"thinking_level": "MINIMAL"}},
            "MINIMAL is not",
        ),
        (
            "gemini",
            "gemini-2.5-flash",
            {"gemini_thinking": {"thinking_level": "LOW"}},
            "Thinking level is not",
        ),
    ],
)
def test_the_fakes_refuse_each_documented_rejection(
    llm_env: LlmEnvironment,
    request: pytest.FixtureRequest,
    backup: Backup,
    name: str,
    model: str,
    wrong: dict[str, Any],
    vendor_says: str,
) -> None:
    server = request.getfixturevalue(f"{name}_server")
    getattr(llm_env, f"use_{name}")(server, model=model)
    llm_env.order(name, "backup")
    provider: Any = llm_registry.get_provider(name)
    provider.profile = dataclasses.replace(provider.profile, **wrong)
    server.queue_ok(VALID_PLAN)

    result = generate(REQUEST, Plan)

    assert (result.provider, result.degraded, result.fallback_reason) == ("backup", True, "bad_request")
    assert len(server.rejected) == 1 and server.pending == 1  # refused before reaching the "model"
    assert vendor_says in (result.attempts[0].error_message or "")


@pytest.mark.parametrize(
    ("model", "effort", "vendor_says"),
    [
        ("gpt-5.1", "minimal", "Unsupported value: 'minimal' is not supported with the 'gpt-5.1' model"),
        ("gpt-5-mini", "none", "Unsupported value: 'none'"),
        ("gpt-4o-mini", "low", "Unsupported parameter: 'reasoning_effort'"),
    ],
)
def test_the_openai_fake_refuses_reasoning_efforts_a_model_does_not_accept(
    llm_env: LlmEnvironment, openai_server: Any, backup: Backup, model: str, effort: str, vendor_says: str
) -> None:
    llm_env.use_openai(openai_server, model=model).order("openai", "backup")
    provider: Any = llm_registry.get_provider("openai")
    provider.reasoning_effort = effort  # what a registry without the table would send
    openai_server.queue_ok(VALID_PLAN)

    result = generate(REQUEST, Plan)

    assert result.fallback_reason == "bad_request"
    assert vendor_says in (result.attempts[0].error_message or "")


def test_the_openai_fake_refuses_max_tokens_on_reasoning_models(
    llm_env: LlmEnvironment, openai_server: Any, backup: Backup
) -> None:
    llm_env.use_openai(openai_server).order("openai", "backup")
    provider: Any = llm_registry.get_provider("openai")
    provider._token_limit_param = "max_tokens"
    openai_server.queue_ok(VALID_PLAN)

    result = generate(REQUEST, Plan)

    assert "Use 'max_completion_tokens' instead" in (result.attempts[0].error_message or "")


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("anthropic", "claude-opus-5-5"),
        ("anthropic", "claude-sonnet-5-5"),
        ("anthropic", "claude-haiku-5-5"),
        ("anthropic", "claude-fable-5-1"),
        ("anthropic", "claude-opus-4-7"),
        ("anthropic", "claude-haiku-4-5-20251001"),
        ("anthropic", "claude-opus-4-1"),
        ("bedrock", "meta.llama3-3-70b-instruct-v1:0"),
        ("bedrock", "mistral.mistral-large-2402-v1:0"),
        ("bedrock", "mistral.mistral-7b-instruct-v0:2"),
        ("bedrock", "us.anthropic.claude-opus-5-5"),
        ("bedrock", "us.anthropic.claude-sonnet-5-5"),
        ("bedrock", "us.anthropic.claude-haiku-5-5"),
        ("bedrock", "amazon.nova-lite-v1:0"),
        ("gemini", "gemini-2.5-pro"),
        ("gemini", "gemini-3-pro-preview"),
        ("gemini", "gemini-3.7-flash"),
        ("openai", "gpt-5.1"),
        ("openai", "gpt-5-mini"),
        ("openai", "gpt-4o-mini"),
    ],
)
def test_each_model_generates_through_its_own_provider_not_a_fallback(
    llm_env: LlmEnvironment, request: pytest.FixtureRequest, backup: Backup, name: str, model: str
) -> None:
    server = request.getfixturevalue(f"{name}_server")
    getattr(llm_env, f"use_{name}")(server, model=model)
    llm_env.order(name, "backup")
    server.queue_ok(VALID_PLAN)

    result = generate(REQUEST, Plan)

    assert (result.provider, result.model, result.degraded) == (name, model, False)
    assert server.rejected == [] and backup.calls == []
