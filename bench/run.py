"""`make bench`: prints measured figures. Nothing here asserts a time; these machines are shared and noisy."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TextIO

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cold_start
import layer_size

HERE = Path(__file__).resolve().parent
LOG = HERE / "results" / "powertools.log"  # bench/results/ is git-ignored


def section(title: str, lines: list[str]) -> None:
    print(f"\n== {title}")
    for line in lines:
        print(line)


def is_powertools_output(line: str) -> bool:
    """A line Powertools wrote, not a figure: an Embedded Metric Format document (its root key `_aws`,
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html)
    or a Logger record (a JSON object with level, message and timestamp). Handlers run in-process in some
    benchmarks and write these to stdout, as they do in Lambda."""
    if not line.startswith("{"):
        return False
    try:
        document = json.loads(line)
    except ValueError:
        return False
    return isinstance(document, dict) and (
        "_aws" in document or {"level", "message", "timestamp"} <= set(document)
    )


def run_script(script: Path, figures: TextIO, log: TextIO) -> None:
    """Run one benchmark script: its figures to `figures`, Powertools' own lines to `log`, stderr as is."""
    process = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, encoding="utf-8"
    )
    assert process.stdout is not None
    for line in process.stdout:
        (log if is_powertools_output(line) else figures).write(line)
        figures.flush()
    if process.wait() != 0:
        raise subprocess.CalledProcessError(process.returncode, script.name)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        section("Cold start", cold_start.run(Path(tmp)))
    section("Layer size", layer_size.run())
    # Further sections are standalone scripts so each can also be run on its own.
    LOG.parent.mkdir(parents=True, exist_ok=True)
    with open(LOG, "w", encoding="utf-8") as log:
        for script in sorted(HERE.glob("bench_*.py")):
            print(f"\n== {script.stem.removeprefix('bench_')}", flush=True)
            run_script(script, sys.stdout, log)
    print(
        f"\n(Powertools log and metric lines of the handlers: {LOG.relative_to(HERE.parent)})",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
