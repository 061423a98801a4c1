"""ProgressPublisher: pushes a task's snapshot to every WebSocket connection that follows it, through the
API Gateway Management API. A connection that is gone (410) is deleted; a failed push never fails the task."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from careercoach.models.task import Task
from careercoach.observability import logger
from careercoach.storage.connections import ConnectionStore

MessageType = str  # "progress" | "partial" | "completed" | "failed"


def message_type(task: Task) -> MessageType:
    return {"succeeded": "completed", "failed": "failed"}.get(task.status, "progress")


def task_message(task: Task, result: Any = None) -> dict[str, Any]:
    return {"type": message_type(task), **task.snapshot(result)}


def _is_gone(exc: Exception) -> bool:
    response = getattr(exc, "response", None) or {}
    error = response.get("Error", {})
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return error.get("Code") == "GoneException" or status == 410


class ProgressPublisher:
    def __init__(self, connections: ConnectionStore, client: Callable[[], Any]) -> None:
        self._connections = connections
        self._client = client

    def send(self, connection_id: str, message: dict[str, Any]) -> bool:
        """Send one message; False (and the connection forgotten) when the client has gone."""
        data = json.dumps(message, ensure_ascii=False, default=str).encode("utf-8")
        try:
            self._client().post_to_connection(ConnectionId=connection_id, Data=data)
        except Exception as exc:
            if _is_gone(exc):
                self._connections.remove(connection_id)
                return False
            logger.warning("Push to a connection failed", extra={"error_type": type(exc).__name__})
            return False
        return True

    def publish(self, task: Task, result: Any = None) -> int:
        """Push the task's snapshot to its subscribers; returns how many received it."""
        return self._broadcast(task, task_message(task, result))

    def publish_partial(self, task: Task, index: int | None, item: Any) -> int:
        """Push one arrival of a fanned-out generation: `{"type": "partial", ...snapshot, "index", "item"}`,
        the snapshot carrying every item so far (`partial`), so a subscriber that joins late misses nothing.
        `index` None: the plan's outline has arrived, no item yet."""
        return self._broadcast(task, {"type": "partial", **task.snapshot(), "index": index, "item": item})

    def _broadcast(self, task: Task, message: dict[str, Any]) -> int:
        try:
            subscribers = self._connections.subscribers(task.task_id)
        except Exception as exc:
            logger.warning("Could not list subscribers", extra={"error_type": type(exc).__name__})
            return 0
        return sum(self.send(connection_id, message) for connection_id in subscribers)
