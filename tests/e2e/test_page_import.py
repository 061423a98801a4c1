"""The /test page's Import card in Chromium against the local runtime (offline extractor, the `make run`
default): real PDF and DOCX files made here (fpdf2 with Nanum Gothic, python-docx) go through the real file
input as a form upload to `POST /api/v1/resumes/import?dry_run=true`; the page shows the report and the
extracted JSON, the edited JSON is saved through the Resume card's create flow (checked through the API), and
the question flow runs on it. Refusals (415, 413, 422 no_text_layer, too_little_text) appear with their
message beside the card. The fallback note (a model failed, the offline extractor answered) is in
test_page_providers.py, whose runtime has a failing provider first."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from careercoach.importing import MAX_FILE_BYTES
from local.runtime import LocalRuntime
from tests.e2e.conftest import (
    GENERATION_TIMEOUT_MS,
    error_box,
    expect_no_error,
    horizontal_overflow,
    open_page,
    screenshot,
)
from tests.support.documents import corpus, corpus_document, render_text, require_font, scanned_pdf

KO = next(r for r in corpus() if r.stem == "resume-ko-backend").content
EN = next(r for r in corpus() if r.stem == "en-backend-3y").content
IMPORT_PATH = "/api/v1/resumes/import"


@pytest.fixture(scope="module", autouse=True)
def korean_font() -> None:
    require_font()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def import_requests(page: Any) -> list[Any]:
    """Every request the page sends to the import route, as it happens."""
    sent: list[Any] = []
    page.on("request", lambda request: sent.append(request) if IMPORT_PATH in request.url else None)
    return sent


def choose(page: Any, path: Path) -> None:
    """Choose a file in the real <input type=file>, as a user does through the file dialog."""
    page.get_by_test_id("import-file").set_input_files(str(path))


def previewed(page: Any) -> dict[str, Any]:
    """Wait for the dry run's preview; the extracted resume in the textarea, parsed."""
    expect(page.get_by_test_id("import-preview")).to_be_visible(timeout=GENERATION_TIMEOUT_MS)
    expect_no_error(page)
    value = page.get_by_test_id("import-json").input_value()
    resume: dict[str, Any] = json.loads(value)
    return resume


def report_text(page: Any, field: str) -> str:
    return str(page.get_by_test_id(f"report-{field}").inner_text()).strip()


def api_get(page: Any, runtime: LocalRuntime, path: str) -> Any:
    response = page.request.get(f"{runtime.http_url}{path}")
    assert response.status == 200, response.text()[:300]
    return response.json()


def test_a_pdf_dry_run_edited_saved_and_on_to_questions(
    page: Any, runtime: LocalRuntime, tmp_path: Path
) -> None:
    sent = import_requests(page)
    pdf = write(tmp_path, "이력서.pdf", corpus_document("resume-ko-backend", "pdf"))
    open_page(page, runtime)
    page.get_by_label(re.compile("^Resume file")).set_input_files(str(pdf))  # the input, by its label
    resume = previewed(page)

    # One form upload, a dry run (Chromium does not show a test the body of a file upload; the route reads a
    # form only through its part named `file`, and answers 400 without one).
    assert [request.method for request in sent] == ["POST"]
    request = sent[0]
    assert request.url == f"{runtime.http_url}{IMPORT_PATH}?dry_run=true"
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    response = request.response()
    assert response is not None and response.status == 200

    # The report, as the API gave it.
    answer = response.json()
    report = answer["import_report"]
    assert (report["source_type"], report["language"], report["extracted_by"]) == ("pdf", "ko", "offline")
    assert report_text(page, "source-type") == "PDF"
    assert report_text(page, "pages") == str(report["pages"]) and report["pages"] >= 1
    assert report_text(page, "characters") == str(report["characters"]) and report["characters"] > 200
    assert report_text(page, "language") == "ko"
    assert report_text(page, "extracted-by") == f"offline (built-in extractor, no AI) · {report['model']}"
    assert "emails 1" in report_text(page, "redacted") and "phones 1" in report_text(page, "redacted")
    expect(page.get_by_test_id("report-missing-field")).to_have_count(len(report["missing"]))
    expect(page.get_by_test_id("report-warning")).to_have_count(len(report["warnings"]))
    expect(page.get_by_test_id("degraded-note")).to_have_count(
        0
    )  # the offline extractor was the first choice

    # The JSON is the extracted resume, contact data included (found locally, never sent to a provider).
    assert resume == answer["resume"]
    assert KO.contact is not None
    assert resume["name"] == KO.name and resume["contact"]["email"] == KO.contact.email
    assert any(w["company"] == "오픈마켓 스타트업" for w in resume["work_experiences"])
    # Nothing was stored by the dry run: no current resume yet, so no questions can be asked for.
    expect(page.get_by_test_id("current-resume")).to_be_hidden()
    screenshot(page, "import-pdf-preview")

    # Edit the JSON, save: the Resume card's create flow makes it the current resume.
    resume["summary"] = "브라우저에서 고친 요약: 3년차 백엔드 개발자, Spring Boot와 AWS 운영 경험."
    resume["tech_skills"] = [*resume.get("tech_skills", []), "Kotlin"]
    page.get_by_test_id("import-json").fill(json.dumps(resume, ensure_ascii=False, indent=2))
    page.get_by_test_id("import-save").click()
    key = page.get_by_test_id("unique-key")
    expect(key).to_have_text(re.compile(r"^[A-Za-z0-9_-]{22}$"))
    unique_key = str(key.text_content())
    expect(page.get_by_test_id("import-saved")).to_contain_text(unique_key)
    expect(page.get_by_test_id("resume-summary")).to_have_text(resume["summary"])

    stored = api_get(page, runtime, f"/api/v1/resumes/{unique_key}")
    assert stored["summary"] == resume["summary"]
    assert stored["name"] == KO.name and stored["contact"]["email"] == KO.contact.email
    assert "Kotlin" in json.dumps(stored)
    assert [w["company"] for w in stored["work_experiences"]] == [
        w["company"] for w in resume["work_experiences"]
    ]

    # On to questions: the Generate card's flow, on the saved resume.
    page.get_by_test_id("import-questions").click()
    cards = page.get_by_test_id("question-card")
    expect(cards).to_have_count(5, timeout=GENERATION_TIMEOUT_MS)
    expect(page.get_by_test_id("stage")).to_have_attribute("data-stage", "saved")
    expect(page.get_by_test_id("result-provider")).to_contain_text("offline")
    expect_no_error(page)
    questions = api_get(page, runtime, f"/api/v1/interview/{unique_key}/questions")
    assert [q["question"] for q in questions["questions"]] == cards.get_by_test_id(
        "question-text"
    ).all_text_contents()
    screenshot(page, "import-pdf-saved-questions")


