"""The result a finished task produced, as the API shows it (progress endpoint, WebSocket `completed`).

Here rather than in the task service: the WebSocket function reads results and ships without the LLM layer,
which the service imports."""

from __future__ import annotations

from typing import Any

from careercoach.generation.kinds import spec_for
from careercoach.generation.spec import Stores
from careercoach.models.task import Task


def finished_result(task: Task, stores: Stores) -> dict[str, Any] | None:
    """The stored result of a succeeded task; None before that (or when it has since been deleted)."""
    if task.status != "succeeded" or task.result_id is None:
        return None
    spec = spec_for(task.kind)
    record = spec.storage.find(stores, spec.kind, task.result_id, owner=task.owner)
    return record.model_dump(mode="json") if record is not None else None
