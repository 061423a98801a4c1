"""Reading the request body: the raw document by media type, or the `file` part of multipart/form-data,
with the size limit and clear errors for everything else."""

from __future__ import annotations

import pytest

from careercoach.api.errors import status_of
from careercoach.errors import BadRequest, DocumentTooLarge, UnsupportedDocumentType, ValidationFailed
from careercoach.importing.body import read_upload
from careercoach.importing.limits import MAX_BODY_BYTES, MAX_FILE_BYTES
from tests.support.documents import multipart

PDF = b"%PDF-1.7\n...\n%%EOF\n"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.parametrize(
    ("content_type", "source_type"),
    [
        ("application/pdf", "pdf"),
        (DOCX_TYPE, "docx"),
        ("text/plain", "text"),
        ("text/plain; charset=UTF-8", "text"),
        ("Text/Markdown; charset=utf-8", "markdown"),
    ],
)
def test_raw_bodies_are_read_by_media_type(content_type: str, source_type: str) -> None:
    upload = read_upload(b"body bytes", content_type)
    assert (upload.data, upload.source_type) == (b"body bytes", source_type)


@pytest.mark.parametrize("content_type", [None, "", "application/json", "image/png", "application/msword"])
def test_other_media_types_are_415_naming_the_accepted_ones(content_type: str | None) -> None:
    with pytest.raises(UnsupportedDocumentType) as caught:
        read_upload(b"x", content_type)
    assert status_of(caught.value) == 415
    assert "application/pdf" in caught.value.message and "multipart/form-data" in caught.value.message


def test_text_in_another_charset_is_415() -> None:
    with pytest.raises(UnsupportedDocumentType) as caught:
        read_upload("이력서".encode("euc-kr"), "text/plain; charset=euc-kr")
    assert "UTF-8" in caught.value.message


def test_multipart_as_curl_sends_it() -> None:
    body, content_type = multipart(PDF, "resume.pdf", "application/pdf")
    upload = read_upload(body, content_type)
    assert (upload.data, upload.source_type, upload.filename) == (PDF, "pdf", "resume.pdf")


def test_a_generic_part_type_falls_back_to_the_file_extension() -> None:
    # curl labels a .docx application/octet-stream; a browser may send no type at all
    body, content_type = multipart(b"PK\x03\x04...", "이력서.docx", "application/octet-stream")
    assert read_upload(body, content_type).source_type == "docx"
    body, content_type = multipart(b"hello", "notes.md", None)
    assert read_upload(body, content_type).source_type == "markdown"


def test_a_generic_part_with_an_unknown_extension_is_415() -> None:
    body, content_type = multipart(b"data", "photo.jpg", "application/octet-stream")
    with pytest.raises(UnsupportedDocumentType):
        read_upload(body, content_type)


def test_another_form_field_is_422_never_ignored() -> None:
    """`-F dry_run=true` must not store what was meant as a preview: a part that is not read is refused, as
    the OpenAPI document says (`additionalProperties: false`)."""
    boundary = "b0undary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="dry_run"\r\n\r\ntrue\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="cv.txt"\r\n'
        f"Content-Type: text/plain\r\n\r\n이력서 본문\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="dry_run"\r\n\r\ntrue\r\n--{boundary}--\r\n'
    ).encode()
    with pytest.raises(ValidationFailed) as caught:
        read_upload(body, f"multipart/form-data; boundary={boundary}")
    assert status_of(caught.value) == 422
    assert caught.value.details == [
        {"loc": ["body", "dry_run"], "msg": "Only a part named `file` is read", "type": "extra_forbidden"}
    ]


@pytest.mark.parametrize(
    "body",
    [
        b"",  # nothing at all
        b'--other\r\nContent-Disposition: form-data; name="file"\r\n\r\nx\r\n--other--\r\n',  # wrong boundary
        b'--b0undary\r\nContent-Disposition: form-data; name="file"\r\n\r\nnever closed',  # cut short
    ],
)
def test_malformed_multipart_is_400(body: bytes) -> None:
    with pytest.raises(BadRequest):
        read_upload(body, "multipart/form-data; boundary=b0undary")


def test_multipart_without_a_boundary_is_400() -> None:
    with pytest.raises(BadRequest):
        read_upload(b"x", "multipart/form-data")


def test_multipart_needs_exactly_one_file_part() -> None:
    boundary = "b0undary"
    part = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nabc\r\n'
    with pytest.raises(BadRequest) as caught:
        read_upload(f"{part}{part}--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}")
    assert caught.value.details == {"field": "file", "parts": 2}
    empty = f'--{boundary}\r\nContent-Disposition: form-data; name="other"\r\n\r\nabc\r\n--{boundary}--\r\n'
    with pytest.raises(BadRequest):
        read_upload(empty.encode(), f"multipart/form-data; boundary={boundary}")


def test_hostile_multipart_hits_the_parser_limits() -> None:
    boundary = "b0undary"
    many = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="f{i}"\r\n\r\nx\r\n' for i in range(50)
    )
    with pytest.raises(BadRequest):
        read_upload(f"{many}--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}")
    huge_header = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{"a" * 10_000}"\r\n\r\nx'
    )
    with pytest.raises(BadRequest):
        read_upload(
            f"{huge_header}\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"
        )


def test_a_file_over_the_limit_is_413_raw_and_in_multipart() -> None:
    too_big = b"%PDF-" + b"0" * MAX_FILE_BYTES
    with pytest.raises(DocumentTooLarge) as caught:
        read_upload(too_big, "application/pdf")
    assert status_of(caught.value) == 413 and caught.value.details == {"limit_bytes": MAX_FILE_BYTES}
    assert "4 MB" in caught.value.message
    body, content_type = multipart(too_big[: MAX_FILE_BYTES + 1], "big.pdf", "application/pdf")
    assert len(body) <= MAX_BODY_BYTES  # under the body limit: the part's own size is what is refused
    with pytest.raises(DocumentTooLarge):
        read_upload(body, content_type)
    with pytest.raises(DocumentTooLarge):
        read_upload(b"x" * (MAX_BODY_BYTES + 1), "multipart/form-data; boundary=b0undary")


def test_a_file_of_exactly_the_limit_is_accepted() -> None:
    exact = b"%PDF-" + b"0" * (MAX_FILE_BYTES - 5)
    assert len(read_upload(exact, "application/pdf").data) == MAX_FILE_BYTES
    body, content_type = multipart(exact, "cv.pdf", "application/pdf")
    assert len(read_upload(body, content_type).data) == MAX_FILE_BYTES
