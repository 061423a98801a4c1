"""The Practice API's routes: sessions over a resume's interview questions (create, list, read, finish),
answers evaluated now or in the background, the background task's progress, health.

Every data route is scoped to the caller; both ways of answering count against the caller's hourly
generation quota once the request is known to be valid and theirs. Answers are personal data: no route logs
a body, and the function's traces never capture responses (careercoach.api.app.lambda_handler_for)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Path, Query
from aws_lambda_powertools.event_handler.router import Router

from careercoach import container
from careercoach.api.app import caller, health_answer, public, quota_admission
from careercoach.api.errors import error_responses
from careercoach.api.generation import Accepted, sync_budget
from careercoach.api.params import Cursor
from careercoach.api.providers import as_domain, with_configured_provider
from careercoach.clock import iso
from careercoach.models.practice import AnswerInput, AnswerResult, SessionCreate, SessionPage, SessionView

PREFIX = "/api/v1/practice"
TITLE = "Practice API"
DESCRIPTION = (
    "Answer a resume's interview questions one at a time and get scored feedback (a rubric, the key points "
    "covered and missed, resume evidence, the outline of a strong answer) and the follow-up an interviewer "
    "would ask next; finish with a summary and make a learning path from it."
)

UniqueKey = Annotated[str, Path(description="The resume's opaque key")]
SessionId = Annotated[str, Path(description="The practice session's id")]
TaskId = Annotated[str, Path(description="The task id returned by the async answer")]
Limit = Annotated[int, Query(ge=1, le=50, description="Page size")]
CreateBody = Annotated[SessionCreate | None, Body(description="All fields optional")]
# The answer body with `provider` narrowed to this deployment's providers (careercoach.api.providers).
AnswerRequest = with_configured_provider(AnswerInput, "AnswerRequest")
if TYPE_CHECKING:
    AnswerBody = AnswerInput
else:
    AnswerBody = Annotated[AnswerRequest, Body(description="The answer to one question or follow-up")]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="idempotency-key",
        min_length=1,
        max_length=128,
        description="Repeat a submit safely: the same key returns the same task for 24 hours",
    ),
]


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response(
        status_code=status, content_type=content_types.APPLICATION_JSON, body=body, headers=headers
    )


def _model(model: type[Any], description: str) -> Any:
    return {"description": description, "content": {"application/json": {"model": model}}}


def practice_router() -> Router:
    router = public(Router(), f"{PREFIX}/health")
    sessions = f"{PREFIX}/<unique_key>/sessions"
    session = f"{sessions}/<session_id>"

    @router.get(
        f"{PREFIX}/health",
        summary="Health: database round trip, the evaluator order, and each provider's latest outcome here",
    )
    def health() -> dict[str, Any]:
        return health_answer(providers=True)

    @router.post(
        sessions,
        summary="Start a practice session over a question set (default: the resume's latest)",
        responses={
            201: _model(SessionView, "Created"),
            **error_responses(400, 401, 404, 409, 413, 415, 422, 503),
        },
    )
    def create_session(unique_key: UniqueKey, body: CreateBody = None) -> Response[Any]:
        view = container.current().practice.create(
            unique_key, body or SessionCreate(), owner=caller(router).owner
        )
        return _json(
            view, 201, {"Location": f"{sessions.replace('<unique_key>', unique_key)}/{view.session_id}"}
        )

    @router.get(
        sessions,
        summary="This resume's practice sessions, newest first (summaries)",
        responses={200: _model(SessionPage, "A page"), **error_responses(400, 401, 404, 422, 503)},
    )
    def list_sessions(unique_key: UniqueKey, limit: Limit = 10, cursor: Cursor = None) -> Response[Any]:
        page = container.current().practice.list(
            unique_key, owner=caller(router).owner, limit=limit, cursor=cursor
        )
        return _json(page)

    @router.get(
        session,
        summary="A practice session with every turn",
        responses={200: _model(SessionView, "The session"), **error_responses(401, 404, 503)},
    )
    def get_session(unique_key: UniqueKey, session_id: SessionId) -> Response[Any]:
        return _json(container.current().practice.get(unique_key, session_id, owner=caller(router).owner))

    @router.post(
        f"{session}/finish",
        summary="Finish the session: every evaluation shown, and a summary",
        responses={200: _model(SessionView, "The finished session"), **error_responses(401, 404, 409, 503)},
    )
    def finish_session(unique_key: UniqueKey, session_id: SessionId) -> Response[Any]:
        return _json(container.current().practice.finish(unique_key, session_id, owner=caller(router).owner))

    @router.post(
        f"{session}/answers",
        summary="Answer a question or follow-up and get it evaluated now",
        responses={
            201: _model(AnswerResult, "The evaluated turn"),
            **error_responses(400, 401, 404, 409, 413, 415, 422, 429, 503),
        },
    )
    def answer(unique_key: UniqueKey, session_id: SessionId, body: AnswerBody) -> Response[Any]:
        who = caller(router)
        result = container.current().practice.answer(
            unique_key,
            session_id,
            as_domain(body, AnswerInput),
            owner=who.owner,
            admit=quota_admission(who),
            remaining_ms=sync_budget(router).remaining_ms,  # inside API Gateway's limit (api/generation.py)
        )
        return _json(result, 201)

    @router.post(
        f"{PREFIX}/async/<unique_key>/sessions/<session_id>/answers",
        summary="Answer and get it evaluated in the background: 202 with a task to poll or subscribe to",
        responses={
            202: _model(Accepted, "Accepted"),
            **error_responses(400, 401, 404, 409, 413, 415, 422, 429, 503),
        },
    )
    def submit_answer(
        unique_key: UniqueKey, session_id: SessionId, body: AnswerBody, idempotency_key: IdempotencyKey = None
    ) -> Response[Any]:
        who = caller(router)
        environment = container.current()
        answer = as_domain(body, AnswerInput)

        def create(request: dict[str, Any]) -> dict[str, Any]:
            # Only a first submit gets here: a replayed Idempotency-Key costs no quota.
            task = environment.practice.submit(
                unique_key, session_id, answer, owner=who.owner, admit=quota_admission(who)
            )
            return Accepted(
                task_id=task.task_id,
                status=task.status,
                progress_url=f"{PREFIX}/tasks/{task.task_id}/progress",
                websocket_url=environment.settings.websocket_url,
                created_at=iso(task.created_at),
            ).model_dump()

        if idempotency_key is None:
            return _json(create({}), 202)
        from careercoach.generation.evaluation import EVALUATION

        request = {
            "owner": who.owner,
            "kind": EVALUATION.kind,
            # The key is scoped to the session; the answer itself is only hashed (payload validation).
            "unique_key": f"{unique_key}/{session_id}",
            "options": answer.model_dump(mode="json"),
            "idempotency_key": idempotency_key,
        }
        return _json(environment.idempotency.once(request, create, router.lambda_context), 202)

    @router.get(
        f"{PREFIX}/tasks/<task_id>/progress",
        summary="An async answer's progress; the evaluated turn once it succeeded, the error if it failed",
        responses={200: {"description": "The task"}, **error_responses(401, 404, 503)},
    )
    def progress(task_id: TaskId) -> Response[Any]:
        from careercoach.generation.evaluation import EVALUATION

        environment = container.current()
        return _json(environment.task_service.snapshot(EVALUATION, task_id, owner=caller(router).owner))

    return router
