"""Real resume documents made from the corpus (tests/corpus/*.json), and hard cases, for the import tests and
the import bench.

Each corpus resume renders to plain text, Markdown, a PDF (fpdf2, with Debian's Nanum Gothic embedded so
Korean text has a real font and a ToUnicode map, as word processors write it) and a DOCX (python-docx, with
Word's built-in Title/Heading/List Bullet styles, a skills table and the contact line in the page header).
The layouts differ on purpose (one-line entry headers, company then "position ... dates" with the dates
right-aligned, Markdown sub-headings, Word headings), so the extractor is measured on more than one shape.

Resumes without contact data get a made-up one (example.com addresses, fictional-range phone numbers in
several national and international formats), so every rendered document carries an email and a phone."""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from careercoach.models.resume import Contact, ResumeContent, ResumeInput

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus"
FONT_DIR = Path("/usr/share/fonts/truetype/nanum")
FONT_REGULAR = FONT_DIR / "NanumSquareR.ttf"

Format = Literal["text", "markdown", "pdf", "docx"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "pdf", "docx")
MEDIA_TYPES: dict[Format, str] = {
    "text": "text/plain; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
EXTENSIONS: dict[Format, str] = {"text": ".txt", "markdown": ".md", "pdf": ".pdf", "docx": ".docx"}

_HEADINGS = {
    "ko": {
        "summary": "요약",
        "experience": "경력",
        "projects": "프로젝트",
        "skills": "기술",
        "certifications": "자격증",
        "education": "학력",
    },
    "en": {
        "summary": "Summary",
        "experience": "Experience",
        "projects": "Projects",
        "skills": "Skills",
        "certifications": "Certifications",
        "education": "Education",
    },
}
_LABELS = {
    "ko": {"project": "프로젝트", "tech": "기술 스택", "team": "팀 규모", "role": "역할"},
    "en": {"project": "Project", "tech": "Tech stack", "team": "Team size", "role": "Role"},
}
# Fictional numbers (Korea's 010-xxxx, the US 555-01xx range, the UK's 020 7946 0xxx drama range).
_PHONES = {
    "ko": ["010-2345-6789", "+82 10-3456-7890", "010.4567.8901", "(02) 345-6789", "010 5678 9012"],
    "en": ["+1 (415) 555-0142", "+44 20 7946 0958", "+82 10 9876 5432", "+1 212-555-0199"],
}


def require_font() -> None:
    if not FONT_REGULAR.exists():
        raise RuntimeError(
            f"{FONT_REGULAR} is missing: the PDF fixtures embed Nanum Gothic (Debian package fonts-nanum, "
            "installed by `make browser`, which `make test` runs)."
        )


@dataclass(frozen=True)
class CorpusResume:
    stem: str
    content: ResumeContent  # with the contact the documents show

    @property
    def language(self) -> str:
        return self.content.language


@cache
def corpus() -> tuple[CorpusResume, ...]:
    resumes = []
    for index, path in enumerate(sorted(CORPUS.glob("*.json"))):
        raw = json.loads(path.read_text(encoding="utf-8"))
        content = ResumeInput.model_validate(raw).to_content()
        contact = dict(content.contact.model_dump(exclude_none=True)) if content.contact else {}
        contact.setdefault("email", f"{path.stem.replace('-', '.')}@example.com")
        contact.setdefault("phone", _PHONES[content.language][index % len(_PHONES[content.language])])
        content = content.model_copy(update={"contact": Contact(**contact)})
        resumes.append(CorpusResume(path.stem, content))
    return tuple(resumes)


def _category_title(key: str) -> str:
    return key.replace("_", " ").title()


def _contact_line(resume: ResumeContent) -> str:
    assert resume.contact is not None
    values = resume.contact.model_dump(exclude_none=True)
    return " | ".join(
        values[key] for key in ("email", "phone", "github", "linkedin", "website", "blog") if key in values
    )


# ---- text and Markdown ---------------------------------------------------------------------------


def render_text(resume: ResumeContent, *, markdown: bool = False) -> str:
    h = _HEADINGS[resume.language]
    label = _LABELS[resume.language]
    out: list[str] = []

    def heading(text: str, level: int = 2) -> None:
        out.extend(["", f"{'#' * level} {text}" if markdown else text])

    def bullet(text: str) -> None:
        out.append(f"- {text}" if markdown else f"• {text}")

    def field(name: str, value: str) -> None:
        out.append(f"**{name}**: {value}" if markdown else f"{name}: {value}")

    if resume.name:
        out.append(f"# {resume.name}" if markdown else resume.name)
    if resume.job_roles:
        out.append(" · ".join(resume.job_roles))
    out.append(_contact_line(resume))
    heading(h["summary"])
    out.append(resume.summary)
    if resume.work_experiences:
        heading(h["experience"])
        for w in resume.work_experiences:
            head = " | ".join(p for p in (w.company, w.position, w.duration) if p)
            out.extend(["", f"### {head}" if markdown else head])
            if w.project_name:
                field(label["project"], w.project_name)
            if w.project_description:
                out.append(w.project_description)
            if w.tech_stack:
                field(label["tech"], ", ".join(w.tech_stack))
            if w.team_size:
                field(label["team"], f"{w.team_size}명" if resume.language == "ko" else str(w.team_size))
            for a in w.achievements:
                bullet(a)
    if resume.personal_projects:
        heading(h["projects"])
        for p in resume.personal_projects:
            head = " | ".join(x for x in (p.name, p.role, p.period) if x)
            out.extend(["", f"### {head}" if markdown else head])
            if p.description:
                out.append(p.description)
            if p.tech_stack:
                field(label["tech"], ", ".join(p.tech_stack))
            for a in p.key_achievements:
                bullet(a)
    if resume.technical_skills:
        heading(h["skills"])
        for category, skills in resume.technical_skills.items():
            field(_category_title(category), ", ".join(skills))
    if resume.certifications:
        heading(h["certifications"])
        for c in resume.certifications:
            bullet(" | ".join(x for x in (c.name, c.issuer, c.issue_date) if x))
    if resume.education:
        heading(h["education"])
        for e in resume.education:
            out.append(" | ".join(x for x in (e.institution, e.major, e.degree, e.period, e.status) if x))
    return "\n".join(out).strip() + "\n"


# ---- PDF -----------------------------------------------------------------------------------------


def _pdf() -> Any:
    from fpdf import FPDF

    require_font()
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    # One face only: parsing a TrueType font is most of the time it takes to make a PDF here, so emphasis is
    # by size, not weight.
    pdf.add_font("Nanum", fname=str(FONT_REGULAR))
    pdf.set_margins(18, 16, 18)
    return pdf


def render_pdf(resume: ResumeContent) -> bytes:
    h = _HEADINGS[resume.language]
    label = _LABELS[resume.language]
    pdf = _pdf()
    pdf.add_page()
    width = pdf.epw

    def text(value: str, size: float = 10, style: str = "", gap: float = 5.2) -> None:
        pdf.set_font("Nanum", "", size + (1 if style else 0))
        pdf.multi_cell(width, gap, value, new_x="LMARGIN", new_y="NEXT")

    def heading(value: str) -> None:
        pdf.ln(2)
        text(f"■ {value}", size=12.5, style="B", gap=7)

    def left_right(left: str, right: str | None) -> None:
        pdf.set_font("Nanum", "", 10)
        pdf.cell(width * 0.62, 5.6, left)
        pdf.cell(width * 0.38, 5.6, right or "", align="R", new_x="LMARGIN", new_y="NEXT")

    if resume.name:
        text(resume.name, size=20, style="B", gap=10)
    if resume.job_roles:
        text(" · ".join(resume.job_roles), size=11)
    text(_contact_line(resume), size=9)
    heading(h["summary"])
    text(resume.summary)
    if resume.work_experiences:
        heading(h["experience"])
        for w in resume.work_experiences:
            pdf.ln(1.5)
            text(w.company, size=11, style="B", gap=6)
            left_right(w.position or "", w.duration)
            if w.project_name:
                text(f"{label['project']}: {w.project_name}")
            if w.project_description:
                text(w.project_description)
            if w.tech_stack:
                text(f"{label['tech']}: {', '.join(w.tech_stack)}")
            if w.team_size:
                text(f"{label['team']}: {w.team_size}")
            for a in w.achievements:
                text(f"• {a}")
    if resume.personal_projects:
        heading(h["projects"])
        for p in resume.personal_projects:
            pdf.ln(1.5)
            text(p.name, size=11, style="B", gap=6)
            if p.role or p.period:
                left_right(p.role or "", p.period)
            if p.description:
                text(p.description)
            if p.tech_stack:
                text(f"{label['tech']}: {', '.join(p.tech_stack)}")
            for a in p.key_achievements:
                text(f"• {a}")
    if resume.technical_skills:
        heading(h["skills"])
        for category, skills in resume.technical_skills.items():
            text(f"{_category_title(category)}: {', '.join(skills)}")
    if resume.certifications:
        heading(h["certifications"])
        for c in resume.certifications:
            text("• " + " | ".join(x for x in (c.name, c.issuer, c.issue_date) if x))
    if resume.education:
        heading(h["education"])
        for e in resume.education:
            text(" | ".join(x for x in (e.institution, e.major, e.degree, e.period, e.status) if x))
    return bytes(pdf.output())


# ---- DOCX ----------------------------------------------------------------------------------------


def render_docx(resume: ResumeContent) -> bytes:
    import docx

    h = _HEADINGS[resume.language]
    label = _LABELS[resume.language]
    document = docx.Document()
    header = document.sections[0].header
    header.is_linked_to_previous = False
    header.paragraphs[0].text = _contact_line(resume)
    if resume.name:
        document.add_heading(resume.name, level=0)
    if resume.job_roles:
        document.add_paragraph(" · ".join(resume.job_roles))
    document.add_heading(h["summary"], level=1)
    document.add_paragraph(resume.summary)
    if resume.work_experiences:
        document.add_heading(h["experience"], level=1)
        for w in resume.work_experiences:
            document.add_heading(w.company, level=2)
            document.add_paragraph(" | ".join(x for x in (w.position, w.duration) if x))
            if w.project_name:
                document.add_paragraph(f"{label['project']}: {w.project_name}")
            if w.project_description:
                document.add_paragraph(w.project_description)
            if w.tech_stack:
                document.add_paragraph(f"{label['tech']}: {', '.join(w.tech_stack)}")
            if w.team_size:
                document.add_paragraph(f"{label['team']}: {w.team_size}")
            for a in w.achievements:
                document.add_paragraph(a, style="List Bullet")
    if resume.personal_projects:
        document.add_heading(h["projects"], level=1)
        for p in resume.personal_projects:
            document.add_heading(p.name, level=2)
            if p.role or p.period:
                document.add_paragraph(" | ".join(x for x in (p.role, p.period) if x))
            if p.description:
                document.add_paragraph(p.description)
            if p.tech_stack:
                document.add_paragraph(f"{label['tech']}: {', '.join(p.tech_stack)}")
            for a in p.key_achievements:
                document.add_paragraph(a, style="List Bullet")
    if resume.technical_skills:
        document.add_heading(h["skills"], level=1)
        table = document.add_table(rows=0, cols=2)
        for category, skills in resume.technical_skills.items():
            row = table.add_row()
            row.cells[0].text = _category_title(category)
            row.cells[1].text = ", ".join(skills)
    if resume.certifications:
        document.add_heading(h["certifications"], level=1)
        for c in resume.certifications:
            document.add_paragraph(
                " | ".join(x for x in (c.name, c.issuer, c.issue_date) if x), style="List Bullet"
            )
    if resume.education:
        document.add_heading(h["education"], level=1)
        for e in resume.education:
            document.add_paragraph(
                " | ".join(x for x in (e.institution, e.major, e.degree, e.period, e.status) if x)
            )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@cache
def corpus_document(stem: str, fmt: Format) -> bytes:
    """A corpus resume rendered once per test session (making a PDF parses a whole font)."""
    return render(next(r for r in corpus() if r.stem == stem).content, fmt)


def render(resume: ResumeContent, fmt: Format) -> bytes:
    if fmt == "pdf":
        return render_pdf(resume)
    if fmt == "docx":
        return render_docx(resume)
    return render_text(resume, markdown=fmt == "markdown").encode("utf-8")


def multipart(
    data: bytes, filename: str, content_type: str | None, *, boundary: str = "----careercoach7MA4YWxk"
) -> tuple[bytes, str]:
    """A multipart/form-data body as `curl -F file=@name` sends it; returns (body, Content-Type header)."""
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
    if content_type:
        head += f"Content-Type: {content_type}\r\n"
    body = head.encode() + b"\r\n" + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


# ---- hard cases ----------------------------------------------------------------------------------


def two_column_pdf(resume: ResumeContent) -> bytes:
    """A sidebar layout: contact, skills and education in a narrow left column, summary and experience in
    the right one, each column written whole (as word processors and browsers write them)."""
    h = _HEADINGS[resume.language]
    pdf = _pdf()
    pdf.add_page()
    left_x, left_w = 14, 58
    right_x, right_w = 80, pdf.w - 80 - 14

    def column(x: float, w: float, blocks: list[tuple[str, str]]) -> None:
        pdf.set_xy(x, 18)
        for style, value in blocks:
            pdf.set_font("Nanum", "", 12 if style == "B" else 9.5)
            pdf.set_x(x)
            pdf.multi_cell(w, 5.4, value, new_x="LEFT", new_y="NEXT")

    left: list[tuple[str, str]] = [("B", resume.name or "")] if resume.name else []
    left += [("", v) for v in _contact_line(resume).split(" | ")]
    left.append(("B", h["skills"]))
    left += [("", f"{_category_title(k)}: {', '.join(v)}") for k, v in resume.technical_skills.items()]
    if resume.education:
        left.append(("B", h["education"]))
        left += [
            ("", " | ".join(x for x in (e.institution, e.major, e.degree) if x)) for e in resume.education
        ]
    right: list[tuple[str, str]] = [("B", h["summary"]), ("", resume.summary), ("B", h["experience"])]
    for w in resume.work_experiences:
        right.append(("B", " | ".join(x for x in (w.company, w.position, w.duration) if x)))
        right += [("", f"• {a}") for a in w.achievements]
    column(left_x, left_w, left)
    column(right_x, right_w, right)
    return bytes(pdf.output())


def scanned_pdf(resume: ResumeContent) -> bytes:
    """A "scan": the page is one image of rendered text, with no text layer at all."""
    from PIL import Image, ImageDraw, ImageFont

    require_font()
    image = Image.new("L", (1240, 1754), color=255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT_REGULAR), 26)
    y = 80
    for line in render_text(resume).splitlines()[:40]:
        draw.text((80, y), line[:60], fill=0, font=font)
        y += 38
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pdf = _pdf()
    pdf.add_page()
    pdf.image(io.BytesIO(buffer.getvalue()), x=0, y=0, w=pdf.w, h=pdf.h)
    return bytes(pdf.output())


