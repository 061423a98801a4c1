"""WebSocket connections, whose they are, and the task each one follows (DynamoDB `connections`, GSI
`by_task`)."""

from __future__ import annotations

import time
from typing import Any

from careercoach.storage.dynamo import call, conditional_check_failed

# API Gateway closes a WebSocket after 2 hours; the margin covers clock skew and TTL sweep delay.
CONNECTION_TTL_S = 2 * 3600 + 600
TASK_INDEX = "by_task"


class ConnectionStore:
    def __init__(self, table: Any) -> None:
        """`table`: the boto3 DynamoDB Table resource of the connections table."""
        self._table = table

    def add(self, connection_id: str, *, owner: str) -> None:
        now = int(time.time())
        item = {
            "connection_id": connection_id,
            "owner": owner,
            "connected_at": now,
            "ttl": now + CONNECTION_TTL_S,
        }
        self._call("put_item", Item=item)

    def subscribe(self, connection_id: str, task_id: str, *, owner: str) -> bool:
        """Follow a task of `owner`'s; False when the connection is not known (it connected elsewhere, or
        expired) or belongs to someone else. One conditional write checks both."""
        try:
            self._call(
                "update_item",
                Key={"connection_id": connection_id},
                UpdateExpression="SET task_id = :task",
                ConditionExpression="attribute_exists(connection_id) AND #owner = :owner",
                ExpressionAttributeNames={"#owner": "owner"},
                ExpressionAttributeValues={":task": task_id, ":owner": owner},
            )
        except Exception as exc:
            if conditional_check_failed(exc):
                return False
            raise
        return True

    def unsubscribe(self, connection_id: str) -> None:
        self._call("update_item", Key={"connection_id": connection_id}, UpdateExpression="REMOVE task_id")

    def remove(self, connection_id: str) -> None:
        self._call("delete_item", Key={"connection_id": connection_id})

    def subscribers(self, task_id: str) -> list[str]:
        ids: list[str] = []
        kwargs: dict[str, Any] = {
            "IndexName": TASK_INDEX,
            "KeyConditionExpression": "task_id = :task",
            "ExpressionAttributeValues": {":task": task_id},
            "ProjectionExpression": "connection_id",
        }
        while True:
            page = self._call("query", **kwargs)
            ids += [item["connection_id"] for item in page.get("Items", [])]
            if "LastEvaluatedKey" not in page:
                return ids
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _call(self, method: str, **kwargs: Any) -> Any:
        return call(self._table, method, "Connection storage is unavailable; try again shortly.", **kwargs)
