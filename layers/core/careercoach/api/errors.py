"""Domain errors as HTTP: one table from error category to status code, the common error body, and the
OpenAPI entries that document it.

Every 4xx/5xx answers {"error_code", "message", "request_id", "details"?}; request_id is API Gateway's
request id. No stack traces or exception text ever reach a response."""

from __future__ import annotations

import functools
import json
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.shared.json_encoder import Encoder
from pydantic import BaseModel, Field

from careercoach.errors import (
    AppError,
    BadRequest,
    Conflict,
    Forbidden,
    LimitExceeded,
    NotFound,
    PayloadTooLarge,
    ServiceUnavailable,
    Unauthenticated,
    UnsupportedMediaType,
    ValidationFailed,
)

# Compact JSON that keeps Korean text readable rather than \uXXXX-escaped.
serialize_json = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"), cls=Encoder)

# The status of each error category; an error takes the status of the nearest category it derives from.
STATUS_BY_CATEGORY: dict[type[AppError], HTTPStatus] = {
    BadRequest: HTTPStatus.BAD_REQUEST,
    Unauthenticated: HTTPStatus.UNAUTHORIZED,
    Forbidden: HTTPStatus.FORBIDDEN,
    NotFound: HTTPStatus.NOT_FOUND,
    Conflict: HTTPStatus.CONFLICT,
    PayloadTooLarge: HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    UnsupportedMediaType: HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
    ValidationFailed: HTTPStatus.UNPROCESSABLE_ENTITY,
    LimitExceeded: HTTPStatus.TOO_MANY_REQUESTS,
    ServiceUnavailable: HTTPStatus.SERVICE_UNAVAILABLE,
    AppError: HTTPStatus.INTERNAL_SERVER_ERROR,
}


class MalformedJson(BadRequest):
    error_code = "malformed_json"
    default_message = "The request body is not valid JSON."


class ResumePatchConflict(Conflict):
    """A PATCH that is valid by itself (the request model checked it) but not merged into the resume as it is
    stored now: what the model cannot know (how many skill categories the resume already has). RFC 9110's 409,
    "a conflict with the current state of the target resource"."""

    error_code = "resume_patch_conflict"
    default_message = "The change is valid, but not for this resume as it is stored now."


class MethodNotAllowed(AppError):
    """405, with `Allow` naming the methods the resource has (RFC 9110 section 15.5.6)."""

    error_code = "method_not_allowed"
    default_message = "This method is not allowed on this resource."

    def __init__(self, allow: str) -> None:
        super().__init__()
        self.allow = allow


class ErrorBody(BaseModel):
    """The common error body, for the OpenAPI documents."""

    error_code: str = Field(description="Stable machine-readable code, e.g. resume_not_found.")
    message: str = Field(description="What went wrong, for people.")
    detail: str = Field(description="The same text as message, where the original system's clients read it.")
    request_id: str = Field(description="API Gateway's request id; quote it when reporting a problem.")
    details: Any | None = Field(default=None, description="Field errors for 422, attempt summaries for 503.")


def status_of(error: AppError) -> int:
    if isinstance(error, MethodNotAllowed):
        return HTTPStatus.METHOD_NOT_ALLOWED.value
    for category in type(error).__mro__:
        status = STATUS_BY_CATEGORY.get(category)
        if status is not None:
            return status.value
    return HTTPStatus.INTERNAL_SERVER_ERROR.value


def headers_of(error: AppError) -> dict[str, str] | None:
    """Headers an error's status calls for: a bearer challenge with 401, Retry-After with a limit."""
    if isinstance(error, Unauthenticated):
        return {"WWW-Authenticate": "Bearer"}
    if isinstance(error, MethodNotAllowed):
        return {"Allow": error.allow}
    if isinstance(error, LimitExceeded) and error.retry_after_s is not None:
        return {"Retry-After": str(error.retry_after_s)}
    return None


def error_body(error_code: str, message: str, request_id: str | None, details: Any = None) -> str:
    body: dict[str, Any] = {
        "error_code": error_code,
        "message": message,
        "detail": message,
        "request_id": request_id or "",
    }
    if details is not None:
        body["details"] = details
    return serialize_json(body)


def error_responses(*statuses: int) -> dict[int, Any]:
    """OpenAPI `responses` entries for the listed error statuses, all with the common error body."""
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "content": {"application/json": {"model": ErrorBody}},
        }
        for status in statuses
    }
