"""WebSocket subscriptions to task progress, as the domain sees them: a connection belongs to the owner its
$connect authorizer named (with auth off, the anonymous owner) and may follow only that owner's tasks;
anyone else's task is "not found", exactly like a missing one. A subscriber gets the task's current snapshot
at once, then every change the worker publishes, ending with `completed` or `failed`.

The API package (careercoach.api.websocket) turns API Gateway's WebSocket events into these calls."""

from __future__ import annotations

from careercoach.generation.results import finished_result
from careercoach.generation.spec import Stores
from careercoach.progress import ProgressPublisher, task_message
from careercoach.storage.connections import ConnectionStore
from careercoach.storage.tasks import TaskStore


class Subscriptions:
    def __init__(
        self,
        connections: ConnectionStore,
        tasks: TaskStore,
        publisher: ProgressPublisher,
        stores: Stores,
    ) -> None:
        self._connections = connections
        self._tasks = tasks
        self._publisher = publisher
        self._stores = stores

    def connect(self, connection_id: str, *, owner: str) -> None:
        self._connections.add(connection_id, owner=owner)

    def disconnect(self, connection_id: str) -> None:
        self._connections.remove(connection_id)

    def subscribe(self, connection_id: str, task_id: object, *, request_id: str = "") -> None:
        task = self._tasks.get(task_id)
        # Someone else's task is not found either (the connection's owner is checked by the same write that
        # subscribes it). The connection stays open: the client may subscribe to another task.
        if task is None or not self._connections.subscribe(connection_id, task.task_id, owner=task.owner):
            self.error(connection_id, "task_not_found", "No task exists with this id.", request_id)
            return
        self._publisher.send(connection_id, task_message(task, finished_result(task, self._stores)))

    def unsubscribe(self, connection_id: str) -> None:
        self._connections.unsubscribe(connection_id)
        self._publisher.send(connection_id, {"type": "unsubscribed"})

    def error(self, connection_id: str, code: str, text: str, request_id: str = "") -> None:
        body = {
            "type": "error",
            "error_code": code,
            "message": text,
            "detail": text,
            "request_id": request_id,
        }
        self._publisher.send(connection_id, body)
