"""`make bench`: prints measured figures. Nothing here asserts a time; these machines are shared and noisy."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cold_start
import layer_size

HERE = Path(__file__).resolve().parent


def section(title: str, lines: list[str]) -> None:
    print(f"\n== {title}")
    for line in lines:
        print(line)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        section("Cold start", cold_start.run(Path(tmp)))
    section("Layer size", layer_size.run())
    # Further sections are standalone scripts so each can also be run on its own.
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n== {script.stem.removeprefix('bench_')}", flush=True)
        subprocess.run([sys.executable, str(script)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
