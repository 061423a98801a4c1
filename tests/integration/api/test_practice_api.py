"""Practice end to end through the local runtime over real HTTP: sessions, answers evaluated by the offline
evaluator and by the LLM evaluator (the real OpenAI SDK against the loopback fake of the OpenAI API, which
answers from the prompt it received as a model would), follow-ups, mock mode, finishing, async answers
through the SQS worker, and every refusal with the common error body."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from careercoach import container
from local.runtime import LocalRuntime
from tests.fakes.server import RecordedRequest, Reply
from tests.fakes.wire_formats import OpenAIChatServer
from tests.integration.api.conftest import ROOT, ApiClient, body_of, local_runtime, openai_env

EVENTS = ROOT / "events"
RESUME_KO = json.loads(
    json.loads((EVENTS / "resumes" / "create-rich.json").read_text(encoding="utf-8"))["body"]
)
RESUME_EN = json.loads(
    json.loads((EVENTS / "resumes" / "create-rich-en.json").read_text(encoding="utf-8"))["body"]
)
PRIVATE_KO = ("kim.dev@example.com", "010-1234-5678", "김개발")


def sample_answer(name: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(
        json.loads((EVENTS / "practice" / f"{name}.json").read_text(encoding="utf-8"))["body"]
    )
    return body


@pytest.fixture(scope="module")
def runtime(openai_fake: OpenAIChatServer) -> Iterator[LocalRuntime]:
    env = {**openai_env(openai_fake, "practice"), "LLM_PROVIDERS": "openai,offline"}
    with local_runtime(env) as started:
        yield started


@pytest.fixture(scope="module")
def api(runtime: LocalRuntime) -> ApiClient:
    return ApiClient(runtime.http_url)


def block(prompt: str, tag: str) -> str:
    match = re.search(rf"<{tag}[^>]*>\n(.*?)\n</{tag}>", prompt, re.S)
    assert match, f"no <{tag}> block in the prompt"
    return match.group(1)


def model_evaluation(request: RecordedRequest, fake: OpenAIChatServer) -> Reply:
    """What a model would return for the prompt it was sent: every key point judged, evidence quoted from the
    resume lines it was given, a follow-up on the first missing point."""
    messages = (request.json or {})["messages"]
    prompt = "\n".join(m["content"] for m in messages if m["role"] == "user")
    points = [line[2:] for line in block(prompt, "key_points").splitlines()]
    lines = block(prompt, "resume_items").splitlines()
    source, quote = re.match(r"\[(.+?)\] (.*)", lines[0]).groups()  # type: ignore[union-attr]
    covered, missing = points[: len(points) // 2], points[len(points) // 2 :]
    korean = "한국어로" in prompt
    criteria = ["relevance", "depth", "evidence", "structure"] + (
        ["accuracy"] if "accuracy" in prompt else []
    )
    say = (lambda ko, en: ko) if korean else (lambda ko, en: en)
    content = {
        "score": 62,
        "verdict": "adequate",
        "rubric": [
            {"criterion": c, "score": 3, "comment": say("근거가 분명합니다.", "Clear.")} for c in criteria
        ],
        "covered_points": covered,
        "missing_points": missing,
        "resume_evidence": [{"source": source, "quote": quote[:300], "used": True}],
        "strengths": [say("수치로 결과를 말했습니다.", "States the result in numbers.")],
        "improvements": [say(f"보완: {missing[0]}", f"Cover: {missing[0]}")],
        "model_answer_outline": [say("상황과 목표", "Situation and goal"), *points],
        "follow_up": {
            "question": say(f"{missing[0]}는 어떻게 하셨나요?", f"How did you handle {missing[0]}?"),
            "why": say("빠진 요점을 확인합니다.", "Probes a missing point."),
            "key_points": [missing[0]],
        },
    }
    return fake.ok(content, input_tokens=900, output_tokens=400).resolve(request)


def evaluating(fake: OpenAIChatServer) -> Reply:
    return Reply(build=lambda request: model_evaluation(request, fake))


def questions_for(api: ApiClient, resume: dict[str, Any]) -> str:
    reply = api.json("POST", "/api/v1/resumes", resume)
    assert reply.status == 201
    key: str = body_of(reply)["unique_key"]
    generated = api.json("POST", f"/api/v1/interview/{key}/questions", {"provider": "offline"})
    assert generated.status == 201, generated.body[:300]
    return key


def start(api: ApiClient, key: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    reply = api.json("POST", f"/api/v1/practice/{key}/sessions", body or {})
    assert reply.status == 201, reply.body[:300]
    session: dict[str, Any] = body_of(reply)
    assert reply.header("location") == f"/api/v1/practice/{key}/sessions/{session['session_id']}"
    return session


def answer(api: ApiClient, key: str, sid: str, body: dict[str, Any]) -> Any:
    return api.json("POST", f"/api/v1/practice/{key}/sessions/{sid}/answers", body)


def assert_error(reply: Any, status: int, code: str) -> None:
    assert reply.status == status, reply.body[:300]
    body = body_of(reply)
    assert body["error_code"] == code and body["request_id"] and body["message"]


def test_offline_session_in_korean(api: ApiClient) -> None:
    key = questions_for(api, RESUME_KO)
    session = start(api, key)
    sid, first = session["session_id"], session["next"]
    reply = answer(api, key, sid, {**sample_answer("answer-ko"), "question_id": first["question_id"]})
    assert reply.status == 201, reply.body[:300]
    turn = body_of(reply)
    assert turn["provider"] == "offline" and turn["evaluation"]["evaluator"] == "offline"
    assert turn["follow_up"]["question_id"] == f"{first['question_id']}-f1"
    # The follow-up can itself be answered; it gets no follow-up of its own.
    follow = answer(
        api, key, sid, {"question_id": turn["follow_up"]["question_id"], "answer": "모르겠습니다."}
    )
    assert follow.status == 201 and body_of(follow)["follow_up"] is None
    assert body_of(follow)["evaluation"]["score"] <= 20
    read = body_of(api.request("GET", f"/api/v1/practice/{key}/sessions/{sid}"))
    assert [t["question_id"] for t in read["turns"]] == [
        first["question_id"],
        turn["follow_up"]["question_id"],
    ]
    finished = api.json("POST", f"/api/v1/practice/{key}/sessions/{sid}/finish")
    assert finished.status == 200 and body_of(finished)["status"] == "finished"
    assert body_of(finished)["summary"]["answered"] == 2


def test_llm_evaluator_through_the_openai_sdk(api: ApiClient, fake: OpenAIChatServer) -> None:
    key = questions_for(api, RESUME_KO)
    sid = start(api, key)["session_id"]
    fake.push(evaluating(fake))
    text = (
        "제 연락처는 kim.dev@example.com, 010-1234-5678입니다. 저 김개발은 Kafka 재처리를 직접 설계했습니다."
    )
    reply = answer(api, key, sid, {"question_id": "q1", "answer": text, "provider": "openai"})
    assert reply.status == 201, reply.body[:500]
    turn = body_of(reply)
    assert turn["provider"] == "openai" and turn["evaluation"]["evaluator"] == "model"
    assert turn["evaluation"]["note"] is None and turn["answer"] == text  # stored as written, for its owner
    assert turn["usage"]["input_tokens"] == 900 and turn["follow_up"]["question_id"] == "q1-f1"
    (sent,) = fake.bodies
    assert sent["response_format"]["type"] == "json_schema"
    prompt = json.dumps(sent["messages"], ensure_ascii=False)
    for private in PRIVATE_KO:
        assert private not in prompt
    assert "[email]" in prompt and "[phone]" in prompt and "<answer>" in prompt


def test_llm_evaluation_that_fails_its_checks_is_repaired(api: ApiClient, fake: OpenAIChatServer) -> None:
    key = questions_for(api, RESUME_EN)
    sid = start(api, key)["session_id"]

    def paraphrased(request: RecordedRequest) -> Reply:
        reply = json.loads(model_evaluation(request, fake).body)
        content = json.loads(reply["choices"][0]["message"]["content"])
        content["covered_points"] = ["something the question never asked"]
        reply["choices"][0]["message"]["content"] = json.dumps(content)
        return Reply.json(reply)

    fake.push(Reply(build=paraphrased))
    fake.push(evaluating(fake))
    reply = answer(api, key, sid, {**sample_answer("answer-en"), "provider": "openai"})
    assert reply.status == 201, reply.body[:500]
    outcomes = [a["outcome"] for a in body_of(reply)["attempts"]]
    assert outcomes[0] != "ok" and outcomes[-1].startswith("ok")
    assert "something the question never asked" in json.dumps(fake.bodies[1]["messages"])


def test_mock_mode_follow_ups_come_as_turns(api: ApiClient) -> None:
    key = questions_for(api, RESUME_EN)
    session = start(api, key, {"mode": "mock", "question_ids": ["q2", "q1"]})
    sid = session["session_id"]
    assert [q["question_id"] for q in session["questions"]] == ["q2", "q1"] and session["next"][
        "question_id"
    ] == "q2"
    first = body_of(
        answer(api, key, sid, {"question_id": "q2", "answer": sample_answer("answer-en")["answer"]})
    )
    assert first["evaluation"] is None  # hidden until the end
    assert first["next"] == {
        "question_id": "q2-f1",
        "question": first["follow_up"]["question"],
        "kind": "follow_up",
    }
    second = body_of(
        answer(api, key, sid, {"question_id": "q2-f1", "answer": "I measured it with p95 latency."})
    )
    assert second["next"]["question_id"] == "q1" and second["evaluation"] is None
    finished = body_of(api.json("POST", f"/api/v1/practice/{key}/sessions/{sid}/finish"))
    assert all(t["evaluation"] is not None for t in finished["turns"])
    summary = finished["summary"]
    assert (
        summary["unanswered"] == ["q1"] and summary["answered"] == 2 and summary["overall_score"] is not None
    )
    assert set(summary["by_category"]) <= {
        "technical",
        "project_deep_dive",
        "system_design",
        "problem_solving",
        "behavioral",
        "collaboration",
    }
    assert_error(answer(api, key, sid, {"question_id": "q1", "answer": "late"}), 409, "session_finished")
    again = api.json("POST", f"/api/v1/practice/{key}/sessions/{sid}/finish")
    assert again.status == 200 and body_of(again)["summary"] == summary

    path = api.json(
        "POST", f"/api/v1/learning/{key}/learning-path", {"practice_session_id": sid, "provider": "offline"}
    )
    assert path.status == 201, path.body[:300]
    gaps = [g for g in body_of(path)["analysis"]["gaps"] if "practice" in g]
    assert gaps and {g["practice"]["turn_id"] for g in gaps} <= {t["turn_id"] for t in finished["turns"]}


def wait_for(api: ApiClient, url: str, *, timeout_s: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        body: dict[str, Any] = body_of(api.request("GET", url))
        if body["status"] in ("succeeded", "failed") or time.monotonic() > deadline:
            return body
        time.sleep(0.05)


def test_async_answer_through_the_worker(api: ApiClient) -> None:
    key = questions_for(api, RESUME_EN)
    sid = start(api, key)["session_id"]
    body = {**sample_answer("answer-en"), "provider": "offline"}
    path = f"/api/v1/practice/async/{key}/sessions/{sid}/answers"
    reply = api.json("POST", path, body, [("idempotency-key", "practice-1")])
    assert reply.status == 202, reply.body[:300]
    accepted = body_of(reply)
    again = api.json("POST", path, body, [("idempotency-key", "practice-1")])
    assert body_of(again)["task_id"] == accepted["task_id"]
    # The task points at the pending answer; it never carries the answer itself.
    item = container.current().tasks._table.get_item(Key={"task_id": accepted["task_id"]})["Item"]
    assert body["answer"] not in json.dumps(item, default=str) and "turn_id" in item["options"]
    final = wait_for(api, accepted["progress_url"])
    assert final["status"] == "succeeded" and final["kind"] == "answer_evaluation"
    assert final["result"]["turn_id"] == accepted["task_id"] == final["result_id"]
    session = body_of(api.request("GET", f"/api/v1/practice/{key}/sessions/{sid}"))
    assert [t["turn_id"] for t in session["turns"]] == [accepted["task_id"]] and session["pending"] == []


def test_bad_input_is_refused_with_the_common_error_body(api: ApiClient) -> None:
    key = questions_for(api, RESUME_EN)
    other_key = questions_for(api, RESUME_EN)
    sid = start(api, key)["session_id"]
    cases = [
        (answer(api, key, sid, {"question_id": "q1", "answer": " \n "}), 422, "validation_error"),
        (answer(api, key, sid, {"question_id": "q1", "answer": "x" * 6001}), 422, "validation_error"),
        (answer(api, key, sid, {"question_id": "q9", "answer": "hello"}), 409, "unknown_question"),
        (answer(api, key, sid, {"question_id": "q1-f3", "answer": "hello"}), 409, "unknown_question"),
        (answer(api, key, sid, {"question_id": "q1"}), 422, "validation_error"),
        (
            answer(api, key, "0" * 32, {"question_id": "q1", "answer": "hello"}),
            404,
            "practice_session_not_found",
        ),
        (
            answer(api, other_key, sid, {"question_id": "q1", "answer": "hello"}),
            404,
            "practice_session_not_found",
        ),
        (answer(api, "A" * 22, sid, {"question_id": "q1", "answer": "hello"}), 404, "resume_not_found"),
        (
            answer(api, key, sid, {"question_id": "q1", "answer": "hi", "provider": "nope"}),
            422,
            "validation_error",
        ),
        (
            api.json("POST", f"/api/v1/practice/{key}/sessions", {"question_ids": ["q7"]}),
            409,
            "unknown_question",
        ),
        (api.json("POST", f"/api/v1/practice/{key}/sessions", {"mode": "exam"}), 422, "validation_error"),
        (
            api.json("POST", f"/api/v1/practice/{key}/sessions", {"question_set_id": "f" * 32}),
            404,
            "generation_not_found",
        ),
        (api.request("GET", f"/api/v1/practice/{key}/sessions/not-an-id"), 404, "practice_session_not_found"),
        (api.request("GET", "/api/v1/practice/tasks/" + "0" * 32 + "/progress"), 404, "task_not_found"),
        (api.request("DELETE", f"/api/v1/practice/{key}/sessions"), 405, "method_not_allowed"),
        (
            api.json("POST", f"/api/v1/learning/{key}/learning-path", {"practice_session_id": sid}),
            409,
            "session_not_evaluated",
        ),
    ]
    for reply, status, code in cases:
        assert_error(reply, status, code)
    # The first answer accepted costs nothing of what came before: the session is untouched.
    session = body_of(api.request("GET", f"/api/v1/practice/{key}/sessions/{sid}"))
    assert session["turns"] == [] and session["pending"] == []


def test_deleting_the_resume_deletes_its_sessions(api: ApiClient) -> None:
    key = questions_for(api, RESUME_EN)
    sid = start(api, key)["session_id"]
    assert api.request("DELETE", f"/api/v1/resumes/{key}").status == 204
    assert container.current().practice_sessions.get(sid, owner="") is None
