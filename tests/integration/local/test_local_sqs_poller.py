"""The SQS trigger emulation: batches, partial batch failures, retries and redrive to the DLQ, observed
through the fixture worker's writes to DynamoDB and the queues' real contents in moto."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest

from local.runtime import LocalRuntime
from local.sqs_poller import SqsPoller
from tests.integration.local.support import FIXTURES

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def runtime() -> Iterator[LocalRuntime]:
    # Failed messages come back at once instead of after the 30 s VisibilityTimeout, to keep the test short.
    with LocalRuntime(FIXTURES / "template.yaml", sqs_retry_delay_seconds=0) as started:
        yield started


def _client(runtime: LocalRuntime, service: str) -> Any:
    return boto3.client(service, endpoint_url=runtime.endpoint, region_name="us-east-1")


def _wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.1)


def _items(runtime: LocalRuntime, unique_key: str) -> list[dict[str, Any]]:
    response = _client(runtime, "dynamodb").query(
        TableName="careercoach-local-tasks",
        IndexName="by_unique_key",
        KeyConditionExpression="unique_key = :k",
        ExpressionAttributeValues={":k": {"S": unique_key}},
    )
    return list(response["Items"])


def _dlq_bodies(runtime: LocalRuntime) -> list[str]:
    sqs = _client(runtime, "sqs")
    url = sqs.get_queue_url(QueueName="careercoach-local-TasksDLQ")["QueueUrl"]
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0).get(
        "Messages", []
    )
    return [message["Body"] for message in messages]


def _queue_depth(runtime: LocalRuntime) -> int:
    attributes = _client(runtime, "sqs").get_queue_attributes(
        QueueUrl=runtime.environment["TASKS_QUEUE_URL"],
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(
        attributes["ApproximateNumberOfMessagesNotVisible"]
    )


def test_successful_messages_are_processed_once_and_deleted(runtime: LocalRuntime) -> None:
    sqs = _client(runtime, "sqs")
    sqs.send_message(QueueUrl=runtime.environment["TASKS_QUEUE_URL"], MessageBody="ok-single")
    _wait_for(lambda: len(_items(runtime, "ok-single")) == 1)
    _wait_for(lambda: _queue_depth(runtime) == 0)
    time.sleep(0.5)
    (item,) = _items(runtime, "ok-single")
    assert item["task_id"] == {"S": "ok-single#1"}  # received once: ApproximateReceiveCount 1


def test_batches_never_exceed_batch_size(runtime: LocalRuntime) -> None:
    sqs = _client(runtime, "sqs")
    url = runtime.environment["TASKS_QUEUE_URL"]
    for start in range(0, 12, 6):
        sqs.send_message_batch(
            QueueUrl=url,
            Entries=[{"Id": str(i), "MessageBody": f"bulk-{i}"} for i in range(start, start + 6)],
        )
    _wait_for(lambda: all(_items(runtime, f"bulk-{i}") for i in range(12)))
    sizes = {int(_items(runtime, f"bulk-{i}")[0]["batch"]["N"]) for i in range(12)}
    assert max(sizes) <= 5  # WorkerBatchSize's default


def test_only_reported_failures_are_retried_then_redriven(runtime: LocalRuntime) -> None:
    sqs = _client(runtime, "sqs")
    url = runtime.environment["TASKS_QUEUE_URL"]
    sqs.send_message_batch(
        QueueUrl=url,
        Entries=[{"Id": "1", "MessageBody": "partial-ok"}, {"Id": "2", "MessageBody": "fail-partial"}],
    )
    _wait_for(lambda: "fail-partial" in _dlq_bodies(runtime))
    # maxReceiveCount is 2: the failing message was delivered twice, then moto moved it to the DLQ.
    attempts = sorted(item["task_id"]["S"] for item in _items(runtime, "fail-partial"))
    assert attempts == ["fail-partial#1", "fail-partial#2"]
    # Its batch-mate succeeded and was deleted: delivered exactly once.
    assert [item["task_id"]["S"] for item in _items(runtime, "partial-ok")] == ["partial-ok#1"]
    assert _queue_depth(runtime) == 0


def test_a_raising_handler_retries_the_whole_batch(runtime: LocalRuntime) -> None:
    sqs = _client(runtime, "sqs")
    sqs.send_message(QueueUrl=runtime.environment["TASKS_QUEUE_URL"], MessageBody="crash")
    _wait_for(lambda: "crash" in _dlq_bodies(runtime))
    assert sorted(item["task_id"]["S"] for item in _items(runtime, "crash")) == ["crash#1", "crash#2"]


def test_sqs_event_shape(runtime: LocalRuntime) -> None:
    poller = runtime.component("sqs")
    assert isinstance(poller, SqsPoller)
    seen: list[dict[str, Any]] = []
    (worker,) = poller.pollers
    original = worker.invoke

    def spy(function_id: str, event: Any) -> Any:  # records what the poller built, then runs the real handler
        seen.append(event)
        return original(function_id, event)

    worker.invoke = spy
    try:
        _client(runtime, "sqs").send_message(
            QueueUrl=runtime.environment["TASKS_QUEUE_URL"],
            MessageBody=json.dumps({"task_id": "shape"}),
            MessageAttributes={"kind": {"DataType": "String", "StringValue": "questions"}},
        )
        _wait_for(lambda: bool(seen))
    finally:
        worker.invoke = original
    (record,) = seen[0]["Records"]
    assert record["body"] == '{"task_id": "shape"}'
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"] == runtime.environment["TASKS_QUEUE_ARN"]
    assert record["awsRegion"] == "us-east-1"
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert {"SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp"} <= set(record["attributes"])
    assert record["messageAttributes"]["kind"] == {
        "stringValue": "questions",
        "stringListValues": [],
        "binaryListValues": [],
        "dataType": "String",
    }
    assert record["md5OfBody"] and record["receiptHandle"] and record["messageId"]
