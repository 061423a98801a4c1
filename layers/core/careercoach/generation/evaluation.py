"""The answer-evaluation kind: one practice answer scored against a rubric, with the follow-up an interviewer
would ask next. Its input is a pending answer in a practice session (the request points at it, so the
answer is never copied into a task); its result is a turn of that session.

Served by the practice routes (careercoach.api.practice), not the generic generation routes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from careercoach.checks import in_language
from careercoach.errors import AnswerNotPending, PracticeSessionNotFound
from careercoach.generation.spec import Drafted, GenerationSpec, Job, Stores
from careercoach.models.practice import (
    AnswerResult,
    Evaluation,
    EvaluationDraft,
    EvaluationPayload,
    PendingAnswer,
    PracticeSession,
    SessionQuestion,
    Turn,
)
from careercoach.observability import metrics
from careercoach.practice.offline import PEOPLE_CATEGORIES, evaluate_answer, neighbours
from careercoach.practice.phrases import NOTE
from careercoach.practice.redact import redact_answer
from careercoach.practice.session import answer_result
from careercoach.prompts import Prompt
from careercoach.prompts.evaluation import evaluation_prompt
from careercoach.resume_items import normalise_text, resume_items

OFFLINE_PROVIDER = (
    "offline"  # careercoach.generation.offline_provider.PROVIDER_NAME (that module needs the LLM layer)
)
BANDS = {"strong": (75, 100), "adequate": (50, 74), "weak": (0, 49), "off_topic": (0, 30)}
MAX_FOLLOW_UP_ATTEMPTS = 5
# Answers accepted but never evaluated (the template's AnswerEvaluationFailuresAlarm watches it).
EVALUATION_FAILURES_METRIC = "AnswerEvaluationFailures"


@dataclass(frozen=True)
class EvaluationSubject:
    """The evaluation's own input: the session, the pending answer and the question it answers."""

    session: PracticeSession
    pending: PendingAnswer
    question: SessionQuestion


def _subject(job: Job) -> EvaluationSubject:
    subject = job.subject
    assert isinstance(subject, EvaluationSubject)
    return subject


def _prepare(stores: Stores, unique_key: str, payload: EvaluationPayload, owner: str) -> EvaluationSubject:
    session = stores.practice_sessions.get(payload.session_id, owner=owner)
    if session is None or session.unique_key != unique_key:
        raise PracticeSessionNotFound()
    pending = session.pending_answer(payload.turn_id)
    question = session.question(pending.question_id) if pending is not None else None
    if pending is None or question is None:
        raise AnswerNotPending()
    return EvaluationSubject(session, pending, question)


def _answer_for_model(job: Job) -> str:
    return redact_answer(_subject(job).pending.answer, job.resume)


def _prompt(job: Job) -> Prompt:
    subject = _subject(job)
    items = neighbours(job.resume, subject.question.grounding.source)
    return evaluation_prompt(subject.question, items, _answer_for_model(job), language=job.language)


def _offline(job: Job) -> EvaluationDraft:
    subject = _subject(job)
    return evaluate_answer(subject.question, _answer_for_model(job), job.resume, job.language)


def _criteria(question: SessionQuestion) -> list[str]:
    people = question.category in PEOPLE_CATEGORIES
    return ["relevance", "depth", "evidence", "structure", *([] if people else ["accuracy"])]


def _normalise(draft: EvaluationDraft, job: Job) -> None:
    """Points written as the key point they name (case and spacing aside); evidence pointed at the resume
    item that holds its quote; the rubric in its fixed order; no follow-up after a follow-up."""
    question = _subject(job).question
    canonical = {normalise_text(point).rstrip(". "): point for point in question.key_points}
    draft.covered_points = [canonical.get(normalise_text(p).rstrip(". "), p) for p in draft.covered_points]
    draft.missing_points = [canonical.get(normalise_text(p).rstrip(". "), p) for p in draft.missing_points]
    items = resume_items(job.resume)
    for evidence in draft.resume_evidence:
        needle = normalise_text(evidence.quote)
        holders = [item for item in items if needle and needle in normalise_text(item.text)]
        if holders and all(item.source != evidence.source for item in holders):
            evidence.source = holders[0].source
    order = _criteria(question)
    draft.rubric.sort(key=lambda entry: order.index(entry.criterion) if entry.criterion in order else 99)
    if question.follows is not None:
        draft.follow_up = None  # follow-ups go one level deep


