"""Reading a practice session: what comes next, what the API shows of it, and its summary.

Order of a session: its questions in the order chosen. In mock mode a follow-up is part of that order, right
after the answer that prompted it (the interviewer asks it next); in practice mode follow-ups are optional:
shown with the feedback and answerable, but `next` moves on to the next question, and comes back to
unanswered follow-ups only once every question has an answer. The latest answer to a question is the one
that counts (answering again is how one improves)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from careercoach.models.practice import (
    AnswerResult,
    FollowUpView,
    NextQuestion,
    PendingView,
    PracticeQuestion,
    PracticeSession,
    SessionListItem,
    SessionQuestion,
    SessionSummary,
    SessionView,
    Turn,
    TurnView,
    WeakPoint,
)
from careercoach.practice import phrases as ph

MAX_WEAK_POINTS = 5
MAX_WEAK_POINTS_PER_QUESTION = 2
ANSWER_QUOTE_CHARS = 160
# A criterion averaging below this (of 4) across the session gets its own next step.
WEAK_CRITERION = 2.5


def answer_quote(answer: str) -> str:
    """The start of an answer, verbatim (whitespace collapsed), for citing it."""
    text = " ".join(answer.split())
    if len(text) <= ANSWER_QUOTE_CHARS:
        return text
    cut = text[:ANSWER_QUOTE_CHARS]
    return (cut[: cut.rfind(" ")] if " " in cut else cut) + "\u2026"


def latest_turns(session: PracticeSession) -> dict[str, Turn]:
    """The latest turn of each question or follow-up answered, by question id, in the session's order."""
    latest: dict[str, Turn] = {}
    for turn in session.turns:
        latest.pop(turn.question_id, None)
        latest[turn.question_id] = turn
    return latest


def _order(session: PracticeSession) -> list[SessionQuestion]:
    ordered: list[SessionQuestion] = []
    follow_ups = session.follow_ups()
    for question in session.questions:
        ordered.append(question)
        if session.mode == "mock":
            ordered += [f for f in follow_ups if f.follows == question.question_id]
    if session.mode == "practice":
        ordered += follow_ups
    return ordered


def next_question(session: PracticeSession) -> NextQuestion | None:
    if session.status != "active":
        return None
    answered = {t.question_id for t in session.turns} | {p.question_id for p in session.pending}
    for question in _order(session):
        if question.question_id not in answered:
            kind = "follow_up" if question.follows is not None else "question"
            return NextQuestion(question_id=question.question_id, question=question.question, kind=kind)
    return None


def feedback_hidden(session: PracticeSession) -> bool:
    """Mock mode keeps the feedback (and with it the key points) hidden until the session is finished."""
    return session.mode == "mock" and session.status == "active"


def turn_view(session: PracticeSession, turn: Turn) -> TurnView:
    return TurnView(**_turn_fields(session, turn))


def answer_result(session: PracticeSession, turn: Turn) -> AnswerResult:
    return AnswerResult(**_turn_fields(session, turn), next=next_question(session))


def _turn_fields(session: PracticeSession, turn: Turn) -> dict[str, Any]:
    follow_up = turn.follow_up
    return {
        "turn_id": turn.turn_id,
        "question_id": turn.question_id,
        "question": turn.question,
        "answer": turn.answer,
        "seconds_taken": turn.seconds_taken,
        "evaluation": None if feedback_hidden(session) else turn.evaluation,
        "follow_up": FollowUpView(
            question_id=follow_up.question_id, question=follow_up.question, why=follow_up.why or ""
        )
        if follow_up is not None
        else None,
        "provider": turn.provider,
        "model": turn.model,
        "degraded": turn.degraded,
        "fallback_reason": turn.fallback_reason,
        "attempts": turn.attempts,
        "usage": turn.usage,
        "created_at": turn.created_at,
    }


