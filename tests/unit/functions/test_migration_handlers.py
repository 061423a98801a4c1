"""The functions as the original system's clients call them, with the events/ samples: its example resume
POSTed to `/api/v1/resumes/` (the trailing slash its clients send), every path answered the same with or
without a trailing slash, the name search, `detail` in error bodies and `state` in task snapshots."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from careercoach import container
from careercoach.models.generation import InterviewOptions
from careercoach.models.task import CELERY_STATE, Task, TaskSnapshot
from careercoach.progress import task_message
from tests.support.lambda_support import (
    invoke_function,
    json_body,
    load_event,
)
from tests.support.original_system import ORIGINAL_EXAMPLE_RESUME, differences

invoke = invoke_function


def at_path(event: dict[str, Any], method: str, path: str, body: Any = None) -> dict[str, Any]:
    """An events/ sample sent to another path, as API Gateway's fallback routes deliver it."""
    event = copy.deepcopy(event)
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    event["requestContext"]["http"]["method"] = method
    event["routeKey"] = event["requestContext"]["routeKey"] = "$default"
    event.pop("pathParameters", None)
    if body is None:
        event.pop("body", None)
        event.get("headers", {}).pop("content-type", None)
    else:
        event["body"] = json.dumps(body, ensure_ascii=False)
        event.setdefault("headers", {})["content-type"] = "application/json"
    return event


def with_owner(event: dict[str, Any], sub: str) -> dict[str, Any]:
    """What API Gateway's JWT authorizer adds for a token of `sub`."""
    event = copy.deepcopy(event)
    event["requestContext"]["authorizer"] = {"jwt": {"claims": {"sub": sub}, "scopes": None}}
    return event


def create_original() -> dict[str, Any]:
    response = invoke("resumes", load_event("resumes/create-original.json"))
    assert response["statusCode"] == 201, response
    body: dict[str, Any] = json_body(response)
    return body


def comparable(response: dict[str, Any]) -> tuple[int, Any]:
    body = json_body(response) if response.get("body") else None
    if isinstance(body, dict):
        volatile = ("request_id", "id", "created_at", "updated_at", "unique_key")
        body = {k: v for k, v in body.items() if k not in volatile}
    return response["statusCode"], body


def test_the_sample_event_is_the_original_example_resume() -> None:
    assert json.loads(load_event("resumes/create-original.json")["body"]) == ORIGINAL_EXAMPLE_RESUME


def test_the_original_example_resume_posted_with_a_trailing_slash_round_trips() -> None:
    created = create_original()
    fetched = invoke(
        "resumes", at_path(load_event("resumes/get.json"), "GET", f"/api/v1/resumes/{created['unique_key']}/")
    )
    assert fetched["statusCode"] == 200
    resume = json_body(fetched)
    assert resume == created
    stored = {
        k: v for k, v in resume.items() if k not in ("unique_key", "created_at", "updated_at", "language")
    }
    assert differences(ORIGINAL_EXAMPLE_RESUME, stored) == []


@pytest.mark.parametrize(
    ("function", "method", "path", "body"),
    [
        ("resumes", "GET", "/api/v1/resumes/{key}", None),
        ("resumes", "PATCH", "/api/v1/resumes/{key}", {"summary": "요약을 바꿨습니다. 백엔드 개발자입니다."}),
        ("resumes", "GET", "/api/v1/resumes/health", None),
        ("resumes", "GET", "/api/v1/resumes/openapi.json", None),
        ("resumes", "GET", "/api/v1/resumes/nope", None),
        ("resumes", "DELETE", "/api/v1/resumes", None),
        ("resumes", "POST", "/api/v1/resumes", {"summary": 42}),
        ("interview", "GET", "/api/v1/interview/health", None),
        ("interview", "GET", "/api/v1/interview/{key}/questions", None),
        ("interview", "GET", "/api/v1/interview/tasks/0123456789abcdef0123456789abcdef/progress", None),
        ("learning", "POST", "/api/v1/learning/{key}/learning-path", {"seed": 1}),
        ("learning", "GET", "/api/v1/learning/{key}/learning-path/history", None),
        ("practice", "GET", "/api/v1/practice/health", None),
        ("practice", "GET", "/api/v1/practice/{key}/sessions", None),
        ("practice", "GET", "/api/v1/practice/tasks/0123456789abcdef0123456789abcdef/progress", None),
    ],
)
def test_a_trailing_slash_changes_nothing(function: str, method: str, path: str, body: Any) -> None:
    key = create_original()["unique_key"]
    path = path.replace("{key}", key)
    sample = load_event("resumes/get.json")
    plain = comparable(invoke(function, at_path(sample, method, path, body)))
    slashed = comparable(invoke(function, at_path(sample, method, f"{path}/", body)))
    if method == "POST" and plain[0] == 201:
        assert slashed[0] == 201 and set(slashed[1]) == set(plain[1])  # a second, equal-shaped result
    else:
        assert slashed == plain


