"""The routes of a generating function, from its kind's spec: generate (sync), submit (async), progress,
latest, history, health, and one download per export the spec declares. Every data route is scoped to the
caller, and both ways of generating count against the caller's hourly quota once the options are valid and
the resume is known to be theirs.

The sync route answers inside API Gateway's limit whatever the providers do: its time budget runs from
the moment the gateway received the request (`requestContext.timeEpoch`) to `SYNC_DEADLINE_MS` (27 s; the
HTTP API's integration timeout is 30 s and cannot be raised,
https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html), and never past the
function's own remaining time. Every provider attempt's timeout comes from that budget; when no provider
can finish in it, the offline generator answers and the result says `degraded`. The answer carries a
`Server-Timing` header with the time the budget's clock measured and the deadline.

The route functions are declared inside `generation_router` with the spec's own options model in their
signatures, which Powertools reads for validation and the OpenAPI document: this module's annotations are
evaluated when the functions are defined (no `from __future__ import annotations`)."""

import inspect
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Path, Query
from aws_lambda_powertools.event_handler.router import Router
from pydantic import BaseModel, Field

from careercoach import container
from careercoach.api.app import (
    HttpApp,
    LambdaHandler,
    caller,
    create_http_app,
    health_answer,
    lambda_handler_for,
    public,
    quota_admission,
)
from careercoach.api.errors import error_responses
from careercoach.api.params import Cursor
from careercoach.api.providers import as_domain, with_configured_provider
from careercoach.clock import iso, utc_now
from careercoach.errors import NotFound
from careercoach.exports import Export
from careercoach.generation.spec import GenerationSpec
from careercoach.models.generation import GenerationOptions, HistoryPage
from careercoach.models.task import TaskSnapshot

UniqueKey = Annotated[str, Path(description="The resume's opaque key")]
Limit = Annotated[int, Query(ge=1, le=50, description="Page size")]
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


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response(
        status_code=status, content_type=content_types.APPLICATION_JSON, body=body, headers=headers
    )


class SyncBudget:
    """The sync route's time budget: from the gateway's receipt of the request to `deadline_ms` after it,
    capped by the function's remaining time. A receipt time in the future, or older than the deadline (a
    replayed sample event, a skewed clock), is not believed: the budget then starts now."""

    def __init__(
        self,
        received_epoch_ms: object,
        deadline_ms: int,
        lambda_remaining_ms: Callable[[], int],
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_ms: Callable[[], float] = lambda: time.time() * 1000,
    ) -> None:
        elapsed = wall_ms() - received_epoch_ms if isinstance(received_epoch_ms, int | float) else 0.0
        if not 0 <= elapsed < deadline_ms:
            elapsed = 0.0
        self.deadline_ms = deadline_ms
        self._clock = clock
        self._started = clock() - elapsed / 1000
        self._lambda_remaining_ms = lambda_remaining_ms

    def elapsed_ms(self) -> int:
        """Time since the gateway received the request, on this budget's clock."""
        return round((self._clock() - self._started) * 1000)

    def remaining_ms(self) -> int:
        return min(self.deadline_ms - self.elapsed_ms(), self._lambda_remaining_ms())

    def server_timing(self) -> str:
        return f'generation;dur={self.elapsed_ms()};desc="since received", deadline;dur={self.deadline_ms}'


def sync_budget(router: Router) -> SyncBudget:
    """The budget of a sync route answering the router's current request (every route that generates while
    the client waits: generation, practice answers)."""
    return SyncBudget(
        router.current_event.raw_event.get("requestContext", {}).get("timeEpoch"),
        container.current().settings.sync_deadline_ms,
        router.lambda_context.get_remaining_time_in_millis,
    )


