"""WebSocket routes: $connect, $disconnect, subscribe and unsubscribe. A subscriber gets the task's current
snapshot at once, then every change the worker publishes, ending with `completed` or `failed`.
Nothing is posted from $connect: the socket is not open to messages until $connect has returned.

A connection belongs to the owner its $connect authorizer named (with auth off, the anonymous owner), and
may follow only that owner's tasks: anyone else's task is "not found", exactly like a missing one."""

from __future__ import annotations

import json
from typing import Any

from careercoach.auth import ANONYMOUS, auth_enabled
from careercoach.models.generation import GenerationKind
from careercoach.observability import logger
from careercoach.progress import ProgressPublisher, task_message
from careercoach.storage.connections import ConnectionStore
from careercoach.storage.generations import GenerationRepository, finished_result
from careercoach.storage.tasks import TaskStore

_OK = {"statusCode": 200}
# Subscribe and unsubscribe messages are a few dozen bytes; anything much larger is not one of them.
MAX_MESSAGE_BYTES = 4096


class WebSocketRoutes:
    def __init__(
        self,
        connections: ConnectionStore,
        tasks: TaskStore,
        publisher: ProgressPublisher,
        repositories: dict[GenerationKind, GenerationRepository[Any]],
    ) -> None:
        self._connections = connections
        self._tasks = tasks
        self._publisher = publisher
        self._repositories = repositories

    def handle(self, event: dict[str, Any]) -> dict[str, Any]:
        context = event.get("requestContext") or {}
        route = context.get("routeKey", "$default")
        connection_id = context.get("connectionId", "")
        if route == "$connect":
            owner = _connection_owner(context)
            if owner is None:
                logger.warning("WebSocket connect without an authorizer's owner refused")
                return {"statusCode": 401}
            self._connections.add(connection_id, owner=owner)
            return _OK
        if route == "$disconnect":
            self._connections.remove(connection_id)
            return _OK
        body = event.get("body")
        if isinstance(body, str) and len(body.encode("utf-8")) > MAX_MESSAGE_BYTES:
            self._error(
                connection_id, "message_too_large", f"Messages are limited to {MAX_MESSAGE_BYTES} bytes."
            )
            return _OK
        message = _parse(body)
        if route == "subscribe":
            self._subscribe(connection_id, message, context.get("requestId", ""))
        elif route == "unsubscribe":
            self._connections.unsubscribe(connection_id)
            self._publisher.send(connection_id, {"type": "unsubscribed"})
        else:
            self._error(connection_id, "unknown_action", 'Send {"action": "subscribe", "task_id": "..."}.')
        return _OK

    def _subscribe(self, connection_id: str, message: dict[str, Any] | None, request_id: str) -> None:
        task_id = (message or {}).get("task_id")
        task = self._tasks.get(task_id)
        # Someone else's task is not found either (the connection's owner is checked by the same write that
        # subscribes it). The connection stays open: the client may subscribe to another task.
        if task is None or not self._connections.subscribe(connection_id, task.task_id, owner=task.owner):
            self._error(connection_id, "task_not_found", "No task exists with this id.", request_id)
            return
        self._publisher.send(connection_id, task_message(task, finished_result(task, self._repositories)))

    def _error(self, connection_id: str, code: str, text: str, request_id: str = "") -> None:
        body = {"type": "error", "error_code": code, "message": text, "request_id": request_id}
        self._publisher.send(connection_id, body)


def _connection_owner(context: dict[str, Any]) -> str | None:
    """The owner the $connect authorizer returned; the anonymous owner when auth is off; None (refuse the
    connection) when auth is on but no authorizer vouched for the caller."""
    if not auth_enabled():
        return ANONYMOUS
    owner = (context.get("authorizer") or {}).get("owner")
    return owner if isinstance(owner, str) and owner else None


def _parse(body: Any) -> dict[str, Any] | None:
    try:
        message = json.loads(body) if isinstance(body, str) else None
    except ValueError:
        return None
    return message if isinstance(message, dict) else None
