"""Asynchronous generation tasks, as kept in the DynamoDB `tasks` table and shown by the progress endpoint."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from careercoach.clock import iso

TaskStatus = Literal["queued", "running", "succeeded", "failed"]


class TaskError(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str
    message: str


class Task(BaseModel):
    model_config = ConfigDict(extra="forbid")

    task_id: str
    kind: str = Field(description="The generation kind (a key of careercoach.generation.SPECS)")
    unique_key: str
    owner: str = Field(default="", description="Who submitted it; never shown")
    options: dict[str, Any] = Field(
        description="The request's options, as its kind's options model dumps them"
    )
    status: TaskStatus = "queued"
    progress: int = Field(default=0, ge=0, le=100)
    stage: str = Field(default="queued", description="queued, then the kind's stages, or failed")
    message: str = ""
    result_id: str | None = None
    error: TaskError | None = None
    attempts: int = 0
    created_at: datetime
    updated_at: datetime
    ttl: int = Field(description="Epoch seconds after which DynamoDB may delete the task")

    @property
    def finished(self) -> bool:
        return self.status in ("succeeded", "failed")

    def snapshot(self, result: Any = None) -> dict[str, Any]:
        """What the progress endpoint and WebSocket messages show (no owner, options or TTL)."""
        body: dict[str, Any] = {
            "task_id": self.task_id,
            "kind": self.kind,
            "status": self.status,
            "progress": self.progress,
            "stage": self.stage,
            "message": self.message,
            "result_id": self.result_id,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        }
        if self.error is not None:
            body["error"] = self.error.model_dump()
        if result is not None:
            body["result"] = result
        return body

    @field_serializer("created_at", "updated_at")
    def _iso(self, value: datetime) -> str:
        return iso(value)
