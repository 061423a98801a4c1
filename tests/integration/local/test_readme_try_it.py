"""README.md's "Try it" section works as written: its shell blocks, extracted from the README, run in bash
at the repository's root against runtimes they start themselves, as a reader pasting them would.

Only what the reader's machine would differ in is changed: `make run` becomes `python -m local run` with
this interpreter (the environment `make run` would set up is the one running the tests), the ports are free
ones (LOCAL_HTTP_PORT, LOCAL_WS_PORT, LOCAL_AUTH_PORT, and the same ports in the commands' URLs), the data
is kept in a directory of the test's own (LOCAL_DATA_DIR; never the checkout's .local-data/, which a
developer's own `make run` may be using) and never in a MongoDB server named by the shell, and no provider
key reaches the runtime (the offline generator answers).
The script runs with `set -e -o pipefail`, so any command that fails (curl with --fail-with-body on an
error answer, python3 on an unexpected body) fails the test. The runtimes it starts are its background jobs,
in its process group: whatever happens, nothing outlives the test."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.local.support import REPO, cli_env, free_port

README = REPO / "README.md"
SECTION = "## Try it"
TIMEOUT_S = 300
# Variables that would point the runtime at a real provider or a real database.
PROVIDER_VARIABLES = re.compile(
    r"^(.*_API_KEY|LLM_PROVIDERS|LLM_SECRET_ARN|BEDROCK_MODEL|OPENAI_COMPATIBLE_.*)$"
)


def try_it_blocks(readme: str) -> list[str]:
    """The ```bash blocks of the "Try it" section, in order."""
    start = readme.index(f"\n{SECTION}\n")
    end = readme.find("\n## ", start + 1)
    section = readme[start : end if end != -1 else None]
    return re.findall(r"```bash\n(.*?)```", section, flags=re.DOTALL)


def as_test_script(blocks: list[str], ports: dict[int, int], python: str) -> str:
    script = "\n".join(blocks)
    assert re.search(r"^make run &", script, flags=re.MULTILINE), "Try it no longer starts `make run &`"
    script = re.sub(r"\bmake run AUTH=1\b", f"'{python}' -m local run --auth", script)
    script = re.sub(r"\bmake run\b", f"'{python}' -m local run", script)
    for documented, free in ports.items():
        script = script.replace(f"127.0.0.1:{documented}", f"127.0.0.1:{free}")
    prologue = "set -e -o pipefail\ntrap 'kill $(jobs -p) 2>/dev/null; wait' EXIT\n"
    return prologue + script


def test_the_blocks_are_found_and_start_with_the_runtime() -> None:
    blocks = try_it_blocks(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 5
    assert blocks[0].startswith("make run &")
    assert any("@samples/resume-short-form.json" in block for block in blocks)
    assert (REPO / "samples" / "resume-short-form.json").is_file()


def test_the_try_it_commands_run_as_written(tmp_path: Path) -> None:
    http, ws, auth = free_port(), free_port(), free_port()
    ports = {3000: http, 3001: ws, 3002: auth}
    script = as_test_script(try_it_blocks(README.read_text(encoding="utf-8")), ports, sys.executable)
    env = {k: v for k, v in cli_env().items() if not PROVIDER_VARIABLES.match(k)}
    env.update(
        {
            "LOCAL_HTTP_PORT": str(http),
            "LOCAL_WS_PORT": str(ws),
            "LOCAL_AUTH_PORT": str(auth),
            "MONGODB_URI": "mongomock://localhost/readme",
            "LOCAL_DATA_DIR": str(tmp_path / "local-data"),
        }
    )
    process = subprocess.Popen(  # noqa: S603 - bash running the README's own commands
        ["bash", "-c", script],  # noqa: S607 - bash from PATH, as the reader's shell
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        output = ""
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # the script and any runtime it left running
    if process.returncode is None:
        output, _ = process.communicate()
        pytest.fail(f"the Try it commands did not finish in {TIMEOUT_S} s:\n{output[-4000:]}")
    assert process.returncode == 0, f"a Try it command failed (exit {process.returncode}):\n{output[-6000:]}"

    # What the reader is told they will see.
    assert re.search(r"^HTTP/1\.1 201 Created", output, flags=re.MULTILINE), output[-3000:]
    key = re.search(r"^location: /api/v1/resumes/([A-Za-z0-9_-]{22})\s*$", output, flags=re.I | re.M)
    assert key, output[-3000:]
    assert re.search(rf"^{key.group(1)}$", output, flags=re.MULTILINE)  # echo "$KEY"
    assert re.search(r"^# Interview questions$", output, flags=re.MULTILINE), output[-3000:]
    assert "BEGIN:VCALENDAR" in output and "DTSTART;VALUE=DATE:20250901" in output
    assert re.search(r"^succeeded 100 saved$", output, flags=re.MULTILINE), output[-3000:]
    assert "export TOKEN=" in output  # the AUTH=1 banner's line, ready to paste
    assert '"items":[{"unique_key"' in output  # alice's list: the resume she created


def test_the_readme_names_no_file_outside_the_repository() -> None:
    """The issue's first stumble: a sample named by a path outside the clone."""
    for block in try_it_blocks(README.read_text(encoding="utf-8")):
        for reference in re.findall(r"@(\S+)", block):
            assert not reference.startswith(("..", "/")), reference
            assert (REPO / Path(reference)).is_file(), reference


def test_every_table_in_the_readme_has_a_header_row() -> None:
    """A table without a header row (a row, then the |---| delimiter) renders as plain text."""
    lines = README.read_text(encoding="utf-8").splitlines()
    fenced = False
    for number, line in enumerate(lines):
        if line.startswith("```"):
            fenced = not fenced
        if fenced or not line.startswith("|") or (number > 0 and lines[number - 1].startswith("|")):
            continue
        delimiter = lines[number + 1] if number + 1 < len(lines) else ""
        assert re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", delimiter), (
            f"README.md:{number + 1}: a table with no header"
        )
