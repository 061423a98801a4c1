"""The WebSocket API through a real LocalRuntime: a websockets client, the real handlers, and real boto3
calls to the @connections endpoint. The fixture handlers record every event in a (moto) DynamoDB table."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from websockets.exceptions import ConnectionClosed, ConnectionClosedOK, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from local.runtime import LocalRuntime
from tests.integration.local.support import FIXTURES

pytestmark = pytest.mark.integration

CONNECTION_ID = re.compile(r"[A-Za-z0-9+/]{15}=")


@pytest.fixture(scope="module")
def ws_runtime() -> Iterator[LocalRuntime]:
    with LocalRuntime(FIXTURES / "ws" / "template.yaml") as started:
        yield started


@pytest.fixture(scope="module")
def management(ws_runtime: LocalRuntime) -> Any:
    """The client application code builds: apigatewaymanagementapi at WEBSOCKET_MANAGEMENT_ENDPOINT."""
    return boto3.client(
        "apigatewaymanagementapi",
        endpoint_url=ws_runtime.environment["WEBSOCKET_MANAGEMENT_ENDPOINT"],
        region_name="us-east-1",
    )


def _client(runtime: LocalRuntime, query: str = "", **options: Any) -> ClientConnection:
    return connect(runtime.websocket_url + query, open_timeout=10, close_timeout=5, **options)


def _ask(ws: ClientConnection, message: dict[str, Any]) -> Any:
    ws.send(json.dumps(message))
    return json.loads(ws.recv(timeout=10))


def _connection_id(ws: ClientConnection) -> str:
    return str(_ask(ws, {"action": "echo"})["connectionId"])


def _events(runtime: LocalRuntime, connection_id: str, route_key: str, timeout: float = 10) -> list[Any]:
    """The events the handlers recorded for one connection and route, waiting for at least one."""
    table = boto3.resource("dynamodb", endpoint_url=runtime.endpoint, region_name="us-east-1").Table(
        runtime.environment["SOCKET_EVENTS_TABLE"]
    )
    deadline = time.monotonic() + timeout
    while True:
        items = table.query(
            KeyConditionExpression="connection_id = :id", ExpressionAttributeValues={":id": connection_id}
        )["Items"]
        found = [json.loads(str(item["event"])) for item in items if item["route_key"] == route_key]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_connect_event(ws_runtime: LocalRuntime) -> None:
    headers = {"X-Custom": "yes", "Origin": "http://localhost:5173"}
    with _client(ws_runtime, "?name=ada&tag=a&tag=b", additional_headers=headers) as ws:
        connection_id = _connection_id(ws)
    assert CONNECTION_ID.fullmatch(connection_id)
    (event,) = _events(ws_runtime, connection_id, "$connect")
    context = event["requestContext"]
    assert context["routeKey"] == "$connect"
    assert context["eventType"] == "CONNECT"
    assert context["connectionId"] == connection_id
    assert abs(context["connectedAt"] - time.time() * 1000) < 60_000
    assert context["requestTimeEpoch"] >= context["connectedAt"]
    assert context["stage"] == "dev"
    assert context["domainName"] == "127.0.0.1"
    assert re.fullmatch(r"[0-9a-f]{10}", context["apiId"])
    assert context["identity"]["sourceIp"] == "127.0.0.1"
    assert context["identity"]["userAgent"].startswith("Python/")
    assert context["requestId"] and context["extendedRequestId"]
    assert "messageId" not in context
    assert event["headers"]["X-Custom"] == "yes"
    assert event["headers"]["Origin"] == "http://localhost:5173"
    assert event["headers"]["Sec-WebSocket-Version"] == "13"
    assert event["headers"]["X-Forwarded-For"] == "127.0.0.1"
    assert {name.lower() for name in event["headers"]}.isdisjoint({"connection", "upgrade"})
    assert event["multiValueHeaders"]["X-Custom"] == ["yes"]
    assert event["queryStringParameters"] == {"name": "ada", "tag": "b"}
    assert event["multiValueQueryStringParameters"] == {"name": ["ada"], "tag": ["a", "b"]}
    assert event["isBase64Encoded"] is False


def test_echo_round_trip_and_message_event(ws_runtime: LocalRuntime) -> None:
    with _client(ws_runtime) as ws:
        reply = _ask(ws, {"action": "echo", "data": {"n": 1}})
        assert reply["route"] == "echo"
        assert reply["echo"] == {"n": 1}
        connection_id = reply["connectionId"]
    (event,) = _events(ws_runtime, connection_id, "echo")
    assert event["body"] == json.dumps({"action": "echo", "data": {"n": 1}})
    assert event["isBase64Encoded"] is False
    context = event["requestContext"]
    assert (context["eventType"], context["connectionId"]) == ("MESSAGE", connection_id)
    assert context["messageId"] and context["messageId"] != context["requestId"]


def test_routing_by_action_and_default_fallback(ws_runtime: LocalRuntime) -> None:
    with _client(ws_runtime) as ws:
        assert _ask(ws, {"action": "shout", "data": "hey"}) == {"route": "shout", "shout": "HEY"}
        unknown = _ask(ws, {"action": "nope"})
        assert unknown == {"route": "$default", "body": '{"action": "nope"}', "isBase64Encoded": False}
        assert _ask(ws, {"no_action": 1})["route"] == "$default"
        ws.send("plain text, not JSON")
        assert json.loads(ws.recv(timeout=10)) == {
            "route": "$default",
            "body": "plain text, not JSON",
            "isBase64Encoded": False,
        }
        ws.send(json.dumps({"action": "silent"}))  # returns no body: nothing comes back
        assert _ask(ws, {"action": "echo", "data": 2})["echo"] == 2


def test_failing_route_gets_internal_server_error(ws_runtime: LocalRuntime) -> None:
    with _client(ws_runtime) as ws:
        connection_id = _connection_id(ws)
        frame = _ask(ws, {"action": "boom"})
        assert frame["message"] == "Internal server error"
        assert frame["connectionId"] == connection_id
        assert "secret" not in json.dumps(frame)
        assert _ask(ws, {"action": "echo", "data": 3})["echo"] == 3  # the connection survives


def test_push_through_connections_and_gone(ws_runtime: LocalRuntime) -> None:
    with _client(ws_runtime) as ws:
        ws.send(json.dumps({"action": "push", "data": "progress 30"}))
        pushed = ws.recv(timeout=10)
        assert isinstance(pushed, str)  # a text frame, as API Gateway sends
        assert json.loads(pushed) == {"pushed": "progress 30"}
        reply = json.loads(ws.recv(timeout=10))
    assert reply["gone"] == {"code": "GoneException", "status": 410}
    assert reply["identity"]["SourceIp"] == "127.0.0.1"


def test_boto3_post_get_and_gone(ws_runtime: LocalRuntime, management: Any) -> None:
    with _client(ws_runtime) as ws:
        connection_id = _connection_id(ws)
        management.post_to_connection(ConnectionId=connection_id, Data=b'{"from": "test"}')
        assert json.loads(ws.recv(timeout=10)) == {"from": "test"}
        described = management.get_connection(ConnectionId=connection_id)
        assert described["Identity"]["SourceIp"] == "127.0.0.1"
        assert described["LastActiveAt"] >= described["ConnectedAt"]
        with pytest.raises(management.exceptions.PayloadTooLargeException):
            management.post_to_connection(ConnectionId=connection_id, Data=b"x" * (128 * 1024 + 1))
    calls: list[tuple[Any, dict[str, Any]]] = [
        (management.post_to_connection, {"Data": b"{}"}),
        (management.get_connection, {}),
        (management.delete_connection, {}),
    ]
    for call, arguments in calls:
        with pytest.raises(management.exceptions.GoneException) as gone:
            call(ConnectionId="AAAAAAAAAAAAAAA=", **arguments)
        assert gone.value.response["ResponseMetadata"]["HTTPStatusCode"] == 410
    # Once the client has left, its id is gone too.
    deadline = time.monotonic() + 60
    while True:
        try:
            management.get_connection(ConnectionId=connection_id)
        except management.exceptions.GoneException:
            break
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_wrong_stage_is_forbidden(ws_runtime: LocalRuntime) -> None:
    endpoint = ws_runtime.management_endpoint.rsplit("/", 1)[0] + "/prod"
    client = boto3.client("apigatewaymanagementapi", endpoint_url=endpoint, region_name="us-east-1")
    with pytest.raises(client.exceptions.ForbiddenException):
        client.post_to_connection(ConnectionId="AAAAAAAAAAAAAAA=", Data=b"{}")


def test_delete_closes_the_socket_and_triggers_disconnect(ws_runtime: LocalRuntime, management: Any) -> None:
    with _client(ws_runtime) as ws:
        connection_id = _connection_id(ws)
        management.delete_connection(ConnectionId=connection_id)
        with pytest.raises(ConnectionClosedOK) as closed:
            ws.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1000
    (event,) = _events(ws_runtime, connection_id, "$disconnect")
    context = event["requestContext"]
    assert (context["eventType"], context["disconnectStatusCode"]) == ("DISCONNECT", 1000)
    assert context["disconnectReason"]
    with pytest.raises(management.exceptions.GoneException):
        management.post_to_connection(ConnectionId=connection_id, Data=b"{}")


def test_client_close_triggers_disconnect(ws_runtime: LocalRuntime) -> None:
    ws = _client(ws_runtime)
    with ws:
        connection_id = _connection_id(ws)
        ws.close(code=4000, reason="bye")
    (event,) = _events(ws_runtime, connection_id, "$disconnect")
    context = event["requestContext"]
    assert context["routeKey"] == "$disconnect"
    assert context["connectionId"] == connection_id
    assert context["disconnectStatusCode"] == 4000
    assert context["disconnectReason"] == "bye"
    assert "body" not in event


@pytest.mark.parametrize(("query", "status"), [("?deny=1", 403), ("?explode=1", 500)])
def test_rejected_connect_fails_the_handshake(ws_runtime: LocalRuntime, query: str, status: int) -> None:
    with pytest.raises(InvalidStatus) as raised:
        _client(ws_runtime, query)
    assert raised.value.response.status_code == status


def test_two_connections_are_isolated(ws_runtime: LocalRuntime, management: Any) -> None:
    with _client(ws_runtime) as first, _client(ws_runtime) as second:
        first_id, second_id = _connection_id(first), _connection_id(second)
        assert first_id != second_id
        first.send(json.dumps({"action": "push", "data": "for first"}))
        assert json.loads(first.recv(timeout=10)) == {"pushed": "for first"}
        first.recv(timeout=10)  # the push route's own reply
        management.post_to_connection(ConnectionId=second_id, Data=b'"for second"')
        assert json.loads(second.recv(timeout=10)) == "for second"
        with pytest.raises(TimeoutError):
            second.recv(timeout=0.3)  # nothing meant for the first connection leaked here
        with pytest.raises(TimeoutError):
            first.recv(timeout=0.3)
        second.close()
        assert _ask(first, {"action": "echo", "data": "still here"})["echo"] == "still here"
        with pytest.raises(ConnectionClosed):
            second.recv(timeout=1)
    assert _events(ws_runtime, second_id, "$disconnect")
