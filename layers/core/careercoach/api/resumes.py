"""The Resumes API's routes: resume CRUD, the caller's own list (all, or by name), health."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import unquote

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.event_handler.router import Router
from pydantic import TypeAdapter, ValidationError

from careercoach import container
from careercoach.api.app import HttpRouter, caller, health_answer, public
from careercoach.api.errors import ResumePatchConflict, error_responses
from careercoach.api.params import Cursor
from careercoach.errors import AuthenticationDisabled, DocumentTooLarge, ValidationFailed
from careercoach.importing.limits import MAX_BODY_BYTES, MAX_FILE_BYTES
from careercoach.models.resume import NAME_MAX_LENGTH, Name, Resume, ResumeInput, ResumePatch
from careercoach.models.resume_list import ResumePage
from careercoach.models.text import DocumentedText

PREFIX = "/api/v1/resumes"
# Served by the import function (careercoach.api.importing), which has the document libraries.
IMPORT_PATH = f"{PREFIX}/import"
TITLE = "Resumes API"
DESCRIPTION = "Store the resume that interview questions and learning paths are generated from."

UniqueKey = Annotated[str, Path(description="The resume's opaque key, returned when it was created.")]
Limit = Annotated[int, Query(ge=1, le=50, description="Page size")]
# The decoded name follows the rules of a resume's name (checked by `_decoded_name`, after decoding).
PersonName = Annotated[
    str,
    DocumentedText(NAME_MAX_LENGTH),
    Path(description="The name on the resume, URL-encoded; matched exactly"),
]
_NAME = TypeAdapter(Name)


def _decoded_name(raw: str) -> str:
    """The name in the path, decoded and held to the rules a resume's name follows (422 otherwise)."""
    try:
        return _NAME.validate_python(unquote(raw, errors="strict"))
    except (UnicodeDecodeError, ValidationError):
        detail = {
            "loc": ["path", "name"],
            "msg": f"Give a name of 1 to {NAME_MAX_LENGTH} characters, at least one of them visible",
            "type": "value_error",
        }
        raise ValidationFailed(details=[detail]) from None


def _json(body: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response(
        status_code=status_code, content_type=content_types.APPLICATION_JSON, body=body, headers=headers
    )


def _resume_docs(description: str, status: int = 200) -> dict[int, Any]:
    return {status: {"description": description, "content": {"application/json": {"model": Resume}}}}


def resumes_router() -> Router:
    router = public(HttpRouter(), f"{PREFIX}/health")

    def owner() -> str:
        """Every route below reads and writes only the caller's resumes."""
        return str(caller(router).owner)

    @router.get(
        f"{PREFIX}/health",
        summary="Health, with a database round trip",
        responses={200: {"description": "The service and its database answer"}, **error_responses(503)},
    )
    def health() -> dict[str, Any]:
        return health_answer(providers=False)

    @router.post(
        PREFIX,
        summary="Create a resume (rich or short form)",
        responses={**_resume_docs("Created", 201), **error_responses(400, 401, 413, 415, 422, 503)},
    )
    def create_resume(data: Annotated[ResumeInput, Body()]) -> Response[Resume]:
        resume = container.current().resumes.create(data, owner=owner())
        return _json(resume, 201, {"Location": f"{PREFIX}/{resume.unique_key}"})

    @router.get(
        PREFIX,
        summary="List your resumes, newest first (needs authentication)",
        responses={
            200: {"description": "A page", "content": {"application/json": {"model": ResumePage}}},
            **error_responses(400, 401, 403, 422, 503),
        },
    )
    def list_resumes(limit: Limit = 20, cursor: Cursor = None) -> Response[ResumePage]:
        who = caller(router)
        if not who.authenticated:
            # Without authentication every caller is the same anonymous owner: a list would show everyone's.
            raise AuthenticationDisabled()
        return _json(container.current().resumes.list(owner=who.owner, limit=limit, cursor=cursor))

    @router.get(
        f"{PREFIX}/user/<name>",
        summary="List your resumes with this name, newest first (needs authentication)",
        description="The original system's name search, scoped to the caller: another owner's resume with "
        "the same name is never listed. Answers in the list's shape; an empty page when none matches.",
        responses={
            200: {"description": "A page", "content": {"application/json": {"model": ResumePage}}},
            **error_responses(400, 401, 403, 422, 503),
        },
    )
    def list_resumes_by_name(
        name: PersonName, limit: Limit = 20, cursor: Cursor = None
    ) -> Response[ResumePage]:
        who = caller(router)
        if not who.authenticated:
            raise AuthenticationDisabled()  # as for the list: the anonymous owner is everyone
        page = container.current().resumes.list(
            owner=who.owner, limit=limit, cursor=cursor, name=_decoded_name(name)
        )
        return _json(page)

    # `POST /api/v1/resumes/import/` (a trailing slash) reaches this function, not the import function: an
    # HTTP API route cannot end in `/`, so API Gateway matches the path to this function's
    # `/api/v1/resumes/{proxy+}` (see template.yaml). 308 sends the client to the import route with the same
    # method and body (RFC 9110, 15.4.9); the body is not read here, but is held to the import's limit.
    router.raw_body(
        IMPORT_PATH, "POST", max_bytes=MAX_BODY_BYTES, too_large=lambda: DocumentTooLarge(MAX_FILE_BYTES)
    )

    @router.post(IMPORT_PATH, include_in_schema=False)
    def import_is_elsewhere() -> Response[None]:
        query = str(router.current_event.raw_event.get("rawQueryString") or "")
        return Response(
            status_code=308, body=None, headers={"Location": IMPORT_PATH + (f"?{query}" if query else "")}
        )

    @router.get(
        f"{PREFIX}/<unique_key>",
        summary="Read a resume",
        responses={**_resume_docs("The resume"), **error_responses(401, 404, 503)},
    )
    def get_resume(unique_key: UniqueKey) -> Response[Resume]:
        return _json(container.current().resumes.get(unique_key, owner=owner()))

    @router.put(
        f"{PREFIX}/<unique_key>",
        summary="Replace a resume",
        responses={**_resume_docs("The stored resume"), **error_responses(400, 401, 404, 413, 415, 422, 503)},
    )
    def replace_resume(unique_key: UniqueKey, data: Annotated[ResumeInput, Body()]) -> Response[Resume]:
        return _json(container.current().resumes.replace(unique_key, data, owner=owner()))

    @router.patch(
        f"{PREFIX}/<unique_key>",
        summary="Merge changes into a resume (JSON Merge Patch: null removes a field)",
        description="409 `resume_patch_conflict` when the change is valid by itself but not merged into this "
        "resume as it is stored (more than 20 skill categories once merged); the details say which rule.",
        responses={
            **_resume_docs("The stored resume"),
            **error_responses(400, 401, 404, 409, 413, 415, 422, 503),
        },
    )
    def patch_resume(unique_key: UniqueKey, patch: Annotated[ResumePatch, Body()]) -> Response[Resume]:
        try:
            resume = container.current().resumes.patch(unique_key, patch.changes(), owner=owner())
        except ValidationFailed as error:
            # The patch passed its model, so what fails now is the merge with what is stored.
            raise ResumePatchConflict(details=error.details) from None
        return _json(resume)

    @router.delete(
        f"{PREFIX}/<unique_key>",
        summary="Delete a resume",
        responses={204: {"description": "Deleted", "content": {}}, **error_responses(401, 404, 503)},
    )
    def delete_resume(unique_key: UniqueKey) -> Response[None]:
        container.current().resumes.delete(unique_key, owner=owner())
        return Response(status_code=204, body=None)

    return router
