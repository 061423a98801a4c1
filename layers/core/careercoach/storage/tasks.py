"""TaskStore: generation tasks in DynamoDB. Every transition is a conditional update, so progress only moves
forward and a finished task stays finished, whatever order redelivered messages arrive in."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel

from careercoach.clock import iso, utc_now
from careercoach.errors import ServiceUnavailable
from careercoach.models.task import Task, TaskError
from careercoach.storage.dynamo import call, conditional_check_failed

TASK_TTL = timedelta(days=7)
# Task ids are uuid4 hex, as TaskService makes them.
_TASK_ID = re.compile(r"^[0-9a-f]{32}$")
_UNAVAILABLE = "Task storage is unavailable; try again shortly."


class TaskStore:
    def __init__(self, table: Any) -> None:
        """`table`: the boto3 DynamoDB Table resource of the tasks table."""
        self._table = table

    # ---- writes -----------------------------------------------------------------------------------------

    def create(self, task_id: str, kind: str, unique_key: str, options: BaseModel, *, owner: str) -> Task:
        """`options`: the kind's payload (its spec's options_model), kept as JSON."""
        now = utc_now()
        task = Task(
            task_id=task_id,
            kind=kind,
            unique_key=unique_key,
            owner=owner,
            options=options.model_dump(mode="json"),
            created_at=now,
            updated_at=now,
            ttl=int((now + TASK_TTL).timestamp()),
        )
        item = {
            "task_id": task.task_id,
            "kind": task.kind,
            "unique_key": task.unique_key,
            "owner": owner,
            "options": json.dumps(task.options, ensure_ascii=False, separators=(",", ":")),
            "status": task.status,
            "progress": task.progress,
            "stage": task.stage,
            "message": task.message,
            "attempts": 0,
            "created_at": iso(now),
            "updated_at": iso(now),
            "ttl": task.ttl,
        }
        self._call("put_item", Item=item, ConditionExpression="attribute_not_exists(task_id)")
        return task

    def advance(
        self,
        task_id: str,
        stage: str,
        progress: int,
        message: str = "",
        *,
        partial: dict[str, Any] | None = None,
    ) -> Task | None:
        """Move a running task to `stage` at `progress` percent, with the partial result so far if given;
        None when that would not move it forward (a stale or repeated step, or a finished task)."""
        values: dict[str, Any] = {
            ":running": "running",
            ":queued": "queued",
            ":progress": progress,
            ":stage": stage,
            ":message": message,
        }
        expression = (
            "SET #status = :running, progress = :progress, stage = :stage, message = :message, "
            "updated_at = :now"
        )
        if partial is not None:
            # JSON text, like the options: DynamoDB would turn every number into a Decimal.
            values[":partial"] = json.dumps(partial, ensure_ascii=False)
            expression += ", #partial = :partial"
        return self._update(
            task_id, expression, "#status IN (:queued, :running) AND progress < :progress", values
        )

    def succeed(self, task_id: str, result_id: str, message: str = "") -> Task | None:
        return self._update(
            task_id,
            "SET #status = :done, progress = :full, stage = :saved, result_id = :result, message = :message, "
            "updated_at = :now REMOVE #error, #partial",
            "#status IN (:queued, :running)",
            {
                ":done": "succeeded",
                ":full": 100,
                ":saved": "saved",
                ":result": result_id,
                ":message": message,
                ":queued": "queued",
                ":running": "running",
            },
        )

    def fail(self, task_id: str, code: str, message: str) -> Task | None:
        return self._update(
            task_id,
            "SET #status = :failed, stage = :failed, #error = :error, message = :message, updated_at = :now",
            "#status IN (:queued, :running)",
            {
                ":failed": "failed",
                ":error": {"code": code, "message": message},
                ":message": message,
                ":queued": "queued",
                ":running": "running",
            },
        )

    def count_attempt(self, task_id: str) -> int:
        response = self._call(
            "update_item",
            Key={"task_id": task_id},
            UpdateExpression="ADD attempts :one",
            ConditionExpression="attribute_exists(task_id)",
            ExpressionAttributeValues={":one": 1},
            ReturnValues="UPDATED_NEW",
        )
        return int(response["Attributes"]["attempts"])

    # ---- reads ------------------------------------------------------------------------------------------

    def get(self, task_id: object) -> Task | None:
        """The task, or None when it does not exist; a malformed id is simply not found (no round trip)."""
        if not isinstance(task_id, str) or not _TASK_ID.fullmatch(task_id):
            return None
        item = self._call("get_item", Key={"task_id": task_id}, ConsistentRead=True).get("Item")
        return _from_item(item) if item else None

    # ---- plumbing ---------------------------------------------------------------------------------------

    def _update(self, task_id: str, expression: str, condition: str, values: dict[str, Any]) -> Task | None:
        names = {"#status": "status"}
        if "#error" in expression:
            names["#error"] = "error"
        if "#partial" in expression:
            names["#partial"] = "partial"
        try:
            response = self._table.update_item(
                Key={"task_id": task_id},
                UpdateExpression=expression,
                ConditionExpression=f"attribute_exists(task_id) AND {condition}",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues={**values, ":now": iso(utc_now())},
                ReturnValues="ALL_NEW",
            )
        except Exception as exc:
            if conditional_check_failed(exc):
                return None
            raise ServiceUnavailable(_UNAVAILABLE) from exc
        return _from_item(response["Attributes"])

    def _call(self, method: str, **kwargs: Any) -> Any:
        return call(self._table, method, _UNAVAILABLE, **kwargs)


def _from_item(item: dict[str, Any]) -> Task:
    error = item.get("error")
    return Task(
        task_id=item["task_id"],
        kind=item["kind"],
        unique_key=item["unique_key"],
        owner=item.get("owner", ""),
        options=json.loads(item["options"]),
        status=item["status"],
        progress=int(item["progress"]),
        stage=item["stage"],
        message=item.get("message", ""),
        result_id=item.get("result_id"),
        error=TaskError(code=error["code"], message=error["message"]) if error else None,
        partial=json.loads(item["partial"]) if item.get("partial") else None,
        attempts=int(item.get("attempts", 0)),
        created_at=datetime.fromisoformat(item["created_at"].replace("Z", "+00:00")),
        updated_at=datetime.fromisoformat(item["updated_at"].replace("Z", "+00:00")),
        ttl=int(item["ttl"]),
    )
