"""PDF text with pypdf (pure Python, no dependencies), inside tightened resource limits.

Why pypdf rather than pdfminer.six (both maintained, both pure Python, both right on Korean text with
embedded fonts and with the predefined Korean CMaps), measured for this project (see the import bench):
- layout: pdfminer's layout analysis splits a right-aligned date ("백엔드 개발자 ...... 2022.09 ~ 현재") from
  its line and moves it after the whole block, the most common resume layout of all; pypdf keeps content
  order, which is reading order whenever the producer writes a column at a time (word processors, browsers'
  print-to-PDF, fpdf2's text columns). Two columns written line by line across the page come out
  interleaved with pypdf: that is the limit of what the library allows, and it is documented.
- size: pypdf is 1.8 MB installed; pdfminer.six is 9.5 MB and requires `cryptography` (about 13 MB more).
- speed: about 6x faster per page on the same documents.

pypdf's limits (https://pypdf.readthedocs.io/en/stable/user/security.html) are lowered for one extraction
with `apply_configuration` (a context variable, so nothing leaks to other code), and the external jbig2dec
binary is never called. Encrypted PDFs are tried with the empty user password (files that only restrict
printing or editing open that way); anything that needs a real password is `encrypted_document`. AES
decryption would need the `cryptography` package, which the layer does not ship (it would add ~13 MB for
the rare permissions-only AES file): those files get `encrypted_document` too."""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from careercoach.errors import EncryptedDocument, NoTextLayer, TooLittleText, TooManyPages, UnreadableDocument
from careercoach.importing.limits import (
    MAX_PAGES,
    MIN_TEXT_CHARS,
    PDF_MAX_CONTENT_BYTES,
    PDF_MAX_STREAM_BYTES,
)
from careercoach.observability import logger

# A PDF header may follow some leading bytes; readers look for it in the first kilobyte.
_HEADER_WINDOW = 1024
_END_MARKER = b"%%EOF"
_TRAILER_WINDOW = 2048
# Text whose characters are mostly unmapped glyphs (fonts without a Unicode map) cannot be used.
_UNMAPPED = re.compile(r"[\ufffd\ue000-\uf8ff]")
_MAX_UNMAPPED_SHARE = 0.3


@dataclass(frozen=True, slots=True)
class PdfText:
    text: str
    pages: int


def _limits() -> dict[str, Any]:
    return {
        "maximum_declared_stream_length": PDF_MAX_STREAM_BYTES,
        "array_based_stream_maximum_output_length": PDF_MAX_STREAM_BYTES,
        "zlib_maximum_output_length": PDF_MAX_STREAM_BYTES,
        "lzw_maximum_output_length": PDF_MAX_STREAM_BYTES,
        "run_length_maximum_output_length": PDF_MAX_STREAM_BYTES,
        "brotli_maximum_output_length": PDF_MAX_STREAM_BYTES,
        "jbig2_maximum_output_length": PDF_MAX_STREAM_BYTES,
        "image_maximum_buffer_size": PDF_MAX_STREAM_BYTES,
        "page_tree_maximum_entries": 10_000,
        "jbig2dec_binary": None,
    }


def _has_image(page: Any, depth: int = 0) -> bool:
    """Whether the page draws an image XObject (directly or inside a form XObject), without decoding it."""
    try:
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else None
        xobjects = resources.get("/XObject") if resources is not None else None
        if xobjects is None:
            return False
        for reference in xobjects.get_object().values():
            xobject = reference.get_object()
            subtype = xobject.get("/Subtype")
            if subtype == "/Image":
                return True
            if subtype == "/Form" and depth < 3 and _has_image(xobject, depth + 1):
                return True
    except Exception:  # a damaged resource dictionary only means we cannot tell
        return False
    return False


def extract_pdf(data: bytes) -> PdfText:
    if b"%PDF-" not in data[:_HEADER_WINDOW]:
        raise UnreadableDocument("not_a_pdf", "The file is not a PDF, although it was sent as one.")
    if _END_MARKER not in data[-_TRAILER_WINDOW:]:
        # A PDF ends with %%EOF (ISO 32000-1, 7.5.5); without it the file was cut short. pypdf would rebuild
        # what it can and return part of the text as if it were all of it: refuse instead.
        raise UnreadableDocument(
            "truncated", "The PDF is incomplete (it was cut short); send the whole file."
        )
    from pypdf import PasswordType, PdfReader, apply_configuration
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

    try:
        with apply_configuration(**_limits()):
            reader = PdfReader(BytesIO(data), strict=False)
            if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                raise EncryptedDocument()
            pages = len(reader.pages)
            if pages == 0:
                raise UnreadableDocument("no_pages", "The PDF has no pages.")
            if pages > MAX_PAGES:
                raise TooManyPages(pages, MAX_PAGES)
            texts = []
            images = False
            content = 0
            for page in reader.pages:
                stream = page.get_contents()
                content += len(stream.get_data()) if stream is not None else 0
                if content > PDF_MAX_CONTENT_BYTES:
                    raise LimitReachedError("page content over the budget")
                texts.append(page.extract_text() or "")
                images = images or _has_image(page)
    except (EncryptedDocument, TooManyPages, UnreadableDocument):
        raise
    except (DependencyError, FileNotDecryptedError):
        raise EncryptedDocument() from None
    except LimitReachedError:
        raise UnreadableDocument(
            "too_complex", "The PDF exceeds the reader's safety limits (a stream expands too far)."
        ) from None
    except Exception as exc:  # hostile input can make a parser fail in any way: all of it means unreadable
        logger.info("PDF could not be read", extra={"error_type": type(exc).__name__})
        raise UnreadableDocument(
            "corrupt", "The PDF is damaged or truncated and could not be read."
        ) from None

    text = "\n".join(texts)
    visible = sum(1 for ch in text if not ch.isspace())
    if visible < MIN_TEXT_CHARS:
        if images:
            raise NoTextLayer()
        raise TooLittleText(visible, MIN_TEXT_CHARS)
    if len(_UNMAPPED.findall(text)) > _MAX_UNMAPPED_SHARE * visible:
        raise UnreadableDocument(
            "no_unicode_map",
            "The PDF's fonts do not say which characters they draw, so its text cannot be read. Export it "
            "again (with fonts embedded) or send a Word file.",
        )
    return PdfText(text=text, pages=pages)
