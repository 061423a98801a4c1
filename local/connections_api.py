"""The open WebSocket connections and the @connections management API that reaches them.

Application code posts to a client through boto3's `apigatewaymanagementapi` client, whose endpoint in AWS
is `https://{api-id}.execute-api.{region}.amazonaws.com/{stage}`. Locally that endpoint is the WebSocket
gateway's own port, `http://127.0.0.1:{port}/{stage}`, and these requests arrive here:

    POST   /{stage}/@connections/{connectionId}   body = data, sent to the client as one message
    GET    /{stage}/@connections/{connectionId}   {connectedAt, identity {sourceIp, userAgent}, lastActiveAt}
    DELETE /{stage}/@connections/{connectionId}   closes the connection ($disconnect follows)

Errors use the rest-json shape botocore expects (the code in `x-amzn-ErrorType`), so an unknown or closed
connection raises `client.exceptions.GoneException` (410) exactly as in AWS. Signatures are not checked.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from websockets.exceptions import ConnectionClosed
from websockets.sync.connection import Connection

from local.apigw import new_request_id
from local.websocket_events import MAX_MESSAGE_BYTES, ConnectionInfo

log = logging.getLogger("local.websocket")

_CONNECTIONS_PATH = re.compile(r"^/(?P<stage>[^/]*)/@connections/(?P<id>[^/]+)/?$")
DELETE_CLOSE_CODE = 1000
DELETE_CLOSE_REASON = "Closed by the @connections API"


OPEN_WAIT_SECONDS = 10.0


@dataclass
class _Entry:
    info: ConnectionInfo
    socket: Connection
    opened: threading.Event = field(default_factory=threading.Event)  # set once the 101 is sent
    lock: threading.Lock = field(default_factory=threading.Lock)  # one close at a time per connection


class ConnectionRegistry:
    """Open connections by id. Every method is safe to call from any thread: the gateway's connection
    threads add and remove entries while @connections requests (from the worker's thread) use them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}

    def add(self, info: ConnectionInfo, socket: Connection) -> threading.Event:
        """Register a connection whose handshake answer is about to be sent. Sends and closes wait until
        the returned event is set (the answer is on the wire), so no frame can overtake it."""
        entry = _Entry(info, socket)
        with self._lock:
            self._entries[info.connection_id] = entry
        return entry.opened

    def remove(self, connection_id: str) -> None:
        with self._lock:
            self._entries.pop(connection_id, None)

    def _get(self, connection_id: str) -> _Entry | None:
        with self._lock:
            return self._entries.get(connection_id)

    @property
    def ids(self) -> list[str]:
        with self._lock:
            return list(self._entries)

    def info(self, connection_id: str) -> ConnectionInfo | None:
        entry = self._get(connection_id)
        return entry.info if entry is not None else None

    def send(self, connection_id: str, data: str | bytes) -> bool:
        """Send one message; False when the connection is gone. Thread-safe: websockets serialises writes."""
        entry = self._get(connection_id)
        if entry is None:
            return False
        entry.opened.wait(OPEN_WAIT_SECONDS)
        try:
            entry.socket.send(data)
        except ConnectionClosed:
            return False
        entry.info.touch()
        return True

    def close(self, connection_id: str, code: int, reason: str) -> bool:
        """Start the closing handshake and forget the connection at once (later posts get 410)."""
        entry = self._get(connection_id)
        if entry is None:
            return False
        self.remove(connection_id)
        entry.opened.wait(OPEN_WAIT_SECONDS)
        with entry.lock:
            entry.socket.close(code, reason)
        return True


# --- the management API -------------------------------------------------------------------------------
@dataclass
class ManagementResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def _json(status: int, document: Any, request_id: str) -> ManagementResponse:
    headers = [("content-type", "application/json"), ("x-amzn-RequestId", request_id)]
    return ManagementResponse(status, headers, json.dumps(document).encode())


def _error(status: int, code: str, message: str, request_id: str) -> ManagementResponse:
    response = _json(status, {"message": message}, request_id)
    response.headers.append(("x-amzn-ErrorType", code))  # where botocore's rest-json parser reads the code
    return response


def payload_too_large() -> ManagementResponse:
    return _error(413, "PayloadTooLargeException", "Message too long", new_request_id())


def is_management_path(raw_path: str) -> bool:
    return _CONNECTIONS_PATH.match(raw_path) is not None


def handle_management(
    method: str,
    raw_path: str,
    body: bytes,
    stage: str,
    registry: ConnectionRegistry,
) -> ManagementResponse:
    """Answer one @connections request."""
    request_id = new_request_id()
    matched = _CONNECTIONS_PATH.match(raw_path)
    if matched is None or matched["stage"] != stage:
        # A wrong stage in the endpoint fails in AWS too: better to find out locally.
        return _error(403, "ForbiddenException", "Forbidden", request_id)
    connection_id = unquote(matched["id"])
    gone = _error(410, "GoneException", f"connection {connection_id} is gone", request_id)
    if method == "POST":
        if len(body) > MAX_MESSAGE_BYTES:
            return payload_too_large()
        try:
            data: str | bytes = body.decode("utf-8")  # text frames, as clients of a JSON API expect
        except UnicodeDecodeError:
            data = body
        if not registry.send(connection_id, data):
            return gone
        return ManagementResponse(200, [("x-amzn-RequestId", request_id)], b"")
    if method == "GET":
        info = registry.info(connection_id)
        return gone if info is None else _json(200, info.describe(), request_id)
    if method == "DELETE":
        if not registry.close(connection_id, DELETE_CLOSE_CODE, DELETE_CLOSE_REASON):
            return gone
        return ManagementResponse(204, [("x-amzn-RequestId", request_id)], b"")
    return _error(403, "ForbiddenException", "Forbidden", request_id)
