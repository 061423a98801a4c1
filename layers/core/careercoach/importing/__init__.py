"""Resume import: a PDF, Word (.docx), text or Markdown file (raw, or the `file` part of a multipart form)
becomes a resume in the shape `POST /api/v1/resumes` stores, with contact data kept from every AI provider.

HTTP-free: the entry point takes bytes and the Content-Type header's value. Libraries load lazily (pypdf
for a PDF, python-docx for a DOCX, phonenumbers when text is redacted), so importing this package is cheap.

    importer = ResumeImporter(resume_service)
    outcome = importer.import_document(body, content_type, owner=owner, dry_run=False, provider="auto")
    outcome.body()  # {...stored resume..., "import_report": {...}}
"""

from careercoach.importing.limits import MAX_BODY_BYTES, MAX_FILE_BYTES, MAX_PAGES
from careercoach.importing.service import ImportOutcome, ImportReport, ResumeImporter

__all__ = ["MAX_BODY_BYTES", "MAX_FILE_BYTES", "MAX_PAGES", "ImportOutcome", "ImportReport", "ResumeImporter"]
