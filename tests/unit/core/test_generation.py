"""GenerationService through the real LLM registry, with fake providers registered in it: valid output,
invalid output, output that fails the grounding check, fallback, exhaustion. The checks, repair turns and
storage are all real; only the model's answers are scripted."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import llm_registry
from careercoach import container
from careercoach.errors import (
    GenerationNotFound,
    InvalidCursor,
    ProvidersUnavailable,
    ResumeNotFound,
    ValidationFailed,
)
from careercoach.generation.interview import INTERVIEW
from careercoach.generation.service import GenerationService
from careercoach.models.generation import InterviewOptions, QuestionDraft
from careercoach.models.resume import ResumeContent, ResumeInput
from careercoach.resume_items import resume_items
from llm_registry import FunctionProvider, ProviderCall, ProviderError
from llm_registry.attempts import ErrorKind

OWNER = "alice"

EVENTS = Path(__file__).resolve().parents[3] / "events" / "resumes"
CATEGORIES = ["technical", "project_deep_dive", "system_design", "problem_solving", "behavioral"]

Script = list[Callable[[ProviderCall], Any]]


@pytest.fixture(autouse=True)
def clean_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("LLM_PROVIDERS", "first,second")
    llm_registry.reset()
    yield
    for name in ("first", "second"):
        llm_registry.unregister_provider(name)
    llm_registry.reset()


def register(name: str, script: Script, calls: list[ProviderCall]) -> None:
    def answer(call: ProviderCall) -> Any:
        calls.append(call)
        step = script.pop(0) if len(script) > 1 else script[0]
        return step(call)

    llm_registry.register_provider(name, lambda: FunctionProvider(name, answer, model=f"{name}-model"))


def stored_resume() -> tuple[str, ResumeContent]:
    raw = json.loads(json.loads((EVENTS / "create-rich.json").read_text(encoding="utf-8"))["body"])
    resume = container.current().resumes.create(ResumeInput.model_validate(raw), owner=OWNER)
    return resume.unique_key, resume.content()


def grounded_questions(
    resume: ResumeContent, count: int = 5, *, quote_override: str | None = None
) -> dict[str, Any]:
    items = [
        item
        for item in resume_items(resume)
        if item.kind in ("achievement", "project_description", "summary")
    ]
    questions = []
    for i in range(count):
        item = items[i % len(items)]
        questions.append(
            {
                "id": f"q{i + 1}",
                "category": CATEGORIES[i % len(CATEGORIES)],
                "difficulty": "medium",
                "question": f"{item.text[:40]} — 이 경험에서 가장 어려웠던 결정은 무엇이었나요? ({i})",
                "intent": "의사결정과 트레이드오프 이해",
                "grounding": {"source": item.source, "quote": quote_override or item.text},
                "key_points": ["배경", "대안 비교"],
                "follow_ups": ["다시 한다면?"],
            }
        )
    return {"questions": questions}


def service() -> GenerationService:
    return container.current().generation


def test_valid_output_is_checked_stored_and_read_back() -> None:
    key, resume = stored_resume()
    calls: list[ProviderCall] = []
    register("first", [lambda call: grounded_questions(resume)], calls)

    result = service().generate(INTERVIEW, key, InterviewOptions(), owner=OWNER)

    assert [q.id for q in result.questions] == ["q1", "q2", "q3", "q4", "q5"]
    assert result.provider == "first" and result.model == "first-model"
    assert result.language == "ko" and result.prompt_version
    assert [a.outcome for a in result.attempts] == ["ok"]
    assert service().latest(INTERVIEW, key, owner=OWNER) == result
    # The prompt the provider received carries the resume but no contact data.
    assert "Saga" in calls[0].request.prompt and "kim.dev@example.com" not in calls[0].request.prompt


def test_grounding_failure_is_repaired_with_the_problem_fed_back() -> None:
    key, resume = stored_resume()
    calls: list[ProviderCall] = []
    register(
        "first",
        [
            lambda call: grounded_questions(resume, quote_override="Kubernetes 클러스터 운영"),
            lambda call: grounded_questions(resume),
        ],
        calls,
    )
    result = service().generate(INTERVIEW, key, InterviewOptions(), owner=OWNER)
    assert len(calls) == 2
    assert calls[0].repair is None
    assert calls[1].repair is not None
    assert any("Kubernetes 클러스터 운영" in problem for problem in calls[1].repair.problems)
    assert [(a.outcome, a.error_kind) for a in result.attempts] == [
        ("invalid_output", "check_failed"),
        ("ok (repair)", None),
    ]


def test_invalid_twice_falls_back_to_the_next_provider() -> None:
    key, resume = stored_resume()
    first_calls: list[ProviderCall] = []
    second_calls: list[ProviderCall] = []
    register("first", [lambda call: grounded_questions(resume, count=3)], first_calls)  # wrong count, twice
    register("second", [lambda call: grounded_questions(resume)], second_calls)
    result = service().generate(INTERVIEW, key, InterviewOptions(), owner=OWNER)
    assert len(first_calls) == 2 and len(second_calls) == 1
    assert result.provider == "second"
    assert "Return exactly 5 questions" in (
        first_calls[1].repair.problems[0] if first_calls[1].repair else ""
    )


def test_schema_invalid_output_never_reaches_storage() -> None:
    key, _ = stored_resume()
    register("first", [lambda call: {"questions": [{"id": "q1"}]}], [])
    register("second", [lambda call: "not json at all"], [])
    with pytest.raises(ProvidersUnavailable) as raised:
        service().generate(INTERVIEW, key, InterviewOptions(), owner=OWNER)
    attempts = raised.value.details["attempts"]
    assert [(a["provider"], a["error_kind"]) for a in attempts] == [
        ("first", "schema_invalid"),
        ("first", "schema_invalid"),
        ("second", "unparseable"),
        ("second", "unparseable"),
    ]
    assert all(set(a) >= {"provider", "model", "outcome", "latency_ms"} for a in attempts)
    with pytest.raises(GenerationNotFound):
        service().latest(INTERVIEW, key, owner=OWNER)


def test_provider_errors_fall_back() -> None:
    key, resume = stored_resume()

    def down(call: ProviderCall) -> Any:
        raise ProviderError(ErrorKind.SERVER_ERROR, status_code=503)

    register("first", [down], [])
    register("second", [lambda call: grounded_questions(resume)], [])
    result = service().generate(INTERVIEW, key, InterviewOptions(), owner=OWNER)
    assert result.provider == "second"
    assert [a.provider for a in result.attempts].count("first") == 2  # one retry on 5xx


def test_named_provider_only_and_unknown_provider_is_422() -> None:
    key, resume = stored_resume()
    second_calls: list[ProviderCall] = []
    register("first", [lambda call: grounded_questions(resume)], [])
    register("second", [lambda call: grounded_questions(resume)], second_calls)
    assert (
        service().generate(INTERVIEW, key, InterviewOptions(provider="second"), owner=OWNER).provider
        == "second"
    )
    with pytest.raises(ValidationFailed) as raised:
        service().generate(INTERVIEW, key, InterviewOptions(provider="nosuch"), owner=OWNER)
    assert raised.value.details[0]["loc"] == ["body", "provider"]


def test_unknown_resume_is_404_before_any_call() -> None:
    calls: list[ProviderCall] = []
    register("first", [lambda call: {}], calls)
    with pytest.raises(ResumeNotFound):
        service().generate(INTERVIEW, "AAAAAAAAAAAAAAAAAAAAAA", InterviewOptions(), owner=OWNER)
    assert calls == []


def test_language_option_overrides_the_resume_language() -> None:
    key, resume = stored_resume()
    calls: list[ProviderCall] = []
    register("first", [lambda call: grounded_questions(resume)], calls)
    with pytest.raises(ProvidersUnavailable):
        # Korean questions for an English request fail the language check, twice, on both providers.
        register("second", [lambda call: grounded_questions(resume)], [])
        service().generate(INTERVIEW, key, InterviewOptions(language="en"), owner=OWNER)
    assert "in English" in calls[0].request.prompt
    assert any("English" in p for p in (calls[1].repair.problems if calls[1].repair else ()))


def test_history_pages_newest_first_and_delete_cascades() -> None:
    key, resume = stored_resume()
    register("first", [lambda call: grounded_questions(resume)], [])
    made = [service().generate(INTERVIEW, key, InterviewOptions(), owner=OWNER) for _ in range(3)]
    page = service().history(INTERVIEW, key, limit=2, cursor=None, owner=OWNER)
    assert [item.id for item in page.items] == [made[2].id, made[1].id]
    assert page.items[0].items == 5
    rest = service().history(INTERVIEW, key, limit=2, cursor=page.next_cursor, owner=OWNER)
    assert [item.id for item in rest.items] == [made[0].id] and rest.next_cursor is None
    with pytest.raises(InvalidCursor):
        service().history(INTERVIEW, key, limit=2, cursor="garbage!", owner=OWNER)

    container.current().resumes.delete(key, owner=OWNER)
    assert container.current().repositories["interview"].latest(key, owner=OWNER) is None


def test_question_draft_model_rejects_bad_categories() -> None:
    _, resume = stored_resume()
    draft = grounded_questions(resume)
    draft["questions"][0]["category"] = "trivia"
    with pytest.raises(ValueError):
        QuestionDraft.model_validate(draft)
