"""The original system's clients against the local runtime, over real HTTP and WebSocket: its example
resume (POSTed to `/api/v1/resumes/`, as they send it) round-trips and feeds generation; every seed path
answers the same with a trailing slash; the name search is owner-scoped; progress speaks Celery's `state`
beside `status`, polled and pushed; error bodies carry `detail`."""

from __future__ import annotations

import copy
import json
import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import boto3
import pytest
from websockets.sync.client import connect

from careercoach import container
from careercoach.auth import ANONYMOUS
from careercoach.models.generation import CATEGORIES, InterviewOptions
from careercoach.models.resume import Resume
from careercoach.models.task import CELERY_STATE
from careercoach.resume_items import resume_items
from local.runtime import LocalRuntime
from tests.fakes.wire_formats import OpenAIChatServer
from tests.integration.api.conftest import ApiClient, body_of, local_runtime, openai_env
from tests.integration.local.support import Reply
from tests.support.original_system import ORIGINAL_EXAMPLE_RESUME, ORIGINAL_MINIMAL_RESUME, differences

pytestmark = pytest.mark.integration

OFFLINE = {"provider": "offline"}
NAME = ORIGINAL_EXAMPLE_RESUME["name"]


@pytest.fixture(scope="module")
def runtime(openai_fake: OpenAIChatServer) -> Iterator[LocalRuntime]:
    # OpenAI (the loopback fake) where a test asks for it; the offline generator where it asks for that.
    with local_runtime(openai_env(openai_fake, "migration") | {"LLM_PROVIDERS": "openai,offline"}) as started:
        yield started


@pytest.fixture(scope="module")
def api(runtime: LocalRuntime) -> ApiClient:
    return ApiClient(runtime.http_url)


def create_original(api: ApiClient, resume: dict[str, Any] = ORIGINAL_EXAMPLE_RESUME) -> dict[str, Any]:
    reply = api.json("POST", "/api/v1/resumes/", resume)
    assert reply.status == 201, reply.body[:300]
    body: dict[str, Any] = body_of(reply)
    return body


def comparable(reply: Reply) -> tuple[int, Any]:
    """Status and body, minus what differs between two calls by design (ids, times, request ids)."""
    body = body_of(reply)
    volatile = {
        "request_id",
        "id",
        "task_id",
        "progress_url",
        "created_at",
        "updated_at",
        "unique_key",
        "attempts",
        "provider_status",  # each provider's latest call here: moves with every generation
    }
    if isinstance(body, dict):
        body = {k: v for k, v in body.items() if k not in volatile}
    return reply.status, body


def test_the_original_example_resume_round_trips(api: ApiClient) -> None:
    created = api.json("POST", "/api/v1/resumes/", ORIGINAL_EXAMPLE_RESUME)
    assert created.status == 201
    resume = body_of(created)
    assert created.header("location") == f"/api/v1/resumes/{resume['unique_key']}"
    fetched = api.request("GET", f"{created.header('location')}/")
    assert fetched.status == 200 and body_of(fetched) == resume
    stored = {
        k: v for k, v in resume.items() if k not in ("unique_key", "created_at", "updated_at", "language")
    }
    assert differences(ORIGINAL_EXAMPLE_RESUME, stored) == []
    assert body_of(api.json("POST", "/api/v1/resumes/", ORIGINAL_MINIMAL_RESUME))["activities"] == []


def test_unknown_fields_of_neither_form_are_still_422_with_detail(api: ApiClient) -> None:
    sent = copy.deepcopy(ORIGINAL_EXAMPLE_RESUME)
    sent["activities"][0]["badge"] = "gold"
    reply = api.json("POST", "/api/v1/resumes/", sent)
    body = body_of(reply)
    assert reply.status == 422 and body["error_code"] == "validation_error"
    assert body["detail"] == body["message"]
    assert [d["loc"] for d in body["details"]] == [["body", "activities", 0, "badge"]]


def test_generation_uses_activities_and_highlights(api: ApiClient, fake: OpenAIChatServer) -> None:
    resume = create_original(api)
    items = {i.source: i for i in resume_items(Resume.model_validate(resume).content())}
    sources = [
        "activities[0].achievements[0]",
        "personal_projects[0].architecture_highlights[0]",
        "activities[0].description",
        "personal_projects[1].architecture_highlights[0]",
        "certifications[0]",
    ]
    fake.push(
        fake.ok(
            {
                "questions": [
                    {
                        "id": f"q{n + 1}",
                        "category": CATEGORIES[n],
                        "difficulty": "medium",
                        "question": f"이 경험에서 가장 어려웠던 판단은 무엇이었나요? ({n + 1})",
                        "intent": "설계 판단과 근거",
                        "grounding": {"source": source, "quote": items[source].text},
                        "key_points": ["배경", "대안 비교"],
                        "follow_ups": ["다시 한다면?"],
                    }
                    for n, source in enumerate(sources)
                ]
            }
        )
    )
    reply = api.json("POST", f"/api/v1/interview/{resume['unique_key']}/questions/", {"provider": "openai"})
    assert reply.status == 201, reply.body[:500]
    assert [q["grounding"]["source"] for q in body_of(reply)["questions"]] == sources

    (sent,) = fake.bodies
    prompt = "\n".join(str(message["content"]) for message in sent["messages"])
    data = prompt.split("<resume>\n")[1].split("\n</resume>")[0]  # the data block, not the instructions
    assert "[activities[0].description] 형태소 분석기 오픈소스의" in data
    assert "[personal_projects[0].architecture_highlights[1]] Terraform으로 GKE" in data
    assert not re.search(r"https?://", data)
    for private in (NAME, "010-2345-6789", "han.server@example.com", "hanserver-example"):
        assert private not in prompt