def test_a_docx_on_a_phone_in_the_korean_ui(phone: Any, runtime: LocalRuntime, tmp_path: Path) -> None:
    page = phone
    docx = write(tmp_path, "resume.docx", corpus_document("en-backend-3y", "docx"))
    open_page(page, runtime)
    page.get_by_label(re.compile("^이력서 파일")).set_input_files(str(docx))
    resume = previewed(page)
    assert horizontal_overflow(page) == 0
    assert report_text(page, "source-type") == "Word (.docx)"
    assert report_text(page, "language") == "en"
    assert report_text(page, "extracted-by").startswith("offline (내장 추출기, AI 없음) · ")
    assert EN.contact is not None and resume["contact"]["email"] == EN.contact.email
    assert {w["company"] for w in resume["work_experiences"]} >= {w.company for w in EN.work_experiences[:1]}

    page.get_by_test_id("import-save").click()
    key = page.get_by_test_id("unique-key")
    expect(key).to_have_text(re.compile(r"^[A-Za-z0-9_-]{22}$"))
    stored = api_get(page, runtime, f"/api/v1/resumes/{key.text_content()}")
    assert stored["summary"] == resume["summary"] and stored["language"] == "en"
    screenshot(page, "import-docx-phone-korean")


def test_a_dropped_markdown_file_is_read_by_its_name(page: Any, runtime: LocalRuntime) -> None:
    """A drop is a shortcut for the input; a file the browser cannot type ("" here) is typed by its name."""
    sent = import_requests(page)
    open_page(page, runtime)
    text = render_text(EN, markdown=True).encode("utf-8")
    dropped = page.evaluate_handle(
        """([data, name]) => {
             const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
             const transfer = new DataTransfer();
             transfer.items.add(new File([bytes], name, { type: "" }));
             return transfer;
           }""",
        [base64.b64encode(text).decode(), "resume.md"],
    )
    page.get_by_test_id("import-drop").dispatch_event("drop", {"dataTransfer": dropped})
    previewed(page)
    # The browser labels the part application/octet-stream; the route typed it by the name.
    assert report_text(page, "source-type") == "Markdown"
    # The input shows the dropped file, so "Read the file" reads it again.
    assert page.get_by_test_id("import-file").evaluate("(input) => input.files[0].name") == "resume.md"
    page.get_by_test_id("import-read").click()
    previewed(page)
    assert len(sent) == 2


def test_the_file_input_is_labelled_and_keyboard_reachable(page: Any, runtime: LocalRuntime) -> None:
    open_page(page, runtime)
    file_input = page.get_by_label(re.compile("^Resume file"))
    assert file_input.get_attribute("type") == "file" and file_input.is_visible()
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == "import-file":
            break
    else:
        pytest.fail("Tab never reached the file input")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-describedby')") == "import-hint"


