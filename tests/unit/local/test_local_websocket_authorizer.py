"""The WebSocket gateway's $connect authorizer: real sockets on loopback, fakes in place of the authorizer and
route functions (the real authorizer runs in tests/integration/local/test_local_auth.py)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from local.template import TemplateError, WebSocketAuthorizer, WebSocketRoute
from local.websocket_gateway import WebSocketGateway

AUTHORIZER = WebSocketAuthorizer("Authorizer", "AuthFn", ("route.request.querystring.token",))
METHOD_ARN = "arn:aws:execute-api:eu-west-1:210987654321:wsapi00001/dev/$connect"
Decide = Callable[[dict[str, Any]], Any]


def allow(event: dict[str, Any]) -> Any:
    token = event["queryStringParameters"]["token"]
    return {
        "principalId": f"user-{token}",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": event["methodArn"]}
            ],
        },
        "context": {"owner": f"user-{token}", "tier": 2},
    }


class Functions:
    """Stands in for runtime.invoke: the authorizer decides with `decide`; the route function records."""

    def __init__(self, decide: Decide) -> None:
        self.decide = decide
        self.authorizer_events: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self._changed = threading.Condition()

    def __call__(self, function_id: str, event: dict[str, Any]) -> Any:
        if function_id == "AuthFn":
            self.authorizer_events.append(event)
            return self.decide(event)
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()
        route = event["requestContext"]["routeKey"]
        return {"statusCode": 200, "body": event["body"]} if route == "echo" else {"statusCode": 200}

    def wait_for(self, route_key: str) -> dict[str, Any]:
        with self._changed:

            def found() -> list[dict[str, Any]]:
                return [e for e in self.events if e["requestContext"]["routeKey"] == route_key]

            assert self._changed.wait_for(found, 10), f"no {route_key} event"
            return found()[0]

    def routes(self) -> list[str]:
        return [event["requestContext"]["routeKey"] for event in self.events]


@contextmanager
def serving(decide: Decide) -> Iterator[tuple[WebSocketGateway, Functions]]:
    functions = Functions(decide)
    routes = [
        WebSocketRoute("Api", "$connect", "Fn", "CUSTOM", AUTHORIZER),
        WebSocketRoute("Api", "$disconnect", "Fn"),
        WebSocketRoute("Api", "echo", "Fn"),
    ]
    gateway = WebSocketGateway(
        routes,
        functions,
        stage="dev",
        close_timeout=2,
        api_id="wsapi00001",
        region="eu-west-1",
        account_id="210987654321",
    )
    gateway.start()
    try:
        yield gateway, functions
    finally:
        gateway.stop()


def test_allowed_connection_carries_the_authorizer_in_every_event() -> None:
    with serving(allow) as (gateway, functions):
        with connect(gateway.url + "?token=7", open_timeout=10, close_timeout=5) as ws:
            ws.send('{"action": "echo", "n": 1}')
            assert json.loads(ws.recv(timeout=10)) == {"action": "echo", "n": 1}
        disconnect = functions.wait_for("$disconnect")
    (authorizer_event,) = functions.authorizer_events
    assert authorizer_event["type"] == "REQUEST"
    assert authorizer_event["methodArn"] == METHOD_ARN == gateway.connect_method_arn
    assert authorizer_event["queryStringParameters"] == {"token": "7"}
    assert authorizer_event["multiValueQueryStringParameters"] == {"token": ["7"]}
    assert authorizer_event["stageVariables"] == {}
    assert authorizer_event["headers"]["Upgrade"] == "websocket"
    context = authorizer_event["requestContext"]
    assert (context["routeKey"], context["eventType"], context["stage"]) == ("$connect", "CONNECT", "dev")
    assert "authorizer" not in context
    expected = {"principalId": "user-7", "owner": "user-7", "tier": "2"}
    connect_event = functions.wait_for("$connect")
    assert connect_event["requestContext"]["authorizer"] == expected
    assert connect_event["requestContext"]["requestId"] == context["requestId"]  # one request, two calls
    assert connect_event["requestContext"]["connectionId"] == context["connectionId"]
    assert functions.wait_for("echo")["requestContext"]["authorizer"] == expected
    assert disconnect["requestContext"]["authorizer"] == expected
    assert functions.routes() == ["$connect", "echo", "$disconnect"]


def _deny(event: dict[str, Any]) -> Any:
    answer = allow(event)
    answer["policyDocument"]["Statement"][0]["Effect"] = "Deny"
    return answer


def _unauthorized(event: dict[str, Any]) -> Any:
    raise PermissionError("Unauthorized")


def _broken(event: dict[str, Any]) -> Any:
    raise RuntimeError("the authorizer has a bug")


@pytest.mark.parametrize(
    ("query", "decide", "status", "authorizer_calls"),
    [
        ("", allow, 401, 0),  # the identity source is missing: the authorizer is not called
        ("?token=", allow, 401, 0),
        ("?other=1", allow, 401, 0),
        ("?token=x", _unauthorized, 401, 1),
        ("?token=x", _deny, 403, 1),
        ("?token=x", _broken, 500, 1),
        ("?token=x", lambda event: {"principalId": "x"}, 500, 1),
    ],
)
def test_refused_connections_never_reach_connect(
    query: str, decide: Decide, status: int, authorizer_calls: int
) -> None:
    with serving(decide) as (gateway, functions):
        with pytest.raises(InvalidStatus) as raised:
            connect(gateway.url + query, open_timeout=10)
        assert raised.value.response.status_code == status
        assert json.loads(raised.value.response.body or b"{}")["message"]
        assert len(functions.authorizer_events) == authorizer_calls
        assert functions.events == []  # no $connect, and no $disconnect for a connection that never was


def test_only_connect_may_have_an_authorizer() -> None:
    with pytest.raises(TemplateError, match="only \\$connect"):
        WebSocketGateway(
            [WebSocketRoute("Api", "echo", "Fn", "CUSTOM", AUTHORIZER)], Functions(allow), stage="d"
        )
