"""The async pipeline's core against moto (DynamoDB, SQS) and mongomock, with a fake provider in the real
registry and an in-memory stand-in for the @connections API that records what it was sent."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

import llm_registry
from careercoach import container
from careercoach.api import websocket
from careercoach.container import Container
from careercoach.errors import QuotaExceeded, ResumeDeleted, ResumeNotFound, TaskNotFound
from careercoach.generation.interview import INTERVIEW
from careercoach.generation.learning import LEARNING_PATH
from careercoach.generation.spec import Job
from careercoach.models.generation import InterviewOptions, LearningPathOptions
from careercoach.models.resume import ResumeInput
from careercoach.resume_items import resume_items
from careercoach.storage.connections import ConnectionStore
from careercoach.tasks import TaskAttemptFailed
from llm_registry import FunctionProvider, ProviderCall, ProviderError
from llm_registry.attempts import ErrorKind

OWNER = "alice"

EVENTS = Path(__file__).resolve().parents[3] / "events" / "resumes"
CATEGORIES = ["technical", "project_deep_dive", "system_design", "problem_solving", "behavioral"]


class GoneError(Exception):
    def __init__(self) -> None:
        super().__init__("gone")
        self.response = {"Error": {"Code": "GoneException"}, "ResponseMetadata": {"HTTPStatusCode": 410}}


class FakeConnections:
    """Stands in for the API Gateway Management API: records posts; unknown connections are gone."""

    def __init__(self) -> None:
        self.open: set[str] = set()
        self.sent: dict[str, list[dict[str, Any]]] = {}

    def post_to_connection(self, *, ConnectionId: str, Data: bytes) -> None:
        if ConnectionId not in self.open:
            raise GoneError()
        self.sent.setdefault(ConnectionId, []).append(json.loads(Data))


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeConnections]:
    with mock_aws():
        dynamodb = boto3.resource("dynamodb")
        dynamodb.create_table(
            TableName="tasks",
            KeySchema=[{"AttributeName": "task_id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "task_id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        dynamodb.create_table(
            TableName="connections",
            KeySchema=[{"AttributeName": "connection_id", "KeyType": "HASH"}],
            AttributeDefinitions=[
                {"AttributeName": "connection_id", "AttributeType": "S"},
                {"AttributeName": "task_id", "AttributeType": "S"},
            ],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": "by_task",
                    "KeySchema": [{"AttributeName": "task_id", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "KEYS_ONLY"},
                }
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        queue_url = boto3.client("sqs").create_queue(QueueName="tasks")["QueueUrl"]
        monkeypatch.setenv("TASKS_QUEUE_URL", queue_url)
        monkeypatch.setenv("LLM_PROVIDERS", "fake")
        container.reset()
        llm_registry.reset()
        fake = FakeConnections()
        container.install(Container(management_client=fake))
        yield fake
    llm_registry.unregister_provider("fake")
    llm_registry.reset()
    container.reset()


def provider(answer: Callable[[ProviderCall], Any]) -> list[ProviderCall]:
    calls: list[ProviderCall] = []

    def run(call: ProviderCall) -> Any:
        calls.append(call)
        return answer(call)

    llm_registry.register_provider("fake", lambda: FunctionProvider("fake", run, model="fake-1"))
    return calls


def resume_key() -> str:
    raw = json.loads(json.loads((EVENTS / "create-rich-en.json").read_text(encoding="utf-8"))["body"])
    return container.current().resumes.create(ResumeInput.model_validate(raw), owner=OWNER).unique_key


def grounded(call: ProviderCall) -> dict[str, Any]:
    job = call.request.local_input
    assert isinstance(job, Job)
    resume = job.resume
    items = [i for i in resume_items(resume) if i.kind == "achievement"]
    return {
        "questions": [
            {
                "id": f"q{n}",
                "category": CATEGORIES[n % 5],
                "difficulty": "medium",
                "question": f"How did you measure this result, and what would you change? ({n})",
                "intent": "Evidence and reflection",
                "grounding": {"source": items[n % len(items)].source, "quote": items[n % len(items)].text},
                "key_points": ["baseline", "measurement"],
                "follow_ups": ["What failed first?"],
            }
            for n in range(5)
        ]
    }


def queued_bodies() -> list[dict[str, Any]]:
    queue_url = container.current().settings.tasks_queue_url
    messages = (
        boto3.client("sqs").receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
    )
    return [json.loads(m["Body"]) for m in messages]


def test_submit_queues_one_message_and_run_completes_with_progress(aws: FakeConnections) -> None:
    provider(grounded)
    key = resume_key()
    service = container.current().task_service
    task = service.submit(INTERVIEW, key, InterviewOptions(), owner=OWNER)
    assert queued_bodies() == [{"task_id": task.task_id}]
    assert service.snapshot(INTERVIEW, task.task_id, owner=OWNER)["status"] == "queued"

    aws.open.add("conn-1")
    container.current().connections.add("conn-1", owner=OWNER)
    container.current().connections.subscribe("conn-1", task.task_id, owner=OWNER)
    service.run(task.task_id, receive_count=1)

    snapshot = service.snapshot(INTERVIEW, task.task_id, owner=OWNER)
    assert snapshot["status"] == "succeeded" and snapshot["progress"] == 100
    assert snapshot["result"]["id"] == task.task_id and len(snapshot["result"]["questions"]) == 5
    pushed = aws.sent["conn-1"]
    assert [m["progress"] for m in pushed] == [10, 30, 70, 90, 100]
    assert [m["type"] for m in pushed] == ["progress"] * 4 + ["completed"]
    assert pushed[-1]["result"]["id"] == task.task_id


def test_redelivery_of_a_finished_task_does_nothing(aws: FakeConnections) -> None:
    calls = provider(grounded)
    key = resume_key()
    service = container.current().task_service
    task = service.submit(INTERVIEW, key, InterviewOptions(), owner=OWNER)
    service.run(task.task_id, receive_count=1)
    service.run(task.task_id, receive_count=2)
    assert len(calls) == 1


def test_crash_between_the_ai_call_and_the_save_leaves_exactly_one_document(
    aws: FakeConnections, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider(grounded)
    key = resume_key()
    service = container.current().task_service
    task = service.submit(INTERVIEW, key, InterviewOptions(), owner=OWNER)
    repository = container.current().repositories["interview"]
    real_insert = repository.insert
    crashes = iter([True])

    def crash_once(record: Any, *, owner: str) -> Any:
        if next(crashes, False):
            raise SystemExit("worker killed after the AI answered")  # not an AppError: nothing catches it
        return real_insert(record, owner=owner)

    monkeypatch.setattr(repository, "insert", crash_once)
    with pytest.raises(SystemExit):
        service.run(task.task_id, receive_count=1)
    service.run(task.task_id, receive_count=2)  # SQS redelivers
    service.run(task.task_id, receive_count=3)  # and once more, for good measure
    assert repository._collection.count_documents({"unique_key": key}) == 1
    assert service.snapshot(INTERVIEW, task.task_id, owner=OWNER)["status"] == "succeeded"


def test_resume_deleted_before_the_run_fails_at_once(aws: FakeConnections) -> None:
    calls = provider(grounded)
    key = resume_key()
    service = container.current().task_service
    task = service.submit(INTERVIEW, key, InterviewOptions(), owner=OWNER)
    container.current().resumes.delete(key, owner=OWNER)
    service.run(task.task_id, receive_count=1)  # returns: no retry
    snapshot = service.snapshot(INTERVIEW, task.task_id, owner=OWNER)
    assert snapshot["status"] == "failed" and snapshot["error"]["code"] == "resume_deleted"
    assert calls == []


def stored_for(key: str) -> int:
    return sum(
        repository._collection.count_documents({"unique_key": key})
        for repository in container.current().repositories.values()
    )


def test_resume_deleted_while_the_model_writes_fails_the_task_and_keeps_nothing(
    aws: FakeConnections,
) -> None:
    key = resume_key()

    def delete_then_answer(call: ProviderCall) -> Any:
        container.current().resumes.delete(key, owner=OWNER)  # the user deletes during calling_llm
        return grounded(call)

    calls = provider(delete_then_answer)
    service = container.current().task_service
    task = service.submit(INTERVIEW, key, InterviewOptions(), owner=OWNER)
    aws.open.add("c1")
    container.current().connections.add("c1", owner=OWNER)
    container.current().connections.subscribe("c1", task.task_id, owner=OWNER)
    service.run(task.task_id, receive_count=1)
    assert len(calls) == 1
    snapshot = service.snapshot(INTERVIEW, task.task_id, owner=OWNER)
    assert snapshot["status"] == "failed" and snapshot["error"]["code"] == "resume_deleted"
    assert "result" not in snapshot and snapshot["result_id"] is None
    assert stored_for(key) == 0
    pushed = aws.sent["c1"]
    assert pushed[-1]["type"] == "failed" and all("result" not in message for message in pushed)


@pytest.mark.parametrize("delay", ["after_save", "before_save"])
def test_a_delete_racing_the_save_never_leaves_a_document(
    aws: FakeConnections, monkeypatch: pytest.MonkeyPatch, delay: str
) -> None:
    """The worker paused between generation and save, and between save and its check: the delete runs in
    the pause. Either way the task fails with resume_deleted and nothing made from the resume stays."""
    provider(grounded)
    key = resume_key()
    repository = container.current().repositories["interview"]
    insert = repository.insert

    def paused_insert(record: Any, *, owner: str) -> Any:
        if delay == "before_save":
            container.current().resumes.delete(key, owner=owner)
            return insert(record, owner=owner)
        stored = insert(record, owner=owner)
        container.current().resumes.delete(key, owner=owner)
        return stored

    monkeypatch.setattr(repository, "insert", paused_insert)
    service = container.current().task_service
    task = service.submit(INTERVIEW, key, InterviewOptions(), owner=OWNER)
    service.run(task.task_id, receive_count=1)
    snapshot = service.snapshot(INTERVIEW, task.task_id, owner=OWNER)
    assert snapshot["status"] == "failed" and snapshot["error"]["code"] == "resume_deleted"
    assert "result" not in snapshot
    assert stored_for(key) == 0


def test_a_sync_generation_racing_a_delete_leaves_no_orphan(aws: FakeConnections) -> None:
    key = resume_key()

    def delete_then_answer(call: ProviderCall) -> Any:
        container.current().resumes.delete(key, owner=OWNER)
        return grounded(call)

    provider(delete_then_answer)
    with pytest.raises(ResumeDeleted) as raised:
        container.current().generation.generate(INTERVIEW, key, InterviewOptions(), owner=OWNER)
    assert raised.value.error_code == "resume_deleted"
    assert stored_for(key) == 0


def test_transient_failures_retry_until_the_last_receive(aws: FakeConnections) -> None:
    def down(call: ProviderCall) -> Any:
        raise ProviderError(ErrorKind.SERVER_ERROR, status_code=500)

    provider(down)
    key = resume_key()
    service = container.current().task_service
    task = service.submit(LEARNING_PATH, key, LearningPathOptions(), owner=OWNER)
    for receive in range(1, 5):
        with pytest.raises(TaskAttemptFailed):
            service.run(task.task_id, receive_count=receive)
        assert service.snapshot(LEARNING_PATH, task.task_id, owner=OWNER)["status"] == "running"
    with pytest.raises(TaskAttemptFailed):  # the message goes on to the DLQ ...
        service.run(task.task_id, receive_count=5)
    snapshot = service.snapshot(
        LEARNING_PATH, task.task_id, owner=OWNER
    )  # ... and the task says why it failed
    assert snapshot["status"] == "failed" and snapshot["error"]["code"] == "providers_exhausted"
    assert "Gave up after 5 attempts" in snapshot["error"]["message"]


def test_gone_subscribers_are_removed_and_the_task_still_completes(aws: FakeConnections) -> None:
    provider(grounded)
    key = resume_key()
    service = container.current().task_service
    task = service.submit(INTERVIEW, key, InterviewOptions(), owner=OWNER)
    store: ConnectionStore = container.current().connections
    for connection in ("alive", "gone"):
        store.add(connection, owner=OWNER)
        store.subscribe(connection, task.task_id, owner=OWNER)
    aws.open.add("alive")
    service.run(task.task_id, receive_count=1)
    assert store.subscribers(task.task_id) == ["alive"]
    assert aws.sent["alive"][-1]["type"] == "completed"


def test_unknown_tasks_and_other_kinds_are_404(aws: FakeConnections) -> None:
    provider(grounded)
    service = container.current().task_service
    task = service.submit(INTERVIEW, resume_key(), InterviewOptions(), owner=OWNER)
    with pytest.raises(TaskNotFound):
        service.snapshot(LEARNING_PATH, task.task_id, owner=OWNER)
    with pytest.raises(TaskNotFound):
        service.snapshot(INTERVIEW, "0" * 32, owner=OWNER)
    with pytest.raises(TaskNotFound):
        service.snapshot(INTERVIEW, "../etc", owner=OWNER)
    with pytest.raises(ResumeNotFound):
        service.submit(INTERVIEW, "A" * 22, InterviewOptions(), owner=OWNER)
    service.run("f" * 32, receive_count=1)  # a message for an unknown task is dropped quietly


# ---- ownership ---------------------------------------------------------------------------------------------


def test_another_owners_task_is_not_found_and_their_resume_cannot_be_submitted(aws: FakeConnections) -> None:
    provider(grounded)
    key = resume_key()
    service = container.current().task_service
    admitted: list[str] = []
    task = service.submit(INTERVIEW, key, InterviewOptions(), owner=OWNER, admit=lambda: admitted.append("a"))
    assert admitted == ["a"]
    with pytest.raises(TaskNotFound):
        service.snapshot(INTERVIEW, task.task_id, owner="bob")
    with pytest.raises(ResumeNotFound):  # and bob's quota is not charged for trying
        service.submit(INTERVIEW, key, InterviewOptions(), owner="bob", admit=lambda: admitted.append("b"))
    assert admitted == ["a"] and len(queued_bodies()) == 1
    service.run(task.task_id, receive_count=1)  # the worker generates as the task's owner
    assert service.snapshot(INTERVIEW, task.task_id, owner=OWNER)["result"]["unique_key"] == key


def test_a_refused_admission_creates_no_task_and_queues_nothing(aws: FakeConnections) -> None:
    key = resume_key()

    def refuse() -> None:
        raise QuotaExceeded(60, 3)

    with pytest.raises(QuotaExceeded):
        container.current().task_service.submit(INTERVIEW, key, InterviewOptions(), owner=OWNER, admit=refuse)
    assert queued_bodies() == []


def test_websocket_subscribe_sees_only_the_connections_own_tasks(
    aws: FakeConnections, monkeypatch: pytest.MonkeyPatch
) -> None:
    subscriptions = container.current().subscriptions

    def handle(event: dict[str, Any]) -> dict[str, Any]:
        return websocket.handle(event, subscriptions, auth_enabled=True)

    task = container.current().task_service.submit(INTERVIEW, resume_key(), InterviewOptions(), owner=OWNER)

    def event(route: str, connection: str, body: dict[str, Any] | None = None, **authorizer: str) -> Any:
        context: dict[str, Any] = {"routeKey": route, "connectionId": connection, "requestId": "r1"}
        if authorizer:
            context["authorizer"] = authorizer
        return {"requestContext": context, "body": json.dumps(body) if body is not None else None}

    # With auth on, a $connect the authorizer did not vouch for is refused.
    assert handle(event("$connect", "c0")) == {"statusCode": 401}
    for connection, owner in (("c-alice", OWNER), ("c-bob", "bob")):
        assert handle(event("$connect", connection, principalId=owner, owner=owner))["statusCode"] == 200
        aws.open.add(connection)
        handle(event("subscribe", connection, {"action": "subscribe", "task_id": task.task_id}))
    assert aws.sent["c-alice"][0]["task_id"] == task.task_id
    assert aws.sent["c-bob"] == [
        {
            "type": "error",
            "error_code": "task_not_found",
            "message": "No task exists with this id.",
            "detail": "No task exists with this id.",
            "request_id": "r1",
        }
    ]
    assert container.current().connections.subscribers(task.task_id) == ["c-alice"]
    # A message far larger than any subscribe is refused without being parsed.
    handle(event("subscribe", "c-bob", {"action": "subscribe", "task_id": "x" * 5000}))
    assert aws.sent["c-bob"][-1]["error_code"] == "message_too_large"
