"""Exports: what the calendar export's library costs and how long each export takes to make.

- icalendar's import time in a fresh interpreter (as on the first calendar request of a Lambda execution
  environment), beside the domain models every core function imports anyway, and its size on disk with
  tzdata (what it adds to the core layer);
- the time to render a learning path as .ics and a question set as .md once loaded, for each sample resume,
  from the offline generator's results.
Medians; nothing asserted (shared, noisy machines)."""

from __future__ import annotations

import importlib.util
import json
import os
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for entry in (ROOT / "layers" / "core", ROOT):
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))

from careercoach.exports.calendar import LEARNING_PATH_CALENDAR, CalendarOptions  # noqa: E402
from careercoach.exports.markdown import QUESTIONS_MARKDOWN  # noqa: E402
from careercoach.models.generation import InterviewSet, LearningPath  # noqa: E402
from careercoach.models.resume import ResumeInput  # noqa: E402
from careercoach.offline import OfflineGenerator  # noqa: E402
from careercoach.resources import catalog  # noqa: E402

SAMPLES = ROOT / "samples"
COLD_RUNS = int(os.environ.get("BENCH_EXPORT_COLD_RUNS", "7"))
WARM_RUNS = int(os.environ.get("BENCH_EXPORT_RUNS", "30"))
MB = 1024 * 1024
START = CalendarOptions(date(2025, 6, 2))

_PROBE = textwrap.dedent(
    """
    import json, sys, time
    sys.path[:0] = sys.argv[1:]
    t0 = time.perf_counter()
    import pydantic, careercoach.models.generation, careercoach.exports.calendar
    t1 = time.perf_counter()
    import icalendar
    t2 = time.perf_counter()
    print(json.dumps({"models": t1 - t0, "icalendar": t2 - t1}))
    """
)


def cold_imports() -> dict[str, float]:
    samples: dict[str, list[float]] = {"models": [], "icalendar": []}
    for _ in range(COLD_RUNS):
        out = subprocess.run(
            [sys.executable, "-c", _PROBE, str(ROOT / "layers" / "core"), str(ROOT)],
            check=True,
            capture_output=True,
            text=True,
        )
        for key, value in json.loads(out.stdout).items():
            samples[key].append(value)
    return {key: statistics.median(values) * 1000 for key, values in samples.items()}


def package_mb(name: str) -> float:
    """Installed size, without bytecode caches and without the package's own test suite (the core layer's
    build leaves icalendar's out)."""
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.origin is not None
    folder = Path(spec.origin).parent
    files = [p for p in folder.rglob("*") if p.is_file() and not {"__pycache__", "tests"} & set(p.parts)]
    return sum(p.stat().st_size for p in files) / MB


def median_ms(fn: Callable[..., object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def records(sample: Path) -> tuple[LearningPath, InterviewSet]:
    """A learning path and a 10-question set for `sample`, shaped as stored (from the offline generator)."""
    content = ResumeInput.model_validate(json.loads(sample.read_text(encoding="utf-8"))).to_content()
    generator = OfflineGenerator()
    path = generator.learning_path(content)
    questions = generator.questions(content, count=10)
    common: dict[str, Any] = {
        "id": "bench",
        "unique_key": "bench",
        "language": content.language,
        "provider": "offline",
        "model": None,
        "attempts": [],
        "usage": {},
        "prompt_version": "bench",
        "created_at": "2025-06-11T00:00:00Z",
    }
    resources = catalog()
    steps = [
        {
            **step.model_dump(exclude={"resource_ids"}),
            "resources": [r for r in map(resources.resolve, step.resource_ids) if r is not None],
        }
        for step in path.steps
    ]
    learning = LearningPath.model_validate(
        {**common, "options": {}, **path.model_dump(exclude={"steps"}), "steps": steps}
    )
    interview = InterviewSet.model_validate({**common, "options": {"count": 10}, **questions.model_dump()})
    return learning, interview


def main() -> int:
    cold = cold_imports()
    print(f"  icalendar import, fresh interpreter (median of {COLD_RUNS}): {cold['icalendar']:.1f} ms")
    print(f"    (pydantic, the models and the export modules before it: {cold['models']:.1f} ms)")
    sizes = f"icalendar {package_mb('icalendar'):.2f} MB, tzdata {package_mb('tzdata'):.2f} MB"
    print(f"  on disk (as in the layer): {sizes}")
    print(f"  render, median of {WARM_RUNS} (after the import):")
    print(f"    {'sample':<28}{'.ics ms':>9}{'.ics KB':>9}{'.md ms':>8}{'.md KB':>8}")
    for sample in sorted(SAMPLES.glob("*.json")):
        learning, interview = records(sample)
        ics = LEARNING_PATH_CALENDAR.render(learning, START).body
        md = QUESTIONS_MARKDOWN.render(interview, None).body
        ics_ms = median_ms(lambda p=learning: LEARNING_PATH_CALENDAR.render(p, START), WARM_RUNS)
        md_ms = median_ms(lambda q=interview: QUESTIONS_MARKDOWN.render(q, None), WARM_RUNS)
        print(
            f"    {sample.name:<28}{ics_ms:>9.2f}{len(ics.encode()) / 1024:>9.1f}"
            f"{md_ms:>8.2f}{len(md.encode()) / 1024:>8.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
