"""The @connections API's answers, with a stand-in for the client's socket."""

from __future__ import annotations

import json
from typing import Any, cast

from websockets.exceptions import ConnectionClosedOK
from websockets.frames import Close
from websockets.sync.connection import Connection

from local.connections_api import ConnectionRegistry, handle_management
from local.websocket_events import MAX_MESSAGE_BYTES, ConnectionInfo


class FakeSocket:
    def __init__(self) -> None:
        self.sent: list[str | bytes] = []
        self.closed: tuple[int, str] | None = None

    def send(self, data: str | bytes) -> None:
        if self.closed is not None:
            raise ConnectionClosedOK(Close(1000, ""), Close(1000, ""), rcvd_then_sent=True)
        self.sent.append(data)

    def close(self, code: int, reason: str) -> None:
        self.closed = (code, reason)


def _registry() -> tuple[ConnectionRegistry, FakeSocket]:
    registry = ConnectionRegistry()
    socket = FakeSocket()
    opened = registry.add(
        ConnectionInfo("abc=", "127.0.0.1", "ua", connected_at=1_000), cast(Connection, socket)
    )
    opened.set()
    return registry, socket


def _call(
    registry: ConnectionRegistry, method: str, path: str, body: bytes = b""
) -> tuple[int, Any, dict[str, str]]:
    response = handle_management(method, path, body, "dev", registry)
    headers = {name.lower(): value for name, value in response.headers}
    return response.status, json.loads(response.body) if response.body else None, headers


def test_post_sends_text_or_binary() -> None:
    registry, socket = _registry()
    status, body, headers = _call(registry, "POST", "/dev/@connections/abc%3D", b'{"n": 1}')
    assert (status, body) == (200, None)
    assert headers["x-amzn-requestid"]
    _call(registry, "POST", "/dev/@connections/abc%3D", b"\xff\x00")
    assert socket.sent == ['{"n": 1}', b"\xff\x00"]


def test_get_describes_the_connection() -> None:
    registry, _ = _registry()
    status, body, headers = _call(registry, "GET", "/dev/@connections/abc=")
    assert status == 200
    assert headers["content-type"] == "application/json"
    assert body["identity"] == {"sourceIp": "127.0.0.1", "userAgent": "ua"}
    assert body["connectedAt"] == "1970-01-01T00:00:01.000Z"


def test_delete_closes_and_forgets() -> None:
    registry, socket = _registry()
    status, body, _ = _call(registry, "DELETE", "/dev/@connections/abc%3D")
    assert (status, body) == (204, None)
    assert socket.closed is not None and socket.closed[0] == 1000
    assert registry.ids == []
    assert _call(registry, "DELETE", "/dev/@connections/abc%3D")[0] == 410


def test_unknown_or_closed_connections_are_gone() -> None:
    registry, socket = _registry()
    for method in ("POST", "GET", "DELETE"):
        status, body, headers = _call(registry, method, "/dev/@connections/nope=", b"x")
        assert status == 410
        assert headers["x-amzn-errortype"] == "GoneException"
        assert "message" in body
    socket.closed = (1001, "")  # the client left but the registry has not caught up yet
    assert _call(registry, "POST", "/dev/@connections/abc=", b"x")[0] == 410


def test_wrong_stage_method_and_size() -> None:
    registry, socket = _registry()
    status, _, headers = _call(registry, "POST", "/prod/@connections/abc=", b"x")
    assert (status, headers["x-amzn-errortype"]) == (403, "ForbiddenException")
    assert _call(registry, "PUT", "/dev/@connections/abc=")[0] == 403
    assert _call(registry, "GET", "/dev/connections/abc=")[0] == 403
    status, _, headers = _call(registry, "POST", "/dev/@connections/abc=", b"x" * (MAX_MESSAGE_BYTES + 1))
    assert (status, headers["x-amzn-errortype"]) == (413, "PayloadTooLargeException")
    assert socket.sent == []