def _problems(draft: EvaluationDraft, job: Job) -> list[str]:
    question = _subject(job).question
    problems: list[str] = []
    points = question.key_points
    listed = [*draft.covered_points, *draft.missing_points]
    unknown = [p for p in listed if p not in points]
    if unknown:
        problems.append(
            f"covered_points and missing_points must copy key points verbatim; not key points: {unknown}."
        )
    absent = [p for p in points if p not in listed]
    if absent:
        problems.append(f"Every key point goes in covered_points or missing_points; missing: {absent}.")
    twice = sorted({p for p in listed if listed.count(p) > 1})
    if twice:
        problems.append(f"List each key point once; listed twice: {twice}.")
    wanted = _criteria(question)
    criteria = [entry.criterion for entry in draft.rubric]
    if sorted(criteria) != sorted(wanted):
        problems.append(f"rubric must have exactly one entry for each of {wanted}; it has {criteria}.")
    low, high = BANDS[draft.verdict]
    if not low <= draft.score <= high:
        problems.append(f"verdict {draft.verdict} needs a score between {low} and {high}, not {draft.score}.")
    items = resume_items(job.resume)
    for evidence in draft.resume_evidence:
        needle = normalise_text(evidence.quote)
        if not needle or not any(needle in normalise_text(item.text) for item in items):
            problems.append(
                f"resume_evidence quote {evidence.quote!r} must be copied exactly from a resume line."
            )
    texts = [*draft.strengths, *draft.improvements, *draft.model_answer_outline]
    if draft.follow_up is not None:
        texts.append(draft.follow_up.question)
        if normalise_text(draft.follow_up.question) == normalise_text(question.question):
            problems.append("follow_up must ask something new, not repeat the question.")
    if texts and not in_language(" ".join(texts), job.language):
        problems.append(f"Write every text in {'Korean' if job.language == 'ko' else 'English'}.")
    return problems


@dataclass(frozen=True)
class TurnStorage:
    """An evaluation is a turn of its practice session: stored by replacing the pending answer it evaluates,
    in one conditional update, and read back as the answer endpoint shows it."""

    def save(
        self,
        stores: Stores,
        job: Job,
        drafted: Drafted[EvaluationDraft],
        *,
        result_id: str,
        task_id: str | None,
        owner: str,
        created_at: datetime,
    ) -> AnswerResult:
        subject = _subject(job)
        draft = drafted.output
        offline = drafted.provider == OFFLINE_PROVIDER
        evaluation = Evaluation(
            **draft.model_dump(exclude={"follow_up"}),
            evaluator="offline" if offline else "model",
            note=NOTE[job.language] if offline else None,
        )
        repository = stores.practice_sessions
        session = subject.session
        for _ in range(MAX_FOLLOW_UP_ATTEMPTS):
            turn = Turn(
                turn_id=result_id,
                question_id=subject.question.question_id,
                question=subject.question.question,
                answer=subject.pending.answer,
                seconds_taken=subject.pending.seconds_taken,
                evaluation=evaluation,
                follow_up=_follow_up(session, subject.question, draft),
                **drafted.provenance(),
                task_id=task_id,
                created_at=created_at,
            )
            stored = repository.complete_turn(session.id, turn, owner=owner, now=created_at)
            if stored is None:
                raise AnswerNotPending()
            kept = stored.turn(result_id)
            if kept is not None and _unique_follow_up(stored, kept):
                return answer_result(stored, kept)
            # Another answer to the same question was stored at the same moment and took this follow-up's
            # id: give ours the next one.
            repository.remove_turn(session.id, result_id, subject.pending, owner=owner)
            session = repository.get(session.id, owner=owner) or session
        raise AnswerNotPending()

    def find(self, stores: Stores, kind: str, result_id: str, *, owner: str) -> AnswerResult | None:
        session = stores.practice_sessions.by_turn(result_id, owner=owner)
        turn = session.turn(result_id) if session is not None else None
        return answer_result(session, turn) if session is not None and turn is not None else None

    def release(self, stores: Stores, kind: str, payload: Any, result_id: str, *, owner: str) -> None:
        """The task failed for good: its answer stops holding up the session, and the alarm hears of it."""
        stores.practice_sessions.remove_pending(payload.session_id, result_id, owner=owner)
        metrics.add_metric(name=EVALUATION_FAILURES_METRIC, unit="Count", value=1)


def _follow_up(
    session: PracticeSession, question: SessionQuestion, draft: EvaluationDraft
) -> SessionQuestion | None:
    if draft.follow_up is None or question.follows is not None:
        return None
    root = question.question_id
    taken = {f.question_id for f in session.follow_ups()}
    number = 1
    while f"{root}-f{number}" in taken:
        number += 1
    return SessionQuestion(
        question_id=f"{root}-f{number}",
        question=draft.follow_up.question,
        category=question.category,
        difficulty=question.difficulty,
        intent=draft.follow_up.why,
        grounding=question.grounding,
        key_points=list(draft.follow_up.key_points),
        follows=root,
        why=draft.follow_up.why,
    )


def _unique_follow_up(session: PracticeSession, turn: Turn) -> bool:
    """Whether this turn's follow-up id is its own: the earliest turn holding an id keeps it."""
    if turn.follow_up is None:
        return True
    wanted = turn.follow_up.question_id
    first = next(t for t in session.turns if t.follow_up is not None and t.follow_up.question_id == wanted)
    return first.turn_id == turn.turn_id


EVALUATION: GenerationSpec[EvaluationDraft, AnswerResult] = GenerationSpec(
    kind="answer_evaluation",
    label="answer evaluation",
    draft_model=EvaluationDraft,
    record_model=AnswerResult,
    max_output_tokens=3000,
    build_prompt=_prompt,
    normalise=_normalise,
    problems=_problems,
    offline=_offline,
    storage=TurnStorage(),
    options_model=EvaluationPayload,
    prepare=_prepare,
)
