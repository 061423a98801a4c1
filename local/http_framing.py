"""HTTP/1.1 request framing (RFC 9112), checked before a request reaches any handler.

http.server parses the request line and the header section and leaves the body to the handler; `int()` on
a Content-Length or a chunk size is far too lenient (it takes " 12", "+12", "1_2", "١٢", "0x1f") and raises on
the rest, which used to kill the request thread with no answer at all. Here every framing rule that makes a
request unreadable is a `FramingError`, answered with 400 (501 for a transfer coding the gateway does not
implement) and the connection closed, as RFC 9112 requires:
- Content-Length must be 1*DIGIT; repeated or listed values must all be equal (§6.3, item 5);
- Transfer-Encoding and Content-Length together are refused (§6.3, item 3: a server MAY reject them, and they
  are the classic request-smuggling shape); so is Transfer-Encoding in an HTTP/1.0 request (§6.1);
- chunked must be the final transfer coding (§6.3, item 4); any other coding is not implemented (501, §6.1);
- chunk-size must be 1*HEXDIG, each chunk's data must be followed by CRLF, and the body must end with the
  last-chunk and the trailer section (§7.1);
- a body shorter than its Content-Length (the client closed early) is incomplete (§8);
- whitespace between a field name and its colon (§5.1), obs-fold (§5.2), CR/LF/NUL inside a field value
  (RFC 9110 §5.5), and an HTTP/1.1 request without exactly one Host (§3.2) are refused.
https://www.rfc-editor.org/rfc/rfc9112

What API Gateway puts in such a 400 is not documented; like the gateway's other own answers here
(404, 413, 500), it is `{"message": "<reason phrase>"}`. Unverified against a live API.
"""

from __future__ import annotations

import re
from email import errors
from email.message import Message
from io import BufferedIOBase
from typing import BinaryIO

Readable = BinaryIO | BufferedIOBase

MAX_LINE_BYTES = 8 * 1024  # a chunk-size line or a trailer line; http.server allows 64 KiB per header line
DISCARD_LIMIT_BYTES = 64 * 1024 * 1024  # how much of an oversized body is read and dropped before closing

_DIGITS = re.compile(rb"[0-9]+")
_HEX = re.compile(rb"[0-9A-Fa-f]+")


class FramingError(Exception):
    """The request cannot be read as HTTP/1.1. `reason` is for the access log (never any body bytes)."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class BodyTooLargeError(Exception):
    """The body is larger than the gateway accepts (413)."""


# Defects the email parser reports about a *body*: http.server parses only the header section, so a
# multipart Content-Type (every form upload, `curl -F`) leaves it looking for boundaries in a body it was
# never given. They say nothing about the header fields.
_BODY_DEFECTS = (
    errors.StartBoundaryNotFoundDefect,
    errors.CloseBoundaryNotFoundDefect,
    errors.MultipartInvariantViolationDefect,
    errors.NoBoundaryInMultipartDefect,
)


def check_head(headers: Message, request_version: str) -> None:
    """The header section: what http.server let through but a strict HTTP/1.1 server must refuse."""
    if any(not isinstance(defect, _BODY_DEFECTS) for defect in headers.defects):
        # e.g. "Content-Length : 5": the email parser gives up there and takes the rest as a body, so the
        # fields after it (Content-Length itself) would be silently lost.
        raise FramingError("malformed header field (whitespace before the colon, or no colon)")
    for name, value in headers.items():
        if any(char in value for char in "\r\n\0"):
            raise FramingError(f"obs-fold or CR/LF/NUL in the value of {name}")
    if request_version == "HTTP/1.1" and len(headers.get_all("host") or []) != 1:
        raise FramingError("an HTTP/1.1 request needs exactly one Host header")


def body_length(headers: Message, request_version: str) -> int | None:
    """The body's length from Content-Length (0 without one), or None when the body is chunked."""
    transfer = headers.get_all("transfer-encoding") or []
    lengths = headers.get_all("content-length") or []
    if transfer:
        if request_version != "HTTP/1.1":
            raise FramingError("Transfer-Encoding in an HTTP/1.0 request")
        if lengths:
            raise FramingError("both Transfer-Encoding and Content-Length")
        codings = [coding.strip().lower() for field in transfer for coding in field.split(",")]
        codings = [coding for coding in codings if coding]
        if not codings or codings[-1] != "chunked":
            raise FramingError("chunked is not the final transfer coding")
        if len(codings) > 1:
            raise FramingError(f"transfer coding {codings[0]!r} is not implemented", status=501)
        return None
    values = [value.strip() for field in lengths for value in field.split(",")]
    if not values:
        return 0
    if not all(_DIGITS.fullmatch(value.encode("latin-1", "replace")) for value in values):
        raise FramingError("Content-Length is not a non-negative decimal number")
    if len({int(value) for value in values}) > 1:
        raise FramingError("conflicting Content-Length values")
    return int(values[0])


def read_body(stream: Readable, headers: Message, request_version: str, limit: int) -> bytes:
    """The request's body, framed by its headers. Past `limit`, BodyTooLargeError, after reading and dropping
    (up to DISCARD_LIMIT_BYTES) what the client is still sending, so it gets to see the 413 rather than a
    reset connection."""
    check_head(headers, request_version)
    length = body_length(headers, request_version)
    if length is None:
        return read_chunked(stream, limit)
    if length > limit:
        remaining = min(length, DISCARD_LIMIT_BYTES)
        while remaining > 0:
            chunk = stream.read(min(remaining, 1 << 16))
            if not chunk:
                break
            remaining -= len(chunk)
        raise BodyTooLargeError
    return read_exactly(stream, length)


def read_exactly(stream: Readable, length: int) -> bytes:
    data = stream.read(length) if length > 0 else b""
    if len(data) < length:
        raise FramingError(f"body ended after {len(data)} of {length} bytes")
    return data


def read_chunked(stream: Readable, limit: int) -> bytes:
    """A chunked body, decoded; BodyTooLargeError past `limit` bytes of data."""
    chunks: list[bytes] = []
    total = 0
    while True:
        line = _line(stream, "chunk-size line")
        size_text = line.split(b";", 1)[0].rstrip(b" \t")  # BWS is allowed before a chunk extension
        if not _HEX.fullmatch(size_text):
            raise FramingError("chunk size is not hexadecimal")
        size = int(size_text, 16)
        if size == 0:
            while _line(stream, "trailer section"):
                pass  # trailer fields are not passed on (API Gateway drops them too)
            return b"".join(chunks)
        total += size
        if total > limit:
            raise BodyTooLargeError
        chunks.append(read_exactly(stream, size))
        if _line(stream, "chunk data terminator") != b"":
            raise FramingError("chunk data is not followed by CRLF")


def _line(stream: Readable, what: str) -> bytes:
    """One CRLF- (or LF-) terminated line without its terminator."""
    line = stream.readline(MAX_LINE_BYTES + 1)
    if not line.endswith(b"\n"):
        problem = "too long" if len(line) > MAX_LINE_BYTES else "incomplete"
        raise FramingError(f"{what} {problem}")
    return line[:-2] if line.endswith(b"\r\n") else line[:-1]
