"""From an upload to normalised text: the one place that dispatches on the format."""

from __future__ import annotations

from dataclasses import dataclass

from careercoach.errors import TooLittleText, UnreadableDocument
from careercoach.importing.body import SourceType, Upload
from careercoach.importing.limits import MAX_TEXT_CHARS, MIN_TEXT_CHARS
from careercoach.importing.text import decode_utf8, estimated_pages, markdown_to_text, normalise


@dataclass(frozen=True, slots=True)
class ExtractedDocument:
    source_type: SourceType
    text: str  # normalised: NFC, one bullet glyph, single spaces, lines in reading order
    pages: int  # PDF: real; DOCX: as Word recorded it, else estimated; text: estimated

    @property
    def characters(self) -> int:
        return len(self.text)

    @property
    def wrapped(self) -> bool:
        """Whether lines may have been broken at a right margin (and need joining back)."""
        return self.source_type in ("pdf", "text")


def extract(upload: Upload) -> ExtractedDocument:
    pages: int | None
    if upload.source_type == "pdf":
        from careercoach.importing.pdf import extract_pdf

        pdf = extract_pdf(upload.data)
        raw, pages = pdf.text, pdf.pages
    elif upload.source_type == "docx":
        from careercoach.importing.docx import extract_docx

        docx = extract_docx(upload.data)
        raw, pages = docx.text, docx.pages
    else:
        raw = decode_utf8(upload.data)
        if upload.source_type == "markdown":
            raw = markdown_to_text(raw)
        pages = None
    text = normalise(raw)
    visible = sum(1 for ch in text if not ch.isspace())
    if visible < MIN_TEXT_CHARS:
        raise TooLittleText(visible, MIN_TEXT_CHARS)
    if len(text) > MAX_TEXT_CHARS:
        raise UnreadableDocument(
            "too_much_text",
            f"The document holds more than {MAX_TEXT_CHARS:,} characters of text, far more than a resume.",
        )
    return ExtractedDocument(upload.source_type, text, pages if pages is not None else estimated_pages(text))
