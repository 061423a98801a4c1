"""Keys from Secrets Manager (moto), and lazy SDK imports (fresh interpreters)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
import pytest
from moto import mock_aws

from llm_registry import LlmRequest, NoProviderConfigured, generate, provider_order
from tests.fakes.sample_output import VALID_PLAN, Plan
from tests.fakes.wire_formats import AnthropicMessagesServer, OpenAIChatServer

if TYPE_CHECKING:
    from tests.fakes.llm_env import LlmEnvironment

REPO = Path(__file__).resolve().parents[3]
REQUEST = LlmRequest(system="s", prompt="p")


def _create_secret(name: str, value: object) -> str:
    client = boto3.client("secretsmanager", region_name="us-east-1")
    arn: str = client.create_secret(Name=name, SecretString=json.dumps(value))["ARN"]
    return arn


@mock_aws
def test_keys_come_from_the_secret_when_the_environment_has_none(
    llm_env: LlmEnvironment, openai_server: OpenAIChatServer, anthropic_server: AnthropicMessagesServer
) -> None:
    arn = _create_secret(
        "llm-keys-from-secret", {"OPENAI_API_KEY": "sk-from-secret", "ANTHROPIC_API_KEY": "ant-from-secret"}
    )
    llm_env.set(
        LLM_SECRET_ARN=arn,
        OPENAI_BASE_URL=openai_server.base_url,
        ANTHROPIC_BASE_URL=anthropic_server.base_url,
        ANTHROPIC_API_KEY="ant-from-env",  # the environment wins
    )
    openai_server.queue_ok(VALID_PLAN)
    anthropic_server.queue_ok(VALID_PLAN)

    assert provider_order() == ["openai", "anthropic"]
    assert generate(REQUEST, Plan, provider="openai").provider == "openai"
    assert generate(REQUEST, Plan, provider="anthropic").provider == "anthropic"

    assert openai_server.requests[0].headers["authorization"] == "Bearer sk-from-secret"
    anthropic_headers = anthropic_server.requests[0].headers
    assert "ant-from-env" in (
        anthropic_headers.get("x-api-key", "") + anthropic_headers.get("authorization", "")
    )


@mock_aws
def test_an_unreadable_secret_leaves_key_providers_unconfigured(
    llm_env: LlmEnvironment, caplog: pytest.LogCaptureFixture
) -> None:
    missing = "arn:aws:secretsmanager:us-east-1:123456789012:secret:llm-missing-AbCdEf"
    llm_env.set(LLM_SECRET_ARN=missing, GEMINI_BASE_URL="http://127.0.0.1:9")

    assert provider_order() == []
    with pytest.raises(NoProviderConfigured):
        generate(REQUEST, Plan)
    warnings = [r for r in caplog.records if "LLM secret could not be read" in r.getMessage()]
    assert len(warnings) == 1


def _fresh_interpreter(code: str, env: dict[str, str]) -> list[str]:
    """Run `code` in a new interpreter with only `env` (plus PATH) and return its printed JSON list."""
    completed = subprocess.run(  # noqa: S603 - our own interpreter running our own probe
        [sys.executable, "-c", textwrap.dedent(code)],
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": f"{REPO / 'layers' / 'llm'}", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: list[str] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


SDKS = ("openai", "anthropic", "google.genai", "boto3")
PROBE = f"""
    import json, sys
    import llm_registry
    before = [m for m in {SDKS!r} if m in sys.modules]
    assert before == [], before
    llm_registry.warm_up()
    print(json.dumps([m for m in {SDKS!r} if m in sys.modules]))
"""


def test_importing_the_registry_loads_no_sdk_and_warm_up_loads_only_configured_ones() -> None:
    aws = {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": "us-east-1"}
    assert _fresh_interpreter(PROBE, {"OPENAI_API_KEY": "sk-x"}) == ["openai"]
    assert _fresh_interpreter(PROBE, {"GEMINI_API_KEY": "g-x"}) == ["google.genai"]
    assert _fresh_interpreter(PROBE, {"BEDROCK_MODEL": "amazon.nova-lite-v1:0", **aws}) == ["boto3"]
    everything = {"OPENAI_API_KEY": "a", "ANTHROPIC_API_KEY": "b", "GEMINI_API_KEY": "c", **aws}
    assert _fresh_interpreter(PROBE, {**everything, "BEDROCK_MODEL": "amazon.nova-lite-v1:0"}) == list(SDKS)
