"""Typed domain errors. Each carries a stable error code and a message safe to show; none knows HTTP.

Every error derives from one of a few categories (invalid input, not found, conflict, limit exceeded,
unavailable...). The API package maps a category to its status code in one table (careercoach.api.errors),
so a new error needs no change there, and no code ever picks a status by matching message text."""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """Something the service could not do; the base of every category (an internal error by itself)."""

    error_code = "internal_error"
    default_message = "The service could not complete the request."

    def __init__(self, message: str | None = None, *, details: Any = None) -> None:
        self.message = message or self.default_message
        self.details = details
        super().__init__(self.message)


# ---- categories ------------------------------------------------------------------------------------------


class BadRequest(AppError):
    """The request itself cannot be understood (not its fields: those are ValidationFailed)."""

    error_code = "bad_request"
    default_message = "The request could not be understood."


class ValidationFailed(AppError):
    """Fields with invalid values; `details` lists them as {loc, msg, type}."""

    error_code = "validation_error"
    default_message = "The request has invalid fields."


class InvalidCursor(BadRequest):
    """A page cursor this API did not hand out (or one it cannot read back exactly)."""

    error_code = "invalid_cursor"
    default_message = "The cursor is not one this API gave out; start again from the first page."

    def __init__(self) -> None:
        super().__init__(
            details=[{"loc": ["query", "cursor"], "msg": "invalid cursor", "type": "invalid_cursor"}]
        )


class NotFound(AppError):
    error_code = "not_found"
    default_message = "Nothing exists at this address."


class Conflict(AppError):
    """The request clashes with the current state of what it addresses."""

    error_code = "conflict"
    default_message = "The request conflicts with the current state of the resource."


class Unauthenticated(AppError):
    error_code = "unauthenticated"
    default_message = "Send a valid bearer token in the Authorization header."


class Forbidden(AppError):
    error_code = "forbidden"
    default_message = "This caller may not do this."


class PayloadTooLarge(AppError):
    error_code = "payload_too_large"
    default_message = "The request body is too large."


class UnsupportedMediaType(AppError):
    error_code = "unsupported_media_type"
    default_message = "Send the request body as application/json."


class LimitExceeded(AppError):
    """A rate or quota limit; `retry_after_s` says when trying again can succeed."""

    error_code = "limit_exceeded"
    default_message = "A usage limit is reached."
    retry_after_s: int | None = None


class ServiceUnavailable(AppError):
    error_code = "service_unavailable"
    default_message = "A dependency of the service is unavailable; try again shortly."


# ---- the errors themselves -------------------------------------------------------------------------------


class ResumeNotFound(NotFound):
    error_code = "resume_not_found"
    default_message = "No resume exists with this key."


class ResumeDeleted(ResumeNotFound):
    """The resume was deleted while something was being made from it; nothing made from it is kept."""

    error_code = "resume_deleted"
    default_message = "The resume was deleted while this was being generated; nothing was kept."


class GenerationNotFound(NotFound):
    error_code = "generation_not_found"
    default_message = "Nothing has been generated for this resume yet."


class TaskNotFound(NotFound):
    error_code = "task_not_found"
    default_message = "No task exists with this id."


class AuthenticationDisabled(Forbidden):
    error_code = "authentication_disabled"
    default_message = (
        "Listing resumes needs an authenticated caller, and this deployment has authentication switched off."
    )


class SubmitInProgress(Conflict):
    error_code = "submit_in_progress"
    default_message = "A submit with this Idempotency-Key is still in progress; retry in a moment."


class IdempotencyKeyReused(Conflict):
    """An Idempotency-Key already used with other options: 409, a clash with what the key already stands for
    (as many APIs answer it). The request is valid by itself, and no document could say otherwise: whether a
    key is taken is state, not form."""

    error_code = "idempotency_key_reused"
    default_message = "This Idempotency-Key was used with different options."


class PracticeSessionNotFound(NotFound):
    error_code = "practice_session_not_found"
    default_message = "No practice session exists with this id for this resume."


class SessionFinished(Conflict):
    error_code = "session_finished"
    default_message = "This practice session is finished; start a new one to answer again."


class EvaluationPending(Conflict):
    error_code = "evaluation_pending"
    default_message = "Answers of this session are still being evaluated; finish it once they are done."


