"""Resume import: a PDF, Word (.docx), text or Markdown file (raw, or the `file` part of a multipart form)
becomes a resume in the shape `POST /api/v1/resumes` stores, with contact data kept from every AI provider.

HTTP-free: the entry point takes bytes and the Content-Type header's value. Libraries load lazily (pypdf
for a PDF, python-docx for a DOCX, phonenumbers when text is redacted), so importing this package is cheap.

    importer = ResumeImporter(resume_service)
    outcome = importer.import_document(body, content_type, owner=owner, dry_run=False, provider="auto")
    outcome.body()  # {...stored resume..., "import_report": {...}}
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from careercoach.importing.limits import MAX_BODY_BYTES, MAX_FILE_BYTES, MAX_PAGES

if TYPE_CHECKING:
    from careercoach.importing.service import ImportOutcome, ImportReport, ResumeImporter

__all__ = ["MAX_BODY_BYTES", "MAX_FILE_BYTES", "MAX_PAGES", "ImportOutcome", "ImportReport", "ResumeImporter"]
_SERVICE = frozenset({"ImportOutcome", "ImportReport", "ResumeImporter"})


def __getattr__(name: str) -> Any:
    """The service's names load with their first use (PEP 562): a function that only needs the limits (the
    Resumes function, to redirect `/api/v1/resumes/import/`) pays nothing for the service's imports."""
    if name in _SERVICE:
        from careercoach.importing import service

        return getattr(service, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
