"""Fan-out through the real LLM registry and the real service, with a scripted remote model registered in the
registry (a FunctionProvider that is not in-process, so the policy treats it as a remote model) and the real
offline generator as the last fallback. The model's answers are the offline generator's own output cut to
what each request asks for (tests/support/model_answers.py), except where a test breaks one part.

What is shown: each item is its own call with the same shared prefix; a failing or invalid item is retried,
repaired or replaced alone, the others are not redone; the assembled result passes the same checks as a
single call's; partial results arrive in order; the deadline holds even when a provider ignores its
timeout."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

import llm_registry
from careercoach import container
from careercoach.checks import learning_path_problems, question_problems
from careercoach.errors import ProvidersUnavailable
from careercoach.generation.interview import INTERVIEW
from careercoach.generation.learning import LEARNING_PATH
from careercoach.generation.plan import FanOutJob, FanOutPolicy, Partial
from careercoach.generation.service import GenerationService
from careercoach.generation.spec import Job
from careercoach.models.generation import (
    GenerationOptions,
    InterviewOptions,
    LearningPathDraft,
    LearningPathOptions,
    QuestionDraft,
)
from careercoach.models.practice import WeakPoint
from careercoach.models.resume import ResumeContent, ResumeInput
from careercoach.resources import catalog
from llm_registry import FunctionProvider, ProviderCall, ProviderError
from llm_registry.attempts import ErrorKind
from tests.support.model_answers import ModelAnswers

OWNER = "alice"
RESUME = Path(__file__).resolve().parents[3] / "samples" / "resume-ko-backend.json"

Fault = Callable[[ProviderCall, str], Any]  # (call, part label) -> an answer, or None to answer normally


@pytest.fixture(autouse=True)
def remote_then_offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("LLM_PROVIDERS", "remote,offline")
    monkeypatch.setenv("LLM_REQUEST_RESERVE_MS", "0")
    monkeypatch.setenv("LLM_MIN_ATTEMPT_MS", "50")
    llm_registry.reset()
    yield
    llm_registry.unregister_provider("remote")
    llm_registry.reset()


def stored_resume() -> tuple[str, ResumeContent]:
    raw = json.loads(RESUME.read_text(encoding="utf-8"))
    resume = container.current().resumes.create(ResumeInput.model_validate(raw), owner=OWNER)
    return resume.unique_key, resume.content()


def label_of(call: ProviderCall) -> str:
    """q3 / step3 / plan / whole, from the request the service built."""
    name = call.output_model.__name__
    last = call.request.prompt.strip().splitlines()[-1]
    if name in ("QuestionItem", "StepItem"):
        digits = (
            "".join(ch for ch in last.split("q")[-1][:2] if ch.isdigit()) if name == "QuestionItem" else ""
        )
        if name == "StepItem":
            digits = next(ch for ch in last if ch.isdigit())
        return ("q" if name == "QuestionItem" else "step") + digits
    return "plan" if name.endswith("Plan") else "whole"


class RemoteModel:
    """The registered remote provider: records every call, answers like a competent model unless `fault`
    says otherwise for a part."""

    def __init__(
        self, resume: ResumeContent, options: dict[str, GenerationOptions], fault: Fault | None = None
    ):
        self.answers = ModelAnswers(resume, options)
        self.fault = fault
        self.calls: list[tuple[str, ProviderCall]] = []
        self._lock = threading.Lock()
        llm_registry.register_provider(
            "remote", lambda: FunctionProvider("remote", self, model="remote-model", in_process=False)
        )

    def __call__(self, call: ProviderCall) -> Any:
        label = label_of(call)
        with self._lock:
            self.calls.append((label, call))
        if self.fault is not None:
            broken = self.fault(call, label)
            if broken is not None:
                return broken
        return self.answers.answer_for(
            call.output_model.__name__, call.request.prompt.strip().splitlines()[-1]
        )

    def count(self) -> Counter[str]:
        return Counter(label for label, _ in self.calls)


def generation(**policy: Any) -> GenerationService:
    environment = container.current()
    return GenerationService(environment.resumes, environment, catalog(), fanout=FanOutPolicy(**policy))


def test_each_question_is_its_own_call_and_the_set_passes_the_same_checks() -> None:
    key, resume = stored_resume()
    options = InterviewOptions(count=5)
    model = RemoteModel(resume, {"interview": options})

    record = generation().generate(INTERVIEW, key, options, owner=OWNER)

    assert record.mode == "fanout" and record.provider == "remote" and not record.degraded
    assert model.count() == Counter({"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 1})
    assert [a.part for a in record.attempts] == ["q1", "q2", "q3", "q4", "q5"]
    draft = QuestionDraft(questions=record.questions)
    assert question_problems(draft, resume, count=5, language="ko") == []
    # Every item call carries the same prefix, resume first (what the vendors' prompt caches reuse), and
    # only its own last line differs.
    prefixes = {call.request.prefix for _, call in model.calls}
    assert len(prefixes) == 1 and next(iter(prefixes)).startswith("<resume>")
    assert len({call.request.prompt for _, call in model.calls}) == 5
    assert "kim" not in next(iter(prefixes)).casefold() or "@" not in next(iter(prefixes))
    assert container.current().generation.latest(INTERVIEW, key, owner=OWNER) == record


def test_a_failing_item_falls_back_alone_and_the_others_are_not_redone() -> None:
    key, resume = stored_resume()
    options = InterviewOptions(count=5)

    def q3_down(call: ProviderCall, label: str) -> Any:
        if label == "q3":
            raise ProviderError(ErrorKind.SERVER_ERROR, status_code=500, vendor_message="upstream failed")
        return None

    model = RemoteModel(resume, {"interview": options}, q3_down)
    record = generation().generate(INTERVIEW, key, options, owner=OWNER)

    # q3: the first call and its one retry; then the offline generator wrote q3 alone.
    assert model.count() == Counter({"q1": 1, "q2": 1, "q3": 2, "q4": 1, "q5": 1})
    q3 = [(a.provider, a.outcome, a.error_kind) for a in record.attempts if a.part == "q3"]
    assert q3 == [
        ("remote", "error", "server_error"),
        ("remote", "error (retry)", "server_error"),
        ("offline", "ok", None),
    ]
    assert record.provider == "remote" and record.degraded and record.fallback_reason == "server_error"
    offline = ModelAnswers(resume, {"interview": options}).answer_for("QuestionItem", "q3")
    assert record.questions[2].question == offline["question"]
    assert question_problems(QuestionDraft(questions=record.questions), resume, count=5, language="ko") == []


def test_an_invalid_item_is_repaired_alone() -> None:
    key, resume = stored_resume()
    options = InterviewOptions(count=4)
    sent: list[ProviderCall] = []

    def q2_in_english_once(call: ProviderCall, label: str) -> Any:
        if label == "q2" and call.repair is None:
            sent.append(call)
            return {
                "question": "How did you measure the latency improvement of that service?",
                "intent": "Measurement discipline",
                "key_points": ["baseline", "percentiles"],
                "follow_ups": ["What would you change?"],
            }
        return None

    model = RemoteModel(resume, {"interview": options}, q2_in_english_once)
    record = generation().generate(INTERVIEW, key, options, owner=OWNER)

    assert model.count() == Counter({"q1": 1, "q2": 2, "q3": 1, "q4": 1})
    repair = next(call for label, call in model.calls if label == "q2" and call.repair is not None)
    assert repair.repair is not None and any("Korean" in problem for problem in repair.repair.problems)
    assert [a.error_kind for a in record.attempts if a.part == "q2"] == ["check_failed", None]
    assert not record.degraded
    assert question_problems(QuestionDraft(questions=record.questions), resume, count=4, language="ko") == []


def test_an_item_that_repeats_another_is_rewritten_alone() -> None:
    key, resume = stored_resume()
    options = InterviewOptions(count=5)
    answers = ModelAnswers(resume, {"interview": options})

    def q4_copies_q1(call: ProviderCall, label: str) -> Any:
        if (
            label == "q4"
            and "q1" not in call.request.prompt.splitlines()[-1][-300:]
            and "달라야" not in (call.request.prompt)
        ):
            return answers.answer_for("QuestionItem", "q1")
        return None

    model = RemoteModel(resume, {"interview": options}, q4_copies_q1)
    record = generation().generate(INTERVIEW, key, options, owner=OWNER)

    assert model.count()["q4"] == 2 and all(model.count()[f"q{n}"] == 1 for n in (1, 2, 3, 5))
    rewrite = [call for label, call in model.calls if label == "q4"][-1]
    assert "달라야" in rewrite.request.prompt  # told what it must not repeat
    assert len({q.question for q in record.questions}) == 5
    assert question_problems(QuestionDraft(questions=record.questions), resume, count=5, language="ko") == []


def test_partial_results_arrive_in_order_and_end_as_the_stored_items() -> None:
    key, resume = stored_resume()
    options = InterviewOptions(count=5)
    RemoteModel(resume, {"interview": options})
    seen: list[Partial] = []

    record = generation().generate(INTERVIEW, key, options, owner=OWNER, on_partial=seen.append)

    assert [p.done for p in seen] == [0, 1, 2, 3, 4, 5]
    assert seen[0].index is None and len(seen[0].outline["outline"]) == 5
    for before, after in pairwise(seen):
        # Each arrival adds its item and keeps every earlier one.
        assert after.index is not None and before.items[after.index] is None
        assert after.items[after.index] == after.item
        assert all(item == after.items[i] for i, item in enumerate(before.items) if item is not None)
    assert seen[-1].items == [q.model_dump(mode="json") for q in record.questions]


def test_a_learning_path_is_written_step_by_step_from_the_catalog() -> None:
    key, resume = stored_resume()
    options = LearningPathOptions()
    answers = ModelAnswers(resume, {"learning_path": options})

    def step2_invents_a_link_once(call: ProviderCall, label: str) -> Any:
        if label == "step2" and call.repair is None:
            broken = dict(answers.answer_for("StepItem", "step 2"))
            broken["resource_ids"] = ["made-up-course"]
            return broken
        return None

    model = RemoteModel(resume, {"learning_path": options}, step2_invents_a_link_once)
    record = generation().generate(LEARNING_PATH, key, options, owner=OWNER)

    assert record.mode == "fanout" and not record.degraded
    assert model.count()["step2"] == 2 and sum(model.count().values()) == len(record.steps) + 1
    assert all(r.url.startswith("https://") for step in record.steps for r in step.resources)
    assert record.total_weeks == sum(step.estimated_weeks for step in record.steps)
    draft = LearningPathDraft(
        analysis=record.analysis.model_dump(mode="json", exclude_none=True),
        summary=record.summary,
        steps=[
            {**step.model_dump(exclude={"resources"}), "resource_ids": [r.id for r in step.resources]}
            for step in record.steps
        ],
        total_weeks=record.total_weeks,
    )
    known = {r.id for step in record.steps for r in step.resources}
    assert learning_path_problems(draft, resume, language="ko", catalog_ids=known) == []


def test_a_model_plan_is_one_short_call_before_the_items() -> None:
    key, resume = stored_resume()
    options = InterviewOptions(count=3)
    model = RemoteModel(resume, {"interview": options})

    record = generation(planner="model").generate(INTERVIEW, key, options, owner=OWNER)

    assert model.calls[0][0] == "plan"
    assert model.count() == Counter({"plan": 1, "q1": 1, "q2": 1, "q3": 1})
    assert [a.part for a in record.attempts] == ["plan", "q1", "q2", "q3"]
    assert not record.degraded


def test_when_fanning_out_does_not_pay_one_call_writes_the_result() -> None:
    key, resume = stored_resume()
    model = RemoteModel(resume, {"interview": InterviewOptions(count=1)})
    one = generation(min_items=2).generate(INTERVIEW, key, InterviewOptions(count=1), owner=OWNER)
    assert one.mode == "single" and model.count() == Counter({"whole": 1})
    five = RemoteModel(resume, {"interview": InterviewOptions(count=5)})
    off = generation(mode="off").generate(INTERVIEW, key, InterviewOptions(count=5), owner=OWNER)
    assert off.mode == "single" and not off.degraded and five.count() == Counter({"whole": 1})


def test_the_offline_generator_still_writes_the_whole_result_at_once() -> None:
    key, resume = stored_resume()
    RemoteModel(resume, {"interview": InterviewOptions()})
    record = generation().generate(INTERVIEW, key, InterviewOptions(provider="offline"), owner=OWNER)
    assert record.mode == "single" and record.provider == "offline" and not record.degraded
    assert [a.part for a in record.attempts] == [None]


def test_a_named_provider_failing_an_item_is_a_clear_503() -> None:
    key, resume = stored_resume()

    def q2_refused(call: ProviderCall, label: str) -> Any:
        if label == "q2":
            raise ProviderError(ErrorKind.AUTH, status_code=401, vendor_message="bad key")
        return None

    RemoteModel(resume, {"interview": InterviewOptions()}, q2_refused)
    with pytest.raises(ProvidersUnavailable) as raised:
        generation().generate(INTERVIEW, key, InterviewOptions(provider="remote"), owner=OWNER)
    kinds = [a["error_kind"] for a in raised.value.details["attempts"]]
    assert "auth" in kinds
    assert (
        container.current().generation.history(INTERVIEW, key, owner=OWNER, limit=5, cursor=None).items == []
    )


def test_an_item_out_past_the_budget_is_written_offline_whatever_the_provider_does() -> None:
    key, resume = stored_resume()
    options = InterviewOptions(count=3)
    release = threading.Event()

    def q2_hangs(call: ProviderCall, label: str) -> Any:
        if label == "q2":
            release.wait(30)  # ignores its timeout, as a broken client might
        return None

    RemoteModel(resume, {"interview": options}, q2_hangs)
    deadline = time.monotonic() + 1.5
    try:
        record = generation().generate(
            INTERVIEW,
            key,
            options,
            owner=OWNER,
            remaining_ms=lambda: max(0, round((deadline - time.monotonic()) * 1000)),
        )
    finally:
        release.set()
    q2 = [(a.provider, a.error_kind) for a in record.attempts if a.part == "q2"]
    assert q2 == [("remote", "deadline"), ("offline", None)]
    assert record.degraded and record.fallback_reason == "deadline" and record.provider == "remote"
    assert question_problems(QuestionDraft(questions=record.questions), resume, count=3, language="ko") == []


def test_a_named_provider_out_of_time_is_a_503_not_an_offline_answer() -> None:
    key, resume = stored_resume()
    release = threading.Event()

    def q2_hangs(call: ProviderCall, label: str) -> Any:
        if label == "q2":
            release.wait(30)
        return None

    RemoteModel(resume, {"interview": InterviewOptions(count=3)}, q2_hangs)
    deadline = time.monotonic() + 1.5
    try:
        with pytest.raises(ProvidersUnavailable) as raised:
            generation().generate(
                INTERVIEW,
                key,
                InterviewOptions(count=3, provider="remote"),
                owner=OWNER,
                remaining_ms=lambda: max(0, round((deadline - time.monotonic()) * 1000)),
            )
    finally:
        release.set()
    assert "deadline" in [a["error_kind"] for a in raised.value.details["attempts"]]
    assert all(a["provider"] == "remote" for a in raised.value.details["attempts"])


def test_a_path_from_a_practice_session_carries_its_weak_points_in_every_prompt() -> None:
    """The practice session's weak points (the learning path's own input, `Job.subject`) reach the plan call
    and every step's shared prefix, as they reach the single call's prompt; the version says so."""
    _, resume = stored_resume()
    point = WeakPoint(
        question_id="q2",
        turn_id="t" * 32,
        category="system_design",
        question="주문 시스템의 확장성을 어떻게 설계했나요?",
        point="파티셔닝 기준과 재조정 비용",
        score=35,
        answer_quote="음, 샤딩은 잘 모르겠습니다",
    )
    options = LearningPathOptions(practice_session_id="a" * 32)
    job = Job(LEARNING_PATH, resume, options, "ko", catalog(), "key", [point])
    plain = Job(LEARNING_PATH, resume, LearningPathOptions(), "ko", catalog(), "key", None)
    fanout = LEARNING_PATH.fanout
    assert fanout is not None
    plan = fanout.local_plan(FanOutJob(plain))
    assert "파티셔닝 기준과 재조정 비용" in fanout.plan_prompt(job).prompt
    prefixes = {fanout.item_prompt(job, plan, i).prefix for i in range(fanout.items(plan))}
    assert len(prefixes) == 1 and "파티셔닝 기준과 재조정 비용" in next(iter(prefixes))
    assert "파티셔닝" not in fanout.item_prompt(plain, plan, 0).prefix
    assert fanout.prompt_version(job) != fanout.prompt_version(plain)
