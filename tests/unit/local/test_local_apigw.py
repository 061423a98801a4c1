"""API Gateway HTTP API rules without sockets: route selection, v2.0 events, response mapping, CORS."""

from __future__ import annotations

import base64
import json
import re

import pytest

from local.apigw import (
    CorsConfig,
    GatewayResponse,
    IncomingRequest,
    InvalidResponseError,
    RouteTable,
    build_event,
    is_text_content_type,
    map_response,
    new_request_id,
)
from local.template import DEFAULT_ROUTE, HttpRoute, TemplateError


def _route(method: str, path: str, function_id: str = "Fn") -> HttpRoute:
    return HttpRoute(function_id, method, path)


TABLE = RouteTable(
    [
        _route("GET", "/pets/dog/1"),
        _route("GET", "/pets/dog/{id}"),
        _route("ANY", "/pets/dog/{id}"),
        _route("GET", "/pets/{proxy+}"),
        _route("ANY", "/{proxy+}"),
        _route("GET", "/"),
    ]
)


@pytest.mark.parametrize(
    ("method", "path", "route_key", "params"),
    [
        ("GET", "/pets/dog/1", "GET /pets/dog/1", {}),
        ("GET", "/pets/dog/2", "GET /pets/dog/{id}", {"id": "2"}),
        ("POST", "/pets/dog/2", "ANY /pets/dog/{id}", {"id": "2"}),
        ("GET", "/pets/cat/1", "GET /pets/{proxy+}", {"proxy": "cat/1"}),
        ("GET", "/pets", "ANY /{proxy+}", {"proxy": "pets"}),
        ("DELETE", "/pets/cat/1", "ANY /{proxy+}", {"proxy": "pets/cat/1"}),
        ("GET", "/", "GET /", {}),
        ("GET", "/pets/dog/a%20b", "GET /pets/dog/{id}", {"id": "a b"}),
    ],
)
def test_most_specific_route_wins(method: str, path: str, route_key: str, params: dict[str, str]) -> None:
    matched = TABLE.match(method, path)
    assert matched is not None
    route, found = matched
    assert (route.route_key, found) == (route_key, params)


def test_default_route_is_last_resort_and_absent_means_no_match() -> None:
    table = RouteTable([_route("GET", "/a"), HttpRoute("Fallback", "ANY", DEFAULT_ROUTE)])
    assert table.match("GET", "/a") == (_route("GET", "/a"), {})
    matched = table.match("POST", "/a")
    assert matched is not None and matched[0].function_id == "Fallback"
    assert RouteTable([_route("GET", "/a")]).match("GET", "/b") is None
    assert RouteTable([_route("GET", "/a/{x}")]).match("GET", "/a/") is None


@pytest.mark.parametrize(
    ("method", "path", "route_key"),
    [
        ("POST", "/api/v1/resumes/", "$default"),  # nothing left for {proxy+}
        ("GET", "/api/v1/resumes/abc/", "ANY /api/v1/resumes/{proxy+}"),
        ("GET", "/api/v1/resumes/user/kim/", "ANY /api/v1/resumes/{proxy+}"),
        ("POST", "/api/v1/interview/abc/questions/", "ANY /api/v1/interview/{proxy+}"),
        ("GET", "/test/", "$default"),
    ],
)
def test_a_trailing_slash_never_matches_the_route_without_it(method: str, path: str, route_key: str) -> None:
    # The project's route layout: exact routes, a {proxy+} fallback per prefix, $default. A path ending in
    # `/` lands on a fallback, which reaches the same function (it routes the path without the slash).
    table = RouteTable(
        [
            _route("POST", "/api/v1/resumes"),
            _route("GET", "/api/v1/resumes/{unique_key}"),
            _route("GET", "/api/v1/resumes/user/{name}"),
            _route("ANY", "/api/v1/resumes/{proxy+}"),
            _route("POST", "/api/v1/interview/{unique_key}/questions"),
            _route("ANY", "/api/v1/interview/{proxy+}"),
            _route("GET", "/test"),
            _route("GET", "/test/{asset}"),
            HttpRoute("Fn", "ANY", DEFAULT_ROUTE),
        ]
    )
    matched = table.match(method, path)
    assert matched is not None and matched[0].route_key == route_key
    assert table.match(method, path.rstrip("/")) != matched  # without the slash: the exact route


