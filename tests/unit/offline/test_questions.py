"""Offline interview questions over the whole resume corpus."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest

from careercoach.models.generation import QuestionDraft
from careercoach.models.resume import Language, ResumeContent, ResumeInput
from careercoach.offline import OfflineGenerator, generate_questions
from careercoach.resume_items import normalise_text, resume_items

CORPUS_FILES = sorted((Path(__file__).resolve().parents[2] / "corpus").glob("*.json"))
SHARED_SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"
CASES = [
    (path, count, language) for path in CORPUS_FILES for count in (1, 5, 10) for language in ("ko", "en")
]


def _id(case: tuple[Path, int, str]) -> str:
    return f"{case[0].stem}-{case[1]}-{case[2]}"


def check_draft(
    draft: QuestionDraft,
    resume: ResumeContent,
    count: int,
    language: Language,
    english_leak: Callable[[str], bool],
) -> None:
    questions = draft.questions
    assert len(questions) == count
    assert [q.id for q in questions] == [f"q{i}" for i in range(1, count + 1)]
    texts = [normalise_text(q.question) for q in questions]
    assert len(set(texts)) == count, "duplicate questions"
    categories = {q.category for q in questions}
    assert len(categories) >= (3 if count >= 5 else count)
    items = {item.source: item for item in resume_items(resume)}
    for q in questions:
        item = items.get(q.grounding.source)
        assert item is not None, q.grounding.source
        assert normalise_text(q.grounding.quote) in normalise_text(item.text), (q.grounding, item.text)
        assert len(q.grounding.quote) >= 2
        fields = [q.question, q.intent, *q.key_points, *q.follow_ups]
        if language == "ko":
            assert any("가" <= ch <= "힣" for ch in q.question), q.question
        else:
            assert not any(english_leak(text) for text in fields), fields
        assert "{" not in "".join(fields), fields  # every placeholder was filled
        assert not any(marker in "".join(fields) for marker in ("을(를)", "이(가)", "와(과)", "(으)로"))


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_counts_grounding_language_and_variety(
    case: tuple[Path, int, Language],
    generator: OfflineGenerator,
    load_resume: Callable[[Path], ResumeContent],
    english_leak: Callable[[str], bool],
) -> None:
    path, count, language = case
    resume = load_resume(path)
    draft = generator.questions(resume, count=count, language=language)
    check_draft(draft, resume, count, language, english_leak)


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.stem)
def test_deterministic_and_seed_varies(path: Path, generator: OfflineGenerator, load_resume) -> None:
    resume = load_resume(path)
    first = generator.questions(resume, count=5, seed=0)
    assert generator.questions(resume, count=5, seed=0) == first
    others = [generator.questions(resume, count=5, seed=seed) for seed in (1, 2)]
    assert any([q.question for q in o.questions] != [q.question for q in first.questions] for o in others)


def test_two_different_resumes_never_get_the_same_set(corpus: dict[str, ResumeContent]) -> None:
    for count in (5, 10):
        sets = {
            name: frozenset(
                normalise_text(q.question) for q in generate_questions(resume, count=count).questions
            )
            for name, resume in corpus.items()
        }
        for (a, set_a), (b, set_b) in itertools.combinations(sets.items(), 2):
            assert set_a != set_b, (a, b)


def test_difficulty_follows_experience(generator: OfflineGenerator, corpus: dict[str, ResumeContent]) -> None:
    for name, resume in corpus.items():
        level = generator.profile(resume).level
        difficulties = [q.difficulty for q in generator.questions(resume, count=10).questions]
        if level == "junior":
            assert "hard" not in difficulties, name
        if level == "senior":
            assert "easy" not in difficulties, name
            assert "hard" in difficulties, name


def test_projects_and_achievements_come_first(
    generator: OfflineGenerator, corpus: dict[str, ResumeContent]
) -> None:
    for name in ("resume-ko-backend", "ko-backend-senior-dense", "en-ml-senior", "ko-devops-senior"):
        first = generator.questions(corpus[name], count=5).questions[0]
        assert ".achievements[" in first.grounding.source or ".key_achievements[" in first.grounding.source, (
            name
        )


def test_cache_achievement_asks_about_invalidation_consistency_and_measurement(
    generator: OfflineGenerator, corpus: dict[str, ResumeContent]
) -> None:
    resume = corpus["resume-ko-backend"]
    questions = generator.questions(resume, count=5, language="ko").questions
    cache = next(q for q in questions if q.grounding.source == "work_experiences[0].achievements[1]")
    assert cache.grounding.quote == "Redis 캐싱으로 상품 조회 API p95 응답시간 420ms에서 180ms로 단축"
    assert "무효화" in cache.question and "정합성" in cache.question and "420ms → 180ms" in cache.question


def test_cross_language_quotes_stay_verbatim(
    generator: OfflineGenerator, corpus: dict[str, ResumeContent]
) -> None:
    draft = generator.questions(corpus["resume-ko-backend"], count=5, language="en")
    quoted = [q for q in draft.questions if "\u201c" in q.question]
    assert quoted and all(any("가" <= ch <= "힣" for ch in q.grounding.quote) for q in quoted)


def test_language_defaults_to_the_resume(
    generator: OfflineGenerator, corpus: dict[str, ResumeContent]
) -> None:
    ko = generator.questions(corpus["ko-frontend-mid"], count=3).questions
    en = generator.questions(corpus["en-ios-mid"], count=3).questions
    assert all(any("가" <= ch <= "힣" for ch in q.question) for q in ko)
    assert not any(any("가" <= ch <= "힣" for ch in q.question) for q in en)


def test_job_description_tailors_questions(
    generator: OfflineGenerator, corpus: dict[str, ResumeContent]
) -> None:
    resume = corpus["resume-ko-backend"]
    jd = "Kubernetes와 Terraform으로 인프라를 운영하고 Go로 서비스를 개발할 백엔드 엔지니어"
    plain = generator.questions(resume, count=10)
    tailored = generator.questions(resume, count=10, job_description=jd)
    assert plain != tailored
    assert any("Kubernetes" in q.question or "Terraform" in q.question for q in tailored.questions)
    assert not any("Kubernetes" in q.question for q in plain.questions)


def test_count_out_of_range_is_rejected(corpus: dict[str, ResumeContent]) -> None:
    for count in (0, 11):
        with pytest.raises(ValueError):
            generate_questions(corpus["resume-short-form"], count=count)


@pytest.mark.skipif(not SHARED_SAMPLES.exists(), reason="shared/samples is beside the checkout only")
def test_corpus_holds_the_shared_samples_unchanged() -> None:
    corpus = Path(__file__).resolve().parents[2] / "corpus"
    for sample in SHARED_SAMPLES.glob("*.json"):
        assert (corpus / sample.name).read_text(encoding="utf-8") == sample.read_text(encoding="utf-8")


def test_corpus_is_varied(generator: OfflineGenerator, corpus: dict[str, ResumeContent]) -> None:
    assert len(corpus) >= 15
    profiles = [generator.profile(r) for r in corpus.values()]
    assert {p.track for p in profiles} >= {
        "backend",
        "frontend",
        "mobile",
        "data",
        "devops",
        "ai_ml",
        "security",
        "fullstack",
    }
    assert {p.level for p in profiles} == {"junior", "mid", "senior"}
    assert {r.language for r in corpus.values()} == {"ko", "en"}
    short = [p for p in CORPUS_FILES if "career_summary" in p.read_text(encoding="utf-8")]
    assert len(short) >= 4
    assert any(
        not r.work_experiences and not r.personal_projects and not r.technical_skills for r in corpus.values()
    )


def test_minimal_resume_still_gets_ten_distinct_questions() -> None:
    resume = ResumeInput.model_validate({"career_summary": "개발자"}).to_content()
    draft = generate_questions(resume, count=10)
    assert len({q.question for q in draft.questions}) == 10
    assert len({q.category for q in draft.questions}) >= 3