def test_a_wrong_method_with_a_trailing_slash_is_405_with_allow() -> None:
    response = invoke("resumes", at_path(load_event("resumes/get.json"), "DELETE", "/api/v1/resumes/"))
    assert response["statusCode"] == 405
    assert response["headers"]["Allow"] == "GET, POST, OPTIONS"


def test_error_bodies_carry_detail_equal_to_message() -> None:
    for event in (
        at_path(load_event("resumes/get.json"), "GET", "/api/v1/resumes/nope/"),
        at_path(
            load_event("resumes/get.json"), "POST", "/api/v1/resumes/", {"nickname": "x", "summary": "y"}
        ),
    ):
        body = json_body(invoke("resumes", event))
        assert body["detail"] == body["message"] and body["error_code"] in (
            "resume_not_found",
            "validation_error",
        )


def test_the_name_search_needs_authentication() -> None:
    response = invoke("resumes", load_event("resumes/list-by-name.json"))
    assert response["statusCode"] == 403
    assert json_body(response)["error_code"] == "authentication_disabled"


def test_the_name_search_lists_only_the_callers_resumes_newest_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH_ISSUER", "https://issuer.example.com")
    monkeypatch.setenv("AUTH_AUDIENCE", "careercoach")
    container.reset()
    search = load_event("resumes/list-by-name.json")
    me = search["requestContext"]["authorizer"]["jwt"]["claims"]["sub"]
    create_event = load_event("resumes/create-original.json")
    mine = [json_body(invoke("resumes", with_owner(create_event, me)))["unique_key"] for _ in range(2)]
    invoke("resumes", with_owner(create_event, "someone-else"))  # the same name, another owner
    other_name = json.loads(create_event["body"]) | {"name": "다른사람"}
    invoke("resumes", with_owner(at_path(create_event, "POST", "/api/v1/resumes", other_name), me))

    page = json_body(invoke("resumes", search))
    assert [item["unique_key"] for item in page["items"]] == mine[::-1]
    assert {item["name"] for item in page["items"]} == {"한서버"} and page["next_cursor"] is None

    slashed = copy.deepcopy(search)
    slashed["rawPath"] = slashed["requestContext"]["http"]["path"] = search["rawPath"] + "/"
    assert json_body(invoke("resumes", slashed)) == page

    first = copy.deepcopy(search)
    first["rawQueryString"], first["queryStringParameters"] = "limit=1", {"limit": "1"}
    one = json_body(invoke("resumes", first))
    assert [item["unique_key"] for item in one["items"]] == [mine[1]] and one["next_cursor"]

    for raw in ("%20%20", "x" * 101, "%FF"):
        bad = copy.deepcopy(search)
        bad["rawPath"] = bad["requestContext"]["http"]["path"] = f"/api/v1/resumes/user/{raw}"
        refused = invoke("resumes", bad)
        assert refused["statusCode"] == 422, raw
        assert json_body(refused)["details"][0]["loc"] == ["path", "name"]


def test_task_snapshots_carry_the_state_in_celerys_words() -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    task = Task(
        task_id="t" * 32,
        kind="interview",
        unique_key="k" * 22,
        options=InterviewOptions().model_dump(mode="json"),
        created_at=now,
        updated_at=now,
        ttl=0,
    )
    expected = {"queued": "PENDING", "running": "PROGRESS", "succeeded": "SUCCESS", "failed": "FAILURE"}
    assert expected == CELERY_STATE
    for status, state in expected.items():
        moved = task.model_copy(update={"status": status})
        snapshot = moved.snapshot()
        assert snapshot["state"] == state
        assert task_message(moved)["state"] == state  # the WebSocket message too
        TaskSnapshot.model_validate(snapshot)  # and the documented shape holds


def test_the_progress_document_documents_state() -> None:
    event = at_path(load_event("resumes/get.json"), "GET", "/api/v1/interview/openapi.json")
    document = json_body(invoke("interview", event))
    operation = document["paths"]["/api/v1/interview/tasks/{task_id}/progress"]["get"]
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][reference.rsplit("/", 1)[1]]
    assert schema["properties"]["state"]["enum"] == ["PENDING", "PROGRESS", "SUCCESS", "FAILURE"]
    error_body = document["components"]["schemas"]["ErrorBody"]
    assert "detail" in error_body["required"]