def test_every_seed_path_answers_the_same_with_a_trailing_slash(api: ApiClient) -> None:
    key = create_original(api)["unique_key"]
    for kind, resource in (("interview", "questions"), ("learning", "learning-path")):
        assert api.json("POST", f"/api/v1/{kind}/{key}/{resource}", OFFLINE).status == 201
    task = body_of(api.json("POST", f"/api/v1/interview/async/{key}/questions", OFFLINE))["task_id"]
    reads = [
        f"/api/v1/resumes/{key}",
        "/api/v1/resumes/health",
        "/api/v1/resumes/openapi.json",
        f"/api/v1/interview/{key}/questions",
        f"/api/v1/interview/{key}/questions/history",
        "/api/v1/interview/health",
        f"/api/v1/learning/{key}/learning-path",
        "/api/v1/learning/health",
        "/api/v1/learning/tasks/0123456789abcdef0123456789abcdef/progress",  # 404 both ways
        "/api/v1/resumes/nope",  # 404 both ways
    ]
    for path in reads:
        assert comparable(api.request("GET", f"{path}/")) == comparable(api.request("GET", path)), path
    docs = api.request("GET", "/api/v1/interview/docs/")
    assert docs.status == 200 and b"swagger" in docs.body.lower()
    # Generating twice gives two results; the offline generator makes them equal, whichever path was used.
    for kind, resource in (("interview", "questions"), ("learning", "learning-path")):
        for prefix in (f"/api/v1/{kind}", f"/api/v1/{kind}/async"):
            plain = api.json("POST", f"{prefix}/{key}/{resource}", OFFLINE)
            slashed = api.json("POST", f"{prefix}/{key}/{resource}/", OFFLINE)
            assert comparable(slashed) == comparable(plain), prefix
    polled = wait(api, f"/api/v1/interview/tasks/{task}/progress/")
    assert polled["status"] == "succeeded"
    # A wrong method keeps its 405, with the slash too.
    wrong = api.request("DELETE", "/api/v1/resumes/")
    assert wrong.status == 405 and wrong.header("allow") == "GET, POST, OPTIONS"


def wait(
    api: ApiClient, url: str, seen: list[dict[str, Any]] | None = None, timeout_s: float = 20
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        body: dict[str, Any] = body_of(api.request("GET", url))
        if seen is not None:
            seen.append(body)
        if body["status"] in ("succeeded", "failed") or time.monotonic() > deadline:
            return body
        time.sleep(0.02)


def test_state_follows_status_polled_and_pushed(api: ApiClient) -> None:
    key = create_original(api)["unique_key"]
    accepted = body_of(api.json("POST", f"/api/v1/learning/async/{key}/learning-path/", OFFLINE))
    polled: list[dict[str, Any]] = []
    with connect(accepted["websocket_url"], open_timeout=5) as socket:
        socket.send(json.dumps({"action": "subscribe", "task_id": accepted["task_id"]}))
        pushed: list[dict[str, Any]] = []
        while not pushed or pushed[-1]["type"] not in ("completed", "failed"):
            pushed.append(json.loads(socket.recv(timeout=20)))
    final = wait(api, accepted["progress_url"], polled)
    for snapshot in [*pushed, *polled]:
        assert snapshot["state"] == CELERY_STATE[snapshot["status"]], snapshot
    assert pushed[-1]["state"] == final["state"] == "SUCCESS"  # what the original page waits for
    assert final["result"]["id"] == accepted["task_id"]


def test_a_failed_task_is_failure_and_an_unknown_one_stays_404(api: ApiClient, runtime: LocalRuntime) -> None:
    key = create_original(api)["unique_key"]
    task = container.current().tasks.create("f" * 32, "interview", key, InterviewOptions(), owner=ANONYMOUS)
    assert api.request("DELETE", f"/api/v1/resumes/{key}").status == 204
    boto3.client("sqs", endpoint_url=runtime.endpoint).send_message(
        QueueUrl=container.current().settings.tasks_queue_url,
        MessageBody=json.dumps({"task_id": task.task_id}),
    )
    final = wait(api, f"/api/v1/interview/tasks/{task.task_id}/progress")
    assert (final["status"], final["state"], final["error"]["code"]) == (
        "failed",
        "FAILURE",
        "resume_deleted",
    )
    unknown = api.request("GET", "/api/v1/interview/tasks/0123456789abcdef0123456789abcdef/progress/")
    body = body_of(unknown)
    assert unknown.status == 404 and body["error_code"] == "task_not_found"
    assert body["detail"] == body["message"]


def test_the_name_search_is_403_without_authentication(api: ApiClient) -> None:
    reply = api.request("GET", f"/api/v1/resumes/user/{quote(NAME)}")
    assert reply.status == 403 and body_of(reply)["error_code"] == "authentication_disabled"