def test_duplicate_routes_and_misplaced_greedy_are_template_errors() -> None:
    with pytest.raises(TemplateError, match="both"):
        RouteTable([_route("GET", "/a", "One"), _route("GET", "/a", "Two")])
    with pytest.raises(TemplateError, match="greedy"):
        RouteTable([_route("GET", "/{proxy+}/x")])


def _request(**overrides: object) -> IncomingRequest:
    values: dict[str, object] = {
        "method": "POST",
        "raw_path": "/items/a%2Fb",
        "raw_query": "tag=x&tag=y&empty=&q=hello+world",
        "headers": [
            ("Host", "127.0.0.1:3000"),
            ("User-Agent", "tester/1.0"),
            ("X-Multi", "one"),
            ("x-multi", "two"),
            ("Cookie", "a=1; b=2"),
            ("Content-Type", "application/json; charset=utf-8"),
        ],
        "body": b'{"k": "v"}',
        "source_ip": "127.0.0.1",
    }
    values.update(overrides)
    return IncomingRequest(**values)  # type: ignore[arg-type]


def test_v2_event_shape() -> None:
    request = _request()
    event = build_event(
        request, _route("POST", "/items/{id}"), {"id": "a/b"}, "abc123defg", "123456789012", 3000
    )
    assert event["version"] == "2.0"
    assert event["routeKey"] == "POST /items/{id}"
    assert event["rawPath"] == "/items/a%2Fb"
    assert event["rawQueryString"] == "tag=x&tag=y&empty=&q=hello+world"
    assert event["cookies"] == ["a=1", "b=2"]
    assert "cookie" not in event["headers"]
    assert event["headers"]["x-multi"] == "one,two"
    assert event["headers"]["user-agent"] == "tester/1.0"
    assert event["headers"]["x-forwarded-proto"] == "http"
    assert event["queryStringParameters"] == {"tag": "x,y", "empty": "", "q": "hello world"}
    assert event["pathParameters"] == {"id": "a/b"}
    assert event["body"] == '{"k": "v"}'
    assert event["isBase64Encoded"] is False
    context = event["requestContext"]
    assert context["accountId"] == "123456789012"
    assert context["apiId"] == "abc123defg"
    assert context["domainName"] == "127.0.0.1"
    assert context["http"] == {
        "method": "POST",
        "path": "/items/a%2Fb",
        "protocol": "HTTP/1.1",
        "sourceIp": "127.0.0.1",
        "userAgent": "tester/1.0",
    }
    assert context["requestId"] == request.request_id
    assert context["routeKey"] == "POST /items/{id}"
    assert context["stage"] == "$default"
    assert re.fullmatch(r"\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} \+0000", context["time"])
    assert context["timeEpoch"] == request.time_epoch_ms
    json.dumps(event)  # what the handler gets must be plain JSON data


def test_optional_fields_are_absent_when_empty() -> None:
    request = _request(method="GET", raw_query="", body=b"", headers=[("Host", "localhost:3000")])
    event = build_event(request, HttpRoute("Fn", "ANY", DEFAULT_ROUTE), {}, "a", "1", 3000)
    assert event["routeKey"] == "$default"
    for absent in ("cookies", "queryStringParameters", "pathParameters", "body"):
        assert absent not in event
    assert event["isBase64Encoded"] is False


@pytest.mark.parametrize(
    ("content_type", "body", "encoded"),
    [
        ("image/png", b"\x89PNG\x00\xff", True),
        ("application/octet-stream", b"plain", True),
        (None, b"no type", True),
        ("text/plain; charset=utf-8", "héllo".encode(), False),
        ("application/problem+json", b"{}", False),
        ("application/json", b"\xff\xfe not utf-8", True),
    ],
)
def test_binary_bodies_are_base64(content_type: str | None, body: bytes, encoded: bool) -> None:
    headers = [("Content-Type", content_type)] if content_type else []
    event = build_event(_request(headers=headers, body=body), _route("POST", "/x"), {}, "a", "1", 3000)
    assert event["isBase64Encoded"] is encoded
    assert (base64.b64decode(event["body"]) if encoded else event["body"].encode()) == body


