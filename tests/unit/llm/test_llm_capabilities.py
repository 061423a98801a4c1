"""The capability tables: which row a model id lands on, and what that row sends."""

from __future__ import annotations

import re

import pytest

from llm_registry.capabilities import REASONING_EFFORTS, TABLES, normalise, profile_for


@pytest.mark.parametrize(
    ("provider", "model", "family"),
    [
        ("openai", "gpt-5.4-mini", "gpt-5.4"),
        ("openai", "gpt-5.4-mini-2026-03-17", "gpt-5.4"),
        ("openai", "gpt-5.1", "gpt-5.1"),
        ("openai", "gpt-5.5", "gpt-5.x"),
        ("openai", "gpt-6-sol", "gpt-5.x"),
        ("openai", "gpt-5-nano", "gpt-5"),
        ("openai", "gpt-5.5-pro", "gpt-pro"),
        ("openai", "o4-mini", "o-series"),
        ("openai", "gpt-4o-2024-08-06", "gpt-4o"),
        ("openai", "my-finetune", "unknown"),
        ("anthropic", "claude-opus-5-5", "claude-opus-5-5 / fable / mythos"),
        ("anthropic", "claude-fable-5-1", "claude-opus-5-5 / fable / mythos"),
        ("anthropic", "claude-sonnet-5-5", "claude-sonnet-5-5"),
        ("anthropic", "claude-haiku-5-5", "claude-haiku-5-5"),
        ("anthropic", "claude-sonnet-5", "claude-opus-5 / claude-sonnet-5"),
        ("anthropic", "claude-haiku-4-5-20251001", "claude-4.5 / sonnet-4-6"),
        ("anthropic", "claude-opus-4-1", "claude-3.x / claude-4.0-4.1"),
        ("anthropic", "claude-7", "unknown"),
        ("gemini", "gemini-3.5-flash-lite", "gemini-3 flash (minimal)"),
        ("gemini", "models/gemini-2.5-pro", "gemini-2.5 pro"),
        ("gemini", "gemini-3.5-flash", "gemini-2.5+/3.x (other)"),
        ("gemini", "gemini-2.0-flash", "unknown"),
        ("bedrock", "us.anthropic.claude-haiku-5-5", "anthropic claude-haiku-5-5"),
        (
            "bedrock",
            "arn:aws:bedrock:us-east-1:1:inference-profile/eu.anthropic.claude-opus-5-5",
            "anthropic claude-opus-5-5 / fable / mythos",
        ),
        ("bedrock", "anthropic.claude-3-5-sonnet-20241022-v2:0", "anthropic claude-3.x..4.6"),
        ("bedrock", "global.amazon.nova-2-lite-v1:0", "amazon nova"),
        ("bedrock", "meta.llama3-3-70b-instruct-v1:0", "meta llama"),
        ("bedrock", "mistral.mixtral-8x7b-instruct-v0:1", "mistral 7b / mixtral"),
        ("bedrock", "arn:aws:bedrock:us-east-1:1:application-inference-profile/abc123", "unknown"),
    ],
)
def test_model_ids_land_on_their_family(provider: str, model: str, family: str) -> None:
    assert profile_for(provider, model).family == family


def test_bedrock_ids_are_normalised() -> None:
    assert normalise(
        "bedrock", "arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-8b-instruct-v1:0"
    ) == ("meta.llama3-8b-instruct")
    assert normalise("bedrock", "us.anthropic.claude-haiku-4-5-20251001-v1:0") == "anthropic.claude-haiku-4-5"


@pytest.mark.parametrize("provider", sorted(TABLES))
def test_every_table_ends_with_a_catch_all_that_sends_no_optional_setting(provider: str) -> None:
    rows = TABLES[provider]
    last = rows[-1]
    assert last.family == "unknown" and last.pattern == ".*"
    assert last.mechanism in ("json_mode", "json_text", "tool")  # never forced, never a schema mode
    assert (last.reasoning_efforts, last.thinking, last.effort, last.gemini_thinking) == (
        (),
        None,
        None,
        None,
    )
    assert all(row.pattern != ".*" for row in rows[:-1])


@pytest.mark.parametrize("provider", sorted(TABLES))
def test_every_row_cites_its_documentation_and_uses_known_values(provider: str) -> None:
    for row in TABLES[provider]:
        assert re.match(r"https?://|OPENAI_COMPATIBLE", row.doc), row.family
        assert set(row.reasoning_efforts) <= set(REASONING_EFFORTS)
        assert row.effort in (None, "low", "medium", "high", "xhigh", "max")
        assert row.mechanism in ("json_schema", "forced_tool", "tool", "json_mode", "json_text")


def test_forced_tools_never_meet_thinking_that_is_on() -> None:
    """Forced tool choice is incompatible with thinking: every forced row either sends thinking disabled
    or is a family whose thinking is off unless enabled (no thinking allowance)."""
    for provider in ("anthropic", "bedrock"):
        for row in TABLES[provider]:
            if row.mechanism == "forced_tool":
                assert row.thinking in (None, {"type": "disabled"}) and row.thinking_allowance == 0, (
                    row.family
                )


def test_output_budget_adds_reasoning_room_within_the_models_cap() -> None:
    assert profile_for("openai", "gpt-5-mini").output_budget(4000, "minimal") == 5024
    assert profile_for("openai", "gpt-5-mini").output_budget(120_000, "high") == 128_000
    assert profile_for("anthropic", "claude-opus-5-5").output_budget(4000) == 12_192
    assert profile_for("anthropic", "my-model").output_budget(4000) == 4000
