"""API Gateway WebSocket API semantics without sockets: route selection, Lambda proxy events, error frames.

Kept apart from the server so each rule can be tested directly. The event shapes follow what API Gateway
sends a Lambda proxy integration of a WebSocket API (the REST-style v1 layout: `headers` and
`multiValueHeaders`, `requestContext.eventType`...), not the HTTP API's payload v2.0.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from local.apigw import HOP_BY_HOP, new_request_id

CONNECT, DISCONNECT, DEFAULT = "$connect", "$disconnect", "$default"
SPECIAL_ROUTES = frozenset({CONNECT, DISCONNECT, DEFAULT})
MAX_MESSAGE_BYTES = 128 * 1024  # API Gateway's WebSocket message (and @connections payload) limit
BODY_EXPRESSION_PREFIX = "$request.body."


# What disconnectReason says when the close frame brought no reason of its own.
_CLOSE_DESCRIPTIONS = {
    1000: "Normal closure",
    1001: "Going away",
    1005: "Client-side close frame status not set",
    1006: "Connection closed abnormally",
    1009: "Message too big",
}


def new_connection_id() -> str:
    """Connection ids look like request ids (`L0SM9cOFvHcCIhw=`): 16 base64 characters ending in '='."""
    return new_request_id()


def now_ms() -> int:
    return int(time.time() * 1000)


def iso8601(epoch_ms: int) -> str:
    """The @connections API's timestamp format (GetConnection's connectedAt/lastActiveAt)."""
    moment = datetime.fromtimestamp(epoch_ms / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{epoch_ms % 1000:03d}Z"


# --- route selection ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RouteSelector:
    """Evaluates the API's RouteSelectionExpression on a message and picks the route key that handles it.

    Only `$request.body.<path>` expressions exist for WebSocket APIs; the selected value must name a custom
    route (never `$connect`/`$disconnect`), otherwise the message goes to `$default` when there is one.
    """

    expression: str
    route_keys: frozenset[str]
    body_path: tuple[str, ...] | None = field(init=False)

    def __post_init__(self) -> None:
        path = None
        if self.expression.startswith(BODY_EXPRESSION_PREFIX):
            parts = tuple(self.expression[len(BODY_EXPRESSION_PREFIX) :].split("."))
            path = parts if all(parts) else None
        object.__setattr__(self, "body_path", path)

    @property
    def supported(self) -> bool:
        return self.body_path is not None

    def select(self, message: str | bytes) -> str | None:
        """The route key for a message. A message the expression cannot be evaluated against (not JSON,
        nested too deeply to parse, no such field...) goes to $default, as in API Gateway: "If the route
        selection expression cannot be evaluated against the message or if no matching route is found, API
        Gateway invokes the $default route."
        https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-develop-routes.html
        Without a $default route the answer is None (API Gateway then answers with an error frame)."""
        value = self.selected_value(message)
        if value is not None and value in self.route_keys and value not in SPECIAL_ROUTES:
            return value
        return DEFAULT if DEFAULT in self.route_keys else None

    def selected_value(self, message: str | bytes) -> str | None:
        if self.body_path is None or isinstance(message, bytes):
            return None
        try:
            node: Any = json.loads(message)
        except (ValueError, RecursionError):
            # ValueError: not JSON, or a number too long to convert; RecursionError: nested deeper than the
            # parser goes. Either way the expression cannot be evaluated.
            return None
        for key in self.body_path:
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        if isinstance(node, bool) or not isinstance(node, str | int | float):
            return None
        return str(node)


# --- connection state ---------------------------------------------------------------------------------
@dataclass
class ConnectionInfo:
    """What API Gateway knows about a connection: it goes into every event and into GetConnection."""

    connection_id: str
    source_ip: str
    user_agent: str
    connected_at: int = field(default_factory=now_ms)  # epoch milliseconds, as in requestContext
    last_active_at: int = 0
    # What the $connect authorizer returned (`{"principalId": ..., **context}`): in every event of the
    # connection from $connect to $disconnect, as API Gateway does. None: no authorizer.
    authorizer: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        self.last_active_at = self.last_active_at or self.connected_at

    def touch(self) -> None:
        self.last_active_at = now_ms()

    def describe(self) -> dict[str, Any]:
        """The GetConnection response body."""
        return {
            "connectedAt": iso8601(self.connected_at),
            "identity": {"sourceIp": self.source_ip, "userAgent": self.user_agent},
            "lastActiveAt": iso8601(self.last_active_at),
        }


# --- events -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EventFactory:
    api_id: str
    stage: str
    domain_name: str = "127.0.0.1"
    port: int = 0

    def _context(
        self, info: ConnectionInfo, route_key: str, event_type: str, identity: dict[str, str]
    ) -> dict[str, Any]:
        epoch_ms = now_ms()
        context: dict[str, Any] = {
            "routeKey": route_key,
            "eventType": event_type,
            "extendedRequestId": new_request_id(),
            "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(epoch_ms / 1000)),
            "messageDirection": "IN",
            "stage": self.stage,
            "connectedAt": info.connected_at,
            "requestTimeEpoch": epoch_ms,
            "identity": identity,
            "requestId": new_request_id(),
            "domainName": self.domain_name,
            "connectionId": info.connection_id,
            "apiId": self.api_id,
        }
        if info.authorizer is not None:
            context["authorizer"] = dict(info.authorizer)
        return context

    def connect(
        self, info: ConnectionInfo, headers: Sequence[tuple[str, str]], raw_query: str
    ) -> dict[str, Any]:
        received = [(name, value) for name, value in headers if name.lower() not in HOP_BY_HOP]
        # Headers API Gateway adds on the way to the integration (names as API Gateway spells them).
        present = {name.lower() for name, _ in received}
        added = {
            "X-Amzn-Trace-Id": f"Root=1-{int(time.time()):08x}-{secrets.token_hex(12)}",
            "X-Forwarded-For": info.source_ip,
            "X-Forwarded-Port": str(self.port),
            "X-Forwarded-Proto": "http",
        }
        received += [(name, value) for name, value in added.items() if name.lower() not in present]
        event: dict[str, Any] = {"headers": _single(received), "multiValueHeaders": _multi(received)}
        query = parse_qsl(raw_query, keep_blank_values=True)
        if query:
            event["queryStringParameters"] = _single(query)
            event["multiValueQueryStringParameters"] = _multi(query)
        identity = {"userAgent": info.user_agent, "sourceIp": info.source_ip}
        event["requestContext"] = self._context(info, CONNECT, "CONNECT", identity)
        event["isBase64Encoded"] = False
        return event

    def message(self, info: ConnectionInfo, route_key: str, message: str | bytes) -> dict[str, Any]:
        context = self._context(info, route_key, "MESSAGE", {"sourceIp": info.source_ip})
        context["messageId"] = new_request_id()
        if isinstance(message, bytes):
            # Binary frames reach the integration base64-encoded, like binary bodies on the HTTP side.
            return {
                "requestContext": context,
                "body": base64.b64encode(message).decode(),
                "isBase64Encoded": True,
            }
        return {"requestContext": context, "body": message, "isBase64Encoded": False}

    def disconnect(self, info: ConnectionInfo, code: int | None, reason: str | None) -> dict[str, Any]:
        status = code if code is not None else 1006
        identity = {"userAgent": info.user_agent, "sourceIp": info.source_ip}
        context = self._context(info, DISCONNECT, "DISCONNECT", identity)
        context["disconnectStatusCode"] = status
        context["disconnectReason"] = reason or _CLOSE_DESCRIPTIONS.get(status, "")
        # API Gateway's $disconnect event carries these few placeholder headers, not the handshake's.
        headers = [
            ("Host", self.domain_name),
            ("x-api-key", ""),
            ("X-Forwarded-For", ""),
            ("x-restapi", ""),
        ]
        return {
            "headers": _single(headers),
            "multiValueHeaders": _multi(headers),
            "requestContext": context,
            "isBase64Encoded": False,
        }


def _single(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """v1 events keep the last value of a repeated header or query parameter in the single-value map."""
    return dict(pairs)


def _multi(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for name, value in pairs:
        values.setdefault(name, []).append(value)
    return values


# --- frames API Gateway sends on its own --------------------------------------------------------------
def error_frame(message: str, connection_id: str, request_id: str) -> str:
    """`{"message": "Forbidden", ...}` when no route matches, `Internal server error` when one fails."""
    return json.dumps({"message": message, "connectionId": connection_id, "requestId": request_id})


def route_response(result: Any) -> str | bytes | None:
    """What the integration's result sends back on the socket: a non-empty string `body`.

    API Gateway does this only for routes with a RouteResponse (RouteResponseSelectionExpression); locally
    every route behaves as if it had one, which is what a two-way route needs and is harmless otherwise.
    """
    if not isinstance(result, dict):
        return None
    body = result.get("body")
    if not isinstance(body, str) or not body:
        return None
    if result.get("isBase64Encoded"):
        return base64.b64decode(body)
    return body
