"""Fan-out against one long call: latency, tokens and cost, side by side in one run.

The real OpenAI SDK talks to the loopback fake OpenAI server in its simulated-speed mode (1 s to the first
token, then 100 tokens per second by default): each answer is held back for the time a model at that speed
would take to write it, computed from its size in tokens (o200k_base). The answers are the offline
generator's own output for `samples/resume-ko-backend.json` (tests/support/model_answers.py), cut to what each
request asks for, so sizes are realistic and every result passes the real checks. The fake's prompt cache
behaves as OpenAI documents its automatic one (prefixes of 1024+ tokens, in steps of 128, reused once the
first request's prefill is done); it is not cleared between runs, so later runs show what a second
generation for the same resume within minutes would reuse.

For each of 5 questions, 10 questions and a learning path: the single-call path, the fan-out with the local
planner (the default) and the fan-out with a model plan, `BENCH_FANOUT_RUNS` runs each (default 3): median
and slowest latency, input (of which cached) and output tokens, and cost. Then counts 1-3 (one run each)
to show where fanning out starts to pay. The last line is the summary the issue asks for:
`fanout ratio questions5=R questions10=R learning_path=R max_ms=N` (R: fan-out median / single median with
the default planner; N: the slowest fan-out run). Nothing here asserts a time: shared machines are noisy.

Run: .venv/bin/python bench/bench_fanout.py   (BENCH_FANOUT_RUNS, BENCH_FANOUT_TTFT_S, BENCH_FANOUT_TPS,
BENCH_FANOUT_SWEEP=0 to skip the small counts)"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "layers/core"), str(ROOT / "layers/llm"), str(ROOT)]

RUNS = int(os.environ.get("BENCH_FANOUT_RUNS", "3"))
TTFT_S = float(os.environ.get("BENCH_FANOUT_TTFT_S", "1.0"))
TOKENS_PER_S = float(os.environ.get("BENCH_FANOUT_TPS", "100"))
SWEEP = os.environ.get("BENCH_FANOUT_SWEEP", "1") != "0"
OWNER = "bench"
RESUME = ROOT / "samples" / "resume-ko-backend.json"


@dataclass
class Run:
    ms: float
    input_tokens: int
    cached_tokens: int
    output_tokens: int
    cost_usd: float
    calls: int
    provider: str
    degraded: bool
    mode: str


def _cell(label: str, run: Run) -> str:
    return (
        f" {label} {run.ms:6.0f} ms {run.input_tokens:5d} in {run.output_tokens:5d} out ${run.cost_usd:.6f}"
    )


def main() -> None:
    # Before anything creates the Powertools logger: warnings and errors only.
    os.environ.update(
        {
            "MONGODB_URI": "mongomock://localhost/bench_fanout",
            "GENERATION_QUOTA_PER_HOUR": "0",
            "LLM_PROVIDERS": "openai,offline",
            "OPENAI_API_KEY": "sk-bench",
            # Long enough for the slowest single call to finish: this measures how long it takes, not the
            # deadline (with the default 20 s a 10-question call times out and the offline generator answers).
            "OPENAI_TIMEOUT_S": "120",
            "POWERTOOLS_LOG_LEVEL": "ERROR",
            "POWERTOOLS_METRICS_NAMESPACE": "CareerCoachBench",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
    )
    import contextlib

    import llm_registry
    from careercoach import container
    from careercoach.generation.interview import INTERVIEW
    from careercoach.generation.learning import LEARNING_PATH
    from careercoach.generation.plan import FanOutPolicy
    from careercoach.generation.service import GenerationService
    from careercoach.models.generation import GenerationOptions, InterviewOptions, LearningPathOptions
    from careercoach.models.resume import ResumeInput
    from careercoach.resources import catalog
    from tests.fakes.server import PromptCache, Speed
    from tests.fakes.wire_formats import OpenAIChatServer
    from tests.support.model_answers import ModelAnswers

    server = OpenAIChatServer().start()
    server.speed = Speed(time_to_first_token_s=TTFT_S, tokens_per_s=TOKENS_PER_S)
    server.prompt_cache = PromptCache()
    try:
        os.environ["OPENAI_BASE_URL"] = server.base_url
        llm_registry.reset()
        container.reset()
        environment = container.current()
        raw = json.loads(RESUME.read_text(encoding="utf-8"))
        stored = environment.resumes.create(ResumeInput.model_validate(raw), owner=OWNER)
        key, resume = stored.unique_key, stored.content()

        def service(policy: FanOutPolicy) -> GenerationService:
            return GenerationService(environment.resumes, environment, catalog(), fanout=policy)

        modes = {
            "single": service(FanOutPolicy(mode="off")),
            "fanout (local plan)": service(FanOutPolicy(mode="auto", planner="local", min_items=1)),
            "fanout (model plan)": service(FanOutPolicy(mode="auto", planner="model", min_items=1)),
        }
        cases: list[tuple[str, Any, GenerationOptions]] = [
            ("questions5", INTERVIEW, InterviewOptions(count=5)),
            ("questions10", INTERVIEW, InterviewOptions(count=10)),
            ("learning_path", LEARNING_PATH, LearningPathOptions()),
        ]

        def measure(spec: Any, options: GenerationOptions, generator: GenerationService) -> Run:
            kind_options = {spec.kind: options}
            server.default_reply = ModelAnswers(resume, kind_options).reply(server)
            before = len(server.requests)
            started = time.perf_counter()
            with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):  # logs and EMF
                record = generator.generate(spec, key, options, owner=OWNER)
            elapsed = (time.perf_counter() - started) * 1000
            usage = record.usage
            return Run(
                ms=elapsed,
                input_tokens=usage.input_tokens,
                cached_tokens=usage.cached_input_tokens,
                output_tokens=usage.output_tokens,
                cost_usd=usage.cost_usd or 0.0,
                calls=len(server.requests) - before,
                provider=record.provider,
                degraded=record.degraded,
                mode=record.mode,
            )

        # Unmeasured: builds the SDK client and loads the price data, which the first call would pay.
        measure(INTERVIEW, InterviewOptions(count=1), modes["single"])
        server.prompt_cache.clear()
        print(
            f"fan-out vs one call: fake OpenAI at {TTFT_S:g} s to first token and {TOKENS_PER_S:g} tokens/s, "
            f"{RESUME.name}, {RUNS} run(s) each; tokens and cost are medians per generation"
        )
        header = (
            f"  {'case':<14}{'path':<21}{'median ms':>10}{'max ms':>9}{'calls':>6}{'input':>7}"
            f"{'cached 1st/med':>15}{'output':>8}{'cost 1st/med USD':>22}"
        )
        print(header)
        medians: dict[tuple[str, str], float] = {}
        slowest_fanout = 0.0
        summary: dict[str, dict[str, list[Run]]] = {}
        for case, spec, options in cases:
            summary[case] = {}
            for label, generator in modes.items():
                runs = [measure(spec, options, generator) for _ in range(RUNS)]
                summary[case][label] = runs
                median = statistics.median(r.ms for r in runs)
                medians[(case, label)] = median
                if label == "fanout (local plan)":
                    slowest_fanout = max(slowest_fanout, max(r.ms for r in runs))
                odd = [r for r in runs if r.degraded or r.provider != "openai"]
                note = f"  ({len(odd)} run(s) degraded)" if odd else ""
                print(
                    f"  {case:<14}{label:<21}{median:>10.0f}{max(r.ms for r in runs):>9.0f}"
                    f"{statistics.median(r.calls for r in runs):>6.0f}"
                    f"{statistics.median(r.input_tokens for r in runs):>7.0f}"
                    f"{f'{runs[0].cached_tokens}/{statistics.median(r.cached_tokens for r in runs):.0f}':>15}"
                    f"{statistics.median(r.output_tokens for r in runs):>8.0f}"
                    f"{f'{runs[0].cost_usd:.6f}/{statistics.median(r.cost_usd for r in runs):.6f}':>22}{note}"
                )

        print(
            "token and cost overhead of fan-out (local plan) over one call (medians; cost of the first run):"
        )
        for case, _, _ in cases:
            single = summary[case]["single"]
            fanned = summary[case]["fanout (local plan)"]

            def ratio(pick: Any, a: list[Run] = fanned, b: list[Run] = single) -> str:
                base = statistics.median(pick(r) for r in b)
                return f"{statistics.median(pick(r) for r in a) / base:.2f}x" if base else "n/a"

            first = f"{fanned[0].cost_usd / single[0].cost_usd:.2f}x" if single[0].cost_usd else "n/a"
            print(
                f"  {case:<14} input {ratio(lambda r: r.input_tokens)}, uncached input "
                f"{ratio(lambda r: r.input_tokens - r.cached_tokens)}, "
                f"output {ratio(lambda r: r.output_tokens)}, "
                f"cost {ratio(lambda r: r.cost_usd)} (first run {first})"
            )

        if SWEEP:
            print("small counts (one run each; x: latency over one call): where fanning out starts to pay")
            for count in (1, 2, 3):
                options = InterviewOptions(count=count)
                one = measure(INTERVIEW, options, modes["single"])
                cells = [f"  questions{count:<3}{_cell('single', one)}"]
                for label in ("fanout (local plan)", "fanout (model plan)"):
                    small = measure(INTERVIEW, options, modes[label])
                    cells.append(f"{_cell(label.split('(')[1].rstrip(')'), small)} x{small.ms / one.ms:.2f}")
                print(" |".join(cells))

        ratios = {
            case: medians[(case, "fanout (local plan)")] / medians[(case, "single")] for case, _, _ in cases
        }
        print(
            f"fanout ratio questions5={ratios['questions5']:.2f} questions10={ratios['questions10']:.2f} "
            f"learning_path={ratios['learning_path']:.2f} max_ms={slowest_fanout:.0f}"
        )
    finally:
        server.stop()
        container.reset()


if __name__ == "__main__":
    main()