def session_view(session: PracticeSession) -> SessionView:
    return SessionView(
        session_id=session.id,
        unique_key=session.unique_key,
        question_set_id=session.question_set_id,
        mode=session.mode,
        language=session.language,
        status=session.status,
        questions=[
            PracticeQuestion(
                question_id=q.question_id, question=q.question, category=q.category, difficulty=q.difficulty
            )
            for q in session.questions
        ],
        turns=[turn_view(session, turn) for turn in session.turns],
        pending=[
            PendingView(
                turn_id=p.turn_id, question_id=p.question_id, task_id=p.task_id, created_at=p.created_at
            )
            for p in session.pending
        ],
        next=next_question(session),
        summary=session.summary,
        created_at=session.created_at,
        updated_at=session.updated_at,
        finished_at=session.finished_at,
    )


def list_item(session: PracticeSession) -> SessionListItem:
    return SessionListItem(
        session_id=session.id,
        unique_key=session.unique_key,
        question_set_id=session.question_set_id,
        mode=session.mode,
        language=session.language,
        status=session.status,
        questions=len(session.questions),
        answered=len(latest_turns(session)),
        overall_score=session.summary.overall_score if session.summary is not None else None,
        created_at=session.created_at,
        updated_at=session.updated_at,
    )


def weakest_points(session: PracticeSession) -> list[WeakPoint]:
    """The key points the weakest answers missed, weakest answer first, each citing its answer."""
    found: list[WeakPoint] = []
    ranked = sorted(latest_turns(session).values(), key=lambda t: t.evaluation.score)
    for turn in ranked:
        question = session.question(turn.question_id)
        if question is None:
            continue
        for point in turn.evaluation.missing_points[:MAX_WEAK_POINTS_PER_QUESTION]:
            found.append(
                WeakPoint(
                    question_id=turn.question_id,
                    turn_id=turn.turn_id,
                    category=question.category,
                    question=question.question,
                    point=point,
                    score=turn.evaluation.score,
                    answer_quote=answer_quote(turn.answer),
                )
            )
            if len(found) >= MAX_WEAK_POINTS:
                return found
    return found


def summarise(session: PracticeSession) -> SessionSummary:
    latest = latest_turns(session)
    language = session.language
    scores = [turn.evaluation.score for turn in latest.values()]
    by_category: defaultdict[str, list[int]] = defaultdict(list)
    criteria: defaultdict[str, list[int]] = defaultdict(list)
    for turn in latest.values():
        question = session.question(turn.question_id)
        if question is not None:
            by_category[question.category].append(turn.evaluation.score)
        for entry in turn.evaluation.rubric:
            criteria[entry.criterion].append(entry.score)
    unanswered = [q.question_id for q in session.questions if q.question_id not in latest]
    weak = weakest_points(session)
    steps: list[str] = []
    by_question: dict[str, list[str]] = {}
    for point in weak:
        by_question.setdefault(point.question_id, []).append(point.point)
    for question_id, points in list(by_question.items())[:3]:
        steps.append(ph.say(ph.SUMMARY, "redo", language, question_id=question_id, points="; ".join(points)))
    averages = {name: sum(values) / len(values) for name, values in criteria.items() if values}
    if averages:
        name, average = min(averages.items(), key=lambda item: item[1])
        if average < WEAK_CRITERION:
            label = ph.CRITERIA[name][language]
            steps.append(ph.say(ph.SUMMARY, "criterion", language, criterion=label, average=f"{average:.1f}"))
    if unanswered:
        steps.append(ph.say(ph.SUMMARY, "unanswered", language, ids=", ".join(unanswered)))
    if weak:
        steps.append(ph.SUMMARY["learning_path"][language])
    elif scores:
        steps.append(ph.SUMMARY["keep"][language])
    return SessionSummary(
        overall_score=round(sum(scores) / len(scores)) if scores else None,
        answered=len(latest),
        unanswered=unanswered,
        by_category={category: round(sum(v) / len(v)) for category, v in by_category.items()},
        weakest_points=weak,
        next_steps=steps,
    )
