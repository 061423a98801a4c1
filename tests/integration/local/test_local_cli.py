"""`python -m local invoke` and `python -m local run` as real subprocesses."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.integration.local.support import FIXTURES, REPO, Client, cli_env, free_port, local_run

pytestmark = pytest.mark.integration

TEMPLATE = str(FIXTURES / "template.yaml")


def _invoke(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and module, fixed arguments
        [sys.executable, "-m", "local", "invoke", "--template", TEMPLATE, *args],
        cwd=REPO,
        env=env if env is not None else cli_env(),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_invoke_prints_only_the_response_on_stdout(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"routeKey": "GET /other"}), encoding="utf-8")
    result = _invoke("OtherFunction", "-e", str(event))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "module": "local_fn_OtherFunction_app",
        "marker": "other",
        "routeKey": "GET /other",
    }
    assert "other handled a request" in result.stderr  # the handler's own stdout logging went to stderr


def test_invoke_with_overrides_and_stdin_event(tmp_path: Path) -> None:
    env_vars = tmp_path / "env.json"
    env_vars.write_text(json.dumps({"EchoFunction": {"ECHO_ONLY": "from-file"}}), encoding="utf-8")
    result = _invoke(
        "EchoFunction",
        "-e",
        "-",
        "--parameter-overrides",
        "Stage=prod",
        "--env-vars",
        str(env_vars),
        stdin='{"n": 1}',
    )
    assert result.returncode == 0, result.stderr
    body = json.loads(json.loads(result.stdout)["body"])
    assert body["event"] == {"n": 1}
    assert body["env"]["STAGE"] == "prod"
    assert body["env"]["ECHO_ONLY"] == "from-file"
    assert body["env"]["AWS_ENDPOINT_URL"].startswith("http://127.0.0.1:")


def test_invoke_takes_settings_from_the_shell() -> None:
    env = cli_env(STAGE="prod", ECHO_ONLY="from-shell", TASKS_TABLE="elsewhere")
    result = _invoke("EchoFunction", "-e", "-", stdin="{}", env=env)
    assert result.returncode == 0, result.stderr
    seen = json.loads(json.loads(result.stdout)["body"])["env"]
    assert (seen["STAGE"], seen["ECHO_ONLY"]) == ("prod", "from-shell")
    assert seen["TASKS_TABLE"] == "careercoach-local-tasks"
    assert "From your shell: ECHO_ONLY, STAGE (parameter Stage)" in result.stderr
    assert "Ignored from your shell (the local runtime sets these itself): TASKS_TABLE" in result.stderr
    explicit = _invoke("EchoFunction", "-e", "-", "--parameter-overrides", "Stage=dev", stdin="{}", env=env)
    assert json.loads(json.loads(explicit.stdout)["body"])["env"]["STAGE"] == "dev"


def test_invoke_handler_error_is_reported_like_lambda(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pathParameters": {"kind": "boom"}}), encoding="utf-8")
    result = _invoke("ShapesFunction", "-e", str(event))
    assert result.returncode == 1
    error = json.loads(result.stdout)
    assert error["errorType"] == "RuntimeError"
    assert error["errorMessage"] == "secret internal detail"
    assert "Traceback" in result.stderr


def test_invoke_unknown_function() -> None:
    result = _invoke("NoSuchFunction")
    assert result.returncode == 2
    assert "unknown function 'NoSuchFunction'" in result.stderr
    assert "EchoFunction" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(("content", "message"), [(None, "cannot read"), ("{not json", "not valid JSON")])
def test_invoke_bad_event_file(tmp_path: Path, content: str | None, message: str) -> None:
    event = tmp_path / "event.json"
    if content is not None:
        event.write_text(content, encoding="utf-8")
    result = _invoke("EchoFunction", "-e", str(event))
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_invoke_gives_websocket_functions_a_connections_endpoint() -> None:
    # No client is connected under `invoke`, so posting to one is a GoneException (not a network error).
    event = {
        "requestContext": {"routeKey": "push", "connectionId": "AAAAAAAAAAAAAAA=", "eventType": "MESSAGE"},
        "body": json.dumps({"action": "push", "data": 1}),
        "isBase64Encoded": False,
    }
    ws_template = str(FIXTURES / "ws" / "template.yaml")
    result = _invoke("SocketFunction", "-e", "-", "--template", ws_template, stdin=json.dumps(event))
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["errorType"] == "GoneException"


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_run_serves_and_stops_cleanly(stop_signal: signal.Signals) -> None:
    port = free_port()
    with local_run("--template", TEMPLATE, "--port", str(port)) as (process, printed):
        assert f"HTTP API:   http://127.0.0.1:{port}\n" in printed
        assert f"Swagger UI: http://127.0.0.1:{port}/api/v1/echo/docs\n" in printed

        reply = Client(f"http://127.0.0.1:{port}").request("GET", "/other")
        assert reply.status == 200
        assert json.loads(reply.body)["marker"] == "other"

        process.send_signal(stop_signal)
        assert process.wait(timeout=30) == 0
    assert process.stderr is not None
    stderr = process.stderr.read()
    assert "GET /other 200" in stderr
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # no process of its group is left
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0  # the port is released


def test_run_serves_the_websocket_api_and_stops_it() -> None:
    http_port, ws_port = free_port(), free_port()
    template = str(FIXTURES / "ws" / "template.yaml")
    with local_run("-t", template, "-p", str(http_port), "--ws-port", str(ws_port)) as (process, printed):
        assert f"WebSocket:  ws://127.0.0.1:{ws_port}/dev\n" in printed
        assert f"@connections: http://127.0.0.1:{ws_port}/dev\n" in printed

        with connect(f"ws://127.0.0.1:{ws_port}/dev", open_timeout=30) as ws:
            ws.send(json.dumps({"action": "echo", "data": "cli"}))
            assert json.loads(ws.recv(timeout=30))["echo"] == "cli"
            process.send_signal(signal.SIGTERM)  # with the client still connected
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=30)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1001
        assert process.wait(timeout=30) == 0
    assert process.stderr is not None
    stderr = process.stderr.read()
    assert "WS echo" in stderr
    # The gateway closed the connection and ran its $disconnect handler before exiting.
    assert re.search(r"WS \$disconnect \S+ 200 ", stderr), stderr
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", ws_port)) != 0


def test_make_invoke_prints_only_the_json_response() -> None:
    # `make invoke ... | jq` must work: make's own command lines, the first-run install and the handlers'
    # logs stay off stdout.
    if subprocess.run(["make", "-q", ".venv/.installed"], cwd=REPO, check=False).returncode != 0:  # noqa: S607
        pytest.skip("the virtualenv is out of date: `make invoke` would reinstall it first")
    result = subprocess.run(
        ["make", "invoke", "FUNCTION=ResumesFunction", "EVENT=events/resumes/health.json"],  # noqa: S607
        cwd=REPO,
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1
    response = json.loads(result.stdout)
    assert response["statusCode"] == 200
    assert json.loads(response["body"])["status"] == "ok"
    assert "local invoke ResumesFunction" not in result.stdout
