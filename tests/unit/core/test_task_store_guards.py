"""The task store's guards (issue 20, item 9): counting attempts of a task that does not exist, storage
errors during updates (the 503 path), and the exact state each transition writes. moto's DynamoDB."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from careercoach.api.errors import status_of
from careercoach.errors import ServiceUnavailable
from careercoach.models.generation import GenerationOptions, InterviewOptions
from careercoach.storage.tasks import TASK_TTL, TaskStore

T1 = "0123456789abcdef0123456789abcdef"
T2 = "fedcba9876543210fedcba9876543210"
UNAVAILABLE = "Task storage is unavailable; try again shortly."


@pytest.fixture
def table() -> Iterator[Any]:
    with mock_aws():
        yield boto3.resource("dynamodb").create_table(
            TableName="tasks",
            KeySchema=[{"AttributeName": "task_id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "task_id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )


@pytest.fixture
def store(table: Any) -> TaskStore:
    return TaskStore(table)


def test_counting_an_attempt_of_a_missing_task_fails_its_condition_and_creates_nothing(
    store: TaskStore, table: Any
) -> None:
    with pytest.raises(ClientError) as failed:
        store.count_attempt(T2)
    assert failed.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    assert "Item" not in table.get_item(Key={"task_id": T2})


@pytest.mark.parametrize(
    "operation",
    [
        lambda s: s.advance(T1, "calling_llm", 70),
        lambda s: s.succeed(T1, "result"),
        lambda s: s.fail(T1, "code", "message"),
        lambda s: s.count_attempt(T1),
        lambda s: s.get(T1),
        lambda s: s.create(T1, "interview", "k" * 22, GenerationOptions(), owner="alice"),
    ],
    ids=["advance", "succeed", "fail", "count_attempt", "get", "create"],
)
def test_a_storage_error_is_a_503_with_the_store_s_message(table: Any, operation: Any) -> None:
    store = TaskStore(boto3.resource("dynamodb").Table("missing"))
    with pytest.raises(ServiceUnavailable) as failed:
        operation(store)
    assert status_of(failed.value) == 503 and failed.value.message == UNAVAILABLE
    assert isinstance(failed.value.__cause__, ClientError)  # the SDK's text stays out of the response


def test_create_writes_the_whole_queued_item(store: TaskStore, table: Any) -> None:
    task = store.create(T1, "learning_path", "k" * 22, GenerationOptions(language="en", seed=7), owner="bob")
    item = table.get_item(Key={"task_id": T1})["Item"]
    assert item == {
        "task_id": T1,
        "kind": "learning_path",
        "unique_key": "k" * 22,
        "owner": "bob",
        "options": GenerationOptions(language="en", seed=7).model_dump_json(),
        "status": "queued",
        "progress": 0,
        "stage": "queued",
        "message": "",
        "attempts": 0,
        "created_at": item["created_at"],
        "updated_at": item["created_at"],
        "ttl": int((task.created_at + TASK_TTL).timestamp()),
    }
    assert item["created_at"].endswith("Z") and task.ttl == item["ttl"]


def test_each_transition_writes_status_stage_message_and_time(store: TaskStore, table: Any) -> None:
    created = store.create(T1, "interview", "k" * 22, GenerationOptions(), owner="alice")
    running = store.advance(T1, "building_prompt", 30, "Building the prompt")
    assert running is not None
    assert (running.status, running.progress, running.stage, running.message) == (
        "running",
        30,
        "building_prompt",
        "Building the prompt",
    )
    assert running.updated_at >= created.updated_at and running.owner == "alice"
    assert store.advance(T1, "validating", 90) is not None  # queued or running may advance
    done = store.succeed(T1, "r1", "Saved")
    assert done is not None and (done.status, done.stage, done.progress, done.message, done.error) == (
        "succeeded",
        "saved",
        100,
        "Saved",
        None,
    )
    assert "error" not in table.get_item(Key={"task_id": T1})["Item"]


def test_a_queued_task_can_succeed_or_fail_directly(store: TaskStore) -> None:
    store.create(T1, "interview", "k" * 22, GenerationOptions(), owner="alice")
    assert store.succeed(T1, "r1") is not None
    store.create(T2, "interview", "k" * 22, GenerationOptions(), owner="alice")
    failed = store.fail(T2, "resume_deleted", "The resume was deleted.")
    assert failed is not None and (failed.status, failed.stage, failed.message) == (
        "failed",
        "failed",
        "The resume was deleted.",
    )
    assert failed.progress == 0 and failed.result_id is None


def test_a_running_task_can_fail_and_then_not_succeed(store: TaskStore) -> None:
    store.create(T1, "interview", "k" * 22, GenerationOptions(), owner="alice")
    store.advance(T1, "calling_llm", 70)
    failed = store.fail(T1, "providers_exhausted", "Every provider failed.")
    assert failed is not None and failed.progress == 70 and failed.error is not None
    assert store.succeed(T1, "late") is None
    assert store.get(T1).status == "failed"  # type: ignore[union-attr]


def test_transitions_of_a_missing_task_are_none(store: TaskStore, table: Any) -> None:
    assert store.advance(T2, "loading_resume", 10) is None
    assert store.succeed(T2, "r") is None
    assert store.fail(T2, "c", "m") is None
    assert "Item" not in table.get_item(Key={"task_id": T2})


def test_a_read_back_task_equals_the_one_written(store: TaskStore) -> None:
    store.create(T1, "interview", "k" * 22, InterviewOptions(count=7, job_description="Go"), owner="carol")
    advanced = store.advance(T1, "loading_resume", 10, "Loading")
    assert store.get(T1) == advanced
    store.count_attempt(T1)
    read = store.get(T1)
    assert (
        read is not None
        and read.attempts == 1
        and read.options["count"] == 7
        and read.options["job_description"] == "Go"
    )


def test_a_transition_without_a_message_clears_the_previous_one(store: TaskStore) -> None:
    store.create(T1, "interview", "k" * 22, GenerationOptions(), owner="alice")
    assert store.advance(T1, "loading_resume", 10, "Loading the resume").message == "Loading the resume"  # type: ignore[union-attr]
    assert store.advance(T1, "building_prompt", 30).message == ""  # type: ignore[union-attr]
    store.advance(T1, "calling_llm", 70, "Calling the model")
    assert store.succeed(T1, "r1").message == ""  # type: ignore[union-attr]


class Recording:
    """Passes every call through to the real (moto) table and keeps the keyword arguments it was given."""

    def __init__(self, table: Any) -> None:
        self._table = table
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._table, name)

        def call(**kwargs: Any) -> Any:
            self.calls.append((name, kwargs))
            return method(**kwargs)

        return call


def test_reads_are_strongly_consistent(table: Any) -> None:
    """The worker writes progress and a poll right after must see it: DynamoDB reads are eventually
    consistent unless asked (moto is always consistent, so the request itself is checked)."""
    recording = Recording(table)
    store = TaskStore(recording)
    store.create(T1, "interview", "k" * 22, GenerationOptions(), owner="alice")
    assert store.get(T1) is not None
    [(_, kwargs)] = [call for call in recording.calls if call[0] == "get_item"]
    assert kwargs == {"Key": {"task_id": T1}, "ConsistentRead": True}


def test_an_item_without_the_later_attributes_reads_with_their_defaults(store: TaskStore, table: Any) -> None:
    """Items written before `owner`, `message` and `attempts` existed (or by hand) still read."""
    table.put_item(
        Item={
            "task_id": T1,
            "kind": "interview",
            "unique_key": "k" * 22,
            "options": GenerationOptions().model_dump_json(),
            "status": "queued",
            "progress": 0,
            "stage": "queued",
            "created_at": "2026-11-23T22:00:00.000Z",
            "updated_at": "2026-11-23T22:00:01.500Z",
            "ttl": 1_796_076_000,
        }
    )
    task = store.get(T1)
    assert task is not None
    assert (task.owner, task.message, task.attempts, task.result_id, task.error) == ("", "", 0, None, None)
    assert task.created_at.isoformat() == "2026-11-23T22:00:00+00:00"
    assert task.updated_at.isoformat() == "2026-11-23T22:00:01.500000+00:00"
