"""Text normalisation shared by every format, and reading UTF-8 text and Markdown uploads.

Every extractor ends in `normalise`: Unicode NFC (PDF text can come out as decomposed Hangul jamo), one
kind of space, no zero-width or control characters, and one bullet glyph ("• ") for the many that
resumes use (including the private-use code points that Symbol and Wingdings bullets extract as), so the
structuring steps see one shape whatever the source."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Final

from careercoach.errors import UnreadableDocument

BULLET: Final = "•"
# Glyphs that start a list item. "-", "*", "+" only count when followed by a space (see _BULLET_LINE).
_BULLET_GLYPHS: Final = (
    "•◦▪▫●○■□◆◇►▶▸▹➢➤✓✔✗❖⁃∙·‣※"
    # Symbol and Wingdings bullets, as PDFs extract them (private-use code points)
    "\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\uf06c\uf06e\uf0e0"
)
_BULLET_LINE = re.compile(rf"^\s*(?:[{re.escape(_BULLET_GLYPHS)}]+\s*|[-*+–—]\s+|[-*+–—](?=[^\s\d-]))")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_RUN = re.compile(r"\n{3,}")
# One page of a printed resume holds roughly this many characters; used where a format has no pages.
CHARS_PER_PAGE: Final = 3000


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    lines = []
    for raw in text.split("\n"):
        line = _SPACES.sub(" ", raw).strip()
        match = _BULLET_LINE.match(line)
        if match and line[match.end() :].strip():
            line = f"{BULLET} {line[match.end() :].strip()}"
        lines.append(line)
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip()


def estimated_pages(text: str) -> int:
    return max(1, math.ceil(len(text) / CHARS_PER_PAGE))


def decode_utf8(data: bytes) -> str:
    """UTF-8 text (a BOM is dropped). Binary content sent as text is refused, not guessed at."""
    if data.startswith(b"%PDF-") or data.startswith(b"PK\x03\x04"):
        raise UnreadableDocument(
            "mislabelled", "The file is a PDF or Word document sent as text; send it with its own type."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableDocument(
            "not_utf8", "The text is not valid UTF-8; save it as UTF-8 and send it again."
        ) from None
    if "\x00" in text:
        raise UnreadableDocument("binary", "The file is not text.")
    return text


_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|~~|`)(?=\S)(.+?)(?<=\S)\1")
_MD_SINGLE_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=\S)([^*_\n]+?)(?<=\S)\1(?![\w*])")
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MD_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_MD_QUOTE = re.compile(r"^\s*>+\s?")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")


def markdown_to_text(text: str) -> str:
    """Markdown as the plain lines the structuring steps read: headings keep their `#` marks (they are
    structure), links become "text url", emphasis and tables lose their markup."""
    lines = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw
        if _MD_TABLE_RULE.match(line) or _MD_RULE.match(line):
            lines.append("")
            continue
        line = _MD_QUOTE.sub("", line)
        heading = _MD_HEADING.match(line)
        if heading:
            line = f"{heading.group(1)} {heading.group(2)}"
        line = _MD_LINK.sub(lambda m: f"{m.group(1)} {m.group(2)}".strip(), line)
        line = _MD_EMPHASIS.sub(r"\2", line)
        line = _MD_SINGLE_EMPHASIS.sub(r"\2", line)
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
            cells = [cell.strip() for cell in stripped[1:-1].split("|")]
            line = " | ".join(cell for cell in cells if cell)
        lines.append(line)
    return "\n".join(lines)
