"""The WebSocket gateway on its own: real sockets on loopback, a fake in place of the Lambda handlers."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from local.template import TemplateError, WebSocketRoute
from local.websocket_events import MAX_MESSAGE_BYTES
from local.websocket_gateway import WebSocketGateway

Behaviour = Callable[[dict[str, Any]], Any]


class FakeFunctions:
    """Stands in for runtime.invoke: records every event, answers per route key."""

    def __init__(self, behaviour: dict[str, Behaviour] | None = None) -> None:
        self.behaviour = behaviour or {}
        self.events: list[dict[str, Any]] = []
        self._changed = threading.Condition()

    def __call__(self, function_id: str, event: dict[str, Any]) -> Any:
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()
        behaviour = self.behaviour.get(event["requestContext"]["routeKey"])
        return behaviour(event) if behaviour else {"statusCode": 200}

    def wait_for(self, route_key: str, timeout: float = 10) -> dict[str, Any]:
        with self._changed:
            found = self._changed.wait_for(
                lambda: any(e["requestContext"]["routeKey"] == route_key for e in self.events), timeout
            )
            assert found, f"no {route_key} event within {timeout}s"
            return next(e for e in self.events if e["requestContext"]["routeKey"] == route_key)

    def routes(self) -> list[str]:
        return [event["requestContext"]["routeKey"] for event in self.events]


@contextmanager
def serving(
    route_keys: list[str], behaviour: dict[str, Behaviour] | None = None, **options: Any
) -> Iterator[tuple[WebSocketGateway, FakeFunctions]]:
    functions = FakeFunctions(behaviour)
    routes = [WebSocketRoute("Api", key, "Fn") for key in route_keys]
    gateway = WebSocketGateway(routes, functions, stage="dev", close_timeout=2, **options)
    gateway.start()
    try:
        yield gateway, functions
    finally:
        gateway.stop()


def _client(url: str, **options: Any) -> ClientConnection:
    return connect(url, open_timeout=10, close_timeout=5, **options)


def _echo(event: dict[str, Any]) -> dict[str, Any]:
    return {"statusCode": 200, "body": event["body"]}


def test_no_matching_route_and_no_default_gets_forbidden() -> None:
    with serving(["$connect", "echo"], {"echo": _echo}) as (gateway, functions), _client(gateway.url) as ws:
        ws.send('{"action": "nope"}')
        frame = json.loads(ws.recv(timeout=10))
        connection_id = functions.wait_for("$connect")["requestContext"]["connectionId"]
        assert frame["message"] == "Forbidden"
        assert frame["connectionId"] == connection_id
        assert frame["requestId"]
        ws.send('{"action": "echo"}')
        assert ws.recv(timeout=10) == '{"action": "echo"}'
    assert functions.routes() == ["$connect", "echo"]


def test_without_a_connect_route_every_client_is_accepted() -> None:
    with serving(["echo"], {"echo": _echo}) as (gateway, functions):
        with _client(gateway.endpoint) as ws:  # the stage may be left out locally
            ws.send('{"action": "echo"}')
            assert ws.recv(timeout=10) == '{"action": "echo"}'
        assert functions.routes() == ["echo"]


def _raise(event: dict[str, Any]) -> Any:
    raise RuntimeError("boom")


@pytest.mark.parametrize(
    ("behaviour", "status"),
    [
        (_raise, 500),
        (lambda event: {"statusCode": "200"}, 502),
        (lambda event: {"statusCode": 401}, 401),
        (lambda event: {"statusCode": 302}, 403),
    ],
)
def test_connect_rejections(behaviour: Behaviour, status: int) -> None:
    with serving(["$connect", "$disconnect"], {"$connect": behaviour}) as (gateway, functions):
        with pytest.raises(InvalidStatus) as raised:
            _client(gateway.url)
        assert raised.value.response.status_code == status
        assert json.loads(raised.value.response.body or b"{}")["message"]
    assert functions.routes() == ["$connect"]  # a rejected client never connected: no $disconnect


def test_connect_result_without_status_code_accepts_and_may_pick_a_subprotocol() -> None:
    with serving(["$connect"], {"$connect": lambda event: None}) as (gateway, _), _client(gateway.url):
        pass
    headers = {"headers": {"Sec-WebSocket-Protocol": "chat.v2"}, "statusCode": 200}
    with (
        serving(["$connect"], {"$connect": lambda event: headers}) as (gateway, _),
        _client(gateway.url, subprotocols=["chat.v1", "chat.v2"]) as ws,
    ):
        assert ws.subprotocol == "chat.v2"


def test_connection_cannot_be_posted_to_during_connect() -> None:
    seen: list[object] = []

    def connect_handler(event: dict[str, Any]) -> Any:
        seen.append(gateway.connections.info(event["requestContext"]["connectionId"]))
        return {"statusCode": 200}

    with serving(["$connect"], {"$connect": connect_handler}) as (gateway, functions), _client(gateway.url):
        connection_id = functions.wait_for("$connect")["requestContext"]["connectionId"]
        assert seen == [None]  # as in AWS, posting from $connect gets 410
        assert gateway.connections.info(connection_id) is not None


def _http(gateway: WebSocketGateway, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", gateway.port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_paths_and_plain_requests() -> None:
    with serving(["$default"]) as (gateway, functions):
        with pytest.raises(InvalidStatus) as raised:
            _client(f"{gateway.endpoint}/prod")
        assert raised.value.response.status_code == 403
        assert _http(gateway, "/dev")[0] == 426
        incomplete = {"Upgrade": "websocket", "Connection": "Upgrade"}  # no Sec-WebSocket-Key
        assert _http(gateway, "/dev", incomplete)[0] == 400
        assert functions.events == []


def test_binary_messages_reach_default_base64_encoded() -> None:
    with serving(["$default"], {"$default": _echo}) as (gateway, functions), _client(gateway.url) as ws:
        ws.send(b"\x00\x01")
        assert ws.recv(timeout=10) == "AAE="  # the returned body is sent as it is
        event = functions.wait_for("$default")
        assert event["isBase64Encoded"] is True


def test_message_too_big_closes_with_1009() -> None:
    with (
        serving(["$default", "$disconnect"]) as (gateway, functions),
        _client(gateway.url, max_size=None) as ws,
    ):
        ws.send("x" * (MAX_MESSAGE_BYTES + 1))
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
        context = functions.wait_for("$disconnect")["requestContext"]
        assert context["disconnectStatusCode"] == 1009
    assert "$default" not in functions.routes()


def test_stop_says_going_away_and_runs_disconnect() -> None:
    functions = FakeFunctions()
    gateway = WebSocketGateway(
        [WebSocketRoute("Api", "$disconnect", "Fn")], functions, stage="dev", close_timeout=2
    )
    gateway.start()
    port = gateway.port
    try:
        with _client(gateway.url) as ws:
            gateway.stop()
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=10)
    finally:
        gateway.stop()  # idempotent
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1001
    assert functions.wait_for("$disconnect", timeout=0)["requestContext"]["disconnectStatusCode"] == 1001
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0  # the port is released


def test_pushes_from_many_threads_arrive_whole() -> None:
    with serving(["$connect", "$default"]) as (gateway, functions), _client(gateway.url) as ws:
        connection_id = functions.wait_for("$connect")["requestContext"]["connectionId"]

        def push(sender: int) -> None:
            for index in range(40):
                assert gateway.connections.send(connection_id, json.dumps({"sender": sender, "i": index}))

        threads = [threading.Thread(target=push, args=(sender,)) for sender in range(5)]
        for thread in threads:
            thread.start()
        received = [json.loads(ws.recv(timeout=10)) for _ in range(200)]
        for thread in threads:
            thread.join()
        for sender in range(5):
            assert [m["i"] for m in received if m["sender"] == sender] == list(range(40))


def test_duplicate_routes_are_refused() -> None:
    routes = [WebSocketRoute("Api", "echo", "A"), WebSocketRoute("Api", "echo", "B")]
    with pytest.raises(TemplateError, match="echo"):
        WebSocketGateway(routes, FakeFunctions(), stage="dev")


def test_last_active_moves_with_messages() -> None:
    with (
        serving(["$connect", "$default"], {"$default": _echo}) as (gateway, functions),
        _client(gateway.url) as ws,
    ):
        connection_id = functions.wait_for("$connect")["requestContext"]["connectionId"]
        info = gateway.connections.info(connection_id)
        assert info is not None
        before = info.last_active_at
        time.sleep(0.01)
        ws.send("hello")
        ws.recv(timeout=10)
        assert info.last_active_at > before
