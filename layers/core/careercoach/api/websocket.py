"""The WebSocket API's routes: $connect, $disconnect, subscribe and unsubscribe, from API Gateway's events
to careercoach.subscriptions. Nothing is posted from $connect: the socket is not open to messages until
$connect has returned. Messages are read with the same JSON limits as HTTP bodies."""

from __future__ import annotations

from typing import Any

from careercoach.api.body import JsonRejected, parse_json
from careercoach.auth import ANONYMOUS
from careercoach.observability import logger
from careercoach.subscriptions import Subscriptions

_OK = {"statusCode": 200}
# Subscribe and unsubscribe messages are a few dozen bytes; anything much larger is not one of them.
MAX_MESSAGE_BYTES = 4096


def handle(event: dict[str, Any], subscriptions: Subscriptions, *, auth_enabled: bool) -> dict[str, Any]:
    context = event.get("requestContext") or {}
    route = context.get("routeKey", "$default")
    connection_id = context.get("connectionId", "")
    if route == "$connect":
        owner = _connection_owner(context, auth_enabled)
        if owner is None:
            logger.warning("WebSocket connect without an authorizer's owner refused")
            return {"statusCode": 401}
        subscriptions.connect(connection_id, owner=owner)
        return _OK
    if route == "$disconnect":
        subscriptions.disconnect(connection_id)
        return _OK
    body = event.get("body")
    if isinstance(body, str) and len(body.encode("utf-8", "surrogatepass")) > MAX_MESSAGE_BYTES:
        subscriptions.error(
            connection_id, "message_too_large", f"Messages are limited to {MAX_MESSAGE_BYTES} bytes."
        )
        return _OK
    message = _parse(body)
    if route == "subscribe":
        task_id = (message or {}).get("task_id")
        subscriptions.subscribe(connection_id, task_id, request_id=context.get("requestId", ""))
    elif route == "unsubscribe":
        subscriptions.unsubscribe(connection_id)
    else:
        subscriptions.error(
            connection_id, "unknown_action", 'Send {"action": "subscribe", "task_id": "..."}.'
        )
    return _OK


def _connection_owner(context: dict[str, Any], auth_enabled: bool) -> str | None:
    """The owner the $connect authorizer returned; the anonymous owner when auth is off; None (refuse the
    connection) when auth is on but no authorizer vouched for the caller."""
    if not auth_enabled:
        return ANONYMOUS
    owner = (context.get("authorizer") or {}).get("owner")
    return owner if isinstance(owner, str) and owner else None


def _parse(body: Any) -> dict[str, Any] | None:
    if not isinstance(body, str):
        return None
    try:
        message = parse_json(body)
    except JsonRejected:
        return None
    return message if isinstance(message, dict) else None
