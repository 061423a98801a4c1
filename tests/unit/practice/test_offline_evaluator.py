"""The offline evaluator on every corpus resume, in both languages, against the questions the offline
generator asks about it: an answer that covers the key points with the resume's own facts beats one that
covers none by at least 30 points; "I don't know" and a copy of the question score 20 or less, weak or
off_topic. Deterministic, so these are exact properties, not samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from careercoach.models.practice import SessionQuestion
from careercoach.models.resume import Language, ResumeContent, ResumeInput
from careercoach.offline import generate_questions
from careercoach.practice.offline import evaluate_answer, neighbours, quote_of
from careercoach.practice.redact import redact_answer

CORPUS = sorted((Path(__file__).resolve().parents[2] / "corpus").glob("*.json"))
LANGUAGES: tuple[Language, ...] = ("ko", "en")

NO_COVERAGE = {
    "ko": "저는 항상 팀원들과 열심히 일했고 좋은 분위기에서 즐겁게 협업했습니다. 매일 성실하게 출근했고 "
    "주어진 일은 끝까지 해냈습니다.",
    "en": "I always worked hard with my teammates and we had a great atmosphere. I came in every day, "
    "stayed positive and finished whatever was assigned to me.",
}
DONT_KNOW = {
    "ko": ["모르겠습니다.", "잘 모르겠어요, 기억이 안 나네요."],
    "en": ["I don't know.", "No idea, sorry."],
}


def resume_of(path: Path) -> ResumeContent:
    return ResumeInput.model_validate(json.loads(path.read_text(encoding="utf-8"))).to_content()


def questions(resume: ResumeContent, language: Language) -> list[SessionQuestion]:
    return [
        SessionQuestion(
            question_id=q.id,
            question=q.question,
            category=q.category,
            difficulty=q.difficulty,
            intent=q.intent,
            grounding=q.grounding,
            key_points=q.key_points,
            follow_ups=q.follow_ups,
        )
        for q in generate_questions(resume, count=5, language=language).questions
    ]


def covering_answer(question: SessionQuestion, resume: ResumeContent, language: Language) -> str:
    """Every key point, told with the facts of the resume item the question is about and its neighbours."""
    facts = [quote_of(item) for item in neighbours(resume, question.grounding.source)[:3]]
    if language == "ko":
        lines = [f"당시 상황은 이랬습니다: {facts[0]}.", "제가 맡은 목표는 그 문제를 해결하는 것이었습니다."]
        lines += [f"{point}: 제가 직접 분석하고 적용했습니다." for point in question.key_points]
        lines += [f"근거로 {fact}." for fact in facts[1:]]
        lines.append("원인을 찾고 대안을 비교해 트레이드오프를 정했고, 결과는 지표로 측정해 확인했습니다.")
    else:
        lines = [f"At the time the situation was: {facts[0]}.", "My task was to fix it."]
        lines += [f"{point}: I analysed it and made the change myself." for point in question.key_points]
        lines += [f"For example, {fact}." for fact in facts[1:]]
        lines.append(
            "I found the root cause, weighed the alternatives and the trade-off, and measured the result."
        )
    return " ".join(lines)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_coverage_with_evidence_beats_no_coverage(path: Path, language: Language) -> None:
    resume = resume_of(path)
    for question in questions(resume, language):
        good = evaluate_answer(question, covering_answer(question, resume, language), resume, language)
        none = evaluate_answer(question, NO_COVERAGE[language], resume, language)
        assert good.score >= none.score + 30, (question.question_id, good.score, none.score)
        assert good.covered_points == question.key_points and good.missing_points == []
        assert any(item.used for item in good.resume_evidence)
        assert none.covered_points == [] and none.missing_points == question.key_points
        assert none.follow_up is not None  # built from (or picked for) the most important missing point


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_non_answers_score_low(path: Path, language: Language) -> None:
    resume = resume_of(path)
    for question in questions(resume, language):
        for text in [*DONT_KNOW[language], question.question]:
            evaluation = evaluate_answer(question, text, resume, language)
            assert evaluation.score <= 20, (question.question_id, text, evaluation.score)
            assert evaluation.verdict in ("weak", "off_topic")
            assert evaluation.covered_points == []


def test_verdicts_and_texts_follow_the_language() -> None:
    resume = resume_of(CORPUS[0])
    for language in LANGUAGES:
        question = questions(resume, language)[0]
        evaluation = evaluate_answer(question, covering_answer(question, resume, language), resume, language)
        assert evaluation.verdict == "strong"
        criteria = [entry.criterion for entry in evaluation.rubric]
        assert criteria[:4] == ["relevance", "depth", "evidence", "structure"]
        assert all(0 <= entry.score <= 4 for entry in evaluation.rubric)
        copied = evaluate_answer(question, question.question, resume, language)
        assert copied.verdict == "off_topic"


def test_a_follow_up_gets_no_follow_up_and_a_claim_is_probed() -> None:
    resume = resume_of(CORPUS[0])
    question = questions(resume, "en")[0]
    follow_up = question.model_copy(update={"question_id": "q1-f1", "follows": "q1"})
    answer = covering_answer(question, resume, "en")
    assert evaluate_answer(follow_up, answer, resume, "en").follow_up is None
    full = evaluate_answer(question, answer + " Latency went from 420 ms to 180 ms.", resume, "en")
    assert full.follow_up is not None


def test_the_evaluator_is_deterministic() -> None:
    resume = resume_of(CORPUS[3])
    question = questions(resume, "ko")[1]
    answer = covering_answer(question, resume, "ko")
    assert evaluate_answer(question, answer, resume, "ko") == evaluate_answer(question, answer, resume, "ko")


def test_contact_data_is_redacted_before_a_prompt() -> None:
    resume = ResumeContent.model_validate(
        {
            "name": "김개발",
            "summary": "백엔드 개발자",
            "language": "ko",
            "contact": {
                "email": "kim.dev@example.com",
                "phone": "010-1234-5678",
                "github": "https://github.com/kimdev-example",
            },
        }
    )
    answer = (
        "저 김개발입니다. kim.dev@example.com, 010-1234-5678입니다, 01098765432, +82 10 9876 5432, "
        "github.com/kimdev-example, someone@else.io 로 연락 주세요. 420ms를 180ms로, 1,200,000건을 2023년에."
    )
    redacted = redact_answer(answer, resume)
    for private in (
        "김개발",
        "kim.dev@example.com",
        "1234-5678",
        "98765432",
        "9876 5432",
        "kimdev",
        "else.io",
    ):
        assert private not in redacted
    for kept in ("420ms", "180ms", "1,200,000건", "2023년"):
        assert kept in redacted
