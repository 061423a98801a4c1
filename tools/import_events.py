"""Writes events/import/*.json: the import function's sample events, for `make invoke` (and `sam local
invoke -e`) and for the handler tests; and samples/resume-en-frontend.pdf and samples/resume-ko-backend.docx,
the documents README's "Try it" uploads with `curl -F`. Each event carries a real document made from a
corpus resume, as API Gateway's HTTP API delivers it (payload format 2.0): a binary body (PDF, DOCX, a
multipart form) base64-encoded with `isBase64Encoded: true`, a text body as text.

    .venv/bin/python -m tools.import_events      # rewrite them (after a change to the document builders)

The documents come from tests/support/documents.py (fpdf2 with Debian's Nanum font, python-docx): small, a
page each. PDFs carry a creation date, so a rewrite changes the PDF events' bytes even when nothing else
did."""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for entry in (ROOT / "layers" / "core", ROOT / "layers" / "llm", ROOT):
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))

from tests.support.documents import MEDIA_TYPES, corpus_document, multipart  # noqa: E402

EVENTS = ROOT / "events" / "import"
SAMPLES = ROOT / "samples"
PATH = "/api/v1/resumes/import"
# The challenge's own example of a resume: one line of text.
CHALLENGE_LINE = "3년차 백엔드 개발자, Spring Boot/MSA/Python 기반 커머스 서비스 개발, AWS EC2 운영 경험\n"


def event(
    method: str,
    path: str,
    *,
    query: str = "",
    body: bytes | None = None,
    content_type: str | None = None,
    binary: bool = True,
) -> dict[str, Any]:
    route_key = f"{method} {path}"
    headers = {"accept": "application/json", "host": "127.0.0.1:3000", "user-agent": "sam-local-invoke"}
    if content_type:
        headers["content-type"] = content_type
    if body is not None:
        headers["content-length"] = str(len(body))
    sample: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": query,
        "headers": headers,
    }
    if query:
        sample["queryStringParameters"] = dict(part.split("=", 1) for part in query.split("&"))
    sample["requestContext"] = {
        "accountId": "123456789012",
        "apiId": "localapi",
        "domainName": "127.0.0.1",
        "domainPrefix": "127",
        "http": {
            "method": method,
            "path": path,
            "protocol": "HTTP/1.1",
            "sourceIp": "127.0.0.1",
            "userAgent": "sam-local-invoke",
        },
        "requestId": "sample-request-id-0001",
        "routeKey": route_key,
        "stage": "$default",
        "time": "23/Nov/2026:19:30:00 +0000",
        "timeEpoch": 1795462200000,
    }
    sample["isBase64Encoded"] = False
    if body is not None:
        if binary:
            sample["body"] = base64.b64encode(body).decode("ascii")
            sample["isBase64Encoded"] = True
        else:
            sample["body"] = body.decode("utf-8")
    return sample


def samples() -> dict[str, dict[str, Any]]:
    pdf = corpus_document("resume-ko-backend", "pdf")
    docx = corpus_document("resume-en-frontend", "docx")
    text = corpus_document("en-backend-3y", "text")
    form, form_type = multipart(corpus_document("ko-backend-newgrad", "pdf"), "resume.pdf", "application/pdf")
    return {
        "health.json": event("GET", f"{PATH}/health"),
        # The document as the body with its media type.
        "pdf.json": event("POST", PATH, body=pdf, content_type=MEDIA_TYPES["pdf"]),
        "docx.json": event("POST", PATH, body=docx, content_type=MEDIA_TYPES["docx"]),
        "text.json": event("POST", PATH, body=text, content_type=MEDIA_TYPES["text"], binary=False),
        "challenge-line.json": event(
            "POST", PATH, body=CHALLENGE_LINE.encode(), content_type="text/plain; charset=utf-8", binary=False
        ),
        # What `curl -F file=@resume.pdf '...?dry_run=true'` sends: nothing is stored, 200.
        "multipart-dry-run.json": event(
            "POST", PATH, query="dry_run=true", body=form, content_type=form_type
        ),
        # Refusals: another media type (415), too little text to be a resume (422 too_little_text).
        "unsupported-type.json": event(
            "POST", PATH, body=b"{}", content_type="application/json", binary=False
        ),
        "too-little-text.json": event(
            "POST", PATH, body=b"Hi there", content_type="text/plain; charset=utf-8", binary=False
        ),
    }


def sample_documents() -> dict[str, bytes]:
    """The samples' own resumes (samples/*.json are in the corpus too) as a PDF and a Word file."""
    return {
        "resume-en-frontend.pdf": corpus_document("resume-en-frontend", "pdf"),
        "resume-ko-backend.docx": corpus_document("resume-ko-backend", "docx"),
    }


def main() -> int:
    EVENTS.mkdir(parents=True, exist_ok=True)
    for name, sample in samples().items():
        path = EVENTS / name
        path.write_text(json.dumps(sample, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")
    for name, document in sample_documents().items():
        path = SAMPLES / name
        path.write_bytes(document)
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
