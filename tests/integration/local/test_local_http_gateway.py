"""The HTTP API gateway over real loopback HTTP, through LocalRuntime and the fixture handlers."""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

import pytest

from local.runtime import LocalRuntime
from tests.integration.local.support import Client, Reply

pytestmark = pytest.mark.integration

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"


def _echo(reply: Reply) -> dict[str, Any]:
    assert reply.status == 200, reply.body
    document: dict[str, Any] = json.loads(reply.body)
    return document


def test_event_carries_path_query_headers_and_cookies(client: Client, runtime: LocalRuntime) -> None:
    reply = client.request(
        "GET",
        "/items/42?tag=a&tag=b&q=x%20y",
        headers=[
            ("X-Repeat", "1"),
            ("X-Repeat", "2"),
            ("Cookie", "sid=abc; theme=dark"),
            ("User-Agent", "it/1"),
        ],
    )
    body = _echo(reply)
    event = body["event"]
    assert event["version"] == "2.0"
    assert event["routeKey"] == "GET /items/{id}"
    assert event["rawPath"] == "/items/42"
    assert event["rawQueryString"] == "tag=a&tag=b&q=x%20y"
    assert event["queryStringParameters"] == {"tag": "a,b", "q": "x y"}
    assert event["pathParameters"] == {"id": "42"}
    assert event["headers"]["x-repeat"] == "1,2"
    assert event["cookies"] == ["sid=abc", "theme=dark"]
    assert "cookie" not in event["headers"]
    assert "body" not in event
    context = event["requestContext"]
    assert context["http"]["method"] == "GET"
    assert context["http"]["sourceIp"] == "127.0.0.1"
    assert context["http"]["userAgent"] == "it/1"
    assert context["stage"] == "$default"
    assert context["requestId"] == reply.header("apigw-requestid")
    assert body["context"]["function_name"] == "careercoach-local-EchoFunction"
    assert 0 < body["context"]["remaining_ms"] <= 7000
    assert body["module"] == "local_fn_EchoFunction_app"


def test_request_ids_are_unique(client: Client) -> None:
    ids = {client.request("GET", "/items/1").header("apigw-requestid") for _ in range(5)}
    assert len(ids) == 5


def test_json_body_is_text_and_binary_body_is_base64(client: Client) -> None:
    text = _echo(client.request("POST", "/items", b'{"a": 1}', [("Content-Type", "application/json")]))[
        "event"
    ]
    assert (text["body"], text["isBase64Encoded"], text["routeKey"]) == ('{"a": 1}', False, "POST /items")
    binary = _echo(client.request("POST", "/items", PNG_BYTES, [("Content-Type", "image/png")]))["event"]
    assert binary["isBase64Encoded"] is True
    assert base64.b64decode(binary["body"]) == PNG_BYTES


def test_route_precedence_over_http(client: Client) -> None:
    def route_of(method: str, path: str) -> str:
        reply = client.request(method, path)
        document = json.loads(reply.body)
        return str(document["event"]["routeKey"] if "event" in document else document["routeKey"])

    assert route_of("GET", "/items/special") == "GET /items/special"
    assert route_of("GET", "/items/7") == "GET /items/{id}"
    assert route_of("DELETE", "/items/7") == "ANY /items/{id}"
    assert route_of("GET", "/items/7/parts/3") == "GET /items/{proxy+}"
    assert route_of("PATCH", "/nowhere") == "$default"
    proxy = _echo(client.request("GET", "/items/a/b"))["event"]
    assert proxy["pathParameters"] == {"proxy": "a/b"}


def test_default_route_gets_inferred_200(client: Client) -> None:
    reply = client.request("GET", "/other")
    assert reply.status == 200
    assert reply.header("content-type") == "application/json"
    assert json.loads(reply.body) == {
        "module": "local_fn_OtherFunction_app",
        "marker": "other",
        "routeKey": "GET /other",
    }


def test_response_shapes(client: Client) -> None:
    binary = client.request("GET", "/shapes/binary")
    assert (binary.status, binary.body, binary.header("content-type")) == (200, PNG_BYTES, "image/png")
    cookies = client.request("GET", "/shapes/cookies")
    assert cookies.status == 201
    assert cookies.all("set-cookie") == ["session=abc; HttpOnly", "theme=dark"]
    assert cookies.all("x-multi") == ["a", "b"]
    assert cookies.body == b"made"
    string = client.request("GET", "/shapes/string")
    assert (string.status, string.body) == (200, b'"just a string"')
    empty = client.request("GET", "/shapes/empty")
    assert (empty.status, empty.body) == (204, b"")


@pytest.mark.parametrize("kind", ["boom", "invalid"])
def test_handler_failure_is_a_bare_500(client: Client, kind: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="local.http"):
        reply = client.request("GET", f"/shapes/{kind}")
    assert reply.status == 500
    assert json.loads(reply.body) == {"message": "Internal Server Error"}
    assert b"secret" not in reply.body
    assert any(record.exc_info for record in caplog.records)  # the traceback goes to the log, not the client


def test_cors_preflight_is_answered_by_the_gateway(client: Client) -> None:
    reply = client.request(
        "OPTIONS",
        "/items/1",
        headers=[
            ("Origin", "https://app.example.com"),
            ("Access-Control-Request-Method", "PUT"),
            ("Access-Control-Request-Headers", "content-type"),
        ],
    )
    assert reply.status == 204
    assert reply.header("access-control-allow-origin") == "https://app.example.com"
    assert reply.header("access-control-allow-methods") == "GET,POST,PUT,DELETE"
    assert reply.header("access-control-allow-headers") == "content-type,authorization"
    assert reply.header("access-control-max-age") == "600"
    assert reply.body == b""
    refused = client.request(
        "OPTIONS",
        "/items/1",
        headers=[("Origin", "https://evil.test"), ("Access-Control-Request-Method", "GET")],
    )
    assert refused.header("access-control-allow-origin") is None


def test_cors_headers_on_responses(client: Client) -> None:
    allowed = client.request("GET", "/items/1", headers=[("Origin", "http://localhost:5173")])
    assert allowed.header("access-control-allow-origin") == "http://localhost:5173"
    assert allowed.header("access-control-expose-headers") == "location"
    assert allowed.header("vary") == "origin"
    # The echo handler sets its own allow-origin; the gateway's CORS configuration replaces it.
    other = client.request("GET", "/items/1", headers=[("Origin", "https://evil.test")])
    assert other.header("access-control-allow-origin") is None


def test_body_over_10_mb_is_refused(client: Client) -> None:
    reply = client.request("POST", "/items", b"x" * (10 * 1024 * 1024 + 1), [("Content-Type", "text/plain")])
    assert reply.status == 413
    assert json.loads(reply.body) == {"message": "Request Entity Too Large"}


def test_head_has_no_body(client: Client) -> None:
    reply = client.request("HEAD", "/other")
    assert reply.status == 200
    assert reply.body == b""


def test_access_log_has_method_path_status_and_no_body(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="local.http"):
        client.request(
            "POST", "/items?token=hidden", b'{"password": "hunter2"}', [("Content-Type", "application/json")]
        )
    lines = [record.getMessage() for record in caplog.records if record.name == "local.http"]
    assert len(lines) == 1
    method, path, status, elapsed = lines[0].split()
    assert (method, path, status) == ("POST", "/items", "200")
    assert elapsed.endswith("ms")
    assert "hunter2" not in lines[0] and "hidden" not in lines[0]
