from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from llm_registry import DEFAULT_MODELS, LlmConfigError, LlmSettings, get_settings, provider_order

if TYPE_CHECKING:
    from tests.fakes.llm_env import LlmEnvironment


def test_defaults_without_any_variable() -> None:
    settings = LlmSettings.from_env({})
    assert settings.llm_providers is None
    assert settings.openai_model == DEFAULT_MODELS["openai"] == "gpt-5.4-mini"
    assert settings.anthropic_model == "claude-haiku-5-5"
    assert settings.gemini_model == "gemini-3.5-flash-lite"
    assert settings.bedrock_model is None
    assert settings.openai_timeout_s == 20.0
    assert settings.llm_request_reserve_ms == 1000


def test_values_are_read_from_their_variables() -> None:
    settings = LlmSettings.from_env(
        {
            "LLM_PROVIDERS": " Anthropic, openai,,anthropic ,offline",
            "OPENAI_TIMEOUT_S": "7.5",
            "ANTHROPIC_MODEL": "claude-sonnet-5-5",
            "LLM_REQUEST_RESERVE_MS": "2500",
            "OPENAI_COMPATIBLE_RESPONSE_FORMAT": "json_object",
            "UNRELATED": "ignored",
        }
    )
    assert settings.llm_providers == ("anthropic", "openai", "offline")
    assert settings.openai_timeout_s == 7.5
    assert settings.anthropic_model == "claude-sonnet-5-5"
    assert settings.llm_request_reserve_ms == 2500
    assert settings.openai_compatible_response_format == "json_object"


def test_empty_variables_mean_unset() -> None:
    settings = LlmSettings.from_env({"OPENAI_MODEL": "", "LLM_PROVIDERS": ""})
    assert settings.openai_model == "gpt-5.4-mini"
    assert settings.llm_providers is None


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("OPENAI_TIMEOUT_S", "soon"),
        ("GEMINI_TIMEOUT_S", "-1"),
        ("LLM_PROVIDERS", "openai,Bad Name!"),
        ("OPENAI_COMPATIBLE_RESPONSE_FORMAT", "yaml"),
    ],
)
def test_invalid_values_name_the_variable(variable: str, value: str) -> None:
    with pytest.raises(LlmConfigError) as caught:
        LlmSettings.from_env({variable: value, "OPENAI_API_KEY": "sk-never-shown"})
    assert variable in str(caught.value)
    assert "sk-never-shown" not in str(caught.value)


def test_keys_are_hidden_in_the_settings_repr() -> None:
    settings = LlmSettings.from_env({"OPENAI_API_KEY": "sk-hidden"})
    assert "sk-hidden" not in repr(settings)
    assert settings.env_api_key("openai") == "sk-hidden"


def test_settings_are_read_once_until_reset(llm_env: LlmEnvironment, monkeypatch: pytest.MonkeyPatch) -> None:
    llm_env.set(OPENAI_MODEL="first")
    assert get_settings().openai_model == "first"
    monkeypatch.setenv("OPENAI_MODEL", "second")
    assert get_settings().openai_model == "first"
    llm_env.reset_registry()
    assert get_settings().openai_model == "second"


def test_only_providers_with_credentials_or_config_are_configured(llm_env: LlmEnvironment) -> None:
    assert provider_order() == []
    llm_env.set(GEMINI_API_KEY="g")
    assert provider_order() == ["gemini"]
    llm_env.set(OPENAI_COMPATIBLE_BASE_URL="http://127.0.0.1:11434/v1")
    assert provider_order() == ["gemini"]  # a compatible server needs its model named too
    llm_env.set(OPENAI_COMPATIBLE_MODEL="llama3.2", BEDROCK_REGION="eu-west-1")
    assert provider_order() == ["gemini", "openai_compatible"]  # bedrock needs BEDROCK_MODEL
    llm_env.set(BEDROCK_MODEL="amazon.nova-lite-v1:0", OPENAI_API_KEY="sk", ANTHROPIC_API_KEY="ant")
    assert provider_order() == ["openai", "anthropic", "gemini", "bedrock", "openai_compatible"]


def test_an_explicit_order_is_kept_and_unavailable_names_are_dropped(llm_env: LlmEnvironment) -> None:
    llm_env.set(OPENAI_API_KEY="sk", GEMINI_API_KEY="g", LLM_PROVIDERS="gemini,anthropic,openai,offline")
    assert provider_order() == ["gemini", "openai"]
