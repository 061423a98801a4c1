"""Offline learning paths over the whole resume corpus."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from careercoach.knowledge import knowledge
from careercoach.models.generation import LearningPathDraft
from careercoach.models.resume import Language, ResumeContent, ResumeInput
from careercoach.offline import OfflineGenerator, generate_learning_path
from careercoach.resume_items import normalise_text, resume_items

CORPUS_FILES = sorted((Path(__file__).resolve().parents[2] / "corpus").glob("*.json"))
CASES = [(path, language) for path in CORPUS_FILES for language in ("ko", "en")]


def _texts(draft: LearningPathDraft) -> list[str]:
    texts = [draft.summary, *(s.area for s in draft.analysis.strengths)]
    texts += [t for g in draft.analysis.gaps for t in (g.area, g.why)]
    for step in draft.steps:
        texts += [step.title, step.why, step.milestone, *step.actions]
    return texts


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0].stem}-{c[1]}")
def test_shape_resources_gaps_and_language(
    case: tuple[Path, Language],
    generator: OfflineGenerator,
    load_resume: Callable[[Path], ResumeContent],
    english_leak: Callable[[str], bool],
) -> None:
    path, language = case
    resume = load_resume(path)
    draft = generator.learning_path(resume, language=language)
    assert 5 <= len(draft.steps) <= 8
    assert [s.order for s in draft.steps] == list(range(1, len(draft.steps) + 1))
    assert draft.total_weeks == sum(s.estimated_weeks for s in draft.steps)
    assert "communication" in {s.type for s in draft.steps}
    assert {"deepen_strength", "close_gap", "project"} & {s.type for s in draft.steps}
    k = knowledge()
    for step in draft.steps:
        assert all(k.catalog_entry(r) is not None for r in step.resource_ids), step.resource_ids
        assert 1 <= len(step.resource_ids) <= 4, step.title
        assert step.milestone and step.actions
    # A gap never names a skill the resume already lists.
    profile = generator.profile(resume)
    for gap in draft.analysis.gaps:
        named = {m.skill_id for m in k.matcher.in_text(gap.area)}
        assert not (named & set(profile.skills)), (gap.area, named)
    # Evidence for strengths is quoted from the resume.
    items = [normalise_text(item.text) for item in resume_items(resume)]
    for strength in draft.analysis.strengths:
        assert any(normalise_text(strength.evidence) in item for item in items), strength.evidence
    texts = _texts(draft)
    assert "{" not in "".join(texts)
    assert not any(marker in "".join(texts) for marker in ("을(를)", "이(가)", "와(과)", "(으)로"))
    if language == "ko":
        assert any("가" <= ch <= "힣" for ch in draft.summary)
    else:
        assert not any(english_leak(text) for text in texts), [t for t in texts if english_leak(t)]


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.stem)
def test_deterministic(path: Path, generator: OfflineGenerator, load_resume) -> None:
    resume = load_resume(path)
    assert generator.learning_path(resume) == generator.learning_path(resume)


def test_job_description_gaps_come_first(
    generator: OfflineGenerator, corpus: dict[str, ResumeContent]
) -> None:
    resume = corpus["resume-ko-backend"]
    jd = "We run Go services on Kubernetes with Terraform and Redis."
    draft = generator.learning_path(resume, language="en", job_description=jd)
    areas = [g.area for g in draft.analysis.gaps]
    assert areas[:3] == ["Go", "Kubernetes", "Terraform"]
    assert "Redis" not in " ".join(areas)  # already on the resume
    first = draft.steps[0]
    assert first.type == "close_gap" and first.priority == "high" and "Go" in first.title
    assert "job description" in draft.summary.lower()


def test_gaps_target_the_next_level(generator: OfflineGenerator, corpus: dict[str, ResumeContent]) -> None:
    junior = generator.learning_path(corpus["ko-backend-newgrad"], language="en")
    assert any("Caching" in g.area or "Messaging" in g.area for g in junior.analysis.gaps)
    senior = generator.learning_path(corpus["en-backend-senior-go"], language="en")
    assert not any("Algorithms" in g.area for g in senior.analysis.gaps)  # coding-test basics are for juniors


def test_strengths_cite_achievements_with_numbers(
    generator: OfflineGenerator, corpus: dict[str, ResumeContent]
) -> None:
    draft = generator.learning_path(corpus["resume-ko-backend"], language="ko")
    evidence = [s.evidence for s in draft.analysis.strengths]
    assert "Redis 캐싱으로 상품 조회 API p95 응답시간 420ms에서 180ms로 단축" in evidence


def test_sparse_resume_still_gets_a_full_plan() -> None:
    resume = ResumeInput.model_validate({"career_summary": "Developer"}).to_content()
    draft = generate_learning_path(resume)
    assert 5 <= len(draft.steps) <= 8 and draft.analysis.strengths and draft.analysis.gaps
    assert draft.analysis.strengths[0].evidence == "Developer"


def test_seed_changes_are_still_valid(generator: OfflineGenerator, corpus: dict[str, ResumeContent]) -> None:
    for seed in range(4):
        draft = generator.learning_path(corpus["ko-devops-senior"], seed=seed)
        assert draft.total_weeks == sum(s.estimated_weeks for s in draft.steps)
