"""Asynchronous generation: submit (task + SQS message), progress (poll), and the worker's run of one task.

The worker is idempotent per task: a finished task is left alone, progress only moves forward, and the
stored result's id is the task id, so a redelivery after a crash stores exactly one result. Permanent errors
(the resume or session is gone, the options are invalid, the request conflicts with the current state) fail
the task at once; transient ones (providers or storage down) are raised for SQS to redeliver; the last
receive fails the task and still raises, so the message lands in the dead-letter queue, where an alarm
watches. A task that fails for good lets go of what it held (the spec's storage `release`: a pending
practice answer)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from careercoach.errors import (
    AppError,
    Conflict,
    NotFound,
    ResumeDeleted,
    ResumeNotFound,
    ServiceUnavailable,
    TaskNotFound,
    ValidationFailed,
)
from careercoach.generation.kinds import spec_for
from careercoach.generation.plan import Partial, partial_progress
from careercoach.generation.providers import check_provider
from careercoach.generation.results import finished_result
from careercoach.generation.service import GenerationService
from careercoach.generation.spec import GenerationSpec, Stores
from careercoach.models.task import Task
from careercoach.observability import logger
from careercoach.progress import ProgressPublisher
from careercoach.resumes import ResumeService
from careercoach.storage.tasks import TaskStore

# Errors no redelivery can cure: the task fails at once.
_PERMANENT = (NotFound, ValidationFailed, Conflict)


class TaskAttemptFailed(Exception):
    """Raised by the worker so SQS keeps the message: redelivered while receives remain (the task stays
    running), moved to the dead-letter queue after the last one (the task is already marked failed)."""


class TaskService:
    def __init__(
        self,
        tasks: TaskStore,
        resumes: ResumeService,
        stores: Stores,
        publisher: ProgressPublisher,
        *,
        send_message: Callable[[str], None],
        generation: Callable[[], GenerationService],
        max_receive_count: int,
    ) -> None:
        self._tasks = tasks
        self._resumes = resumes
        self._stores = stores
        self._publisher = publisher
        self._send_message = send_message
        self._generation = generation
        self._max_receive_count = max_receive_count

    # ---- API side ---------------------------------------------------------------------------------------

    def submit(
        self,
        spec: GenerationSpec[Any, Any],
        unique_key: str,
        options: Any,
        *,
        owner: str,
        admit: Callable[[], None] | None = None,
    ) -> Task:
        """Create and queue a task. `admit` (the quota) runs once the options are valid and the resume is
        known to exist and be the owner's, so neither a typo nor someone else's key costs quota."""
        check_provider(options.provider)
        self._resumes.get(unique_key, owner=owner)  # 404 now rather than a failed task later
        spec.prepare(self._stores, unique_key, options, owner)  # likewise for the kind's own input
        if admit is not None:
            admit()
        return self.enqueue(spec, unique_key, options, owner=owner)

    def enqueue(
        self,
        spec: GenerationSpec[Any, Any],
        unique_key: str,
        payload: BaseModel,
        *,
        owner: str,
        task_id: str | None = None,
    ) -> Task:
        """Write the task (queued) and send its message; the caller has checked and admitted the request.
        A task that cannot be queued is failed (and its spec's storage releases what it held) -> 503."""
        task = self._tasks.create(task_id or uuid.uuid4().hex, spec.kind, unique_key, payload, owner=owner)
        try:
            self._send_message(json.dumps({"task_id": task.task_id}))
        except Exception as exc:
            self._tasks.fail(task.task_id, "enqueue_failed", "The task could not be queued; submit it again.")
            self._release(spec, task)
            logger.error("Could not queue a task", extra={"error_type": type(exc).__name__})
            raise ServiceUnavailable("The task queue is unavailable; try again shortly.") from exc
        return task

    def get(self, spec: GenerationSpec[Any, Any], task_id: str, *, owner: str) -> Task:
        task = self._tasks.get(task_id)
        if task is None or task.kind != spec.kind or task.owner != owner:
            raise TaskNotFound()
        return task

    def snapshot(self, spec: GenerationSpec[Any, Any], task_id: str, *, owner: str) -> dict[str, Any]:
        task = self.get(spec, task_id, owner=owner)
        return task.snapshot(finished_result(task, self._stores))

    # ---- worker side ------------------------------------------------------------------------------------

    def run(self, task_id: str, *, receive_count: int, remaining_ms: Callable[[], int] | None = None) -> None:
        task = self._tasks.get(task_id)
        if task is None:
            logger.warning("Message for an unknown task dropped", extra={"task_id": task_id})
            return
        if task.finished:
            logger.info("Task already finished; redelivery ignored", extra={"task_id": task_id})
            return
        self._tasks.count_attempt(task_id)
        spec = spec_for(task.kind)
        # Saved before a crash: don't pay twice, but don't keep it if its resume has gone since.
        record: BaseModel | None = spec.storage.find(self._stores, spec.kind, task_id, owner=task.owner)
        if record is not None:
            try:
                self._resumes.fence(task.unique_key, owner=task.owner)
            except ResumeDeleted as exc:
                self._fail(spec, task, exc)
                return
        else:
            record = self._generate(spec, task, receive_count, remaining_ms)
            if record is None:
                return
        # The result's id is the task's (`record_id` below), whichever kind of result it is.
        done = self._tasks.succeed(task_id, task_id, "done")
        if done is not None:
            self._publisher.publish(done, record.model_dump(mode="json"))

    def _generate(
        self,
        spec: GenerationSpec[Any, Any],
        task: Task,
        receive_count: int,
        remaining_ms: Callable[[], int] | None,
    ) -> BaseModel | None:
        try:
            record: BaseModel = self._generation().generate(
                spec,
                task.unique_key,
                spec.payload(task.options),
                owner=task.owner,
                remaining_ms=remaining_ms,
                record_id=task.task_id,
                task_id=task.task_id,
                on_stage=lambda stage: self._advance(task.task_id, stage, spec.stages[stage]),
                on_partial=lambda partial: self._partial(task.task_id, spec, partial),
            )
            return record
        except ResumeNotFound:
            # It existed when the task was submitted: it was deleted since. Retrying cannot help.
            self._fail(spec, task, ResumeDeleted())
            return None
        except _PERMANENT as exc:
            self._fail(spec, task, exc)  # retrying cannot help
            return None
        except AppError as exc:
            last = receive_count >= self._max_receive_count
            if last:
                self._fail(spec, task, exc, suffix=f" Gave up after {receive_count} attempts.")
            logger.warning(
                "Task attempt failed",
                extra={
                    "task_id": task.task_id,
                    "error_code": exc.error_code,
                    "receive_count": receive_count,
                    "next": "dead-letter queue" if last else "redelivery",
                },
            )
            raise TaskAttemptFailed(exc.error_code) from exc

    def _advance(self, task_id: str, stage: str, progress: int) -> None:
        if progress >= 100:
            return  # `succeed` records the end, with the result id
        updated = self._tasks.advance(task_id, stage, progress)
        if updated is not None:
            self._publisher.publish(updated)

    def _partial(self, task_id: str, spec: GenerationSpec[Any, Any], partial: Partial) -> None:
        """An item of a fanned-out generation arrived (or its plan): progress moves with the items done,
        between the prompt stage and the checks, and the snapshot carries the items so far."""
        low = spec.stages.get("building_prompt", 30)
        high = spec.stages.get("validating", 90)
        progress = partial_progress(partial.done, partial.total, low, high)
        updated = self._tasks.advance(
            task_id, "calling_llm", progress, f"{partial.done}/{partial.total}", partial=partial.snapshot()
        )
        if updated is not None:
            self._publisher.publish_partial(updated, partial.index, partial.item)

    def _fail(self, spec: GenerationSpec[Any, Any], task: Task, error: AppError, suffix: str = "") -> None:
        failed = self._tasks.fail(task.task_id, error.error_code, error.message + suffix)
        self._release(spec, task)
        if failed is not None:
            self._publisher.publish(failed)

    def _release(self, spec: GenerationSpec[Any, Any], task: Task) -> None:
        try:
            payload = spec.payload(task.options)
            spec.storage.release(self._stores, spec.kind, payload, task.task_id, owner=task.owner)
        except Exception as exc:  # the task's failure is recorded; what it held expires on its own
            logger.warning(
                "Could not release a failed task's input", extra={"error_type": type(exc).__name__}
            )
