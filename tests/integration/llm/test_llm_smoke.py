"""`make smoke`: nothing to check without keys; with keys, one line per provider and a failing exit code
when a provider fails. Here the "real" APIs are the loopback fakes, reached through the base-URL settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.fakes.sample_output import VALID_PLAN
from tests.fakes.wire_formats import AnthropicMessagesServer, OpenAIChatServer

REPO = Path(__file__).resolve().parents[3]
SMOKE = REPO / "layers" / "llm" / "smoke.py"
ANSWER = {"capital": "Paris", "population_millions": 2.1, "facts": ["On the Seine.", "Has the Louvre."]}


def _clean_env(**extra: str) -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "PYTHONDONTWRITEBYTECODE")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
    )
    env.update(extra)
    return env


def _smoke(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter running our own script
        [sys.executable, str(SMOKE)],
        env={**env, "PYTHONPATH": str(REPO / "layers" / "llm")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_make_smoke_with_no_keys_says_there_is_nothing_to_check_and_exits_0() -> None:
    completed = subprocess.run(
        ["make", "-s", "smoke"],  # noqa: S607 - make from PATH, as a developer runs it
        cwd=REPO,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "nothing to check" in completed.stdout


def test_smoke_reports_each_provider_and_exits_1_when_one_fails() -> None:
    with OpenAIChatServer() as openai_server, AnthropicMessagesServer() as anthropic_server:
        openai_server.push(openai_server.ok(ANSWER, input_tokens=50, output_tokens=30))
        anthropic_server.push(anthropic_server.error(401, message="invalid x-api-key"))
        env = _clean_env(
            OPENAI_API_KEY="sk-smoke-test-key",
            OPENAI_BASE_URL=openai_server.base_url,
            ANTHROPIC_API_KEY="sk-ant-smoke-test-key",
            ANTHROPIC_BASE_URL=anthropic_server.url,
            LLM_PROVIDERS="anthropic",  # the order does not limit what smoke checks
        )

        completed = _smoke(env)

    assert completed.returncode == 1, completed.stdout + completed.stderr
    lines = completed.stdout.splitlines()
    [openai_line] = [line for line in lines if line.startswith("openai ")]
    [anthropic_line] = [line for line in lines if line.startswith("anthropic ")]
    assert "gpt-5.4-mini" in openai_line and "ok: Paris" in openai_line and "50/30" in openai_line
    assert "$0.00017" in openai_line  # 50 x $0.75/M + 30 x $4.50/M = $0.0001725
    assert "claude-haiku-5-5" in anthropic_line
    assert "error: auth (HTTP 401): invalid x-api-key" in anthropic_line
    assert "1 of 2 provider(s) failed" in completed.stdout
    assert "sk-smoke" not in completed.stdout + completed.stderr


def test_smoke_exits_0_when_every_provider_answers() -> None:
    with OpenAIChatServer() as openai_server:
        openai_server.push(openai_server.ok(VALID_PLAN), openai_server.ok(ANSWER))  # invalid, then repaired
        completed = _smoke(_clean_env(OPENAI_API_KEY="sk-smoke", OPENAI_BASE_URL=openai_server.base_url))

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "ok: Paris (after 1 retry/repair)" in completed.stdout
    assert "All 1 provider(s) answered." in completed.stdout