class AnswerNotPending(Conflict):
    error_code = "answer_not_pending"
    default_message = "This answer is no longer waiting for an evaluation."


class SessionNotEvaluated(Conflict):
    error_code = "session_not_evaluated"
    default_message = (
        "This practice session has no evaluated answer to plan from yet (a mock session shows its feedback "
        "once it is finished)."
    )


class UnknownQuestion(Conflict):
    """A question id of the right form that this session (or question set) does not have: 409, a clash with
    the resource's current state (a follow-up becomes answerable once it is asked), not a malformed field,
    which the OpenAPI document could tell apart (422)."""

    error_code = "unknown_question"
    default_message = "This question is not part of the session."

    def __init__(self, loc: list[str | int]) -> None:
        super().__init__(
            details=[
                {"loc": loc, "msg": "not a question or follow-up of this session", "type": "value_error"}
            ]
        )


class DatabaseUnavailable(ServiceUnavailable):
    error_code = "database_unavailable"
    default_message = "The database is unreachable; try again shortly."


class ProvidersUnavailable(ServiceUnavailable):
    error_code = "providers_exhausted"
    default_message = "Every AI provider failed or ran out of time; try again shortly."


class QuotaExceeded(LimitExceeded):
    error_code = "quota_exceeded"
    default_message = "The hourly limit of generation requests is used up."

    def __init__(self, retry_after_s: int, limit: int) -> None:
        super().__init__(
            f"The limit of {limit} generation requests per hour is used up; try again in {retry_after_s} s.",
            details={"limit": limit, "retry_after_s": retry_after_s},
        )
        self.retry_after_s = retry_after_s


# ---- resume import: a document that cannot become a resume (nothing is stored) ----------------------------


class DocumentTooLarge(PayloadTooLarge):
    def __init__(self, limit_bytes: int) -> None:
        megabytes = limit_bytes / (1024 * 1024)
        super().__init__(
            f"The document is larger than the limit of {megabytes:g} MB.",
            details={"limit_bytes": limit_bytes},
        )


class UnsupportedDocumentType(UnsupportedMediaType):
    default_message = (
        "Send a PDF (application/pdf), a Word document "
        "(application/vnd.openxmlformats-officedocument.wordprocessingml.document), UTF-8 text (text/plain, "
        "text/markdown), or one of these as the part named `file` of a multipart/form-data body."
    )


class DocumentRejected(ValidationFailed):
    """The upload arrived whole but cannot be read into a resume (a 422, like invalid fields); `details` is
    an object saying why, not a list of fields."""

    error_code = "unreadable_document"
    default_message = "The document could not be read; it may be damaged or not what its type says."


class UnreadableDocument(DocumentRejected):
    """Corrupt, truncated, mislabelled, or built to exhaust the reader (zip or XML bombs): `details.reason`
    says which."""

    def __init__(self, reason: str, message: str | None = None) -> None:
        super().__init__(message, details={"reason": reason})


class NoTextLayer(DocumentRejected):
    error_code = "no_text_layer"
    default_message = (
        "The PDF has no text layer (it looks like a scan or a picture of the page). Text recognition (OCR) "
        "is not supported: export the resume as a text PDF or a Word file, or paste the text."
    )


class EncryptedDocument(DocumentRejected):
    error_code = "encrypted_document"
    default_message = "The document is password-protected. Save a copy without a password and send that."


class TooLittleText(DocumentRejected):
    error_code = "too_little_text"

    def __init__(self, characters: int, minimum: int) -> None:
        super().__init__(
            f"The document holds too little text to be a resume ({characters} characters; at least "
            f"{minimum} are needed).",
            details={"characters": characters, "minimum": minimum},
        )


class TooManyPages(DocumentRejected):
    error_code = "too_many_pages"

    def __init__(self, pages: int, limit: int) -> None:
        super().__init__(
            f"The document has {pages} pages; a resume may have at most {limit}.",
            details={"pages": pages, "limit": limit},
        )


def validation_details(errors: Any, *, prefix: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Field errors for the response: location, message and type, never the offending input value
    (it may hold personal data, and echoing it back helps nobody)."""
    details = []
    for error in errors:
        loc = [*prefix, *(str(part) if not isinstance(part, int) else part for part in error.get("loc", ()))]
        message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
        details.append({"loc": loc, "msg": message, "type": error.get("type", "value_error")})
    return details
