"""WebSocket API rules without sockets: route selection, event shapes, frames API Gateway sends itself."""

from __future__ import annotations

import base64
import json
import re
import time

import pytest

from local.websocket_events import (
    ConnectionInfo,
    EventFactory,
    RouteSelector,
    error_frame,
    iso8601,
    new_connection_id,
    route_response,
)

ROUTES = frozenset({"$connect", "$disconnect", "$default", "echo", "42"})


def _info() -> ConnectionInfo:
    return ConnectionInfo("abcdefghijklmno=", "127.0.0.1", "agent/1.0", connected_at=1_700_000_000_123)


def test_connection_ids_look_like_api_gateways() -> None:
    ids = {new_connection_id() for _ in range(50)}
    assert len(ids) == 50
    assert all(re.fullmatch(r"[A-Za-z0-9+/]{15}=", value) for value in ids)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ('{"action": "echo"}', "echo"),
        ('{"action": 42}', "42"),  # a number names a route by its text
        ('{"action": "nope"}', "$default"),
        ('{"action": "$connect"}', "$default"),  # special routes are never selected by a message
        ('{"other": "echo"}', "$default"),
        ('{"action": {"nested": 1}}', "$default"),
        ('{"action": true}', "$default"),
        ('["echo"]', "$default"),
        ("not json", "$default"),
        (b'{"action": "echo"}', "$default"),  # binary frames are not parsed
        # Messages the expression cannot be evaluated against go to $default, never raise.
        ("[" * 100_000 + "]" * 100_000, "$default"),  # nested deeper than the parser recurses
        ('{"a":' * 50_000 + "1" + "}" * 50_000, "$default"),
        ('{"action": ' + "[" * 50_000 + "]" * 50_000 + "}", "$default"),
        ('{"action": 1' + "0" * 5000 + "}", "$default"),  # past int()'s digit limit
        ('{"action": NaN}', "$default"),
        ('{"action": "\\ud800"}', "$default"),  # a lone surrogate
    ],
    ids=lambda value: repr(value)[:40] if isinstance(value, str | bytes) else str(value),
)
def test_route_selection(message: str | bytes, expected: str) -> None:
    assert RouteSelector("$request.body.action", ROUTES).select(message) == expected


def test_route_selection_without_default_and_nested_paths() -> None:
    selector = RouteSelector("$request.body.meta.kind", frozenset({"echo"}))
    assert selector.select('{"meta": {"kind": "echo"}}') == "echo"
    assert selector.select('{"meta": {"kind": "other"}}') is None
    assert selector.select('{"meta": "echo"}') is None
    unsupported = RouteSelector("${request.header.x}", ROUTES)
    assert not unsupported.supported
    assert unsupported.select('{"action": "echo"}') == "$default"


def test_connect_event() -> None:
    factory = EventFactory("abc1234567", "dev", port=3001)
    headers = [
        ("Host", "127.0.0.1:3001"),
        ("Connection", "Upgrade"),
        ("Upgrade", "websocket"),
        ("Sec-WebSocket-Key", "k=="),
        ("X-Multi", "one"),
        ("X-Multi", "two"),
    ]
    event = factory.connect(_info(), headers, "a=1&a=2&b=")
    assert event["headers"]["Host"] == "127.0.0.1:3001"
    assert "Connection" not in event["headers"] and "Upgrade" not in event["headers"]
    assert event["headers"]["X-Multi"] == "two"
    assert event["multiValueHeaders"]["X-Multi"] == ["one", "two"]
    assert event["headers"]["X-Forwarded-For"] == "127.0.0.1"
    assert event["headers"]["X-Forwarded-Port"] == "3001"
    assert event["headers"]["X-Amzn-Trace-Id"].startswith("Root=1-")
    assert event["queryStringParameters"] == {"a": "2", "b": ""}
    assert event["multiValueQueryStringParameters"] == {"a": ["1", "2"], "b": [""]}
    assert event["isBase64Encoded"] is False
    context = event["requestContext"]
    assert context["routeKey"] == "$connect"
    assert context["eventType"] == "CONNECT"
    assert context["connectionId"] == "abcdefghijklmno="
    assert context["connectedAt"] == 1_700_000_000_123
    assert context["apiId"] == "abc1234567"
    assert context["stage"] == "dev"
    assert context["domainName"] == "127.0.0.1"
    assert context["messageDirection"] == "IN"
    assert context["identity"] == {"userAgent": "agent/1.0", "sourceIp": "127.0.0.1"}
    assert abs(context["requestTimeEpoch"] - time.time() * 1000) < 5000
    assert re.fullmatch(r"\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d \+0000", context["requestTime"])
    assert context["requestId"] != context["extendedRequestId"]
    assert "messageId" not in context
    assert "queryStringParameters" not in factory.connect(_info(), headers, "")


def test_message_events() -> None:
    factory = EventFactory("abc1234567", "dev")
    text = factory.message(_info(), "echo", '{"action": "echo"}')
    assert text["body"] == '{"action": "echo"}'
    assert text["isBase64Encoded"] is False
    context = text["requestContext"]
    assert (context["routeKey"], context["eventType"]) == ("echo", "MESSAGE")
    assert context["messageId"] and context["identity"] == {"sourceIp": "127.0.0.1"}
    binary = factory.message(_info(), "$default", b"\x00\xff")
    assert binary["isBase64Encoded"] is True
    assert base64.b64decode(binary["body"]) == b"\x00\xff"


@pytest.mark.parametrize(
    ("code", "reason", "expected_code", "expected_reason"),
    [
        (1000, "bye", 1000, "bye"),
        (1001, "", 1001, "Going away"),
        (1005, None, 1005, "Client-side close frame status not set"),
        (None, None, 1006, "Connection closed abnormally"),
        (4000, "", 4000, ""),
    ],
)
def test_disconnect_event(
    code: int | None, reason: str | None, expected_code: int, expected_reason: str
) -> None:
    event = EventFactory("abc1234567", "dev").disconnect(_info(), code, reason)
    context = event["requestContext"]
    assert (context["routeKey"], context["eventType"]) == ("$disconnect", "DISCONNECT")
    assert context["disconnectStatusCode"] == expected_code
    assert context["disconnectReason"] == expected_reason
    assert set(event["headers"]) == {"Host", "x-api-key", "X-Forwarded-For", "x-restapi"}
    assert "body" not in event


def test_route_response_and_error_frames() -> None:
    assert route_response({"statusCode": 200, "body": "hi"}) == "hi"
    assert route_response({"statusCode": 200, "body": "aGk=", "isBase64Encoded": True}) == b"hi"
    assert route_response({"statusCode": 200}) is None
    assert route_response({"statusCode": 200, "body": ""}) is None
    assert route_response({"body": {"not": "a string"}}) is None
    assert route_response(None) is None
    assert json.loads(error_frame("Forbidden", "c=", "r=")) == {
        "message": "Forbidden",
        "connectionId": "c=",
        "requestId": "r=",
    }


def test_connection_info_describes_itself_like_get_connection() -> None:
    info = _info()
    assert info.last_active_at == info.connected_at
    assert iso8601(1_700_000_000_123) == "2023-11-14T22:13:20.123Z"
    assert info.describe() == {
        "connectedAt": "2023-11-14T22:13:20.123Z",
        "identity": {"sourceIp": "127.0.0.1", "userAgent": "agent/1.0"},
        "lastActiveAt": "2023-11-14T22:13:20.123Z",
    }
    info.touch()
    assert info.last_active_at > info.connected_at
