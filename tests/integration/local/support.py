"""Shared by the local runtime's integration tests: where the fixtures live, a plain HTTP client, and
`python -m local` as a subprocess."""

from __future__ import annotations

import http.client
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from local.template import load_template

FIXTURES = Path(__file__).parents[2] / "unit" / "local" / "fixtures"
REPO = Path(__file__).parents[3]
FIXTURE_TEMPLATES = (FIXTURES / "template.yaml", FIXTURES / "ws" / "template.yaml")


@cache
def _project_variables() -> frozenset[str]:
    """Every variable the project's template (and the fixture templates the CLI tests run) declare."""
    templates = [load_template(path) for path in (REPO / "template.yaml", *FIXTURE_TEMPLATES)]
    return frozenset(name for t in templates for spec in t.functions.values() for name in spec.environment)


def cli_env(**variables: str) -> dict[str, str]:
    """The environment of a `python -m local` subprocess: this one's, minus the moto endpoint tests set and
    minus every variable the project's template declares, then `variables`. `python -m local` lets the
    shell win over the template, so a variable that happens to be set where the tests run (LLM_PROVIDERS in
    a developer's shell) must not reach it unless a test sets it on purpose. LOCAL_DATA_DIR is empty: a run
    keeps its data in memory unless the test gives it a --data-dir (never the developer's .local-data/)."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in _project_variables()
        and name not in ("AWS_ENDPOINT_URL", "MONGOMOCK_CLIENT_FACTORY")
        # Under `make test` these make a `make` subprocess a sub-make, which prints "Entering directory".
        and name not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")
    }
    env["PYTHONUNBUFFERED"] = "1"
    env["LOCAL_DATA_DIR"] = ""
    env.update(variables)
    return env


def local_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m local ARGS` run to its end (invoke, reset, a run that fails to start)."""
    return subprocess.run(  # noqa: S603 - our own interpreter and module, fixed arguments
        [sys.executable, "-m", "local", *args],
        cwd=REPO,
        env=env if env is not None else cli_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _forward(stream: IO[str], into: queue.Queue[str]) -> None:
    for line in stream:
        into.put(line)


@contextmanager
def local_run(
    *args: str, env: dict[str, str] | None = None
) -> Iterator[tuple[subprocess.Popen[str], list[str]]]:
    """`python -m local run ARGS` in a process group of its own (so a test can check nothing of it survives),
    started: yields the process and the lines it printed up to "Press Ctrl-C". Killed on the way out if the
    test did not stop it. `env`: the whole environment (default: cli_env())."""
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module, fixed arguments
        [sys.executable, "-m", "local", "run", *args],
        cwd=REPO,
        env=env if env is not None else cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    threading.Thread(target=_forward, args=(process.stdout, lines), daemon=True).start()
    try:
        printed: list[str] = []
        deadline = time.monotonic() + 60
        while not any(line.startswith("Press Ctrl-C") for line in printed):
            assert time.monotonic() < deadline, f"run did not start: {printed}"
            printed.append(lines.get(timeout=60))
        yield process, printed
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        values = [value for key, value in self.headers if key.lower() == name.lower()]
        return ", ".join(values) if values else None

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]


class Client:
    """A thin http.client wrapper: repeated headers, any method, raw bytes; nothing hidden."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: list[tuple[str, str]] | None = None
    ) -> Reply:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.putrequest(method, path, skip_accept_encoding=True)
            for name, value in headers or []:
                connection.putheader(name, value)
            if body is not None:
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            return Reply(response.status, response.getheaders(), response.read())
        finally:
            connection.close()