def test_an_unsupported_file_shows_the_415_message(page: Any, runtime: LocalRuntime, tmp_path: Path) -> None:
    png = write(tmp_path, "photo.png", base64.b64decode(PNG_1PX))
    open_page(page, runtime)
    choose(page, png)
    box = error_box(page, "import")
    expect(box.get_by_test_id("error-message")).to_have_text(re.compile(r"^Send a PDF \(application/pdf\)"))
    expect(box.get_by_test_id("error-code")).to_contain_text("unsupported_media_type")
    expect(box.get_by_test_id("error-code")).to_contain_text("HTTP status 415")
    expect(page.get_by_test_id("import-preview")).to_be_hidden()
    assert box.evaluate("(box) => box.closest('section').dataset.testid") == "import-card"
    screenshot(page, "import-error-unsupported")

    # In Korean the card's own words (not the JSON routes' "send application/json").
    page.get_by_test_id("ui-lang").select_option("ko")
    expect(box.get_by_test_id("error-message")).to_have_text(
        re.compile(r"^PDF, Word\(\.docx\).*가져올 수 있습니다")
    )


def test_a_scanned_pdf_shows_that_ocr_is_not_supported(
    page: Any, runtime: LocalRuntime, tmp_path: Path
) -> None:
    scan = write(tmp_path, "scan.pdf", scanned_pdf(KO))
    open_page(page, runtime)
    choose(page, scan)
    box = error_box(page, "import")
    expect(box.get_by_test_id("error-message")).to_contain_text(
        "no text layer", timeout=GENERATION_TIMEOUT_MS
    )
    expect(box.get_by_test_id("error-message")).to_contain_text("(OCR) is not supported")
    expect(box.get_by_test_id("error-code")).to_contain_text("no_text_layer")
    expect(box.get_by_test_id("error-code")).to_contain_text("HTTP status 422")
    expect(page.get_by_test_id("import-preview")).to_be_hidden()
    screenshot(page, "import-error-no-text-layer")

    page.get_by_test_id("ui-lang").select_option("ko")
    expect(box.get_by_test_id("error-message")).to_contain_text("문자 인식(OCR)은 지원하지 않습니다")

    # A good file afterwards: the error goes, the preview comes.
    choose(page, write(tmp_path, "resume.txt", render_text(KO).encode("utf-8")))
    previewed(page)
    expect(box).to_be_hidden()


def test_a_file_over_the_limit_and_too_little_text(page: Any, runtime: LocalRuntime, tmp_path: Path) -> None:
    open_page(page, runtime, "?lang=ko")
    # Just over the limit (4 MB: MAX_FILE_BYTES), in UTF-8 text: 7 bytes a repeat.
    big = write(tmp_path, "big.txt", ("경력 " * (MAX_FILE_BYTES // 7 + 1)).encode("utf-8"))
    page.get_by_label(re.compile("^이력서 파일")).set_input_files(str(big))
    box = error_box(page, "import")
    expect(box.get_by_test_id("error-message")).to_have_text("파일이 크기 한도 4 MB를 넘습니다.")
    expect(box.get_by_test_id("error-code")).to_contain_text("HTTP 상태 413")
    page.get_by_test_id("ui-lang").select_option("en")
    expect(box.get_by_test_id("error-message")).to_have_text("The document is larger than the limit of 4 MB.")

    choose(page, write(tmp_path, "short.txt", b"Hello"))
    expect(box.get_by_test_id("error-code")).to_contain_text("too_little_text")
    expect(box.get_by_test_id("error-message")).to_contain_text("too little text")
    expect(box.get_by_test_id("error-details")).to_contain_text("minimum=")
    page.get_by_test_id("ui-lang").select_option("ko")
    expect(box.get_by_test_id("error-message")).to_have_text(
        re.compile(r"텍스트가 너무 적습니다 \(\d+자, 최소 \d+자")
    )


def test_saving_invalid_json_is_refused_beside_the_save_button(
    page: Any, runtime: LocalRuntime, tmp_path: Path
) -> None:
    open_page(page, runtime)
    choose(page, write(tmp_path, "resume.txt", render_text(EN).encode("utf-8")))
    resume = previewed(page)
    page.get_by_test_id("import-json").fill(json.dumps({**resume, "summary": ""}))
    page.get_by_test_id("import-save").click()
    box = error_box(page, "import-save")
    expect(box.get_by_test_id("error-code")).to_contain_text("HTTP status 422")
    expect(page.get_by_test_id("current-resume")).to_be_hidden()
    expect(page.get_by_test_id("import-next")).to_be_hidden()
    page.get_by_test_id("import-json").fill("{not json")
    page.get_by_test_id("import-save").click()
    expect(box.get_by_test_id("error-message")).to_contain_text("not valid JSON")


# A 1x1 PNG: a picture, which the import route does not take.
PNG_1PX = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
