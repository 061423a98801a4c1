"""One reading of client JSON for HTTP bodies and WebSocket messages (careercoach.api.body): the same limits
on both sides, each tested from the reproduction in the hardening issue."""

from __future__ import annotations

import json
from typing import Any

import pytest

from careercoach.api import websocket
from careercoach.api.body import MAX_JSON_DEPTH, JsonRejected, JsonTooDeep, parse_json
from tests.support.lambda_support import FakeLambdaContext, json_body, load_event, load_function

HOSTILE = {
    "nested arrays": "[" * 5000 + "]" * 5000,
    "nested objects": '{"a":' * 2000 + "1" + "}" * 2000,
    "past the limit": "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1),
    "duplicate keys": '{"task_id": "a", "task_id": "b"}',
    "lone surrogate": '{"task_id": "\\ud800"}',
    "NaN": '{"n": NaN}',
    "Infinity": '{"n": Infinity}',
    "overflow": '{"n": 1e400}',
    "not JSON": "{task_id: 1}",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_json_is_refused_with_a_reason(text: str) -> None:
    with pytest.raises(JsonRejected) as refused:
        parse_json(text)
    assert str(refused.value)


def test_depth_is_counted_exactly() -> None:
    assert parse_json("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH) is not None
    with pytest.raises(JsonTooDeep):
        parse_json("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1))


def test_ordinary_json_is_read_as_is() -> None:
    text = json.dumps({"name": "김하늘", "skills": ["Go", "Kafka"], "years": 3.5, "ok": True, "none": None})
    assert parse_json(text) == json.loads(text)


class Recorder:
    """The Subscriptions interface, recording what the routes asked of it."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def connect(self, connection_id: str, *, owner: str) -> None:
        self.calls.append(("connect", owner))

    def disconnect(self, connection_id: str) -> None:
        self.calls.append(("disconnect", connection_id))

    def subscribe(self, connection_id: str, task_id: object, *, request_id: str = "") -> None:
        self.calls.append(("subscribe", task_id))

    def unsubscribe(self, connection_id: str) -> None:
        self.calls.append(("unsubscribe", connection_id))

    def error(self, connection_id: str, code: str, text: str, request_id: str = "") -> None:
        self.calls.append(("error", code))


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_websocket_message_is_answered_not_crashed(text: str) -> None:
    recorder = Recorder()
    event = {"requestContext": {"routeKey": "subscribe", "connectionId": "c1"}, "body": text}
    assert websocket.handle(event, recorder, auth_enabled=False) == {"statusCode": 200}  # type: ignore[arg-type]
    # Unreadable: subscribed to nothing, so the client hears task_not_found (or message_too_large).
    assert recorder.calls in ([("subscribe", None)], [("error", "message_too_large")])


def resumes(body: str, content_type: str = "application/json") -> dict[str, Any]:
    event = load_event("resumes/create-short.json")
    event["body"] = body
    event["headers"]["content-type"] = content_type
    response: dict[str, Any] = load_function("resumes").lambda_handler(
        event, FakeLambdaContext(function_name="ResumesFunction")
    )
    return response


def test_duplicate_member_names_in_a_body_are_400() -> None:
    response = resumes('{"career_summary": "Go developer", "career_summary": "Java developer"}')
    assert response["statusCode"] == 400
    assert json_body(response)["error_code"] == "malformed_json"


def test_a_lone_surrogate_in_a_body_is_400_not_500() -> None:
    response = resumes('{"career_summary": "Go developer \\udc00 for three years"}')
    assert response["statusCode"] == 400
    assert json_body(response)["error_code"] == "malformed_json"


@pytest.mark.parametrize("charset", ["utf-16", "latin-1", "UTF-32"])
def test_a_charset_other_than_utf8_is_415(charset: str) -> None:
    response = resumes('{"career_summary": "Go developer"}', f"application/json; charset={charset}")
    assert response["statusCode"] == 415


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", '"utf-8"'])
def test_utf8_may_be_declared(charset: str) -> None:
    body = json.dumps({"career_summary": "Backend developer with Go", "years_experience": 3})
    assert resumes(body, f"application/json; charset={charset}")["statusCode"] == 201
