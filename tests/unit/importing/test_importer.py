"""ResumeImporter end to end with the offline extractor (no provider configured, the `make run` default):
stored exactly like POST /api/v1/resumes, dry runs store nothing, refusals store nothing, the report, and an
imported resume goes through question and learning-path generation like a typed one."""

from __future__ import annotations

import json

import pytest

from careercoach import container
from careercoach.errors import AppError, DocumentRejected, UnsupportedDocumentType
from careercoach.generation.interview import INTERVIEW
from careercoach.generation.learning import LEARNING_PATH
from careercoach.importing import ImportOutcome, ResumeImporter
from careercoach.models.generation import InterviewOptions, LearningPathOptions
from careercoach.models.resume import ResumeInput
from tests.support.documents import (
    MEDIA_TYPES,
    corpus,
    corpus_document,
    multipart,
    scanned_pdf,
    two_column_pdf,
)

from .conftest import OWNER

KO = next(r for r in corpus() if r.stem == "resume-ko-backend").content


def stored_keys() -> list[str]:
    page = container.current().resumes.list(owner=OWNER, limit=50, cursor=None)
    return [item.unique_key for item in page.items]


def test_an_imported_pdf_is_stored_like_a_typed_resume(importer: ResumeImporter) -> None:
    outcome = importer.import_document(
        corpus_document("resume-ko-backend", "pdf"), "application/pdf", owner=OWNER
    )
    assert outcome.stored is not None and not outcome.dry_run
    stored = container.current().resumes.get(outcome.stored.unique_key, owner=OWNER)
    assert stored == outcome.stored
    # the same input through the typed route's service makes the same stored content
    typed = container.current().resumes.create(outcome.resume_input, owner=OWNER)
    assert typed.content() == stored.content()
    assert stored.name == "김개발" and stored.contact == KO.contact
    assert [w.company for w in stored.work_experiences] == ["오픈마켓 스타트업"]
    assert stored.work_experiences[0].achievements == KO.work_experiences[0].achievements
    assert stored.total_experience_months == 52  # 2022.09 to the importer's clock, 2026.12


def test_the_report(importer: ResumeImporter) -> None:
    body, content_type = multipart(
        corpus_document("ko-sparse-summary", "docx"), "cv.docx", "application/octet-stream"
    )
    outcome = importer.import_document(body, content_type, owner=OWNER)
    report = outcome.report
    assert (report.source_type, report.language, report.extracted_by, report.degraded) == (
        "docx",
        "ko",
        "offline",
        False,
    )
    assert report.pages == 1 and report.characters > 20 and report.prompt_version
    assert report.missing == [
        "name",
        "total_experience_months",
        "work_experiences",
        "personal_projects",
        "technical_skills",
        "certifications",
        "education",
    ]
    assert report.redacted["emails"] == 1 and report.redacted["phones"] == 1
    assert [a.provider for a in report.attempts] == ["offline"]


def test_a_dry_run_stores_nothing_and_its_resume_can_be_posted_as_it_is(importer: ResumeImporter) -> None:
    outcome = importer.import_document(
        corpus_document("en-ml-senior", "markdown"), MEDIA_TYPES["markdown"], owner=OWNER, dry_run=True
    )
    assert outcome.dry_run and stored_keys() == []
    body = json.loads(json.dumps(outcome.body()))
    assert set(body) == {"resume", "import_report"}
    assert (
        ResumeInput.model_validate(body["resume"]) == outcome.resume_input
    )  # what POST /api/v1/resumes takes


def test_a_stored_import_answers_like_post_resumes_plus_the_report(importer: ResumeImporter) -> None:
    outcome = importer.import_document(corpus_document("en-ios-mid", "text"), "text/plain", owner=OWNER)
    body = outcome.body()
    assert outcome.stored is not None
    assert body == {
        **outcome.stored.model_dump(mode="json"),
        "import_report": outcome.report.model_dump(mode="json"),
    }


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (scanned_pdf(KO), "application/pdf"),
        (b"%PDF-1.7 truncated", "application/pdf"),
        (b"hello", "image/png"),
        (b"Hi", "text/plain"),
    ],
)
def test_refused_documents_store_nothing(importer: ResumeImporter, data: bytes, content_type: str) -> None:
    with pytest.raises(AppError) as caught:
        importer.import_document(data, content_type, owner=OWNER)
    assert isinstance(caught.value, DocumentRejected | UnsupportedDocumentType)
    assert stored_keys() == []


def test_lines_that_fit_nowhere_are_reported(importer: ResumeImporter) -> None:
    text = "요약\n백엔드 개발자로 3년 일했습니다.\n취미\n등산과 바둑\n"
    outcome = importer.import_document(text.encode(), "text/plain", owner=OWNER, dry_run=True)
    assert "Not placed in any field: 등산과 바둑" in outcome.report.warnings


def test_a_two_column_pdf_imports(importer: ResumeImporter) -> None:
    outcome = importer.import_document(two_column_pdf(KO), "application/pdf", owner=OWNER, dry_run=True)
    resume = outcome.resume_input
    assert [w.company for w in resume.work_experiences] == ["오픈마켓 스타트업"]
    assert resume.work_experiences[0].achievements == KO.work_experiences[0].achievements
    skills = {s for values in resume.technical_skills.values() for s in values}
    assert {"Java", "Python", "Spring Boot", "Kafka", "Redis", "AWS", "Docker"} <= skills
    assert resume.education[0].institution == "한국대학교"
    assert resume.contact is not None and resume.contact.email == "kim.dev@example.com"


def test_an_imported_resume_generates_questions_and_a_learning_path(importer: ResumeImporter) -> None:
    outcome: ImportOutcome = importer.import_document(
        corpus_document("ko-devops-senior", "docx"), MEDIA_TYPES["docx"], owner=OWNER
    )
    assert outcome.stored is not None
    generation = container.current().generation
    questions = generation.generate(INTERVIEW, outcome.stored.unique_key, InterviewOptions(), owner=OWNER)
    assert len(questions.questions) == 5 and questions.provider == "offline"
    path = generation.generate(LEARNING_PATH, outcome.stored.unique_key, LearningPathOptions(), owner=OWNER)
    assert 5 <= len(path.steps) <= 8
    # the import's provider registration leaves the offline generator answering generation as before, and an
    # import after a generation still finds its offline answer
    assert questions.model == "careercoach-offline-1"
    again = importer.import_document(corpus_document("ko-devops-senior", "text"), "text/plain", owner=OWNER)
    assert again.report.extracted_by == "offline" and not again.report.degraded
