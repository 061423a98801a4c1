"""Progress over a real WebSocket client through the local WebSocket gateway: subscribe, get the snapshot,
then every change in order up to `completed` with the result; polling and GET latest agree."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from websockets.sync.client import ClientConnection, connect

from careercoach import container
from local.runtime import LocalRuntime
from tests.fakes.wire_formats import OpenAIChatServer
from tests.integration.api.conftest import ApiClient, body_of, local_runtime, openai_env
from tests.integration.api.test_generation_api import create_resume, grounded_set


@pytest.fixture(scope="module")
def runtime(openai_fake: OpenAIChatServer) -> Iterator[LocalRuntime]:
    with local_runtime(openai_env(openai_fake, "websocket")) as started:
        yield started


@pytest.fixture(scope="module")
def api(runtime: LocalRuntime) -> ApiClient:
    return ApiClient(runtime.http_url)


def receive_until_done(socket: ClientConnection, timeout_s: float = 90) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        message = json.loads(socket.recv(timeout=max(0.1, deadline - time.monotonic())))
        messages.append(message)
        if message["type"] in ("completed", "failed"):
            break
    return messages


def submit(api: ApiClient, fake: OpenAIChatServer, delay_s: float) -> tuple[dict[str, Any], dict[str, Any]]:
    resume = create_resume(api)
    fake.push(fake.ok(grounded_set(resume)).delayed(delay_s))
    reply = api.json("POST", f"/api/v1/interview/async/{resume['unique_key']}/questions", {})
    assert reply.status == 202
    return resume, body_of(reply)


def test_subscribe_receives_snapshot_then_progress_to_completed(
    api: ApiClient, openai_fake: OpenAIChatServer
) -> None:
    openai_fake.reset()
    resume, accepted = submit(api, openai_fake, delay_s=1.0)
    with connect(accepted["websocket_url"], open_timeout=5) as socket:
        socket.send(json.dumps({"action": "subscribe", "task_id": accepted["task_id"]}))
        messages = receive_until_done(socket)

    assert messages[0]["task_id"] == accepted["task_id"]  # the snapshot, at once
    progress = [m["progress"] for m in messages]
    assert progress == sorted(progress) and progress[-1] == 100
    assert [m["type"] for m in messages][-1] == "completed"
    assert {"calling_llm", "saved"} <= {m["stage"] for m in messages}
    final = messages[-1]
    assert final["status"] == "succeeded" and final["result"]["id"] == accepted["task_id"]

    polled = body_of(api.request("GET", accepted["progress_url"]))
    assert {k: polled[k] for k in ("status", "progress", "stage", "result_id")} == {
        k: final[k] for k in ("status", "progress", "stage", "result_id")
    }
    latest = body_of(api.request("GET", f"/api/v1/interview/{resume['unique_key']}/questions"))
    assert latest == final["result"] == polled["result"]


def test_a_subscriber_leaving_mid_task_is_removed_and_the_task_completes(
    api: ApiClient, openai_fake: OpenAIChatServer
) -> None:
    openai_fake.reset()
    _, accepted = submit(api, openai_fake, delay_s=1.0)
    subscribe = json.dumps({"action": "subscribe", "task_id": accepted["task_id"]})
    with connect(accepted["websocket_url"]) as staying:
        with connect(accepted["websocket_url"]) as leaving:
            leaving.send(subscribe)
            staying.send(subscribe)
            json.loads(leaving.recv(timeout=5))  # its snapshot; then it goes, mid-task
        messages = receive_until_done(staying)
        assert messages[-1]["type"] == "completed"
        # Only the connection still open follows the task.
        assert len(container.current().connections.subscribers(accepted["task_id"])) == 1


def test_unknown_task_gets_an_error_and_the_connection_stays_open(
    api: ApiClient, openai_fake: OpenAIChatServer
) -> None:
    openai_fake.reset()
    _, accepted = submit(api, openai_fake, delay_s=0)
    with connect(accepted["websocket_url"]) as socket:
        socket.send(json.dumps({"action": "subscribe", "task_id": "0" * 32}))
        error = json.loads(socket.recv(timeout=5))
        assert error["type"] == "error" and error["error_code"] == "task_not_found"
        socket.send("not json")
        assert json.loads(socket.recv(timeout=5))["error_code"] == "unknown_action"
        socket.send(json.dumps({"action": "subscribe", "task_id": accepted["task_id"]}))
        assert receive_until_done(socket)[-1]["type"] == "completed"
