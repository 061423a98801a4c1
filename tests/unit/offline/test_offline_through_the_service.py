"""The offline generator as the `offline` provider behind GenerationService: its drafts pass every generation
check (grounding, distinct questions, language, catalog-only resources, no listed skill as a gap) for every
corpus resume, and a partial coverage reaches the stored record and reads back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import llm_registry
from careercoach import container
from careercoach.generation.interview import INTERVIEW
from careercoach.generation.learning import LEARNING_PATH
from careercoach.models.generation import InterviewOptions, LearningPathOptions
from careercoach.models.resume import ResumeContent, ResumeInput

OWNER = "alice"
CORPUS = Path(__file__).resolve().parents[2] / "corpus"
CASES = sorted(path.stem for path in CORPUS.glob("*.json"))
OUTSIDE = {"en-marketing-manager", "ko-designer", "en-sales-sparse"}


@pytest.fixture(autouse=True)
def offline_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("LLM_PROVIDERS", "offline")
    llm_registry.reset()
    yield
    llm_registry.reset()


def _store(resume: ResumeContent) -> str:
    raw = resume.model_dump(mode="json", exclude_none=True)
    return container.current().resumes.create(ResumeInput.model_validate(raw), owner=OWNER).unique_key


@pytest.mark.parametrize("name", CASES)
def test_every_corpus_resume_passes_the_generation_checks_first_time(
    name: str, corpus: dict[str, ResumeContent]
) -> None:
    key = _store(corpus[name])
    service = container.current().generation
    for language in ("ko", "en"):
        questions = service.generate(
            INTERVIEW, key, InterviewOptions(count=10, language=language), owner=OWNER
        )
        path = service.generate(LEARNING_PATH, key, LearningPathOptions(language=language), owner=OWNER)
        for record in (questions, path):
            # One attempt: no check failed, so no repair turn and no fallback was needed.
            assert [a.outcome for a in record.attempts] == ["ok"], record.attempts
            assert record.provider == "offline"
        outside = name in OUTSIDE
        for record in (questions, path):
            if outside:
                assert record.coverage is not None and record.coverage.level == "partial"
            else:
                assert record.coverage is None


def test_partial_coverage_is_stored_and_read_back(corpus: dict[str, ResumeContent]) -> None:
    key = _store(corpus["en-marketing-manager"])
    service = container.current().generation
    service.generate(INTERVIEW, key, InterviewOptions(), owner=OWNER)
    service.generate(LEARNING_PATH, key, LearningPathOptions(), owner=OWNER)
    questions = service.latest(INTERVIEW, key, owner=OWNER)
    path = service.latest(LEARNING_PATH, key, owner=OWNER)
    for record in (questions, path):
        assert record.coverage is not None and record.coverage.level == "partial"
        assert "marketing" in (record.coverage.reason or "")
        assert record.model_dump(mode="json")["coverage"]["level"] == "partial"
