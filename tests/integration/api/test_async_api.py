"""Async generation end to end through the local runtime: HTTP submit (202), the SQS poller running the
worker with the Lambda trigger's semantics against moto, DynamoDB progress read back by polling, the DLQ."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from careercoach import container
from careercoach.auth import ANONYMOUS
from careercoach.models.generation import LearningPathOptions
from local.runtime import LocalRuntime
from tests.fakes.wire_formats import OpenAIChatServer
from tests.integration.api.conftest import ApiClient, body_of, local_runtime, openai_env
from tests.integration.api.test_generation_api import create_resume, grounded_set

OWNER = ANONYMOUS  # the local runtime runs with auth off here


@pytest.fixture(scope="module")
def runtime(openai_fake: OpenAIChatServer) -> Iterator[LocalRuntime]:
    with local_runtime(openai_env(openai_fake, "async")) as started:
        yield started


@pytest.fixture(scope="module")
def api(runtime: LocalRuntime) -> ApiClient:
    return ApiClient(runtime.http_url)


def wait_for(api: ApiClient, url: str, *, timeout_s: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        body: dict[str, Any] = body_of(api.request("GET", url))
        if body["status"] in ("succeeded", "failed") or time.monotonic() > deadline:
            return body
        time.sleep(0.05)


def test_submit_poll_and_read_the_same_document(api: ApiClient, fake: OpenAIChatServer) -> None:
    resume = create_resume(api)
    fake.push(fake.ok(grounded_set(resume)))
    reply = api.json("POST", f"/api/v1/interview/async/{resume['unique_key']}/questions", {"count": 5})
    assert reply.status == 202
    accepted = body_of(reply)
    assert set(accepted) == {"task_id", "status", "progress_url", "websocket_url", "created_at"}
    assert accepted["status"] == "queued" and accepted["websocket_url"]

    final = wait_for(api, accepted["progress_url"])
    assert final["status"] == "succeeded" and final["progress"] == 100 and final["stage"] == "saved"
    latest = body_of(api.request("GET", f"/api/v1/interview/{resume['unique_key']}/questions"))
    assert final["result"] == latest and final["result_id"] == latest["id"] == accepted["task_id"]


def test_idempotency_key_returns_the_same_task(api: ApiClient, fake: OpenAIChatServer) -> None:
    resume = create_resume(api)
    fake.push(fake.ok(grounded_set(resume)))
    url = f"/api/v1/interview/async/{resume['unique_key']}/questions"
    headers = [("idempotency-key", "submit-42")]
    first = body_of(api.json("POST", url, {"count": 5}, headers))
    again = body_of(api.json("POST", url, {"count": 5}, headers))
    assert again["task_id"] == first["task_id"]
    other = api.json("POST", url, {"count": 4}, headers)
    assert other.status == 409 and body_of(other)["error_code"] == "idempotency_key_reused"
    assert wait_for(api, first["progress_url"])["status"] == "succeeded"
    assert len(fake.requests) == 1  # generated once


def test_resume_deleted_between_submit_and_run_fails_without_retry(
    api: ApiClient, runtime: LocalRuntime, fake: OpenAIChatServer
) -> None:
    resume = create_resume(api)
    # Submit's two halves by hand, with the deletion in between: the task is written, the resume goes,
    # then the message reaches the queue (the runtime shares this process, its environment and stores).
    task = container.current().tasks.create(
        "0123456789abcdef" * 2, "learning_path", resume["unique_key"], LearningPathOptions(), owner=OWNER
    )
    assert api.request("DELETE", f"/api/v1/resumes/{resume['unique_key']}").status == 204
    queue_url = container.current().settings.tasks_queue_url
    boto3.client("sqs", endpoint_url=runtime.endpoint).send_message(
        QueueUrl=queue_url, MessageBody=json.dumps({"task_id": task.task_id})
    )
    final = wait_for(api, f"/api/v1/learning/tasks/{task.task_id}/progress")
    assert final["status"] == "failed" and final["error"]["code"] == "resume_deleted"
    assert fake.requests == []
    assert container.current().tasks.get(task.task_id).attempts == 1  # type: ignore[union-attr]


def test_every_provider_failing_ends_failed_and_in_the_dlq(
    api: ApiClient, runtime: LocalRuntime, fake: OpenAIChatServer
) -> None:
    resume = create_resume(api)
    for _ in range(5):
        fake.push(fake.error(500), fake.error(500))
    accepted = body_of(api.json("POST", f"/api/v1/interview/async/{resume['unique_key']}/questions", {}))
    final = wait_for(api, accepted["progress_url"], timeout_s=120)
    assert final["status"] == "failed" and final["error"]["code"] == "providers_exhausted"
    assert "Gave up after 5 attempts" in final["error"]["message"]

    sqs = boto3.client("sqs", endpoint_url=runtime.endpoint)
    dlq = next(u for u in sqs.list_queues()["QueueUrls"] if "TasksDeadLetterQueue" in u)
    deadline = time.monotonic() + 60
    bodies: list[Any] = []
    while time.monotonic() < deadline and accepted["task_id"] not in json.dumps(bodies):
        messages = sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10, VisibilityTimeout=0)
        bodies += [json.loads(m["Body"]) for m in messages.get("Messages", [])]
        time.sleep(0.1)
    assert {"task_id": accepted["task_id"]} in bodies


def test_unknown_tasks_and_wrong_kinds_are_404(api: ApiClient, fake: OpenAIChatServer) -> None:
    resume = create_resume(api)
    fake.push(fake.ok(grounded_set(resume)))
    accepted = body_of(api.json("POST", f"/api/v1/interview/async/{resume['unique_key']}/questions", {}))
    other_kind = api.request("GET", f"/api/v1/learning/tasks/{accepted['task_id']}/progress")
    assert other_kind.status == 404 and body_of(other_kind)["error_code"] == "task_not_found"
    assert api.request("GET", f"/api/v1/interview/tasks/{'0' * 32}/progress").status == 404
    assert api.request("GET", "/api/v1/interview/tasks/nope/progress").status == 404
    missing = api.json("POST", "/api/v1/interview/async/AAAAAAAAAAAAAAAAAAAAAA/questions", {})
    assert missing.status == 404
    bad = api.json("POST", f"/api/v1/interview/async/{resume['unique_key']}/questions", {"count": 99})
    assert bad.status == 422
    wait_for(api, accepted["progress_url"])
