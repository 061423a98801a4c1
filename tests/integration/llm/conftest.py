"""Fixtures for the registry against fake provider servers, driven through the real SDKs."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import pytest

import llm_registry
from llm_registry import FunctionProvider, ProviderCall
from tests.fakes.llm_env import LlmEnvironment
from tests.fakes.plugin import (  # noqa: F401 - fixtures, used by name
    anthropic_server,
    bedrock_server,
    gemini_server,
    llm_env,
    openai_compatible_server,
    openai_server,
)
from tests.fakes.sample_output import VALID_PLAN, Plan
from tests.fakes.wire_formats import (
    AnthropicMessagesServer,
    BedrockConverseServer,
    GeminiServer,
    OpenAIChatServer,
)

PROVIDERS = ("openai", "anthropic", "gemini", "bedrock", "openai_compatible")
AnyServer = OpenAIChatServer | AnthropicMessagesServer | GeminiServer | BedrockConverseServer


def _openai_schema(body: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = body["response_format"]["json_schema"]["schema"]
    return schema


def _openai_turns(body: dict[str, Any]) -> tuple[str, str]:
    return body["messages"][-2]["content"], body["messages"][-1]["content"]


@dataclass
class Harness:
    """One provider wired to its fake server, with how to read its requests."""

    name: str
    server: AnyServer
    model: str
    schema_sent: Callable[[dict[str, Any]], dict[str, Any]]
    # (previous answer, follow-up message) of a repair request
    repair_turns: Callable[[dict[str, Any]], tuple[str, str]]
    # the vendor's price for 1000 input + 500 output tokens of `model`, worked out by hand; None if unpriced
    cost_1000_in_500_out: float | None
    auth_status: int = 401
    env: LlmEnvironment | None = None

    def set_timeout(self, seconds: float) -> None:
        assert self.env is not None
        self.env.set(**{f"{self.name.upper()}_TIMEOUT_S": seconds})

    def model_sent(self, index: int = 0) -> str:
        request = self.server.requests[index]
        if self.name == "gemini":
            return request.path.split("/models/")[1].split(":")[0]
        if self.name == "bedrock":
            return unquote(request.path.split("/model/")[1].split("/")[0])
        model: str = request.json["model"]
        return model


def _harness(name: str, server: Any, env: LlmEnvironment, timeout_s: float | None) -> Harness:
    if name == "openai":
        env.use_openai(server, timeout_s=timeout_s)
        return Harness(name, server, "gpt-5.4-mini", _openai_schema, _openai_turns, 0.003)
    if name == "openai_compatible":
        env.use_openai_compatible(server, timeout_s=timeout_s)
        return Harness(name, server, "llama3.2", _openai_schema, _openai_turns, None)
    if name == "anthropic":
        env.use_anthropic(server, timeout_s=timeout_s)
        return Harness(
            name,
            server,
            "claude-haiku-5-5",
            lambda body: body["output_config"]["format"]["schema"],
            lambda body: (body["messages"][-2]["content"], body["messages"][-1]["content"]),
            0.00035,
        )
    if name == "gemini":
        env.use_gemini(server, timeout_s=timeout_s)
        return Harness(
            name,
            server,
            "gemini-3.5-flash-lite",
            lambda body: body["generationConfig"]["responseJsonSchema"],
            lambda body: (body["contents"][-2]["parts"][0]["text"], body["contents"][-1]["parts"][0]["text"]),
            0.00155,
        )
    env.use_bedrock(server, timeout_s=timeout_s)
    return Harness(
        name,
        server,
        "amazon.nova-lite-v1:0",
        lambda body: body["toolConfig"]["tools"][0]["toolSpec"]["inputSchema"]["json"],
        lambda body: (body["messages"][-2]["content"][0]["text"], body["messages"][-1]["content"][0]["text"]),
        0.00018,
        auth_status=403,  # AWS answers AccessDeniedException with 403
    )


@pytest.fixture(scope="session", autouse=True)
def _prices_loaded() -> None:
    """Load genai-prices' data once per test process, before any test times anything. In production it loads
    in a background thread during the first provider call (bench/bench_llm.py measures that); here it would
    compete for the CPU with whichever timed test happens to make the first call."""
    from llm_registry import pricing

    pricing.preload()
    pricing._ready_snapshot()


@pytest.fixture(params=PROVIDERS)
def harness(request: pytest.FixtureRequest, llm_env: LlmEnvironment) -> Harness:  # noqa: F811
    """Each test using this runs once per provider, with the provider first and `backup` after it. The
    provider's SDK is imported and its client built here, so that timed tests time the call, not the import
    (which takes seconds on a loaded machine)."""
    server = request.getfixturevalue(f"{request.param}_server")
    built = _harness(request.param, server, llm_env, None)
    built.env = llm_env
    llm_env.order(request.param, "backup")
    llm_registry.get_provider(request.param).warm_up()
    return built


@dataclass
class Backup:
    """An in-process provider registered from outside, like the core's offline generator."""

    calls: list[ProviderCall]


@pytest.fixture
def backup(llm_env: LlmEnvironment) -> Iterator[Backup]:  # noqa: F811 - registered after llm_env isolates
    record = Backup(calls=[])

    def answer(call: ProviderCall) -> Plan:
        record.calls.append(call)
        return Plan.model_validate(VALID_PLAN)

    llm_registry.register_provider("backup", lambda: FunctionProvider("backup", answer, model="backup-v1"))
    yield record
    llm_registry.unregister_provider("backup")


@pytest.fixture
def emitted(capsys: pytest.CaptureFixture[str]) -> Callable[[], list[dict[str, Any]]]:
    """Reads the JSON documents printed on stdout so far: Powertools logs and EMF metric documents."""

    def read() -> list[dict[str, Any]]:
        documents = []
        for line in capsys.readouterr().out.splitlines():
            if line.startswith("{"):
                try:
                    documents.append(json.loads(line))
                except json.JSONDecodeError:
                    continue
        return documents

    return read
