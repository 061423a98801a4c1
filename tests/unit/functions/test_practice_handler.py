"""PracticeFunction with the events/practice samples and no API key: a whole session through the handler,
evaluated by the offline evaluator, and every refusal with the common error body."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.lambda_support import (
    invoke_function,
    json_body,
    load_event,
)

SAMPLE_KEY = "b3BhcXVlLXNhbXBsZS1rZQ"
SAMPLE_SESSION = "5e55a0e1d2c34b5f9a7b8c9d0e1f2a3b"


invoke = invoke_function


def pointed(event: dict[str, Any], key: str, session_id: str | None = None) -> dict[str, Any]:
    """An events/ sample pointed at this test's resume (and session)."""
    text = json.dumps(event).replace(SAMPLE_KEY, key)
    if session_id is not None:
        text = text.replace(SAMPLE_SESSION, session_id)
    result: dict[str, Any] = json.loads(text)
    return result


def error_of(response: dict[str, Any]) -> tuple[int, str]:
    body = json_body(response)
    assert set(body) >= {"error_code", "message", "request_id"}
    return response["statusCode"], body["error_code"]


@pytest.fixture
def resume_with_questions() -> str:
    created = invoke("resumes", load_event("resumes/create-rich.json"))
    key: str = json_body(created)["unique_key"]
    generated = invoke("interview", pointed(load_event("interview/generate.json"), key))
    assert generated["statusCode"] == 201
    return key


def test_practice_session_through_the_handler(resume_with_questions: str) -> None:
    key = resume_with_questions
    created = invoke("practice", pointed(load_event("practice/create-session.json"), key))
    assert created["statusCode"] == 201, created["body"]
    session = json_body(created)
    sid = session["session_id"]
    assert created["headers"]["Location"] == f"/api/v1/practice/{key}/sessions/{sid}"
    assert session["status"] == "active" and session["turns"] == [] and session["language"] == "ko"
    assert session["next"]["question_id"] == "q1" and len(session["questions"]) == 5
    assert set(session["questions"][0]) == {"question_id", "question", "category", "difficulty"}

    answered = invoke("practice", pointed(load_event("practice/answer-ko.json"), key, sid))
    assert answered["statusCode"] == 201, answered["body"]
    turn = json_body(answered)
    assert turn["provider"] == "offline" and turn["question_id"] == "q1"
    evaluation = turn["evaluation"]
    assert 0 <= evaluation["score"] <= 100 and evaluation["evaluator"] == "offline" and evaluation["note"]
    assert {r["criterion"] for r in evaluation["rubric"]} >= {"relevance", "depth", "evidence", "structure"}
    assert turn["next"]["question_id"] == "q2"  # practice mode: follow-ups are optional

    dont_know = invoke("practice", pointed(load_event("practice/answer-dont-know.json"), key, sid))
    assert json_body(dont_know)["evaluation"]["score"] <= 20

    for sample, expected in (
        ("practice/answer-empty.json", (422, "validation_error")),
        ("practice/answer-unknown-question.json", (409, "unknown_question")),
    ):
        assert error_of(invoke("practice", pointed(load_event(sample), key, sid))) == expected
    wrong_session = pointed(load_event("practice/answer-en.json"), key, "f" * 32)
    assert error_of(invoke("practice", wrong_session)) == (404, "practice_session_not_found")

    listed = json_body(invoke("practice", pointed(load_event("practice/list-sessions.json"), key)))
    assert [item["session_id"] for item in listed["items"]] == [sid] and listed["items"][0]["answered"] == 1

    finished = invoke("practice", pointed(load_event("practice/finish-session.json"), key, sid))
    assert finished["statusCode"] == 200
    summary = json_body(finished)["summary"]
    assert summary["answered"] == 1 and summary["unanswered"] == ["q2", "q3", "q4", "q5"]
    assert summary["weakest_points"] and summary["next_steps"]
    late = invoke("practice", pointed(load_event("practice/answer-en.json"), key, sid))
    assert error_of(late) == (409, "session_finished")

    path = invoke("learning", pointed(load_event("learning/generate-from-practice-session.json"), key, sid))
    assert path["statusCode"] == 201, path["body"]
    body = json_body(path)
    cited = [gap for gap in body["analysis"]["gaps"] if "practice" in gap]
    assert cited and all(gap["practice"]["session_id"] == sid for gap in cited)
    assert body["options"]["practice_session_id"] == sid
    assert body["steps"][-1]["order"] == len(body["steps"])
    assert body["total_weeks"] == sum(step["estimated_weeks"] for step in body["steps"])


def test_a_session_needs_a_question_set() -> None:
    created = invoke("resumes", load_event("resumes/create-rich-en.json"))
    key = json_body(created)["unique_key"]
    response = invoke("practice", pointed(load_event("practice/create-session.json"), key))
    assert error_of(response) == (404, "generation_not_found")
    missing = pointed(load_event("practice/create-session.json"), "A" * 22)
    assert error_of(invoke("practice", missing)) == (404, "resume_not_found")


def test_health_and_docs() -> None:
    health = invoke("practice", load_event("practice/health.json"))
    assert health["statusCode"] == 200 and json_body(health)["providers"][-1] == "offline"
