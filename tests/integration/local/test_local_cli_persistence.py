"""Local data that survives a restart: `python -m local run` keeps what the API stored in mongomock under
its data directory; `--fresh` (make run FRESH=1) and `python -m local reset` (make reset) start empty; two
runs never share one directory."""

from __future__ import annotations

import json
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.integration.local.support import REPO, Client, Reply, free_port, local_cli, local_run

pytestmark = pytest.mark.integration

RESUME = json.loads(json.loads((REPO / "events" / "resumes" / "create-rich.json").read_text())["body"])


def _json(reply: Reply) -> Any:
    assert reply.status < 300, reply.body
    return json.loads(reply.body)


def _post(client: Client, path: str, body: Any) -> Reply:
    return client.request("POST", path, json.dumps(body).encode(), [("content-type", "application/json")])


@contextmanager
def _run(data: Path, *extra: str) -> Iterator[Client]:
    port = free_port()
    with local_run("--port", str(port), "--ws-port", str(free_port()), "--data-dir", str(data), *extra) as (
        process,
        _,
    ):
        yield Client(f"http://127.0.0.1:{port}")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0


def test_what_the_api_stored_survives_a_restart_and_a_fresh_start_is_empty(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with _run(data) as client:
        key = _json(_post(client, "/api/v1/resumes", RESUME))["unique_key"]
        patched = client.request(
            "PATCH",
            f"/api/v1/resumes/{key}",
            json.dumps({"summary": "Patched before the restart."}).encode(),
            [("content-type", "application/merge-patch+json")],
        )
        resume = _json(patched)
        questions = _json(_post(client, f"/api/v1/interview/{key}/questions", {"count": 3}))
        path = _json(_post(client, f"/api/v1/learning/{key}/learning-path", {"language": "en"}))
        doomed = _json(_post(client, "/api/v1/resumes", RESUME))["unique_key"]
        assert client.request("DELETE", f"/api/v1/resumes/{doomed}").status == 204

    with _run(data) as client:
        assert _json(client.request("GET", f"/api/v1/resumes/{key}")) == resume
        assert _json(client.request("GET", f"/api/v1/interview/{key}/questions")) == questions
        assert _json(client.request("GET", f"/api/v1/learning/{key}/learning-path")) == path
        assert client.request("GET", f"/api/v1/resumes/{doomed}").status == 404  # deletes persist too
        # The unique index came back with the data: a new resume still gets its own key, and writes go on.
        assert _json(_post(client, "/api/v1/resumes", RESUME))["unique_key"] != key

    with _run(data, "--fresh") as client:
        assert client.request("GET", f"/api/v1/resumes/{key}").status == 404
        assert client.request("GET", f"/api/v1/interview/{key}/questions").status == 404


def test_reset_deletes_the_data_but_not_while_a_run_holds_it(tmp_path: Path) -> None:
    data = tmp_path / "data"

    def reset() -> subprocess.CompletedProcess[str]:
        return local_cli("reset", "--data-dir", str(data))

    with _run(data) as client:
        key = _json(_post(client, "/api/v1/resumes", RESUME))["unique_key"]
        refused = reset()
        assert refused.returncode == 1
        assert "is in use by pid" in refused.stderr
        second = local_cli("run", "--port", "0", "--ws-port", "0", "--data-dir", str(data))
        assert second.returncode == 1
        assert "another `make run`?" in second.stderr

    done = reset()
    assert done.returncode == 0, done.stderr
    assert "Deleted the local data" in done.stderr
    with _run(data) as client:
        assert client.request("GET", f"/api/v1/resumes/{key}").status == 404
