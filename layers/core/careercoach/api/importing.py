"""The resume import route: a PDF, Word (.docx) or text file in, a resume out, stored (201, exactly like
`POST /api/v1/resumes`) or previewed (`?dry_run=true`, 200), with the import report either way.

The body is the document itself, with its media type, or a multipart/form-data body with one part `file`
(what a browser form and `curl -F file=@resume.pdf` send). API Gateway's HTTP API delivers a binary body to
Lambda base64-encoded and a text body as text (`isBase64Encoded`); an HTTP API has no `binaryMediaTypes`
setting to configure, unlike a REST API. The route reads the body itself (`HttpApp.raw_body`), within the
import's own size limit rather than the JSON limit; everything else (what the document is, what it holds,
what may be refused) is careercoach.importing's.

Quota: an import counts against the caller's hourly generation quota only when a model will be asked to
structure the document (a provider other than the offline extractor comes first), and only once the document
has been read: a model call costs money; the offline extractor and a refused document cost nothing."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import BaseModel, Field

from careercoach import container
from careercoach.api.app import (
    HttpApp,
    HttpRouter,
    LambdaHandler,
    caller,
    create_http_app,
    health_answer,
    lambda_handler_for,
    public,
    quota_admission,
    request_bytes,
)
from careercoach.api.errors import error_responses
from careercoach.api.providers import ConfiguredProvider
from careercoach.api.resumes import PREFIX as RESUMES_PREFIX
from careercoach.errors import DocumentTooLarge, ValidationFailed
from careercoach.importing import MAX_BODY_BYTES, MAX_FILE_BYTES, MAX_PAGES
from careercoach.importing.body import DOCX, PDF
from careercoach.importing.service import ImportReport
from careercoach.models.resume import Resume, ResumeInput

PREFIX = "/api/v1/resumes/import"
TITLE = "Resume import API"
DESCRIPTION = (
    "Turn the resume you have (PDF, Word .docx, plain text or Markdown) into a stored resume. Contact data "
    "(email, phone, profile links, the name line) is found locally and never sent to an AI provider."
)

DryRun = Annotated[
    bool, Query(description="true: answer the extracted resume and the report (200) and store nothing")
]
# One of this deployment's providers, as for generation (careercoach.api.providers): an enum in the document.
Provider = Annotated[
    ConfiguredProvider,
    Query(description="auto, or one of this deployment's providers (offline: the offline extractor, no AI)"),
]

_FILE = {"type": "string", "format": "binary"}
# Any text is a text body (a JSON document sent as text/plain is text too), so no JSON type is claimed here.
_TEXT = {"description": "The document's text, UTF-8 (a charset parameter, if any, must say UTF-8)"}
QUERY_PARAMETERS = frozenset({"dry_run", "provider"})
# The request body as the route reads it (careercoach.importing.body): the document itself with its media
# type, or the `file` part of a form (a part labelled application/octet-stream is typed by its file name's
# extension: .pdf, .docx, .txt, .md).
REQUEST_CONTENT: dict[str, Any] = {
    PDF: {"schema": _FILE},
    DOCX: {"schema": _FILE},
    "text/plain": {"schema": _TEXT},
    "text/markdown": {"schema": _TEXT},
    "multipart/form-data": {
        "schema": {
            "type": "object",
            "properties": {"file": {**_FILE, "description": "The document, the only part"}},
            "required": ["file"],
            # Another part is a 422 (careercoach.importing.body): nothing sent is silently ignored.
            "additionalProperties": False,
        },
        "encoding": {"file": {"contentType": f"{PDF}, {DOCX}, text/plain, text/markdown"}},
    },
}
REQUEST_DESCRIPTION = (
    f"The document, at most {MAX_FILE_BYTES // (1024 * 1024)} MB and {MAX_PAGES} pages: as the body with its "
    "media type, or as the part named `file` of a multipart/form-data body. A scanned PDF (no text layer) is "
    "refused: text recognition (OCR) is not supported."
)


class ImportedResume(Resume):
    """The stored resume, as `POST /api/v1/resumes` answers it, plus the import report."""

    import_report: ImportReport


class ImportPreview(BaseModel):
    """A dry run: the extracted resume, which can be edited and sent to `POST /api/v1/resumes` as it is."""

    resume: ResumeInput = Field(description="What POST /api/v1/resumes accepts, as extracted")
    import_report: ImportReport


def _json(body: Any, status_code: int, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response(
        status_code=status_code, content_type=content_types.APPLICATION_JSON, body=body, headers=headers
    )


def import_router() -> HttpRouter:
    router = public(HttpRouter(), f"{PREFIX}/health")
    router.raw_body(
        PREFIX,
        "POST",
        max_bytes=MAX_BODY_BYTES,
        too_large=lambda: DocumentTooLarge(MAX_FILE_BYTES),
        content=REQUEST_CONTENT,
        description=REQUEST_DESCRIPTION,
    )

    @router.get(
        f"{PREFIX}/health",
        summary="Health: database round trip and the provider order",
        responses={200: {"description": "The service and its database answer"}, **error_responses(503)},
    )
    def health() -> dict[str, Any]:
        return health_answer(providers=True)

    @router.post(
        PREFIX,
        summary="Import a resume from a PDF, Word (.docx) or text file",
        description=(
            "201 stores the resume exactly as `POST /api/v1/resumes` does (with `Location`) and adds "
            "`import_report`; `?dry_run=true` answers 200 with the extracted `resume` and the report and "
            "stores nothing. The report says which provider structured the text (`extracted_by`, `offline` "
            "for the offline extractor), whether that was a fallback (`degraded`, `fallback_reason`), what "
            "was not found (`missing`) and what could not be placed (`warnings`). 413: over the size limit; "
            "415: another media type; 422: a document that cannot be read (`no_text_layer`, "
            "`encrypted_document`, `unreadable_document`, `too_little_text`, `too_many_pages`). Counts "
            "against the hourly generation quota when an AI provider structures the document."
        ),
        responses={
            200: {
                "description": "Dry run: the extracted resume and the report; nothing stored",
                "content": {"application/json": {"model": ImportPreview}},
            },
            201: {
                "description": "Created: the stored resume and the report",
                "content": {"application/json": {"model": ImportedResume}},
            },
            **error_responses(400, 401, 413, 415, 422, 429, 503),
        },
    )
    def import_resume(dry_run: DryRun = False, provider: Provider = "auto") -> Response[Any]:
        who = caller(router)
        event = router.current_event
        # A misspelt option must not be ignored: `?dryrun=true` would store what was meant as a preview.
        unknown = sorted(set(event.query_string_parameters or {}) - QUERY_PARAMETERS)
        if unknown:
            details = [
                {"loc": ["query", name], "msg": "Unknown query parameter", "type": "extra_forbidden"}
                for name in unknown
            ]
            raise ValidationFailed(details=details)
        outcome = container.current().importer.import_document(
            request_bytes(event.raw_event),
            event.headers.get("content-type"),
            owner=who.owner,
            dry_run=dry_run,
            provider=provider,
            remaining_ms=router.lambda_context.get_remaining_time_in_millis,
            admit=quota_admission(who),
        )
        if outcome.stored is None:
            return _json(outcome.body(), 200)
        return _json(outcome.body(), 201, {"Location": f"{RESUMES_PREFIX}/{outcome.stored.unique_key}"})

    return router


def import_app() -> tuple[HttpApp, LambdaHandler]:
    """The import function's resolver and Lambda handler. Responses hold the extracted resume (contact data
    included) and warnings quoting the document, so the tracer never records responses or errors."""
    app = create_http_app(prefix=PREFIX, title=TITLE, description=DESCRIPTION, routers=[import_router()])
    return app, lambda_handler_for(app, capture_response=False)
