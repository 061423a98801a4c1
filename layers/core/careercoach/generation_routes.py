"""The HTTP routes of a generating function (interview questions or learning paths): generate (sync),
submit (async), progress, latest, history and health. Both functions declare the same shape, so it is
declared once here. Every data route is scoped to the caller (see careercoach.auth), and both ways of
generating count against the caller's hourly quota once the resume is known to be theirs."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Path, Query
from pydantic import BaseModel, Field

from careercoach import auth, dependencies, http, idempotency
from careercoach.clock import iso
from careercoach.errors import ValidationFailed
from careercoach.models.generation import GenerationOptions, HistoryPage, InterviewSet, LearningPath
from careercoach.settings import get_settings
from careercoach.storage import mongo

UniqueKey = Annotated[str, Path(description="The resume's opaque key")]
Limit = Annotated[int, Query(ge=1, le=50, description="Page size")]
Cursor = Annotated[str | None, Query(max_length=200, description="next_cursor of the previous page")]
Options = Annotated[GenerationOptions | None, Body(description="All fields optional")]
TaskId = Annotated[str, Path(description="The task id returned by the async submit")]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="idempotency-key",
        min_length=1,
        max_length=128,
        description="Repeat a submit safely: the same key returns the same task for 24 hours",
    ),
]


class Accepted(BaseModel):
    task_id: str
    status: str
    progress_url: str = Field(description="Poll this for the task's progress")
    websocket_url: str | None = Field(
        description='Send {"action": "subscribe", "task_id": ...} here for pushes'
    )
    created_at: str


def add_generation_routes(
    app: APIGatewayHttpResolver, *, kind: Literal["interview", "learning_path"], prefix: str, resource: str
) -> None:
    """Routes under {prefix}/<unique_key>/{resource}: POST (generate), GET (latest), GET .../history."""
    model: type[InterviewSet] | type[LearningPath] = InterviewSet if kind == "interview" else LearningPath
    path = f"{prefix}/<unique_key>/{resource}"

    def ok(description: str) -> Any:
        return {"description": description, "content": {"application/json": {"model": model}}}

    def _json(body: Any, status: int = 200) -> Response[Any]:
        return Response(status_code=status, content_type=content_types.APPLICATION_JSON, body=body)

    def caller() -> auth.Caller:
        return auth.http_caller(app.current_event.raw_event)

    def admission(who: auth.Caller) -> Any:
        return lambda: dependencies.generation_quota().consume(who.quota_subject)

    def check_provider(opts: GenerationOptions) -> None:
        if opts.provider != "auto" and opts.provider not in dependencies.provider_order():
            detail = {
                "loc": ["body", "provider"],
                "msg": "unknown or unconfigured provider",
                "type": "value_error",
            }
            raise ValidationFailed(details=[detail])

    @app.get(f"{prefix}/health", summary="Health: database round trip and the provider order")
    def health() -> dict[str, Any]:
        mongo.ping()
        return {"status": "ok", "database": "ok", "providers": dependencies.provider_order()}

    @app.post(
        path,
        summary=f"Generate ({kind.replace('_', ' ')}) now and store it",
        responses={201: ok("Created"), **http.error_responses(400, 401, 404, 413, 422, 429, 503)},
    )
    def generate(unique_key: UniqueKey, options: Options = None) -> Response[Any]:
        who = caller()
        opts = options or GenerationOptions()
        check_provider(opts)
        service = dependencies.generation_service()
        produce = service.interview if kind == "interview" else service.learning_path
        record = produce(
            unique_key,
            opts,
            owner=who.owner,
            admit=admission(who),
            remaining_ms=app.lambda_context.get_remaining_time_in_millis,
        )
        return _json(record, 201)

    @app.post(
        f"{prefix}/async/<unique_key>/{resource}",
        summary="Generate in the background: answers 202 with a task to poll or subscribe to",
        responses={
            202: {"description": "Accepted", "content": {"application/json": {"model": Accepted}}},
            **http.error_responses(400, 401, 404, 409, 413, 422, 429, 503),
        },
    )
    def submit(
        unique_key: UniqueKey, options: Options = None, idempotency_key: IdempotencyKey = None
    ) -> Response[Any]:
        who = caller()
        opts = options or GenerationOptions()
        check_provider(opts)

        def create(request: dict[str, Any]) -> dict[str, Any]:
            # Only a first submit gets here: a replayed Idempotency-Key costs no quota.
            task = dependencies.task_service().submit(
                kind, unique_key, opts, owner=who.owner, admit=admission(who)
            )
            settings = get_settings()
            return Accepted(
                task_id=task.task_id,
                status=task.status,
                progress_url=f"{prefix}/tasks/{task.task_id}/progress",
                websocket_url=settings.websocket_url,
                created_at=iso(task.created_at),
            ).model_dump()

        request = {
            "owner": who.owner,
            "kind": kind,
            "unique_key": unique_key,
            "options": opts.model_dump(mode="json"),
        }
        if idempotency_key is None:
            return _json(create(request), 202)
        request["idempotency_key"] = idempotency_key
        return _json(idempotency.once(request, create, app.lambda_context), 202)

    @app.get(
        f"{prefix}/tasks/<task_id>/progress",
        summary="A task's progress; the result when it has succeeded, the error when it failed",
        responses={200: {"description": "The task"}, **http.error_responses(401, 404, 503)},
    )
    def progress(task_id: TaskId) -> Response[Any]:
        return _json(dependencies.task_service().snapshot(kind, task_id, owner=caller().owner))

    @app.get(
        path,
        summary="The latest generated result",
        responses={200: ok("The latest"), **http.error_responses(401, 404, 503)},
    )
    def latest(unique_key: UniqueKey) -> Response[Any]:
        service = dependencies.generation_service()
        owner = caller().owner
        if kind == "interview":
            return _json(service.latest_interview(unique_key, owner=owner))
        return _json(service.latest_learning_path(unique_key, owner=owner))

    @app.get(
        f"{path}/history",
        summary="Earlier results, newest first (summaries)",
        responses={
            200: {"description": "A page", "content": {"application/json": {"model": HistoryPage}}},
            **http.error_responses(401, 404, 422, 503),
        },
    )
    def history(unique_key: UniqueKey, limit: Limit = 10, cursor: Cursor = None) -> Response[Any]:
        service = dependencies.generation_service()
        owner = caller().owner
        if kind == "interview":
            return _json(service.interview_history(unique_key, owner=owner, limit=limit, cursor=cursor))
        return _json(service.learning_path_history(unique_key, owner=owner, limit=limit, cursor=cursor))
