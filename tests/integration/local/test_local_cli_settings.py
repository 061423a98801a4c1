"""`python -m local run` started as a user starts it, with settings in its environment: a variable set in
the shell wins over the template's value (GENERATION_QUOTA_PER_HOUR=0 switches the quota off; LLM_PROVIDERS
changes the provider order), --parameter-overrides reaches the template, and the runtime's own bindings
(the moto endpoint, the local tables) never come from the shell."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any

import pytest

from tests.integration.local.support import REPO, Client, Reply, cli_env, free_port, local_run

pytestmark = pytest.mark.integration

RESUME = json.loads(json.loads((REPO / "events" / "resumes" / "create-short.json").read_text())["body"])
DEFAULT_QUOTA = 30  # the template's GenerationQuotaPerHour


def _json(reply: Reply) -> Any:
    return json.loads(reply.body)


def _post(client: Client, path: str, body: Any) -> Reply:
    return client.request("POST", path, json.dumps(body).encode(), [("content-type", "application/json")])


def _ports() -> tuple[str, ...]:
    return ("--port", str(free_port()), "--ws-port", str(free_port()))


def test_variables_from_the_shell_take_effect() -> None:
    env = cli_env(
        GENERATION_QUOTA_PER_HOUR="0",
        LLM_PROVIDERS="offline",
        OPENAI_API_KEY="sk-never-used",  # would put openai first; LLM_PROVIDERS says otherwise
        TASKS_TABLE="someone-elses-table",  # the runtime's own table stays
        AWS_ENDPOINT_URL_DYNAMODB="https://dynamodb.us-east-1.amazonaws.com",  # removed: it would beat moto
    )
    ports = _ports()
    with local_run(*ports, env=env) as (process, printed):
        banner = "".join(printed)
        assert "From your shell: GENERATION_QUOTA_PER_HOUR (parameter GenerationQuotaPerHour), " in banner
        assert "LLM_PROVIDERS (parameter LlmProviders)" in banner
        assert "Ignored from your shell (the local runtime sets these itself): TASKS_TABLE" in banner
        assert "someone-elses-table" not in banner
        client = Client(f"http://127.0.0.1:{ports[1]}")
        assert _json(client.request("GET", "/api/v1/interview/health"))["providers"] == ["offline"]
        created = _post(client, "/api/v1/resumes", RESUME)
        assert created.status == 201
        key = _json(created)["unique_key"]
        statuses = [
            _post(client, f"/api/v1/interview/{key}/questions", {"count": 1}).status
            for _ in range(DEFAULT_QUOTA + 1)
        ]
        assert statuses == [201] * (DEFAULT_QUOTA + 1)  # the 31st would be a 429 with the quota on
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0


def test_without_the_variable_the_template_value_holds_and_overrides_reach_the_template() -> None:
    env = cli_env(OPENAI_API_KEY="sk-never-used")
    ports = _ports()
    args = (*ports, "--parameter-overrides", "GenerationQuotaPerHour=1", "LlmProviders=offline")
    with local_run(*args, env=env) as (process, printed):
        assert not any(line.startswith("From your shell") for line in printed)
        client = Client(f"http://127.0.0.1:{ports[1]}")
        assert _json(client.request("GET", "/api/v1/interview/health"))["providers"] == ["offline"]
        key = _json(_post(client, "/api/v1/resumes", RESUME))["unique_key"]
        first = _post(client, f"/api/v1/interview/{key}/questions", {"count": 1})
        second = _post(client, f"/api/v1/interview/{key}/questions", {"count": 1})
        assert (first.status, second.status) == (201, 429)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0


def test_an_explicit_override_beats_the_shell(tmp_path: Path) -> None:
    env = cli_env(GENERATION_QUOTA_PER_HOUR="0")
    ports = _ports()
    with local_run(*ports, "--parameter-overrides", "GenerationQuotaPerHour=1", env=env) as (process, _):
        client = Client(f"http://127.0.0.1:{ports[1]}")
        key = _json(_post(client, "/api/v1/resumes", RESUME))["unique_key"]
        statuses = [
            _post(client, f"/api/v1/interview/{key}/questions", {"count": 1}).status for _ in range(2)
        ]
        assert statuses == [201, 429]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