def test_text_content_types() -> None:
    assert is_text_content_type("application/x-www-form-urlencoded")
    assert not is_text_content_type("multipart/form-data; boundary=x")


def test_request_ids_are_unique_and_api_gateway_shaped() -> None:
    ids = {new_request_id() for _ in range(200)}
    assert len(ids) == 200
    assert all(re.fullmatch(r"[A-Za-z0-9+/]{15}=", value) for value in ids)


def test_map_response_full_format() -> None:
    response = map_response(
        {
            "statusCode": 201,
            "headers": {"content-type": "text/plain", "x-flag": True},
            "multiValueHeaders": {"x-multi": ["a", "b"]},
            "cookies": ["s=1; HttpOnly"],
            "body": "created",
        }
    )
    assert response.status == 201
    assert ("x-flag", "true") in response.headers
    assert [v for k, v in response.headers if k == "x-multi"] == ["a", "b"]
    assert ("set-cookie", "s=1; HttpOnly") in response.headers
    assert response.body == b"created"


def test_map_response_base64_and_inferred_format() -> None:
    binary = map_response(
        {"statusCode": 200, "body": base64.b64encode(b"\x00\x01").decode(), "isBase64Encoded": True}
    )
    assert binary.body == b"\x00\x01"
    inferred = map_response({"hello": "world"})
    assert (inferred.status, inferred.body) == (200, b'{"hello": "world"}')
    assert ("content-type", "application/json") in inferred.headers
    assert map_response("text").body == b'"text"'
    assert map_response({"statusCode": 204}).body == b""


@pytest.mark.parametrize(
    "result",
    [
        {"statusCode": "200"},
        {"statusCode": 200, "body": {"not": "a string"}},
        {"statusCode": 200, "body": "***", "isBase64Encoded": True},
        {"value": object()},
    ],
)
def test_invalid_responses(result: object) -> None:
    with pytest.raises(InvalidResponseError):
        map_response(result)


CORS = CorsConfig.from_template(
    {
        "AllowOrigins": ["http://localhost:5173", "https://*.example.com"],
        "AllowMethods": ["get", "POST"],
        "AllowHeaders": ["content-type"],
        "ExposeHeaders": ["location"],
        "MaxAge": 600,
        "AllowCredentials": False,
    }
)


def test_cors_preflight_for_allowed_and_other_origins() -> None:
    assert CORS is not None
    preflight = _request(
        method="OPTIONS",
        body=b"",
        headers=[("Origin", "https://app.example.com"), ("Access-Control-Request-Method", "POST")],
    )
    assert CORS.is_preflight(preflight)
    response = CORS.preflight(preflight)
    assert response.status == 204
    headers = dict(response.headers)
    assert headers["access-control-allow-origin"] == "https://app.example.com"
    assert headers["access-control-allow-methods"] == "GET,POST"
    assert headers["access-control-allow-headers"] == "content-type"
    assert headers["access-control-max-age"] == "600"
    assert "access-control-allow-credentials" not in headers
    stranger = _request(
        method="OPTIONS", headers=[("Origin", "https://evil.test"), ("Access-Control-Request-Method", "GET")]
    )
    assert not any(k.startswith("access-control") for k, _ in CORS.preflight(stranger).headers)
    assert not CORS.is_preflight(_request(method="OPTIONS", headers=[("Origin", "http://localhost:5173")]))


def test_cors_headers_on_normal_responses_replace_the_integrations() -> None:
    assert CORS is not None
    response = GatewayResponse(200, [("access-control-allow-origin", "*"), ("x", "1")], b"")
    CORS.decorate(_request(headers=[("Origin", "http://localhost:5173")]), response)
    headers = dict(response.headers)
    assert headers["access-control-allow-origin"] == "http://localhost:5173"
    assert headers["access-control-expose-headers"] == "location"
    assert headers["vary"] == "origin"
    assert headers["x"] == "1"
    other = GatewayResponse(200, [("access-control-allow-origin", "*")], b"")
    CORS.decorate(_request(headers=[("Origin", "https://evil.test")]), other)
    assert "access-control-allow-origin" not in dict(other.headers)


def test_cors_true_and_wildcard() -> None:
    config = CorsConfig.from_template(True)
    assert config is not None and config.allowed_origin("https://any.test") == "*"
    assert CorsConfig.from_template(None) is None
