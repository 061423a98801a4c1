"""Typed domain errors. Each carries its HTTP status and a stable error code; the HTTP layer maps them in
one place, so no code ever picks a status by matching message text."""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    status_code = 500
    error_code = "internal_error"
    default_message = "The service could not complete the request."

    def __init__(self, message: str | None = None, *, details: Any = None) -> None:
        self.message = message or self.default_message
        self.details = details
        super().__init__(self.message)

    @property
    def headers(self) -> dict[str, str] | None:
        """Extra response headers (Retry-After, WWW-Authenticate); None for most errors."""
        return None


class BadRequest(AppError):
    status_code = 400
    error_code = "bad_request"
    default_message = "The request could not be understood."


class MalformedJson(BadRequest):
    error_code = "malformed_json"
    default_message = "The request body is not valid JSON."


class NotFound(AppError):
    status_code = 404
    error_code = "not_found"
    default_message = "Nothing exists at this address."


class ResumeNotFound(NotFound):
    error_code = "resume_not_found"
    default_message = "No resume exists with this key."


class Unauthenticated(AppError):
    status_code = 401
    error_code = "unauthenticated"
    default_message = "Send a valid bearer token in the Authorization header."

    @property
    def headers(self) -> dict[str, str] | None:
        return {"WWW-Authenticate": "Bearer"}


class AuthenticationDisabled(AppError):
    status_code = 403
    error_code = "authentication_disabled"
    default_message = (
        "Listing resumes needs an authenticated caller, and this deployment has authentication switched off."
    )


class MethodNotAllowed(AppError):
    status_code = 405
    error_code = "method_not_allowed"
    default_message = "This method is not allowed on this resource."


class PayloadTooLarge(AppError):
    status_code = 413
    error_code = "payload_too_large"
    default_message = "The request body is too large."


class UnsupportedMediaType(AppError):
    status_code = 415
    error_code = "unsupported_media_type"
    default_message = "Send the request body as application/json."


class ValidationFailed(AppError):
    status_code = 422
    error_code = "validation_error"
    default_message = "The request has invalid fields."


class ServiceUnavailable(AppError):
    status_code = 503
    error_code = "service_unavailable"
    default_message = "A dependency of the service is unavailable; try again shortly."


class DatabaseUnavailable(ServiceUnavailable):
    error_code = "database_unavailable"
    default_message = "The database is unreachable; try again shortly."


def validation_details(errors: Any, *, prefix: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Field errors for the response: location, message and type, never the offending input value
    (it may hold personal data, and echoing it back helps nobody)."""
    details = []
    for error in errors:
        loc = [*prefix, *(str(part) if not isinstance(part, int) else part for part in error.get("loc", ()))]
        message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
        details.append({"loc": loc, "msg": message, "type": error.get("type", "value_error")})
    return details


class GenerationNotFound(NotFound):
    error_code = "generation_not_found"
    default_message = "Nothing has been generated for this resume yet."


class ProvidersUnavailable(ServiceUnavailable):
    error_code = "providers_exhausted"
    default_message = "Every AI provider failed or ran out of time; try again shortly."


class TaskNotFound(NotFound):
    error_code = "task_not_found"
    default_message = "No task exists with this id."


class QuotaExceeded(AppError):
    status_code = 429
    error_code = "quota_exceeded"
    default_message = "The hourly limit of generation requests is used up."

    def __init__(self, retry_after_s: int, limit: int) -> None:
        super().__init__(
            f"The limit of {limit} generation requests per hour is used up; try again in {retry_after_s} s.",
            details={"limit": limit, "retry_after_s": retry_after_s},
        )
        self.retry_after_s = retry_after_s

    @property
    def headers(self) -> dict[str, str] | None:
        return {"Retry-After": str(self.retry_after_s)}
