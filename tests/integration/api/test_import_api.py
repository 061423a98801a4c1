"""Resume import over real HTTP through the local runtime (template.yaml's ImportFunction), auth on:

- a PDF, a DOCX, text and Markdown as the raw body, and as a form upload sent by the real `curl -F`, become
  stored resumes that GET reads back (201 + Location exactly like POST /api/v1/resumes); a dry run stores
  nothing; the path with a trailing slash answers 308 and curl follows it;
- every refusal (413 over the limit, 415, 422 no_text_layer / encrypted_document / unreadable_document /
  too_little_text / too_many_pages, zip and XML bombs, a form without its file) answers the common error
  body and stores nothing for the caller;
- an imported resume goes through questions, a learning path and a practice session like a typed one, and
  offline imports never count against the hourly generation quota.

With a model first: test_import_model_api.py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from careercoach.importing import MAX_BODY_BYTES, MAX_FILE_BYTES
from local.runtime import LocalRuntime
from tests.integration.api.conftest import BearerApiClient, body_of, local_runtime
from tests.integration.local.support import Reply
from tests.support.documents import (
    EXTENSIONS,
    MEDIA_TYPES,
    Format,
    corpus,
    corpus_document,
    encrypted_pdf,
    multipart,
    pages_pdf,
    require_font,
    scanned_pdf,
    tiny_pdf,
    xml_bomb_docx,
    zip_bomb_docx,
)

PATH = "/api/v1/resumes/import"
KO = next(r for r in corpus() if r.stem == "resume-ko-backend").content
ERROR_KEYS = {"error_code", "message", "detail", "request_id"}


@pytest.fixture(scope="module", autouse=True)
def korean_font() -> None:
    require_font()


@pytest.fixture(scope="module")
def import_runtime() -> Iterator[LocalRuntime]:
    """Auth on, the offline extractor only (the `make run` default), 3 generation requests an hour."""
    env = {
        "MONGODB_URI": "mongomock://localhost/import_api",
        "LLM_PROVIDERS": "offline",
        "GENERATION_QUOTA_PER_HOUR": "3",
    }
    with local_runtime(env, auth=True) as started:
        yield started


@pytest.fixture(scope="module")
def user(import_runtime: LocalRuntime) -> Callable[[str], BearerApiClient]:
    issuer = import_runtime.dev_issuer
    assert issuer is not None
    return lambda sub: BearerApiClient(import_runtime.http_url, issuer.token(sub))


def upload(client: BearerApiClient, data: bytes, content_type: str | None, query: str = "") -> Reply:
    headers = [("content-type", content_type)] if content_type else []
    return client.request("POST", PATH + query, data, headers)


def keys_of(client: BearerApiClient) -> list[str]:
    reply = client.request("GET", "/api/v1/resumes?limit=50")
    assert reply.status == 200, reply.body[:300]
    return [item["unique_key"] for item in body_of(reply)["items"]]


def assert_common_error(reply: Reply, status: int, error_code: str) -> dict[str, Any]:
    assert reply.status == status, (reply.status, reply.body[:400])
    assert reply.header("content-type") == "application/json"
    body: dict[str, Any] = body_of(reply)
    assert ERROR_KEYS <= set(body) <= ERROR_KEYS | {"details"}
    assert body["error_code"] == error_code and body["detail"] == body["message"]
    assert body["request_id"] == reply.header("apigw-requestid")
    return body


def assert_stored_and_read_back(client: BearerApiClient, reply: Reply, source_type: str) -> dict[str, Any]:
    assert reply.status == 201, reply.body[:400]
    body: dict[str, Any] = body_of(reply)
    report = body.pop("import_report")
    assert report["source_type"] == source_type
    assert reply.header("location") == f"/api/v1/resumes/{body['unique_key']}"
    fetched = client.request("GET", reply.header("location") or "")
    assert fetched.status == 200 and body_of(fetched) == body
    return body


# ---- documents in, resumes out ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "docx", "text", "markdown"])
def test_a_raw_document_is_stored_and_read_back(user: Callable[[str], BearerApiClient], fmt: Format) -> None:
    client = user(f"raw-{fmt}")
    reply = upload(client, corpus_document("resume-ko-backend", fmt), MEDIA_TYPES[fmt])
    resume = assert_stored_and_read_back(client, reply, fmt)
    assert resume["name"] == "김개발" and resume["contact"]["email"] == KO.contact.email  # type: ignore[union-attr]
    assert [w["company"] for w in resume["work_experiences"]] == ["오픈마켓 스타트업"]
    assert keys_of(client) == [resume["unique_key"]]


def _curl(*args: str) -> tuple[int, dict[str, str], bytes]:
    """The real curl against the loopback gateway: (status, headers of the last response, body)."""
    executable = shutil.which("curl")
    if executable is None:
        message = "curl is missing (Debian package curl, installed by `make browser`)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    done = subprocess.run(  # noqa: S603 - curl with arguments built here, to 127.0.0.1 only
        [executable, "-sS", "-i", *args], capture_output=True, check=True, timeout=60
    )
    raw = done.stdout
    # With -L, each response's head comes before the last one's; keep the last.
    while raw.startswith(b"HTTP/"):
        head, _, rest = raw.partition(b"\r\n\r\n")
        if not rest.startswith(b"HTTP/"):
            break
        raw = rest
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_curl_form_upload(
    user: Callable[[str], BearerApiClient], import_runtime: LocalRuntime, tmp_path: Path, fmt: Format
) -> None:
    """`curl -F file=@resume.pdf`, as the README shows: curl labels a .pdf application/pdf and a .docx
    application/octet-stream, which the file name's extension then types."""
    client = user(f"curl-{fmt}")
    document = tmp_path / f"resume{EXTENSIONS[fmt]}"
    document.write_bytes(corpus_document("en-backend-3y", fmt))
    status, headers, body = _curl(
        "-H",
        f"Authorization: Bearer {client.token}",
        "-F",
        f"file=@{document}",
        f"{import_runtime.http_url}{PATH}",
    )
    assert status == 201, body[:400]
    resume = json.loads(body)
    assert resume["import_report"]["source_type"] == fmt
    assert headers["location"] == f"/api/v1/resumes/{resume['unique_key']}"
    assert keys_of(client) == [resume["unique_key"]]


