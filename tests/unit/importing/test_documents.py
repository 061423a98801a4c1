"""Text out of real PDF, DOCX, text and Markdown files made here, and every way a document can be refused:
scans, passwords, truncation, mislabelling, zip and XML bombs, too many pages, too little text."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from careercoach.api.errors import status_of
from careercoach.errors import (
    DocumentRejected,
    EncryptedDocument,
    NoTextLayer,
    TooLittleText,
    TooManyPages,
    UnreadableDocument,
)
from careercoach.importing.body import read_upload
from careercoach.importing.extract import ExtractedDocument, extract
from careercoach.importing.limits import DOCX_MAX_TOTAL_BYTES
from tests.support.documents import (
    MEDIA_TYPES,
    Format,
    content_bomb_pdf,
    corpus,
    corpus_document,
    encrypted_office_file,
    encrypted_pdf,
    legacy_doc,
    lying_zip_docx,
    pages_pdf,
    scanned_pdf,
    tiny_pdf,
    two_column_pdf,
    xml_bomb_docx,
    zip_bomb_docx,
)

KO = next(r for r in corpus() if r.stem == "resume-ko-backend").content
EN = next(r for r in corpus() if r.stem == "en-backend-senior-go").content


def read(data: bytes, fmt: Format) -> ExtractedDocument:
    return extract(read_upload(data, MEDIA_TYPES[fmt]))


def lines(document: ExtractedDocument) -> list[str]:
    return document.text.split("\n")


@pytest.mark.parametrize("fmt", ["pdf", "docx", "text", "markdown"])
def test_korean_text_comes_out_intact_in_every_format(fmt: Format) -> None:
    document = read(corpus_document("resume-ko-backend", fmt), fmt)
    assert document.source_type == fmt and document.pages >= 1 and document.characters > 500
    for achievement in KO.work_experiences[0].achievements:
        assert achievement in document.text.replace("\n", " ")  # a wrapped PDF line is joined later
    assert "• Saga 패턴으로 주문-결제-재고 간 분산 트랜잭션 정합성 확보" in lines(document)


def test_pdf_keeps_a_right_aligned_date_on_its_line() -> None:
    document = read(corpus_document("resume-ko-backend", "pdf"), "pdf")
    assert "백엔드 개발자 2022.09 ~ 현재" in lines(document)


def test_docx_headings_list_styles_tables_and_header_are_read() -> None:
    document = read(corpus_document("resume-ko-backend", "docx"), "docx")
    text = lines(document)
    assert text[0] == "kim.dev@example.com | 010-1234-5678 | https://github.com/kimdev-example"  # page header
    assert (
        "# 김개발" in text and "# 경력" in text and "## 오픈마켓 스타트업" in text
    )  # Title / Heading styles
    assert (
        "• Saga 패턴으로 주문-결제-재고 간 분산 트랜잭션 정합성 확보" in text
    )  # "List Bullet": style numbering
    assert "Programming Languages | Java, Python" in text  # a simple table row stays one line
    assert document.pages == 1 or document.pages >= 1


def test_docx_text_boxes_are_read_once() -> None:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("요약")
    paragraph = document.add_paragraph("본문 앞")
    box = (
        '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml">'
        '<mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent><w:p><w:r>'
        "<w:t>글상자 속 경력: 메가커머스 테크 리드</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing>"
        "</mc:Choice>"
        "<mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r>"
        "<w:t>글상자 속 경력: 메가커머스 테크 리드</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict>"
        "</mc:Fallback>"
        "</mc:AlternateContent>"
    )
    run = paragraph.add_run()
    run._r.append(parse_xml(box))
    buffer = io.BytesIO()
    document.save(buffer)
    text = read(buffer.getvalue(), "docx").text
    assert text.count("글상자 속 경력: 메가커머스 테크 리드") == 1
    assert text.index("본문 앞") < text.index("글상자 속 경력")


def test_two_column_pdf_reads_each_column_whole() -> None:
    document = read(two_column_pdf(KO), "pdf")
    text = document.text
    # the sidebar (contact, skills, education) comes whole, then the main column (summary, experience)
    assert text.index("Programming Languages: Java,") < text.index("한국대학교")
    assert text.index("한국대학교") < text.index("요약") < text.index("오픈마켓 스타트업")
    achievements = [line for line in lines(document) if line.startswith("• ")]
    assert achievements[0].startswith("• Saga 패턴으로")
    assert "| 백엔드 개발자 | 2022.09 ~ 현재" in text


def test_bullet_glyphs_are_normalised() -> None:
    text = (
        "요약\n· 가운뎃점 항목\n▪ 네모 항목\n\uf0b7 Symbol 글꼴 항목\n- 하이픈 항목\n2021.03 - 2022.01 경력"
    )
    document = read(text.encode(), "text")
    assert lines(document) == [
        "요약",
        "• 가운뎃점 항목",
        "• 네모 항목",
        "• Symbol 글꼴 항목",
        "• 하이픈 항목",
        "2021.03 - 2022.01 경력",
    ]


def test_markdown_markup_is_removed_but_headings_kept() -> None:
    markdown = (
        "# 김개발\n\n## 경력\n**회사**: [오픈마켓](https://example.com/x) | `Java`\n\n"
        "| a | b |\n|---|---|\n| c | d |\n"
    )
    assert lines(read(markdown.encode(), "markdown")) == [
        "# 김개발",
        "",
        "## 경력",
        "회사: 오픈마켓 https://example.com/x | Java",
        "",
        "a | b",
        "",
        "c | d",
    ]


# ---- refused documents ------------------------------------------------------------------------------------


def refused(data: bytes, fmt: Format) -> DocumentRejected:
    started = time.monotonic()
    with pytest.raises(DocumentRejected) as caught:
        read(data, fmt)
    # not a timing assertion: a bomb must fail on its guard, which the reason shows; the time is for the eye
    print(f"{type(caught.value).__name__} {caught.value.details} in {time.monotonic() - started:.2f} s")
    assert status_of(caught.value) == 422
    return caught.value


def test_a_scanned_pdf_has_no_text_layer_and_says_ocr_is_not_supported() -> None:
    error = refused(scanned_pdf(KO), "pdf")
    assert isinstance(error, NoTextLayer) and error.error_code == "no_text_layer"
    assert "OCR" in error.message


def test_a_password_protected_pdf_is_refused() -> None:
    error = refused(encrypted_pdf(KO), "pdf")
    assert isinstance(error, EncryptedDocument) and error.error_code == "encrypted_document"


def test_a_pdf_that_only_restricts_permissions_is_read() -> None:
    document = read(encrypted_pdf(KO, user_password=""), "pdf")
    assert "Saga 패턴으로" in document.text


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_truncated_file_is_unreadable(fmt: Format) -> None:
    data = corpus_document("resume-ko-backend", fmt)
    error = refused(data[: len(data) // 2], fmt)
    assert isinstance(error, UnreadableDocument) and error.error_code == "unreadable_document"
    assert error.details["reason"] in ("truncated", "corrupt")


@pytest.mark.parametrize(
    ("data_fmt", "sent_as", "reason"),
    [("docx", "pdf", "not_a_pdf"), ("pdf", "docx", "not_a_docx"), ("pdf", "text", "mislabelled")],
)
def test_a_mislabelled_file_is_unreadable(data_fmt: Format, sent_as: Format, reason: str) -> None:
    error = refused(corpus_document("resume-ko-backend", data_fmt), sent_as)
    assert error.details == {"reason": reason}


def test_text_that_is_not_utf8_is_unreadable() -> None:
    legacy = "경력 요약: 오픈마켓 스타트업 백엔드 개발자, 주문과 결제 도메인 설계".encode("euc-kr")
    assert refused(legacy, "text").details == {"reason": "not_utf8"}


def test_a_zip_that_is_not_a_docx_is_unreadable() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refused(buffer.getvalue(), "docx").details == {"reason": "not_a_docx"}


def test_old_binary_doc_and_password_protected_docx() -> None:
    assert refused(legacy_doc(), "docx").details == {"reason": "legacy_doc"}
    assert isinstance(refused(encrypted_office_file(), "docx"), EncryptedDocument)


def test_a_zip_bomb_is_refused_by_its_declared_size() -> None:
    bomb = zip_bomb_docx(
        corpus_document("resume-ko-backend", "docx"), expanded_mib=DOCX_MAX_TOTAL_BYTES // (1024 * 1024) + 16
    )
    assert len(bomb) < 1024 * 1024  # a small file...
    assert refused(bomb, "docx").details == {
        "reason": "archive_limits"
    }  # ...that would expand past the budget


def test_a_zip_bomb_that_lies_about_its_size_stops_at_the_size_it_claims() -> None:
    bomb = lying_zip_docx(corpus_document("resume-ko-backend", "docx"), expanded_mib=64)
    declared = {i.filename: i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist()}
    assert declared["word/document.xml"] == 4096
    assert refused(bomb, "docx").details == {"reason": "corrupt"}


def test_a_pdf_stream_bomb_is_refused() -> None:
    bomb = content_bomb_pdf(expanded_mib=24)
    assert len(bomb) < 100 * 1024
    assert refused(bomb, "pdf").details == {"reason": "too_complex"}


def test_an_xml_bomb_is_refused_before_any_parser_sees_it() -> None:
    assert refused(xml_bomb_docx(corpus_document("resume-ko-backend", "docx")), "docx").details == {
        "reason": "xml_dtd"
    }


def test_an_external_entity_is_refused_too() -> None:
    import tests.support.documents as documents

    document = (
        b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
    )
    xxe = documents._docx_with({"word/document.xml": document}, corpus_document("resume-ko-backend", "docx"))
    assert refused(xxe, "docx").details == {"reason": "xml_dtd"}


def test_more_than_twenty_pages_is_refused() -> None:
    error = refused(pages_pdf(21), "pdf")
    assert isinstance(error, TooManyPages) and error.details == {"pages": 21, "limit": 20}
    assert read(pages_pdf(20), "pdf").pages == 20


@pytest.mark.parametrize(("data", "fmt"), [(b"Hi", "text"), (b"   \n\n  ", "text"), (None, "pdf")])
def test_too_little_text_is_refused(data: bytes | None, fmt: Format) -> None:
    error = refused(data if data is not None else tiny_pdf("Hi"), fmt)
    assert isinstance(error, TooLittleText) and error.details["minimum"] == 20


def test_the_challenge_one_line_resume_is_enough() -> None:
    line = "3년차 백엔드 개발자, Spring Boot/MSA/Python 기반 커머스 서비스 개발, AWS EC2 운영 경험"
    assert read(line.encode(), "text").text == line


def test_an_english_pdf_reads_too() -> None:
    document = read(corpus_document("en-backend-senior-go", "pdf"), "pdf")
    assert "Priya Raman" in document.text and "Ledgerly" in document.text
