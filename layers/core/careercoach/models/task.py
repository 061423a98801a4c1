"""Asynchronous generation tasks, as kept in the DynamoDB `tasks` table and shown by the progress endpoint."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from careercoach.clock import iso
from careercoach.models.instant import Instant

TaskStatus = Literal["queued", "running", "succeeded", "failed"]

# The same status in Celery's vocabulary, which the original system's progress endpoint and SSE stream
# answered in (its clients wait for state == "SUCCESS"). PENDING, SUCCESS and FAILURE are Celery's built-in
# states (https://docs.celeryq.dev/en/3.1/reference/celery.states.html); PROGRESS is the custom state the
# original worker reported while running. Snapshots carry both, for polling and WebSocket alike.
CeleryState = Literal["PENDING", "PROGRESS", "SUCCESS", "FAILURE"]
CELERY_STATE: dict[TaskStatus, CeleryState] = {
    "queued": "PENDING",
    "running": "PROGRESS",
    "succeeded": "SUCCESS",
    "failed": "FAILURE",
}


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
    # While a fanned-out generation runs: its outline and the items written so far (None where still being
    # written), as the result will show them. Dropped when the task succeeds (the result takes its place).
    partial: dict[str, Any] | None = None
    attempts: int = 0
    created_at: Instant
    updated_at: Instant
    ttl: int = Field(description="Epoch seconds after which DynamoDB may delete the task")

    @property
    def finished(self) -> bool:
        return self.status in ("succeeded", "failed")

    def snapshot(self, result: Any = None) -> dict[str, Any]:
        """What the progress endpoint and WebSocket messages show (no owner, options or TTL), in the shape
        `TaskSnapshot` documents."""
        body: dict[str, Any] = {
            "task_id": self.task_id,
            "kind": self.kind,
            "status": self.status,
            "state": CELERY_STATE[self.status],
            "progress": self.progress,
            "stage": self.stage,
            "message": self.message,
            "result_id": self.result_id,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        }
        if self.error is not None:
            body["error"] = self.error.model_dump()
        if self.partial is not None and self.status != "succeeded":
            body["partial"] = self.partial
        if result is not None:
            body["result"] = result
        return body


class TaskSnapshot(BaseModel):
    """A task as the progress endpoint answers it (and WebSocket messages carry it, with a `type`): for the
    OpenAPI documents. `result` is present once the task has succeeded, `error` once it has failed."""

    model_config = ConfigDict(extra="forbid")

    task_id: str
    kind: str = Field(description="interview or learning_path")
    status: TaskStatus
    state: CeleryState = Field(
        description="The status in Celery's vocabulary, as the original system answered it: queued is "
        "PENDING, running PROGRESS, succeeded SUCCESS, failed FAILURE"
    )
    progress: int = Field(ge=0, le=100, description="Percent; only moves forward")
    stage: str = Field(
        description="queued, then loading_resume, building_prompt, calling_llm, validating, saved; or failed"
    )
    message: str
    result_id: str | None = Field(description="The stored result's id, once the task has succeeded")
    result: Any = Field(default=None, description="The stored result, once the task has succeeded")
    error: TaskError | None = Field(default=None, description="Why the task failed, once it has")
    created_at: str
    updated_at: str
