"""DOCX text: the archive is checked here first, then python-docx opens the package and this module walks
the body in document order.

The guard, before any library sees the bytes:
- the file is a zip whose entries include `word/document.xml` (a password-protected Word file is an OLE
  container with an `EncryptedPackage` stream: `encrypted_document`; other OLE files are the old binary
  .doc format: `unreadable_document`);
- bounded decompression: at most DOCX_MAX_ENTRIES entries, declared sizes within the per-part and total
  budgets and no entry claiming more than DOCX_MAX_RATIO times its compressed size; then every XML part is
  inflated by this module through `zipfile`, which stops at the declared size and checks the CRC, so an entry
  that lies about its size fails instead of growing (see limits.py);
- no DTDs: the Open Packaging Conventions forbid DTD declarations in package XML and tell readers to treat
  one as an error, precisely because of entity-expansion attacks (ECMA-376 Part 2, §8.1.4 rule M1.18), so
  any `<!DOCTYPE` or `<!ENTITY` in any XML part (UTF-8 or UTF-16) is refused. python-docx also parses with
  lxml's `resolve_entities=False` (docx/oxml/parser.py), and libxml2 limits nesting depth; the guard means
  neither is relied upon alone.

Why python-docx over docx2python (both on lxml, both right on Korean text): python-docx resolves paragraph
styles, so headings ("Heading 2") and Word's built-in list styles ("List Bullet", whose numbering lives in
the style, not the paragraph) are recognised; docx2python 3.7 only sees numbering set on the paragraph and
dropped the bullets of "List Bullet" paragraphs in our tests. docx2python is smaller (0.4 vs 1.6 MB) and
imports faster (about 15 vs 65 ms, measured); both load only when a DOCX arrives.

Text boxes (`w:txbxContent`), which python-docx's API does not reach, are walked here; in
`mc:AlternateContent` only the first choice is read, never the fallback copy of the same text."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from careercoach.errors import EncryptedDocument, TooManyPages, UnreadableDocument
from careercoach.importing.limits import (
    DOCX_MAX_ENTRIES,
    DOCX_MAX_PART_BYTES,
    DOCX_MAX_RATIO,
    DOCX_MAX_TOTAL_BYTES,
    DOCX_RATIO_FLOOR_BYTES,
    MAX_PAGES,
)
from careercoach.observability import logger

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!doctype", "<!ENTITY", "<!entity")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_PAGES = re.compile(rb"<(?:\w+:)?Pages>\s*(\d{1,6})\s*</(?:\w+:)?Pages>")
_XML_SUFFIXES = (".xml", ".rels")

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = map(_w, ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
_T, _TAB, _BR, _CR, _NBH, _TXBX = map(_w, ("t", "tab", "br", "cr", "noBreakHyphen", "txbxContent"))
_PPR, _PSTYLE, _NUMPR, _NUMID = map(_w, ("pPr", "pStyle", "numPr", "numId"))
_SKIPPED = frozenset({_w("delText"), _w("instrText"), _w("rPr"), _w("pPr"), f"{{{_MC}}}Fallback"})
_CUSTOM_XML = _w("customXml")


@dataclass(frozen=True, slots=True)
class DocxText:
    text: str
    pages: int | None  # as Word recorded it in docProps/app.xml; None when absent


def _reject(reason: str, message: str) -> UnreadableDocument:
    return UnreadableDocument(reason, message)


def guard_archive(data: bytes) -> int | None:
    """Check the archive within the budgets; returns the page count Word recorded, if any."""
    if data.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise EncryptedDocument()
        raise _reject("legacy_doc", "This is an old binary Word file (.doc); save it as .docx and send that.")
    if not data.startswith(b"PK\x03\x04"):
        raise _reject("not_a_docx", "The file is not a Word (.docx) document, although it was sent as one.")
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise _reject("corrupt", "The Word document is damaged or truncated and could not be read.") from None
    names = {entry.filename for entry in entries}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise _reject("not_a_docx", "The file is a zip archive but not a Word (.docx) document.")
    too_big = _reject(
        "archive_limits", "The Word document expands beyond the safety limits (it may be a zip bomb)."
    )
    if len(entries) > DOCX_MAX_ENTRIES or sum(e.file_size for e in entries) > DOCX_MAX_TOTAL_BYTES:
        raise too_big
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise EncryptedDocument()
        if entry.file_size > DOCX_RATIO_FLOOR_BYTES and entry.file_size > DOCX_MAX_RATIO * max(
            entry.compress_size, 1
        ):
            raise too_big
        if entry.filename.endswith(_XML_SUFFIXES) and entry.file_size > DOCX_MAX_PART_BYTES:
            raise too_big
    pages = None
    inflated = 0
    for entry in entries:
        if not entry.filename.endswith(_XML_SUFFIXES):
            continue
        try:
            with archive.open(entry) as stream:
                content = stream.read(DOCX_MAX_PART_BYTES + 1)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError):
            raise _reject("corrupt", "The Word document is damaged and could not be read.") from None
        except Exception as exc:  # zlib and others: the archive is broken in a way zipfile did not name
            logger.info("DOCX entry could not be inflated", extra={"error_type": type(exc).__name__})
            raise _reject("corrupt", "The Word document is damaged and could not be read.") from None
        inflated += len(content)
        if len(content) > DOCX_MAX_PART_BYTES or inflated > DOCX_MAX_TOTAL_BYTES:
            raise too_big
        if any(marker in content for marker in _DTD_MARKERS):
            raise _reject(
                "xml_dtd",
                "The Word document contains XML entity declarations, which Word never writes and which can "
                "be used to exhaust the reader (an XML bomb).",
            )
        if entry.filename == "docProps/app.xml":
            found = _PAGES.search(content)
            pages = int(found.group(1)) if found else None
    return pages


class _Walker:
    def __init__(self, document: Any) -> None:
        self._document = document
        self._styles: dict[str, tuple[int | None, bool]] = {}
        self.lines: list[str] = []

    def _style(self, style_id: str | None) -> tuple[int | None, bool]:
        """(heading level or None, whether the style carries list numbering) for a paragraph style id."""
        if style_id is None:
            return None, False
        if style_id not in self._styles:
            level, numbered = None, False
            try:
                from docx.enum.style import WD_STYLE_TYPE

                style = self._document.part.get_style(style_id, WD_STYLE_TYPE.PARAGRAPH)
                seen = 0
                while style is not None and seen < 10:  # base-style chains are short; a loop is damage
                    name = (style.name or "").lower()
                    if level is None and name == "title":
                        level = 1
                    elif level is None and name.startswith("heading "):
                        digits = name.removeprefix("heading ").strip()
                        level = int(digits) if digits.isdigit() else 2
                    p_pr = style.element.find(_PPR)
                    if p_pr is not None and _numbered(p_pr):
                        numbered = True
                    style, seen = style.base_style, seen + 1
            except Exception:  # a damaged style part: treat the paragraph as plain
                level, numbered = None, False
            self._styles[style_id] = (level, numbered)
        return self._styles[style_id]

    def walk(self, container: Any) -> None:
        for child in container:
            tag = child.tag
            if tag == _P:
                self._paragraph(child)
            elif tag == _TBL:
                self._table(child)
            elif tag in (_SDT, _CUSTOM_XML):
                content = child.find(_SDT_CONTENT) if tag == _SDT else child
                if content is not None:
                    self.walk(content)

    def _paragraph(self, p: Any) -> None:
        parts: list[str] = []
        boxes: list[Any] = []
        _inline(p, parts, boxes)
        text = "".join(parts).strip()
        if text:
            p_pr = p.find(_PPR)
            style_el = p_pr.find(_PSTYLE) if p_pr is not None else None
            level, style_numbered = self._style(style_el.get(_w("val")) if style_el is not None else None)
            if level is not None:
                text = f"{'#' * min(level, 6)} {text}"
            elif (p_pr is not None and _numbered(p_pr)) or (
                style_numbered and not (p_pr is not None and _numbering_removed(p_pr))
            ):
                text = f"• {text}"
            self.lines.append(text)
        for box in boxes:
            self.walk(box)

    def _table(self, table: Any) -> None:
        for row in table.iter(_TR):
            if row.getparent() is not table:
                continue  # rows of nested tables are read with their cell
            cells = [cell for cell in row if cell.tag == _TC]
            # A row of one-line cells ("Languages | Java, Kotlin") reads best as one line; anything richer
            # (a two-column layout table) is read cell by cell, left column first.
            simple = all(
                cell.find(f".//{_TBL}") is None
                and sum(1 for _ in cell.iter(_P)) <= 1
                and cell.find(f".//{_BR}") is None
                and cell.find(f".//{_CR}") is None
                for cell in cells
            )
            if simple:
                texts = []
                for cell in cells:
                    parts: list[str] = []
                    for p in cell.iter(_P):
                        _inline(p, parts, [])
                    if "".join(parts).strip():
                        texts.append(" ".join("".join(parts).split()))
                if texts:
                    self.lines.append(" | ".join(texts))
                continue
            for cell in cells:
                self.walk(cell)


def _numbered(p_pr: Any) -> bool:
    num_pr = p_pr.find(_NUMPR)
    if num_pr is None:
        return False
    num_id = num_pr.find(_NUMID)
    return num_id is None or num_id.get(_w("val")) not in ("0", None)


def _numbering_removed(p_pr: Any) -> bool:
    num_pr = p_pr.find(_NUMPR)
    num_id = num_pr.find(_NUMID) if num_pr is not None else None
    return num_id is not None and num_id.get(_w("val")) == "0"


def _inline(element: Any, parts: list[str], boxes: list[Any]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == _T:
            parts.append(child.text or "")
        elif tag == _TAB:
            parts.append("\t")
        elif tag in (_BR, _CR):
            parts.append("\n")
        elif tag == _NBH:
            parts.append("-")
        elif tag == _TXBX:
            boxes.append(child)
        elif tag in (_P, _TBL):
            # A paragraph inside a paragraph only happens through text boxes, handled above.
            continue
        else:
            _inline(child, parts, boxes)


def extract_docx(data: bytes) -> DocxText:
    pages = guard_archive(data)
    if pages is not None and pages > MAX_PAGES:
        raise TooManyPages(pages, MAX_PAGES)
    try:
        import docx

        document = docx.Document(BytesIO(data))
        walker = _Walker(document)
        section = document.sections[0] if len(document.sections) else None
        if section is not None and not section.header.is_linked_to_previous:
            walker.walk(section.header.part.element)
        walker.walk(document.element.body)
        if section is not None and not section.footer.is_linked_to_previous:
            walker.walk(section.footer.part.element)
    except Exception as exc:  # hostile input can make a parser fail in any way: all of it means unreadable
        logger.info("DOCX could not be read", extra={"error_type": type(exc).__name__})
        raise _reject("corrupt", "The Word document is damaged and could not be read.") from None
    return DocxText(text="\n".join(walker.lines), pages=pages)