def encrypted_pdf(resume: ResumeContent, *, user_password: str = "open-sesame") -> bytes:  # noqa: S107
    """RC4-encrypted (fpdf2's built-in method). With an empty user password the file opens for anyone and
    only restricts permissions; with a real one it cannot be read without it."""
    from fpdf.enums import EncryptionMethod

    pdf = _pdf()
    pdf.set_encryption(
        owner_password="owner-secret", user_password=user_password, encryption_method=EncryptionMethod.RC4
    )
    pdf.add_page()
    pdf.set_font("Nanum", "", 10)
    pdf.multi_cell(pdf.epw, 5.2, render_text(resume))
    return bytes(pdf.output())


def pages_pdf(pages: int, line: str = "경력 · Experience line") -> bytes:
    pdf = _pdf()
    for number in range(pages):
        pdf.add_page()
        pdf.set_font("Nanum", "", 10)
        pdf.multi_cell(pdf.epw, 6, f"{line} {number + 1}\n" * 5)
    return bytes(pdf.output())


def tiny_pdf(text: str = "Hi") -> bytes:
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font("Nanum", "", 10)
    pdf.cell(text=text)
    return bytes(pdf.output())


def content_bomb_pdf(expanded_mib: int = 24) -> bytes:
    """A one-page PDF whose content stream inflates to `expanded_mib` MiB (mostly whitespace, ~1000:1)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    font_ref = writer._add_object(font)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font_ref})}
    )
    stream = DecodedStreamObject()
    stream.set_data(
        b"BT /F1 12 Tf 72 720 Td (Experience and skills) Tj ET\n" + b" " * (expanded_mib * 1024 * 1024)
    )
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _docx_with(replacements: dict[str, bytes], base: bytes) -> bytes:
    """The DOCX `base` with some entries' content replaced (written whole, deflated)."""
    source = zipfile.ZipFile(io.BytesIO(base))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = replacements.get(info.filename, source.read(info.filename))
            target.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buffer.getvalue()


