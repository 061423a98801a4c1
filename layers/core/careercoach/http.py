"""HTTP glue shared by every API function: the resolver, the common error body, docs, and guards that must
run before Powertools parses the request.

Every 4xx/5xx answers {"error_code", "message", "request_id", "details"?}; request_id is API Gateway's
request id. No stack traces or exception text ever reach a response."""

from __future__ import annotations

import functools
import json
import math
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.middlewares.openapi_validation import (
    OpenAPIRequestValidationMiddleware,
)
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.shared.json_encoder import Encoder
from aws_lambda_powertools.utilities.typing import LambdaContext

from careercoach.errors import (
    AppError,
    BadRequest,
    MalformedJson,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
    validation_details,
)
from careercoach.observability import logger
from careercoach.settings import get_settings

API_VERSION = "1.0.0"
MAX_JSON_DEPTH = 32

# Compact JSON that keeps Korean text readable rather than \uXXXX-escaped.
serialize_json = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"), cls=Encoder)


def error_body(error_code: str, message: str, request_id: str | None, details: Any = None) -> str:
    body: dict[str, Any] = {"error_code": error_code, "message": message, "request_id": request_id or ""}
    if details is not None:
        body["details"] = details
    return serialize_json(body)


def _request_id(app: APIGatewayHttpResolver) -> str | None:
    try:
        return app.current_event.request_context.request_id
    except (AttributeError, KeyError):
        return None


def _error_response(
    app: APIGatewayHttpResolver, error: AppError, headers: dict[str, str] | None = None
) -> Response[str]:
    return Response(
        status_code=error.status_code,
        content_type=content_types.APPLICATION_JSON,
        body=error_body(error.error_code, error.message, _request_id(app), error.details),
        headers=headers,
    )