def test_a_form_built_as_curl_sends_it(user: Callable[[str], BearerApiClient]) -> None:
    client = user("form")
    body, content_type = multipart(
        corpus_document("en-ios-mid", "docx"), "cv.docx", "application/octet-stream"
    )
    assert_stored_and_read_back(client, upload(client, body, content_type), "docx")


def test_a_dry_run_stores_nothing(user: Callable[[str], BearerApiClient]) -> None:
    client = user("dry-run")
    reply = upload(client, corpus_document("ko-frontend-mid", "pdf"), "application/pdf", "?dry_run=true")
    assert reply.status == 200, reply.body[:300]
    assert reply.header("location") is None
    body = body_of(reply)
    assert set(body) == {"resume", "import_report"}
    assert body["import_report"]["extracted_by"] == "offline"
    assert body["import_report"]["redacted"]["emails"] >= 1
    assert keys_of(client) == []
    # Edited and saved through the ordinary create route, as the /test page does.
    edited = {**body["resume"], "summary": body["resume"]["summary"] + " (edited)"}
    created = client.json("POST", "/api/v1/resumes", edited)
    assert created.status == 201 and body_of(created)["summary"].endswith("(edited)")


def test_the_path_with_a_trailing_slash_answers_308_and_curl_follows_it(
    user: Callable[[str], BearerApiClient], import_runtime: LocalRuntime, tmp_path: Path
) -> None:
    client = user("slash")
    reply = upload(client, corpus_document("en-backend-3y", "text"), "text/plain", "/?dry_run=true")
    assert reply.status == 308
    assert reply.header("location") == f"{PATH}?dry_run=true"
    assert keys_of(client) == []
    document = tmp_path / "resume.pdf"
    document.write_bytes(corpus_document("en-backend-3y", "pdf"))
    status, _, body = _curl(
        "-L",
        "-H",
        f"Authorization: Bearer {client.token}",
        "-F",
        f"file=@{document}",
        f"{import_runtime.http_url}{PATH}/",
    )
    assert status == 201, body[:300]
    assert keys_of(client) == [json.loads(body)["unique_key"]]


# ---- refusals: the common error body, nothing stored -------------------------------------------------------


def _ko_pdf() -> bytes:
    return corpus_document("resume-ko-backend", "pdf")


def _ko_docx() -> bytes:
    return corpus_document("resume-ko-backend", "docx")


def _form_without_file() -> tuple[bytes, str | None]:
    body, content_type = multipart(_ko_pdf(), "resume.pdf", "application/pdf")
    return body.replace(b'name="file"', b'name="cv"'), content_type


