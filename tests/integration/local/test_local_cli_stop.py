"""Stopping `python -m local run` with signals: every stop ends, whatever the signals do, and a stop that
something holds up ends anyway after --stop-timeout. The 10 s bounds are guards against a hang (the failure
this replaces: a second SIGTERM deadlocked the signal handler on its own lock), not performance figures."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import boto3
import pytest

from tests.integration.local.support import FIXTURES, REPO, Client, free_port, local_run

pytestmark = pytest.mark.integration

STOP_GUARD_S = 10
# Each way of stopping is a list of (signal, pause after it): one SIGTERM, a burst of them, SIGINT and
# SIGTERM mixed, more signals while the stop is under way.
WAYS = [
    [(signal.SIGTERM, 0.0)],
    [(signal.SIGTERM, 0.0)] * 5,
    [(signal.SIGINT, 0.0), (signal.SIGTERM, 0.0), (signal.SIGINT, 0.0)],
    [(signal.SIGTERM, 0.3), (signal.SIGTERM, 0.3), (signal.SIGTERM, 0.0)],
]


def _stop(process: subprocess.Popen[str], way: list[tuple[signal.Signals, float]]) -> float:
    started = time.monotonic()
    for signum, pause in way:
        if process.poll() is None:
            process.send_signal(signum)
        time.sleep(pause)
    process.wait(timeout=STOP_GUARD_S)
    return time.monotonic() - started


def test_the_project_runtime_stops_on_sigterm_20_times_in_a_row(tmp_path: Path) -> None:
    for attempt in range(20):
        port, ws_port = free_port(), free_port()
        args = ("--port", str(port), "--ws-port", str(ws_port), "--data-dir", str(tmp_path / "data"))
        with local_run(*args) as (process, printed):
            assert f"HTTP API:   http://127.0.0.1:{port}\n" in printed
            assert f"Test page:  http://127.0.0.1:{port}/test\n" in printed
            if attempt % 10 == 0:  # now and then with the handlers loaded, too
                assert (
                    Client(f"http://127.0.0.1:{port}").request("GET", "/api/v1/resumes/health").status == 200
                )
            _stop(process, WAYS[attempt % len(WAYS)])
            assert process.returncode == 0, f"attempt {attempt}: exit status {process.returncode}"
        assert process.stderr is not None
        assert "Stopped." in process.stderr.read()


def test_a_stop_held_up_by_a_busy_handler_ends_after_the_stop_timeout() -> None:
    port = free_port()
    template = str(FIXTURES / "template.yaml")
    with local_run("-t", template, "-p", str(port), "--stop-timeout", "2", "--data-dir", "") as (
        process,
        printed,
    ):
        endpoint = next(line.split()[-1] for line in printed if line.startswith("AWS (moto):"))
        sqs = boto3.client("sqs", endpoint_url=endpoint, region_name="us-east-1")
        table = boto3.resource("dynamodb", endpoint_url=endpoint, region_name="us-east-1").Table(
            "careercoach-local-tasks"
        )
        url = sqs.get_queue_url(QueueName="careercoach-local-TasksQueue")["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="sleep:60")
        deadline = time.monotonic() + 30
        while "Item" not in table.get_item(Key={"task_id": "sleep:60#1"}):  # the worker is now asleep
            assert time.monotonic() < deadline, "the worker never ran"
            time.sleep(0.1)
        elapsed = _stop(process, [(signal.SIGTERM, 0.5), (signal.SIGINT, 0.0)])
        assert process.returncode == 1
        assert elapsed < STOP_GUARD_S
    assert process.stderr is not None
    stderr = process.stderr.read()
    assert "Already stopping; the process exits within" in stderr
    assert "Stopping took longer than 2 s (still stopping sqs); exiting now." in stderr
    assert REPO.is_dir()