def _is_json(content_type: str) -> bool:
    """application/json or any application/*+json (e.g. merge-patch+json), whatever the parameters."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


def parse_json_body(body: str) -> Any:
    """RFC 8259 JSON: no NaN or Infinity (Python's json accepts them), no number that overflows to one.
    Nesting deeper than MAX_JSON_DEPTH is refused (BadRequest): nothing this API accepts comes near it, and
    code that walks the body recursively (merge patch, validation) must never meet Python's stack limit."""
    try:
        value = json.loads(body, parse_float=_finite_float, parse_constant=_not_json)
    except RecursionError:
        value = None
        depth = MAX_JSON_DEPTH + 1
    else:
        depth = _depth(value)
    if depth > MAX_JSON_DEPTH:
        raise BadRequest(f"The request body nests deeper than {MAX_JSON_DEPTH} levels.")
    return value


def _depth(value: Any) -> int:
    """Nesting depth of arrays and objects (a scalar is 0), without recursion."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if level <= MAX_JSON_DEPTH:
            pending.extend((child, level + 1) for child in children)
    return deepest


class JsonBodyValidation(OpenAPIRequestValidationMiddleware):
    """Powertools' request validation, for an API whose request bodies are JSON objects and nothing else.

    Powertools reads the body by content type before validating it, and some of its readings do not suit
    this API: a multipart/form-data type without a boundary raises a bare ValueError (a 500); a body that is
    not UTF-8, which API Gateway passes on base64-encoded, raises UnicodeDecodeError (a 500); a JSON array is
    unwrapped to its first element for a model field (its rule for form fields), so `[{...}]` or `[null]` is
    taken as if the object, or nothing, had been sent; NaN and Infinity pass as numbers. Here the body is
    read once, as JSON: another media type is 415, anything that is not UTF-8 JSON (or nests too deep) is
    400, anything but an object (or null, which routes with an optional body accept) is 422. An empty body
    is no body."""

    def _get_body(self, app: Any) -> Any:
        event = app.current_event
        if not event.body:
            return None
        content_type = event.headers.get("content-type") or ""
        if content_type.strip() and not _is_json(content_type):
            raise UnsupportedMediaType()
        try:
            body = parse_json_body(event.decoded_body)
        except ValueError:  # also JSONDecodeError, UnicodeDecodeError and bad base64 (binascii.Error)
            raise MalformedJson() from None
        if body is not None and not isinstance(body, dict):
            detail = {"loc": ["body"], "msg": "The body must be a JSON object", "type": "object_type"}
            raise ValidationFailed(details=[detail])
        return body


def _allowed_methods(app: APIGatewayHttpResolver, path: str) -> list[str]:
    routes = [*getattr(app, "_static_routes", []), *getattr(app, "_dynamic_routes", [])]
    return sorted({route.method for route in routes if route.rule.match(path)})


def create_http_app(*, prefix: str, title: str, description: str) -> APIGatewayHttpResolver:
    """A resolver with validation, the common error body, Swagger UI at {prefix}/docs and the OpenAPI
    document at {prefix}/openapi.json. CORS is answered by API Gateway from the template, not here."""
    app = APIGatewayHttpResolver(enable_validation=True, serializer=serialize_json)
    app._request_validation_middleware = JsonBodyValidation()
    app.enable_swagger(path=f"{prefix}/docs", title=title, description=description, version=API_VERSION)

    @app.get(f"{prefix}/openapi.json", include_in_schema=False)
    def openapi_document() -> Response[str]:
        return Response(
            status_code=200,
            content_type=content_types.APPLICATION_JSON,
            body=app.get_openapi_json_schema(title=title, description=description, version=API_VERSION),
        )

    @app.exception_handler(AppError)
    def on_app_error(error: AppError) -> Response[str]:
        if error.status_code >= 500:
            logger.warning("Request failed", extra={"error_code": error.error_code})
        return _error_response(app, error, headers=error.headers)

    @app.exception_handler(RequestValidationError)
    def on_validation_error(error: RequestValidationError) -> Response[str]:
        errors = list(error.errors())
        if any(item.get("type") == "json_invalid" for item in errors):
            return _error_response(app, MalformedJson())
        return _error_response(app, ValidationFailed(details=validation_details(errors)))

    @app.exception_handler(RequestUnsupportedContentType)
    def on_unsupported_content_type(_: RequestUnsupportedContentType) -> Response[str]:
        return _error_response(app, UnsupportedMediaType())

    @app.exception_handler(NotFoundError)
    def on_not_found(_: NotFoundError) -> Response[str]:
        allowed = _allowed_methods(app, app.current_event.path)
        if allowed:
            return _error_response(app, MethodNotAllowed(), headers={"Allow": ", ".join(allowed)})
        return _error_response(app, NotFound())

    @app.exception_handler(Exception)
    def on_unexpected(error: Exception) -> Response[str]:
        # The type and where it happened are enough to find it; the message may hold request data.
        traceback = error.__traceback__
        while traceback is not None and traceback.tb_next is not None:
            traceback = traceback.tb_next
        where = f"{traceback.tb_frame.f_code.co_filename}:{traceback.tb_lineno}" if traceback else "unknown"
        logger.error("Unhandled error", extra={"error_type": type(error).__name__, "where": where})
        return _error_response(app, AppError())

    return app


def body_size(event: dict[str, Any]) -> int:
    """Bytes the client sent, without decoding a base64 body (it may be megabytes)."""
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        return len(body) * 3 // 4 - len(body) % 4 - body[-2:].count("=")
    return len(body.encode("utf-8"))


def resolve(app: APIGatewayHttpResolver, event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Reject oversized bodies before anything parses them, then route."""
    limit = get_settings().max_body_bytes
    if body_size(event) > limit:
        error = PayloadTooLarge(f"The request body is larger than {limit // 1024} KB.")
        request_id = (event.get("requestContext") or {}).get("requestId")
        return {
            "statusCode": HTTPStatus.REQUEST_ENTITY_TOO_LARGE.value,
            "headers": {"Content-Type": content_types.APPLICATION_JSON},
            "body": error_body(error.error_code, error.message, request_id),
            "isBase64Encoded": False,
        }
    return app.resolve(event, context)


def error_responses(*statuses: int) -> dict[int, Any]:
    """OpenAPI `responses` entries for the listed error statuses, all with the common error body."""
    from careercoach.models.errors import ErrorBody

    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "content": {"application/json": {"model": ErrorBody}},
        }
        for status in statuses
    }
