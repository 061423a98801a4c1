"""LLM registry figures: start-up cost by configured providers, and per-call overhead over a bare SDK call.

1. Import + warm-up (SDK import and client construction) of llm_registry in fresh interpreters, with one
   provider configured versus all five, median of several runs. Only configured providers load their SDK.
2. Per-call time against a loopback fake server: the bare SDK call (plus the same Pydantic validation a
   caller would do) versus `llm_registry.generate` (schema building, validation, attempt record, logs and
   EMF metrics included), interleaved, median of many calls. The difference is the registry's overhead.

Run: .venv/bin/python bench/bench_llm.py   (BENCH_LLM_IMPORT_RUNS, BENCH_LLM_CALLS tune the counts)
Nothing here asserts a time; shared machines are noisy."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "layers" / "llm")]

IMPORT_RUNS = int(os.environ.get("BENCH_LLM_IMPORT_RUNS", "7"))
CALLS = int(os.environ.get("BENCH_LLM_CALLS", "50"))

FAKE_AWS = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": "us-east-1"}
ONE_PROVIDER = {"OPENAI_API_KEY": "sk-bench"}
ALL_PROVIDERS = {
    "OPENAI_API_KEY": "sk-bench",
    "ANTHROPIC_API_KEY": "ant-bench",
    "GEMINI_API_KEY": "gem-bench",
    "BEDROCK_MODEL": "amazon.nova-lite-v1:0",
    "OPENAI_COMPATIBLE_BASE_URL": "http://127.0.0.1:9/v1",
    "OPENAI_COMPATIBLE_MODEL": "llama3.2",
    **FAKE_AWS,
}

_IMPORT_PROBE = textwrap.dedent(
    """
    import json, sys, time
    started = time.perf_counter()
    import llm_registry
    imported = time.perf_counter()
    warmed = llm_registry.warm_up()
    done = time.perf_counter()
    print(json.dumps({"import_ms": (imported - started) * 1000, "total_ms": (done - started) * 1000,
                      "providers": warmed}))
    """
)


def _probe(env: dict[str, str]) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-c", _IMPORT_PROBE],
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT / "layers" / "llm"), **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def startup_lines() -> list[str]:
    lines = [f"import + warm-up in a fresh interpreter, median of {IMPORT_RUNS} runs:"]
    for label, env in (("no provider configured", {}), ("one provider (openai)", ONE_PROVIDER)):
        runs = [_probe(env) for _ in range(IMPORT_RUNS)]
        lines.append(_startup_line(label, runs))
    runs = [_probe(ALL_PROVIDERS) for _ in range(IMPORT_RUNS)]
    lines.append(_startup_line(f"all {len(runs[0]['providers'])} providers", runs))
    return lines


def _startup_line(label: str, runs: list[dict[str, Any]]) -> str:
    import_ms = statistics.median(run["import_ms"] for run in runs)
    total_ms = statistics.median(run["total_ms"] for run in runs)
    return f"  {label:<24} import {import_ms:7.1f} ms   import + clients {total_ms:7.1f} ms"


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Logs and EMF metrics are still formatted and written (that is part of the overhead), to /dev/null."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(devnull)
        os.close(saved)


def _bare_calls(
    servers: dict[str, Any], plan_model: type[Any], schema: dict[str, Any]
) -> dict[str, Callable[[], Any]]:
    """The same request each provider module sends, made with the SDK directly, then validated."""
    import anthropic
    import boto3
    import openai
    from botocore.config import Config
    from google import genai
    from google.genai import types

    system, prompt = "You write study plans.", "Plan for: Kafka."
    oa = openai.OpenAI(api_key="sk-bench", base_url=servers["openai"].base_url, max_retries=0, timeout=20)
    an = anthropic.Anthropic(
        api_key="ant-bench", base_url=servers["anthropic"].base_url, max_retries=0, timeout=20
    )
    gm = genai.Client(
        api_key="gem-bench",
        http_options=types.HttpOptions(
            base_url=servers["gemini"].base_url,
            timeout=20_000,
            retry_options=types.HttpRetryOptions(attempts=1),
        ),
    )
    br = boto3.session.Session().client(
        "bedrock-runtime",
        endpoint_url=servers["bedrock"].base_url,
        config=Config(read_timeout=20, retries={"total_max_attempts": 1, "mode": "standard"}),
    )

    def openai_call() -> Any:
        completion = oa.chat.completions.create(
            model="gpt-5.4-mini",
            messages=[{"role": "system", "content": system}, {"role": "user", "content": prompt}],
            response_format={"type": "json_schema", "json_schema": {"name": "Plan", "schema": schema}},
            max_completion_tokens=4096,
            reasoning_effort="none",
        )
        return plan_model.model_validate_json(completion.choices[0].message.content)

    def anthropic_call() -> Any:
        message = an.messages.create(
            model="claude-haiku-5-5",
            max_tokens=4096,
            system=system,
            messages=[{"role": "user", "content": prompt}],
            output_config={
                "format": {"type": "json_schema", "schema": anthropic.transform_schema(schema)},
                "effort": "low",
            },
            thinking={"type": "disabled"},
        )
        block: Any = message.content[0]
        return plan_model.model_validate_json(block.text)

    def gemini_call() -> Any:
        response = gm.models.generate_content(
            model="gemini-3.5-flash-lite",
            contents=prompt,
            config=types.GenerateContentConfig(
                system_instruction=system,
                response_mime_type="application/json",
                response_json_schema=schema,
                thinking_config=types.ThinkingConfig(thinking_level=types.ThinkingLevel.MINIMAL),
            ),
        )
        return plan_model.model_validate_json(response.text or "")

    def bedrock_call() -> Any:
        response = br.converse(
            modelId="amazon.nova-lite-v1:0",
            system=[{"text": system}],
            messages=[{"role": "user", "content": [{"text": prompt}]}],
            inferenceConfig={"maxTokens": 4096},
            toolConfig={
                "tools": [{"toolSpec": {"name": "Plan", "inputSchema": {"json": schema}}}],
                "toolChoice": {"tool": {"name": "Plan"}},
            },
        )
        return plan_model.model_validate(response["output"]["message"]["content"][0]["toolUse"]["input"])

    return {
        "openai": openai_call,
        "anthropic": anthropic_call,
        "gemini": gemini_call,
        "bedrock": bedrock_call,
    }


def _timed(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def overhead_lines() -> list[str]:
    for name, value in {**FAKE_AWS, "POWERTOOLS_SERVICE_NAME": "bench"}.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "Bench")

    import llm_registry
    from tests.fakes.sample_output import VALID_PLAN, Plan
    from tests.fakes.wire_formats import (
        AnthropicMessagesServer,
        BedrockConverseServer,
        GeminiServer,
        OpenAIChatServer,
    )

    servers: dict[str, Any] = {
        "openai": OpenAIChatServer(),
        "anthropic": AnthropicMessagesServer(),
        "gemini": GeminiServer(),
        "bedrock": BedrockConverseServer(),
    }
    for server in servers.values():
        server.start()
        server.default_reply = server.ok(VALID_PLAN)
    os.environ.update(
        OPENAI_API_KEY="sk-bench",
        OPENAI_BASE_URL=servers["openai"].base_url,
        ANTHROPIC_API_KEY="ant-bench",
        ANTHROPIC_BASE_URL=servers["anthropic"].base_url,
        GEMINI_API_KEY="gem-bench",
        GEMINI_BASE_URL=servers["gemini"].base_url,
        BEDROCK_MODEL="amazon.nova-lite-v1:0",
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME=servers["bedrock"].base_url,
    )
    llm_registry.reset()
    request = llm_registry.LlmRequest(system="You write study plans.", prompt="Plan for: Kafka.")
    bare = _bare_calls(servers, Plan, llm_registry.output_schema(Plan).json_schema)

    lines = [
        f"per call against a loopback fake server, median of {CALLS} calls (interleaved):",
        f"  {'provider':<10} {'bare SDK':>10} {'registry':>10} {'overhead':>10}",
    ]
    try:
        for name, bare_call in bare.items():

            def registry_call(name: str = name) -> Any:
                return llm_registry.generate(request, Plan, provider=name)

            with _quiet_stdout():
                for _ in range(5):  # warm connections, imports and caches on both paths
                    bare_call()
                    registry_call()
                bare_ms, registry_ms = [], []
                for _ in range(CALLS):
                    bare_ms.append(_timed(bare_call))
                    registry_ms.append(_timed(registry_call))
            bare_median, registry_median = statistics.median(bare_ms), statistics.median(registry_ms)
            overhead = registry_median - bare_median
            lines.append(f"  {name:<10} {bare_median:8.2f} ms {registry_median:8.2f} ms {overhead:+8.2f} ms")
    finally:
        for server in servers.values():
            server.stop()
    return lines


_PRICES_PROBE = textwrap.dedent(
    """
    import json, time
    started = time.perf_counter()
    from llm_registry import pricing
    cost = pricing.estimate_cost("openai", "gpt-5.4-mini", 1000, 500)
    print(json.dumps({"ms": (time.perf_counter() - started) * 1000, "cost": cost}))
    """
)


def prices_lines() -> list[str]:
    """genai-prices' bundled data, loaded in a fresh interpreter: with the bytecode cache pip leaves in a
    venv, and without one, as in a read-only Lambda layer built with --no-compile."""
    import genai_prices

    package = Path(genai_prices.__file__).parent
    runs: dict[str, list[float]] = {"with bytecode cache": [], "no bytecode (as in the layer)": []}
    with tempfile.TemporaryDirectory() as scratch:
        shutil.copytree(package, Path(scratch) / "genai_prices", ignore=shutil.ignore_patterns("__pycache__"))
        for label, extra_path, env in (
            ("with bytecode cache", "", {}),
            ("no bytecode (as in the layer)", scratch, {"PYTHONDONTWRITEBYTECODE": "1"}),
        ):
            path = os.pathsep.join(p for p in (extra_path, str(ROOT / "layers" / "llm")) if p)
            for _ in range(max(3, IMPORT_RUNS // 2)):
                completed = subprocess.run(
                    [sys.executable, "-c", _PRICES_PROBE],
                    env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": path, **env},
                    capture_output=True,
                    text=True,
                    check=True,
                    timeout=120,
                )
                runs[label].append(json.loads(completed.stdout.strip().splitlines()[-1])["ms"])
    lines = ["first cost estimate (genai-prices import + bundled data), fresh interpreter, median:"]
    for label, values in runs.items():
        lines.append(f"  {label:<32} {statistics.median(values):7.1f} ms")
    lines.append("  (loaded in a background thread while the first provider call is in flight)")
    return lines


def main() -> int:
    for line in startup_lines():
        print(line, flush=True)
    for line in prices_lines():
        print(line, flush=True)
    for line in overhead_lines():
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
