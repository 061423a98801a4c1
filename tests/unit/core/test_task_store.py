"""TaskStore against moto's DynamoDB: transitions are conditional, progress only moves forward."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from careercoach.models.generation import InterviewOptions, LearningPathOptions
from careercoach.storage.tasks import TaskStore

OWNER = "alice"

T1 = "0123456789abcdef0123456789abcdef"  # the shape TaskService gives task ids


@pytest.fixture
def store() -> Iterator[TaskStore]:
    with mock_aws():
        table = boto3.resource("dynamodb").create_table(
            TableName="tasks",
            KeySchema=[{"AttributeName": "task_id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "task_id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        yield TaskStore(table)


def test_create_and_get_round_trip(store: TaskStore) -> None:
    created = store.create(T1, "interview", "k" * 22, InterviewOptions(count=3, language="en"), owner=OWNER)
    assert store.get(T1) == created
    assert (
        created.status == "queued" and created.progress == 0 and created.ttl > created.created_at.timestamp()
    )
    assert store.get("f" * 32) is None


def test_malformed_ids_are_not_found(store: TaskStore) -> None:
    store.create(T1, "interview", "k" * 22, InterviewOptions(), owner=OWNER)
    for malformed in ("t1", T1.upper(), T1 + "0", "../" + T1, None, 42):
        assert store.get(malformed) is None


def test_create_twice_is_refused(store: TaskStore) -> None:
    store.create(T1, "interview", "k" * 22, InterviewOptions(), owner=OWNER)
    with pytest.raises(Exception, match="ConditionalCheckFailed"):
        store.create(T1, "interview", "k" * 22, InterviewOptions(), owner=OWNER)


def test_progress_only_moves_forward(store: TaskStore) -> None:
    store.create(T1, "learning_path", "k" * 22, LearningPathOptions(), owner=OWNER)
    assert store.advance(T1, "loading_resume", 10) is not None
    running = store.advance(T1, "calling_llm", 70)
    assert running is not None and running.status == "running" and running.progress == 70
    assert store.advance(T1, "building_prompt", 30) is None  # a stale step from a redelivered message
    assert store.advance(T1, "calling_llm", 70) is None  # a repeated step
    assert store.get(T1).progress == 70  # type: ignore[union-attr]


def test_finished_tasks_stay_finished(store: TaskStore) -> None:
    store.create(T1, "interview", "k" * 22, InterviewOptions(), owner=OWNER)
    done = store.succeed(T1, "result-1")
    assert done is not None and (done.status, done.progress, done.stage, done.result_id) == (
        "succeeded",
        100,
        "saved",
        "result-1",
    )
    assert store.fail(T1, "late", "too late") is None
    assert store.advance(T1, "validating", 90) is None
    assert store.succeed(T1, "result-2") is None
    assert store.get(T1).result_id == "result-1"  # type: ignore[union-attr]


def test_failure_records_code_and_message(store: TaskStore) -> None:
    store.create(T1, "interview", "k" * 22, InterviewOptions(), owner=OWNER)
    failed = store.fail(T1, "resume_not_found", "The resume was deleted.")
    assert failed is not None and failed.status == "failed"
    assert failed.error is not None and failed.error.code == "resume_not_found"
    assert failed.snapshot()["error"] == {"code": "resume_not_found", "message": "The resume was deleted."}


def test_attempts_are_counted(store: TaskStore) -> None:
    store.create(T1, "interview", "k" * 22, InterviewOptions(), owner=OWNER)
    assert [store.count_attempt(T1) for _ in range(3)] == [1, 2, 3]


def test_a_partial_result_rides_on_progress_and_is_dropped_on_success(store: TaskStore) -> None:
    store.create(T1, "interview", "k" * 22, InterviewOptions(count=2), owner=OWNER)
    outline = {"total": 2, "done": 0, "outline": [{"id": "q1"}, {"id": "q2"}], "items": [None, None]}
    assert store.advance(T1, "calling_llm", 40, "0/2", partial=outline) is not None
    item = {"id": "q2", "question": "어떻게 측정했나요?", "score": 0.5}
    one = store.advance(T1, "calling_llm", 55, "1/2", partial={**outline, "done": 1, "items": [None, item]})
    assert one is not None and one.partial is not None and one.partial["items"] == [None, item]
    assert store.get(T1).snapshot()["partial"]["done"] == 1  # type: ignore[union-attr]
    # A stale arrival cannot overwrite a later one: progress only moves forward.
    assert store.advance(T1, "calling_llm", 40, "0/2", partial=outline) is None
    stored = store.get(T1)
    assert stored is not None and stored.partial is not None and stored.partial["done"] == 1
    done = store.succeed(T1, "r1")
    assert done is not None and done.partial is None and "partial" not in done.snapshot({"id": "r1"})
