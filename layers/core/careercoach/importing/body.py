"""Reading an import request body: the raw document with its media type, or a multipart/form-data body with
one part named `file` (what a browser form and `curl -F file=@resume.pdf` send), and no other part: a field
that is not read must not be ignored (`-F dry_run=true` would store what was meant as a preview), as an
unknown query parameter or JSON field is refused (422 `validation_error`, `extra_forbidden`).

multipart/form-data is parsed with `multipart` (https://multipart.readthedocs.io/, the parser behind
Bottle): a push parser with a strict mode and explicit limits on header size, header count, part size and
part count, each raising a typed error, so a hostile body costs bounded work. The standard library's
`email` parser was the alternative; it is built for mail, recovers silently from malformed input by design
and has no limits of its own, which is the wrong default for bytes from the internet.

Nothing here knows API Gateway: the caller hands over bytes (already base64-decoded) and the Content-Type
header's value."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from careercoach.errors import BadRequest, DocumentTooLarge, UnsupportedDocumentType, ValidationFailed
from careercoach.importing.limits import MAX_BODY_BYTES, MAX_FILE_BYTES

SourceType = Literal["pdf", "docx", "text", "markdown"]

PDF: Final = "application/pdf"
DOCX: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEDIA_TYPES: Final[dict[str, SourceType]] = {
    PDF: "pdf",
    DOCX: "docx",
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
}
ACCEPTED_MEDIA_TYPES: Final = (PDF, DOCX, "text/plain", "text/markdown", "multipart/form-data")
# What a multipart part may be labelled when the client does not know better: curl labels a .docx
# application/octet-stream, so the file name's extension decides (the content is still checked).
_GENERIC_PART_TYPES: Final = frozenset({"", "application/octet-stream", "binary/octet-stream"})
_EXTENSIONS: Final[dict[str, SourceType]] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
}
_TEXT_CHARSETS: Final = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})
FILE_FIELD: Final = "file"
_CHUNK: Final = 64 * 1024
_MAX_PARTS: Final = 8


@dataclass(frozen=True, slots=True)
class Upload:
    data: bytes
    source_type: SourceType
    filename: str | None = None


def _options(header: str) -> tuple[str, dict[str, str]]:
    from multipart import parse_options_header

    value, options = parse_options_header(header)
    return value.strip().lower(), {k.lower(): v for k, v in options.items()}


def _source_type(media_type: str, options: dict[str, str]) -> SourceType:
    source = MEDIA_TYPES.get(media_type)
    if source is None:
        raise UnsupportedDocumentType(details={"media_type": media_type or None})
    charset = options.get("charset")
    if source in ("text", "markdown") and charset is not None and charset.lower() not in _TEXT_CHARSETS:
        raise UnsupportedDocumentType(
            "Text must be UTF-8; convert the file or send it as a PDF or Word document.",
            details={"media_type": media_type, "charset": charset},
        )
    return source


def _check_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise DocumentTooLarge(MAX_FILE_BYTES)


def read_upload(body: bytes, content_type: str | None) -> Upload:
    """The document in a request body. Raises 413 (too large), 415 (another media type) or 400 (a
    multipart body without exactly one `file` part, or not valid multipart)."""
    if len(body) > MAX_BODY_BYTES:
        raise DocumentTooLarge(MAX_FILE_BYTES)
    media_type, options = _options(content_type or "")
    if media_type == "multipart/form-data":
        return _read_multipart(body, options.get("boundary", ""))
    source = _source_type(media_type, options)
    _check_size(len(body))
    return Upload(body, source)


def _part_source(content_type: str | None, charset: str | None, filename: str | None) -> SourceType:
    media_type = (content_type or "").strip().lower()
    if media_type in _GENERIC_PART_TYPES:
        extension = ("." + filename.rsplit(".", 1)[-1].lower()) if filename and "." in filename else ""
        source = _EXTENSIONS.get(extension)
        if source is None:
            raise UnsupportedDocumentType(details={"media_type": media_type or None, "filename": filename})
        return source
    return _source_type(media_type, {"charset": charset} if charset else {})


def _read_multipart(body: bytes, boundary: str) -> Upload:
    from multipart import MultipartError, MultipartSegment, ParserLimitReached, PushMultipartParser

    if not boundary:
        raise BadRequest("The multipart/form-data body has no boundary in its Content-Type.")
    found: list[tuple[MultipartSegment, bytes]] = []
    others: list[str] = []  # names of the parts that are not `file`, in order
    current: MultipartSegment | None = None
    chunks: list[bytes] = []
    try:
        with PushMultipartParser(
            boundary,
            content_length=len(body),
            max_segment_size=MAX_FILE_BYTES,
            max_segment_count=_MAX_PARTS,
            strict=True,
        ) as parser:
            for offset in range(0, len(body), _CHUNK):
                for event in parser.parse(body[offset : offset + _CHUNK]):
                    if isinstance(event, MultipartSegment):
                        current, chunks = event, []
                        if event.name != FILE_FIELD:
                            others.append(event.name)
                    elif event is None:
                        if current is not None and current.name == FILE_FIELD:
                            found.append((current, b"".join(chunks)))
                        current, chunks = None, []
                    elif current is not None and current.name == FILE_FIELD:
                        chunks.append(event)  # other fields are skipped, not kept
            for _ in parser.parse(b""):  # end of input: an unterminated body is an error
                pass
    except ParserLimitReached as exc:
        if current is not None and current.name == FILE_FIELD and "size" in str(exc).lower():
            raise DocumentTooLarge(MAX_FILE_BYTES) from None
        raise BadRequest(
            f"The multipart/form-data body exceeds a limit (at most {_MAX_PARTS} parts, 4 KB per header)."
        ) from None
    except MultipartError:
        raise BadRequest("The body is not valid multipart/form-data.") from None
    if len(found) != 1:
        raise BadRequest(
            f"Send exactly one part named `{FILE_FIELD}` (found {len(found)}).",
            details={"field": FILE_FIELD, "parts": len(found)},
        )
    if others:
        details = [
            {
                "loc": ["body", name],
                "msg": f"Only a part named `{FILE_FIELD}` is read",
                "type": "extra_forbidden",
            }
            for name in dict.fromkeys(others)
        ]
        raise ValidationFailed(details=details)
    segment, data = found[0]
    source = _part_source(segment.content_type, segment.charset, segment.filename)
    _check_size(len(data))
    return Upload(data, source, segment.filename)
