"""`ResumeImporter.import_document`: request body in, resume (stored unless a dry run) and report out.

body -> the document (body.py) -> text (extract.py) -> personal data out (privacy.py) -> structure through
the registry, the offline extractor last (structure.py) -> the resume input, with `name` and `contact` from
the local step -> `ResumeService.create`, exactly as `POST /api/v1/resumes` stores it.

Bad input raises the typed errors of careercoach.errors (400/413/415/422) before anything is stored. A
fallback is never silent: the report says which provider answered, whether that was a fallback and why, the
log says so (kinds and counts only: no resume text, no contact data), and so does the metric."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from careercoach.clock import utc_now
from careercoach.errors import AppError, ProvidersUnavailable, ServiceUnavailable, ValidationFailed
from careercoach.importing.body import SourceType, read_upload
from careercoach.importing.draft import ResumeDraft, finish
from careercoach.importing.extract import ExtractedDocument, extract
from careercoach.importing.privacy import Redacted, redact
from careercoach.models.generation import AttemptSummary
from careercoach.models.resume import Language, Resume, ResumeInput
from careercoach.observability import logger

if TYPE_CHECKING:
    # Loaded with the first document, not with the package: the LLM registry and the knowledge base are
    # only needed once there is text to structure, and the resume service is the caller's.
    from careercoach.importing.structure import Structured
    from careercoach.resumes import ResumeService

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN = re.compile(r"[A-Za-z]")
# Korean resumes are full of English technology names: a fifth of the letters in Hangul makes it Korean.
_KOREAN_SHARE = 0.2
_MAX_WARNINGS = 60
_OPTIONAL_FIELDS = (
    "name",
    "contact",
    "total_experience_months",
    "work_experiences",
    "personal_projects",
    "technical_skills",
    "certifications",
    "education",
)


class ImportReport(BaseModel):
    source_type: SourceType
    pages: int = Field(
        description="PDF: its pages; DOCX: as Word recorded them, else estimated; text: estimated"
    )
    characters: int = Field(description="Characters of text extracted from the document")
    language: Language
    extracted_by: str = Field(description="The provider that structured the text (`offline`: no AI)")
    model: str | None = None
    degraded: bool = Field(description="True when a provider other than the first one tried answered")
    fallback_reason: str | None = Field(
        default=None,
        description="Why the first provider tried did not answer (its error kind, as on generated results); "
        "`attempts` names it",
    )
    warnings: list[str] = Field(default_factory=list)
    missing: list[str] = Field(description="Resume fields that could not be found in the document")
    redacted: dict[str, int] = Field(
        description="How much personal data was kept from the AI: emails, phones, links, name, dropped_lines"
    )
    attempts: list[AttemptSummary] = Field(default_factory=list)
    prompt_version: str


@dataclass(frozen=True)
class ImportOutcome:
    resume_input: ResumeInput  # what POST /api/v1/resumes accepts, as extracted
    stored: Resume | None  # None for a dry run
    report: ImportReport

    @property
    def dry_run(self) -> bool:
        return self.stored is None

    def body(self) -> dict[str, Any]:
        """The response body: a stored import is the stored resume plus `import_report` (as POST
        /api/v1/resumes answers, plus the report); a dry run is `{resume, import_report}` where `resume` can
        be edited and sent to POST /api/v1/resumes as it is."""
        report = self.report.model_dump(mode="json")
        if self.stored is not None:
            return {**self.stored.model_dump(mode="json"), "import_report": report}
        return {
            "resume": self.resume_input.model_dump(mode="json", exclude_none=True),
            "import_report": report,
        }


def document_language(text: str) -> Language:
    hangul = len(_HANGUL.findall(text))
    latin = len(_LATIN.findall(text))
    return "ko" if hangul and hangul >= _KOREAN_SHARE * (hangul + latin) else "en"


def _offline_first(provider: str) -> bool:
    """Whether the registry will try the offline extractor first: it is named, or it heads the configured
    order. An unknown name is a 422 on `query.provider`, before any quota is spent."""
    from careercoach.generation.offline_provider import PROVIDER_NAME
    from careercoach.generation.providers import provider_order

    order = provider_order()
    if provider != "auto" and provider not in order:
        details = [
            {"loc": ["query", "provider"], "msg": "unknown or unconfigured provider", "type": "value_error"}
        ]
        raise ValidationFailed(details=details)
    first = provider if provider != "auto" else (order[0] if order else PROVIDER_NAME)
    return first == PROVIDER_NAME


def _missing(resume: ResumeInput, summary_found: bool) -> list[str]:
    missing = [] if summary_found else ["summary"]
    for name in _OPTIONAL_FIELDS:
        value = getattr(resume, name)
        if value is None or value == [] or value == {}:
            missing.append(name)
    return missing


def _record(outcome: str, source_type: str, provider: str, values: dict[str, float] | None = None) -> None:
    """One EMF document per import, dimensioned by outcome, source type and provider (its own metric set,
    so these dimensions stay off the handler's other metrics)."""
    from aws_lambda_powertools.metrics import EphemeralMetrics, MetricUnit

    try:
        emf = EphemeralMetrics()
        emf.add_dimension(name="outcome", value=outcome)
        emf.add_dimension(name="source_type", value=source_type)
        emf.add_dimension(name="provider", value=provider)
        emf.add_metric(name="ResumeImports", unit=MetricUnit.Count, value=1)
        for name, value in (values or {}).items():
            unit = MetricUnit.Milliseconds if name.endswith("Ms") else MetricUnit.Count
            emf.add_metric(name=name, unit=unit, value=value)
        emf.flush_metrics()
    except Exception as exc:  # metrics must never fail an import
        logger.debug("Import metrics not published", extra={"error_type": type(exc).__name__})


class ResumeImporter:
    def __init__(self, resumes: ResumeService, *, clock: Callable[[], datetime] = utc_now) -> None:
        self._resumes = resumes
        self._clock = clock

    def import_document(
        self,
        body: bytes,
        media_type: str | None,
        *,
        owner: str,
        dry_run: bool = False,
        provider: str = "auto",
        remaining_ms: Callable[[], int] | None = None,
        admit: Callable[[], None] | None = None,
    ) -> ImportOutcome:
        """`admit` (the caller's generation quota) runs once the document is read and only when a model will
        be asked to structure it: a provider other than the offline extractor comes first. A model call costs
        money; the offline extractor costs nothing, and a refused document never reaches either."""
        started = time.monotonic()
        source_type = "unknown"
        try:
            upload = read_upload(body, media_type)
            source_type = upload.source_type
            document = extract(upload)
            outcome = self._structure(document, provider=provider, remaining_ms=remaining_ms, admit=admit)
            if not dry_run:
                outcome = ImportOutcome(
                    outcome.resume_input,
                    self._resumes.create(outcome.resume_input, owner=owner),
                    outcome.report,
                )
        except AppError as exc:
            refused = not isinstance(exc, ServiceUnavailable) and type(exc) is not AppError
            _record("rejected" if refused else "failed", source_type, "none")
            logger.info(
                "Resume import refused", extra={"error_code": exc.error_code, "source_type": source_type}
            )
            raise
        report = outcome.report
        _record(
            "degraded" if report.degraded else "succeeded",
            report.source_type,
            report.extracted_by,
            {"ResumeImportPages": report.pages, "ResumeImportMs": round((time.monotonic() - started) * 1000)},
        )
        log = logger.warning if report.degraded else logger.info
        log(
            "Resume imported" + (" by a fallback provider" if report.degraded else ""),
            extra={
                "source_type": report.source_type,
                "pages": report.pages,
                "characters": report.characters,
                "extracted_by": report.extracted_by,
                "degraded": report.degraded,
                "fallback_reason": report.fallback_reason,
                "warnings": len(report.warnings),
                "dry_run": dry_run,
            },
        )
        return outcome

    def _structure(
        self,
        document: ExtractedDocument,
        *,
        provider: str,
        remaining_ms: Callable[[], int] | None,
        admit: Callable[[], None] | None = None,
    ) -> ImportOutcome:
        language = document_language(document.text)
        redacted = redact(document.text, english=language == "en")
        today = self._clock().date()
        import llm_registry
        from careercoach.generation.service import attempt_summaries
        from careercoach.importing.structure import structure

        if not _offline_first(provider) and admit is not None:
            admit()
        try:
            structured = structure(
                redacted.text,
                language=language,
                today=today,
                wrapped=document.wrapped,
                provider=provider,
                remaining_ms=remaining_ms,
            )
        except llm_registry.UnknownProvider as exc:
            details = [{"loc": ["query", "provider"], "msg": str(exc), "type": "value_error"}]
            raise ValidationFailed(details=details) from None
        except llm_registry.ProvidersExhausted as exc:
            details = [summary.model_dump() for summary in attempt_summaries(exc.attempts)]
            raise ProvidersUnavailable(details={"attempts": details}) from None
        draft, scrub_warnings = finish(structured.draft, today)
        resume_input = draft.to_input(name=redacted.name, contact=redacted.contact)
        attempts = attempt_summaries(structured.result.attempts)
        report = self._report(document, redacted, structured, draft, scrub_warnings, attempts)
        return ImportOutcome(resume_input, None, report)

    def _report(
        self,
        document: ExtractedDocument,
        redacted: Redacted,
        structured: Structured,
        draft: ResumeDraft,
        scrub_warnings: list[str],
        attempts: list[AttemptSummary],
    ) -> ImportReport:
        result = structured.result
        warnings: list[str] = []
        if result.degraded:
            first = result.attempts[0].provider
            warnings.append(
                f"The first provider ({first}) failed ({result.fallback_reason}); "
                f"{result.provider} structured the document instead."
            )
        summary_guessed = any(w.startswith("No summary was found") for w in structured.offline_warnings)
        warnings += [*redacted.warnings, *structured.offline_warnings, *scrub_warnings]
        warnings += [f"Not placed in any field: {line}" for line in draft.unplaced]
        if len(warnings) > _MAX_WARNINGS:
            warnings = [*warnings[: _MAX_WARNINGS - 1], f"... and {len(warnings) - _MAX_WARNINGS + 1} more"]
        resume_input = draft.to_input(name=redacted.name, contact=redacted.contact)
        return ImportReport(
            source_type=document.source_type,
            pages=document.pages,
            characters=document.characters,
            language=draft.language,
            extracted_by=result.provider,
            model=result.model,
            degraded=result.degraded,
            fallback_reason=result.fallback_reason,
            warnings=warnings,
            missing=_missing(resume_input, summary_found=not summary_guessed),
            redacted=redacted.counts,
            attempts=attempts,
            prompt_version=structured.prompt_version,
        )
