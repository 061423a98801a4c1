"""Offline generator: knowledge-base load time in a fresh interpreter (as on a Lambda cold start), and
generation time per corpus resume once loaded. Medians; nothing asserted (shared, noisy machines)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for entry in (ROOT / "layers" / "core", ROOT):
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))

from careercoach.models.resume import ResumeInput  # noqa: E402  (path set up above)
from careercoach.offline import OfflineGenerator  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"
COLD_RUNS = int(os.environ.get("BENCH_OFFLINE_COLD_RUNS", "7"))
WARM_RUNS = int(os.environ.get("BENCH_OFFLINE_RUNS", "15"))

# Run in a fresh interpreter: pydantic and the domain models first (every core function pays for those
# anyway), then the knowledge package, then the first knowledge() call that reads and indexes the data.
_PROBE = textwrap.dedent(
    """
    import json, sys, time
    sys.path[:0] = sys.argv[1:]
    t0 = time.perf_counter()
    import pydantic, careercoach.models.generation, careercoach.models.resume
    t1 = time.perf_counter()
    import careercoach.knowledge
    t2 = time.perf_counter()
    careercoach.knowledge.knowledge()
    t3 = time.perf_counter()
    print(json.dumps({"models": t1 - t0, "package": t2 - t1, "load": t3 - t2}))
    """
)


def cold_load() -> dict[str, float]:
    samples: dict[str, list[float]] = {"models": [], "package": [], "load": []}
    for _ in range(COLD_RUNS):
        out = subprocess.run(
            [sys.executable, "-c", _PROBE, str(ROOT / "layers" / "core"), str(ROOT)],
            check=True,
            capture_output=True,
            text=True,
        )
        for key, value in json.loads(out.stdout).items():
            samples[key].append(value)
    return {key: statistics.median(values) for key, values in samples.items()}


def median_ms(fn: object, runs: int) -> float:
    assert callable(fn)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> int:
    cold = cold_load()
    print(f"Knowledge base, fresh interpreter (median of {COLD_RUNS}):")
    rows = [
        ("pydantic + domain models import", cold["models"], "(paid by every core function anyway)"),
        ("careercoach.knowledge import", cold["package"], ""),
        ("knowledge(): read, validate, index", cold["load"], ""),
        ("offline-specific cold cost", cold["package"] + cold["load"], ""),
    ]
    for label, seconds, note in rows:
        print(f"  {label:36} {seconds * 1000:7.1f} ms  {note}".rstrip())

    generator = OfflineGenerator()
    generator.knowledge  # noqa: B018  (load outside the timed region)
    print(f"\nGeneration per resume, knowledge loaded (median of {WARM_RUNS} runs, ms):")
    print(f"  {'resume':32} {'lang':4} {'5 questions':>11} {'10 questions':>12} {'learning path':>13}")
    totals: list[float] = []
    for path in sorted(CORPUS.glob("*.json")):
        resume = ResumeInput.model_validate(json.loads(path.read_text(encoding="utf-8"))).to_content()
        q5 = median_ms(lambda r=resume: generator.questions(r, count=5), WARM_RUNS)
        q10 = median_ms(lambda r=resume: generator.questions(r, count=10), WARM_RUNS)
        lp = median_ms(lambda r=resume: generator.learning_path(r), WARM_RUNS)
        totals += [q5, lp]
        print(f"  {path.stem:32} {resume.language:4} {q5:11.2f} {q10:12.2f} {lp:13.2f}")
    print(f"  slowest single call: {max(totals):.2f} ms; median over all: {statistics.median(totals):.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