Refusal = tuple[Callable[[], tuple[bytes, str | None]], int, str, Any]
PDF, DOCX = "application/pdf", MEDIA_TYPES["docx"]
OVER_LIMIT = {"limit_bytes": MAX_FILE_BYTES}
REFUSALS: dict[str, Refusal] = {
    "body over the limit": (
        lambda: (b"%PDF-1.7\n" + b"0" * MAX_BODY_BYTES, PDF),
        413,
        "payload_too_large",
        OVER_LIMIT,
    ),
    "file over the limit": (
        lambda: (b"%PDF-1.7\n" + b"0" * MAX_FILE_BYTES, PDF),
        413,
        "payload_too_large",
        OVER_LIMIT,
    ),
    "image": (lambda: (b"\x89PNG\r\n\x1a\n" + b"0" * 64, "image/png"), 415, "unsupported_media_type", None),
    "old Word": (lambda: (b"\xd0\xcf\x11\xe0", "application/msword"), 415, "unsupported_media_type", None),
    "no content type": (lambda: (_ko_pdf(), None), 415, "unsupported_media_type", None),
    "latin-1 text": (
        lambda: ("Résumé of a backend engineer".encode("latin-1"), "text/plain; charset=latin-1"),
        415,
        "unsupported_media_type",
        None,
    ),
    "scan": (lambda: (scanned_pdf(KO), PDF), 422, "no_text_layer", None),
    "password": (lambda: (encrypted_pdf(KO), PDF), 422, "encrypted_document", None),
    "truncated": (lambda: (_ko_pdf()[: len(_ko_pdf()) // 2], PDF), 422, "unreadable_document", None),
    "mislabelled": (lambda: (_ko_docx(), PDF), 422, "unreadable_document", None),
    "too little text": (
        lambda: (tiny_pdf("Hi"), PDF),
        422,
        "too_little_text",
        {"characters": 2, "minimum": 20},
    ),
    "21 pages": (lambda: (pages_pdf(21), PDF), 422, "too_many_pages", {"pages": 21, "limit": 20}),
    "zip bomb": (
        lambda: (zip_bomb_docx(_ko_docx()), DOCX),
        422,
        "unreadable_document",
        {"reason": "archive_limits"},
    ),
    "XML bomb": (
        lambda: (xml_bomb_docx(_ko_docx()), DOCX),
        422,
        "unreadable_document",
        {"reason": "xml_dtd"},
    ),
    "form without a file": (_form_without_file, 400, "bad_request", {"field": "file", "parts": 0}),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_every_refusal_answers_the_common_error_and_stores_nothing(
    user: Callable[[str], BearerApiClient], case: str
) -> None:
    client = user("refused")
    make, status, error_code, details = REFUSALS[case]
    data, content_type = make()
    body = assert_common_error(upload(client, data, content_type), status, error_code)
    if details is not None:
        assert body["details"] == details
    if error_code == "no_text_layer":
        assert "OCR" in body["message"]
    if status == 413:
        assert "4 MB" in body["message"]
    assert keys_of(client) == []


# ---- an imported resume is a resume like any other ---------------------------------------------------------


def test_an_imported_resume_goes_through_questions_learning_path_and_practice(
    user: Callable[[str], BearerApiClient],
) -> None:
    client = user("flow")
    resume = assert_stored_and_read_back(
        client,
        upload(client, corpus_document("ko-backend-senior-dense", "docx"), MEDIA_TYPES["docx"]),
        "docx",
    )
    key = resume["unique_key"]
    questions = client.json("POST", f"/api/v1/interview/{key}/questions", {"count": 3})
    assert questions.status == 201, questions.body[:300]
    assert len(body_of(questions)["questions"]) == 3
    path = client.json("POST", f"/api/v1/learning/{key}/learning-path", {})
    assert path.status == 201, path.body[:300]
    assert body_of(path)["steps"]
    session = client.json("POST", f"/api/v1/practice/{key}/sessions", {})
    assert session.status == 201, session.body[:300]
    session_id = body_of(session)["session_id"]
    first = body_of(session)["next"]["question_id"]
    answer = {
        "question_id": first,
        "answer": "결제 API의 p99를 줄이려고 캐시를 넣고 전후 지연 시간을 측정했습니다.",
    }
    answered = client.json("POST", f"/api/v1/practice/{key}/sessions/{session_id}/answers", answer)
    assert answered.status == 201, answered.body[:300]
    assert body_of(answered)["evaluation"]["score"] >= 0
    finished = client.json("POST", f"/api/v1/practice/{key}/sessions/{session_id}/finish", {})
    assert finished.status == 200 and body_of(finished)["status"] == "finished"


def test_offline_imports_do_not_count_against_the_quota(user: Callable[[str], BearerApiClient]) -> None:
    """The quota is 3 an hour here: four offline imports, then three generations, and only the fourth
    generation is refused."""
    client = user("counted")
    keys = [
        body_of(upload(client, corpus_document("en-backend-3y", "text"), "text/plain"))["unique_key"]
        for _ in range(4)
    ]
    for key in keys[:3]:
        assert client.json("POST", f"/api/v1/interview/{key}/questions", {"count": 1}).status == 201
    assert_common_error(
        client.json("POST", f"/api/v1/interview/{keys[3]}/questions", {}), 429, "quota_exceeded"
    )
    assert upload(client, corpus_document("en-backend-3y", "text"), "text/plain").status == 201