def xml_bomb_docx(base: bytes) -> bytes:
    """A billion-laughs DTD in word/document.xml: a few hundred bytes that would expand to gigabytes."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<!DOCTYPE w:document [{entities}]>"
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    return _docx_with({"word/document.xml": document}, base)


def zip_bomb_docx(base: bytes, *, expanded_mib: int = 200) -> bytes:
    """word/document.xml padded to `expanded_mib` MiB of whitespace: deflate shrinks it about 1000 times,
    so the file stays small and honest about its size (the declared size is the real one)."""
    source = zipfile.ZipFile(io.BytesIO(base))
    original = source.read("word/document.xml")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == "word/document.xml":
                entry = zipfile.ZipInfo("word/document.xml")
                entry.compress_type = zipfile.ZIP_DEFLATED
                with target.open(entry, "w", force_zip64=True) as stream:
                    stream.write(original[: -len(b"</w:document>")])
                    block = b" " * (1024 * 1024)
                    for _ in range(expanded_mib):
                        stream.write(block)
                    stream.write(b"</w:document>")
            else:
                target.writestr(info, source.read(info.filename))
    return buffer.getvalue()


def lying_zip_docx(base: bytes, *, expanded_mib: int = 64) -> bytes:
    """A zip bomb that lies: word/document.xml really inflates to `expanded_mib` MiB but its headers claim
    a few kilobytes (both the local header and the central directory are patched, CRC left as the real
    one's)."""
    source = zipfile.ZipFile(io.BytesIO(base))
    padding = b" " * (expanded_mib * 1024 * 1024)
    document = source.read("word/document.xml")
    document = document[: -len(b"</w:document>")] + padding + b"</w:document>"
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    deflated = compressor.compress(document) + compressor.flush()
    claimed = 4096
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info, source.read(info.filename))
    # Append the lying entry by hand: local header, data, then rebuild the central directory with zipfile
    # would recompute sizes, so write the whole archive manually from the entries above.
    honest = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    central = []
    entries = [(i.filename, honest.read(i.filename)) for i in honest.infolist()]
    entries.insert(1, ("word/document.xml", document))
    for name, data in entries:
        raw_name = name.encode()
        if name == "word/document.xml":
            payload, crc, size, real_size = deflated, zlib.crc32(document), claimed, len(document)
            del real_size
        else:
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            payload = c.compress(data) + c.flush()
            crc, size = zlib.crc32(data), len(data)
        offset = out.tell()
        out.write(
            struct.pack(
                "<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(payload), size, len(raw_name), 0
            )
        )
        out.write(raw_name)
        out.write(payload)
        central.append(
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02",
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(payload),
                size,
                len(raw_name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + raw_name
        )
    start = out.tell()
    for record in central:
        out.write(record)
    out.write(
        struct.pack(
            "<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(central), len(central), out.tell() - start, start, 0
        )
    )
    return out.getvalue()


def legacy_doc() -> bytes:
    """The first bytes of an OLE compound file (the old binary .doc format, and the container Word uses
    for password-protected .docx files); enough for the signature checks, not a full compound file."""
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 504
        + "WordDocument".encode("utf-16-le")
        + b"\x00" * 512
    )


def encrypted_office_file() -> bytes:
    """An OLE container naming an `EncryptedPackage` stream, as Word writes a password-protected .docx
    (signature only, as legacy_doc)."""
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 504
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 512
    )