def generation_router(spec: GenerationSpec[Any, Any], *, clock: Callable[[], datetime] = utc_now) -> Router:
    """Routes under {prefix}/<unique_key>/{resource}: POST (generate), GET (latest), GET .../history, GET
    {resource}{suffix} for each export; the async submit, task progress and health beside them. `clock`
    gives exports their "today" (a default start date)."""
    assert spec.api is not None, f"{spec.kind} is not served by the generation routes"
    router = public(Router(), f"{spec.api.prefix}/health")
    options_model: Any = spec.options_model
    request_model: Any = with_configured_provider(options_model, f"{options_model.__name__}Request")
    if TYPE_CHECKING:
        Options = GenerationOptions | None
    else:
        Options = Annotated[request_model | None, Body(description="All fields optional")]
    prefix, resource = spec.api.prefix, spec.api.resource
    path = f"{prefix}/<unique_key>/{resource}"
    model = spec.record_model

    def ok(description: str) -> Any:
        return {"description": description, "content": {"application/json": {"model": model}}}

    @router.get(
        f"{prefix}/health",
        summary="Health: database round trip, the provider order, and each provider's latest outcome here",
    )
    def health() -> dict[str, Any]:
        return health_answer(providers=True)

    @router.post(
        path,
        summary=f"Generate ({spec.label}) now and store it",
        responses={
            201: ok("Created"),
            **error_responses(400, 401, 404, *spec.request_errors, 413, 422, 429, 503),
        },
    )
    def generate(unique_key: UniqueKey, options: Options = None) -> Response[Any]:
        who = caller(router)
        budget = sync_budget(router)
        record = container.current().generation.generate(
            spec,
            unique_key,
            as_domain(options, options_model) if options is not None else options_model(),
            owner=who.owner,
            admit=quota_admission(who),
            remaining_ms=budget.remaining_ms,
        )
        return _json(record, 201, headers={"Server-Timing": budget.server_timing()})

    @router.post(
        f"{prefix}/async/<unique_key>/{resource}",
        summary="Generate in the background: answers 202 with a task to poll or subscribe to",
        responses={
            202: {"description": "Accepted", "content": {"application/json": {"model": Accepted}}},
            **error_responses(400, 401, 404, 409, 413, 422, 429, 503),
        },
    )
    def submit(
        unique_key: UniqueKey, options: Options = None, idempotency_key: IdempotencyKey = None
    ) -> Response[Any]:
        who = caller(router)
        opts = as_domain(options, options_model) if options is not None else options_model()
        environment = container.current()

        def create(request: dict[str, Any]) -> dict[str, Any]:
            # Only a first submit gets here: a replayed Idempotency-Key costs no quota.
            task = environment.task_service.submit(
                spec, unique_key, opts, owner=who.owner, admit=quota_admission(who)
            )
            return Accepted(
                task_id=task.task_id,
                status=task.status,
                progress_url=f"{prefix}/tasks/{task.task_id}/progress",
                websocket_url=environment.settings.websocket_url,
                created_at=iso(task.created_at),
            ).model_dump()

        request = {
            "owner": who.owner,
            "kind": spec.kind,
            "unique_key": unique_key,
            "options": opts.model_dump(mode="json"),
        }
        if idempotency_key is None:
            return _json(create(request), 202)
        request["idempotency_key"] = idempotency_key
        return _json(environment.idempotency.once(request, create, router.lambda_context), 202)

    @router.get(
        f"{prefix}/tasks/<task_id>/progress",
        summary="A task's progress; the result when it has succeeded, the error when it failed",
        responses={
            200: {"description": "The task", "content": {"application/json": {"model": TaskSnapshot}}},
            **error_responses(401, 404, 503),
        },
    )
    def progress(task_id: TaskId) -> Response[Any]:
        return _json(container.current().task_service.snapshot(spec, task_id, owner=caller(router).owner))

    @router.get(
        path,
        summary="The latest generated result",
        responses={200: ok("The latest"), **error_responses(401, 404, 503)},
    )
    def latest(unique_key: UniqueKey) -> Response[Any]:
        return _json(container.current().generation.latest(spec, unique_key, owner=caller(router).owner))

    @router.get(
        f"{path}/history",
        summary="Earlier results, newest first (summaries)",
        responses={
            200: {"description": "A page", "content": {"application/json": {"model": HistoryPage}}},
            **error_responses(400, 401, 404, 422, 503),
        },
    )
    def history(unique_key: UniqueKey, limit: Limit = 10, cursor: Cursor = None) -> Response[Any]:
        page = container.current().generation.history(
            spec, unique_key, owner=caller(router).owner, limit=limit, cursor=cursor
        )
        return _json(page)

    for export in spec.exports:
        _export_route(router, spec, export, clock, prefix=prefix, resource=resource)
    return router


def _export_route(
    router: Router,
    spec: GenerationSpec[Any, Any],
    export: Export[Any, Any],
    clock: Callable[[], datetime],
    *,
    prefix: str,
    resource: str,
) -> None:
    """GET {prefix}/<unique_key>/{resource}{suffix}: the latest record as the export's file. The export's
    query parameters become the route's (documented and pattern-checked by Powertools, like any other), so
    the function's signature is made from them."""
    file = f"{resource}{export.suffix}"

    def download(unique_key: str, **query: str | None) -> Response[str]:
        # Powertools reads the rule as a regular expression, where the suffix's "." matches any character.
        if not router.current_event.path.endswith(f"/{file}"):
            raise NotFound()
        options = export.read_options(
            {name: value for name, value in query.items() if value is not None}, clock().date()
        )
        record = container.current().generation.latest(spec, unique_key, owner=caller(router).owner)
        document = export.render(record, options)
        return Response(
            status_code=200,
            content_type=export.media_type,
            body=document.body,
            headers={"Content-Disposition": document.disposition},
        )

    parameters = [
        inspect.Parameter("unique_key", inspect.Parameter.KEYWORD_ONLY, annotation=UniqueKey),
        *(
            inspect.Parameter(
                parameter.name,
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[
                    str | None,
                    Query(
                        pattern=parameter.pattern,
                        description=parameter.description,
                        examples=[parameter.example],
                    ),
                ],
            )
            for parameter in export.parameters
        ),
    ]
    signature = inspect.Signature(parameters, return_annotation=Response[str])
    download.__signature__ = signature  # type: ignore[attr-defined]
    download.__name__ = f"export_{export.suffix.lstrip('.')}"
    media_type = export.media_type.split(";", 1)[0]
    router.get(
        f"{prefix}/<unique_key>/{file}",
        summary=export.summary,
        responses={
            200: {
                "description": export.description,
                "headers": {
                    "Content-Disposition": {
                        "description": "attachment, with a file name",
                        "schema": {"type": "string"},
                    }
                },
                "content": {media_type: {"schema": {"type": "string"}}},
            },
            **error_responses(401, 404, 422, 503),
        },
    )(download)


def generation_app(spec: GenerationSpec[Any, Any]) -> tuple[HttpApp, LambdaHandler]:
    """A generating function's resolver and Lambda handler: everything but the spec is shared."""
    assert spec.api is not None, f"{spec.kind} is not served by the generation routes"
    app = create_http_app(
        prefix=spec.api.prefix,
        title=spec.api.title,
        description=spec.api.description,
        routers=[generation_router(spec)],
    )
    return app, lambda_handler_for(app)
