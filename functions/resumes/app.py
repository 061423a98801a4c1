"""ResumesFunction: resume CRUD over the HTTP API. Thin: wire Powertools, declare routes, call the core."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from careercoach import auth, dependencies, http
from careercoach.errors import AuthenticationDisabled
from careercoach.models.resume import Resume, ResumeInput
from careercoach.models.resume_list import ResumePage
from careercoach.observability import logger, metrics, tracer
from careercoach.storage import mongo

PREFIX = "/api/v1/resumes"
app = http.create_http_app(
    prefix=PREFIX,
    title="Resumes API",
    description="Store the resume that interview questions and learning paths are generated from.",
)

UniqueKey = Annotated[str, Path(description="The resume's opaque key, returned when it was created.")]
Limit = Annotated[int, Query(ge=1, le=50, description="Page size")]
Cursor = Annotated[str | None, Query(max_length=200, description="next_cursor of the previous page")]


def _owner() -> str:
    """The caller's owner id: every route below reads and writes only the caller's resumes."""
    return auth.http_caller(app.current_event.raw_event).owner


def _resume_response(
    resume: Resume, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response[Resume]:
    return Response(
        status_code=status_code, content_type=content_types.APPLICATION_JSON, body=resume, headers=headers
    )


@app.get(
    f"{PREFIX}/health",
    summary="Health, with a database round trip",
    responses={200: {"description": "The service and its database answer"}, **http.error_responses(503)},
)
def health() -> dict[str, Any]:
    mongo.ping()
    return {"status": "ok", "database": "ok"}


@app.post(
    PREFIX,
    summary="Create a resume (rich or short form)",
    responses={
        201: {"description": "Created", "content": {"application/json": {"model": Resume}}},
        **http.error_responses(400, 401, 413, 415, 422, 503),
    },
)
def create_resume(data: Annotated[ResumeInput, Body()]) -> Response[Resume]:
    resume = dependencies.resume_service().create(data, owner=_owner())
    return _resume_response(resume, 201, {"Location": f"{PREFIX}/{resume.unique_key}"})


@app.get(
    PREFIX,
    summary="List your resumes, newest first (needs authentication)",
    responses={
        200: {"description": "A page", "content": {"application/json": {"model": ResumePage}}},
        **http.error_responses(401, 403, 422, 503),
    },
)
def list_resumes(limit: Limit = 20, cursor: Cursor = None) -> Response[ResumePage]:
    caller = auth.http_caller(app.current_event.raw_event)
    if not caller.authenticated:
        # Without authentication every caller is the same anonymous owner: a list would show everyone's.
        raise AuthenticationDisabled()
    page = dependencies.resume_service().list(owner=caller.owner, limit=limit, cursor=cursor)
    return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=page)


@app.get(
    f"{PREFIX}/<unique_key>",
    summary="Read a resume",
    responses={
        200: {"description": "The resume", "content": {"application/json": {"model": Resume}}},
        **http.error_responses(401, 404, 503),
    },
)
def get_resume(unique_key: UniqueKey) -> Response[Resume]:
    return _resume_response(dependencies.resume_service().get(unique_key, owner=_owner()))


@app.put(
    f"{PREFIX}/<unique_key>",
    summary="Replace a resume",
    responses={
        200: {"description": "The stored resume", "content": {"application/json": {"model": Resume}}},
        **http.error_responses(400, 401, 404, 413, 415, 422, 503),
    },
)
def replace_resume(unique_key: UniqueKey, data: Annotated[ResumeInput, Body()]) -> Response[Resume]:
    return _resume_response(dependencies.resume_service().replace(unique_key, data, owner=_owner()))


@app.patch(
    f"{PREFIX}/<unique_key>",
    summary="Merge changes into a resume (JSON Merge Patch: null removes a field)",
    responses={
        200: {"description": "The stored resume", "content": {"application/json": {"model": Resume}}},
        **http.error_responses(400, 401, 404, 413, 415, 422, 503),
    },
)
def patch_resume(unique_key: UniqueKey, patch: Annotated[dict[str, Any], Body()]) -> Response[Resume]:
    return _resume_response(dependencies.resume_service().patch(unique_key, patch, owner=_owner()))


@app.delete(
    f"{PREFIX}/<unique_key>",
    summary="Delete a resume",
    responses={204: {"description": "Deleted", "content": {}}, **http.error_responses(401, 404, 503)},
)
def delete_resume(unique_key: UniqueKey) -> Response[None]:
    dependencies.resume_service().delete(unique_key, owner=_owner())
    return Response(status_code=204, body=None)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return http.resolve(app, event, context)
