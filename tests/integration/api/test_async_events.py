"""The async events/ samples through `LocalRuntime.invoke` (what `sam local invoke -e` does), real template,
moto and the offline generator: submit, progress, the SQS batch with a poison message, WebSocket routes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from careercoach import container
from careercoach.auth import ANONYMOUS
from careercoach.models.generation import InterviewOptions
from local.runtime import LocalRuntime
from tests.integration.api.conftest import local_runtime
from tests.support.lambda_support import load_event, with_path_key

OWNER = ANONYMOUS  # the local runtime runs with auth off here

TASK = json.loads(load_event("worker/sqs-batch.json")["Records"][0]["body"])["task_id"]


@pytest.fixture(scope="module")
def runtime() -> Iterator[LocalRuntime]:
    env = {"MONGODB_URI": "mongomock://localhost/async_events", "LLM_PROVIDERS": "offline"}
    with local_runtime(env) as started:
        yield started


def resume_key(runtime: LocalRuntime) -> str:
    created = runtime.invoke("ResumesFunction", load_event("resumes/create-rich-en.json"))
    return str(json.loads(created["body"])["unique_key"])


def body(response: dict[str, Any]) -> Any:
    return json.loads(response["body"])


def test_submit_and_progress_events(runtime: LocalRuntime) -> None:
    key = resume_key(runtime)
    accepted = runtime.invoke(
        "InterviewFunction", with_path_key(load_event("interview/submit-async.json"), key)
    )
    assert accepted["statusCode"] == 202
    task_id = body(accepted)["task_id"]
    again = runtime.invoke("InterviewFunction", with_path_key(load_event("interview/submit-async.json"), key))
    assert body(again)["task_id"] == task_id  # the sample carries an Idempotency-Key

    event = load_event("interview/progress.json")
    event["pathParameters"]["task_id"] = task_id
    event["rawPath"] = event["requestContext"]["http"]["path"] = event["rawPath"].replace(TASK, task_id)
    progress = runtime.invoke("InterviewFunction", event)
    assert progress["statusCode"] == 200 and body(progress)["task_id"] == task_id


def test_unknown_task_progress_event_is_404(runtime: LocalRuntime) -> None:
    response = runtime.invoke("LearningFunction", load_event("learning/progress.json"))
    assert response["statusCode"] == 404 and body(response)["error_code"] == "task_not_found"


def test_sqs_batch_event_reports_only_the_poison_message(runtime: LocalRuntime) -> None:
    container.current().tasks.create(
        TASK, "interview", resume_key(runtime), InterviewOptions(language="en"), owner=OWNER
    )
    event = load_event("worker/sqs-batch.json")
    response = runtime.invoke("WorkerFunction", event)
    assert response == {"batchItemFailures": [{"itemIdentifier": event["Records"][1]["messageId"]}]}
    task = container.current().tasks.get(TASK)
    assert task is not None and task.status == "succeeded" and task.result_id == TASK
    # Delivered again, the finished task is left alone.
    assert runtime.invoke("WorkerFunction", event)["batchItemFailures"] == [
        {"itemIdentifier": event["Records"][1]["messageId"]}
    ]
    assert container.current().repositories["interview"]._collection.count_documents({"id": TASK}) == 1


def test_websocket_route_events(runtime: LocalRuntime) -> None:
    store = container.current().connections
    connect = load_event("websocket/connect.json")
    connection_id = connect["requestContext"]["connectionId"]
    assert runtime.invoke("WebSocketFunction", connect)["statusCode"] == 200
    assert store.subscribe(connection_id, "f" * 32, owner=OWNER)  # the connection was stored
    # The sample connection has no live socket behind it: pushing to it is a 410, and it is forgotten.
    assert runtime.invoke("WebSocketFunction", load_event("websocket/subscribe.json"))["statusCode"] == 200
    assert not store.subscribe(connection_id, "f" * 32, owner=OWNER)
    assert runtime.invoke("WebSocketFunction", load_event("websocket/connect.json"))["statusCode"] == 200
    assert runtime.invoke("WebSocketFunction", load_event("websocket/disconnect.json"))["statusCode"] == 200
    assert not store.subscribe(connection_id, "f" * 32, owner=OWNER)
