"""The practice service: sessions over a resume's interview question set, answers evaluated now (sync) or by
the worker (async), and finishing with a summary.

Every call is scoped to the owner: another owner's resume or session is "not found". An answer is kept in
the session document as pending before it is evaluated; the evaluation request (and an async task) points
at it, so the answer is never copied into a task item, and the evaluation replaces it with a turn in one
conditional update. A pending answer holds up finishing the session until it is evaluated, until its task
fails for good (which releases it), or until it expires: the time a sync evaluation or the task's retries
can take, so a crashed request can never block a session for ever. Each evaluated answer counts against the
owner's generation quota (counted once the request is known to be valid and theirs)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from careercoach.clock import utc_now
from careercoach.errors import (
    EvaluationPending,
    GenerationNotFound,
    PracticeSessionNotFound,
    SessionFinished,
    UnknownQuestion,
    ValidationFailed,
)
from careercoach.models.generation import InterviewSet
from careercoach.models.practice import (
    SESSION_ID_PATTERN,
    AnswerInput,
    AnswerResult,
    EvaluationPayload,
    PendingAnswer,
    PracticeSession,
    SessionCreate,
    SessionPage,
    SessionQuestion,
    SessionView,
)
from careercoach.models.task import Task
from careercoach.observability import logger, metrics
from careercoach.practice.session import list_item, session_view, summarise
from careercoach.resumes import ResumeService
from careercoach.storage.generations import GenerationRepository
from careercoach.storage.practice import PracticeSessionRepository

if TYPE_CHECKING:
    from careercoach.generation.service import GenerationService
    from careercoach.tasks import TaskService

# How long a pending answer may hold up finishing: a sync evaluation ends within API Gateway's 30 s; an
# async one within the queue's receives (5 x 720 s visibility).
SYNC_HOLD = timedelta(minutes=2)
ASYNC_HOLD = timedelta(hours=1, minutes=15)
FINISH_ATTEMPTS = 3

Admission = Callable[[], None]


def _admit_all() -> None:
    return None


def _is_id(value: str) -> bool:
    return bool(re.fullmatch(SESSION_ID_PATTERN, value))


class PracticeService:
    def __init__(
        self,
        resumes: ResumeService,
        sessions: PracticeSessionRepository,
        question_sets: GenerationRepository[Any],
        *,
        generation: Callable[[], GenerationService],
        tasks: Callable[[], TaskService],
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._resumes = resumes
        self._sessions = sessions
        self._question_sets = question_sets
        self._generation = generation
        self._tasks = tasks
        self._clock = clock

    # ---- sessions ---------------------------------------------------------------------------------------

    def create(self, unique_key: str, request: SessionCreate, *, owner: str) -> SessionView:
        resume = self._resumes.get(unique_key, owner=owner)
        if request.question_set_id is not None:
            question_set = self._question_sets.get(request.question_set_id, owner=owner)
            if question_set is not None and question_set.unique_key != unique_key:
                question_set = None
        else:
            question_set = self._question_sets.latest(unique_key, owner=owner)
        if question_set is None:
            raise GenerationNotFound(
                "No interview question set exists for this resume yet; generate questions first."
            )
        assert isinstance(question_set, InterviewSet)
        by_id = {question.id: question for question in question_set.questions}
        chosen = request.question_ids or list(by_id)
        for index, question_id in enumerate(chosen):
            if question_id not in by_id:
                raise UnknownQuestion(["body", "question_ids", index])
        if len(set(chosen)) != len(chosen):
            detail = {
                "loc": ["body", "question_ids"],
                "msg": "a question is listed twice",
                "type": "value_error",
            }
            raise ValidationFailed(details=[detail])
        now = self._clock()
        session = PracticeSession(
            id=uuid.uuid4().hex,
            unique_key=unique_key,
            question_set_id=question_set.id,
            mode=request.mode,
            language=request.language or resume.language,
            questions=[
                SessionQuestion(
                    question_id=q.id,
                    question=q.question,
                    category=q.category,
                    difficulty=q.difficulty,
                    intent=q.intent,
                    grounding=q.grounding,
                    key_points=list(q.key_points),
                    follow_ups=list(q.follow_ups),
                )
                for q in (by_id[question_id] for question_id in chosen)
            ],
            created_at=now,
            updated_at=now,
        )
        self._sessions.insert(session, owner=owner)
        metrics.add_metric(name="PracticeSessionsStarted", unit="Count", value=1)
        return session_view(session)

    def get(self, unique_key: str, session_id: str, *, owner: str) -> SessionView:
        return session_view(self._session(unique_key, session_id, owner))

    def list(self, unique_key: str, *, owner: str, limit: int, cursor: str | None) -> SessionPage:
        self._resumes.get(unique_key, owner=owner)
        sessions, next_cursor = self._sessions.list(unique_key, owner=owner, limit=limit, cursor=cursor)
        return SessionPage(items=[list_item(s) for s in sessions], next_cursor=next_cursor)

    def finish(self, unique_key: str, session_id: str, *, owner: str) -> SessionView:
        """Finish with a summary; finishing a finished session answers it again. 409 evaluation_pending
        while an answer is being evaluated."""
        for _ in range(FINISH_ATTEMPTS):
            session = self._session(unique_key, session_id, owner)
            if session.status == "finished":
                return session_view(session)
            now = self._clock()
            if any(p.expires_at > now for p in session.pending):
                raise EvaluationPending()
            finished = self._sessions.finish(session, summarise(session), owner=owner, now=now)
            if finished is not None:
                metrics.add_metric(name="PracticeSessionsFinished", unit="Count", value=1)
                return session_view(finished)
        raise EvaluationPending("The session changed while it was being finished; try again.")

    # ---- answers ----------------------------------------------------------------------------------------

    def answer(
        self,
        unique_key: str,
        session_id: str,
        request: AnswerInput,
        *,
        owner: str,
        admit: Admission = _admit_all,
        remaining_ms: Callable[[], int] | None = None,
    ) -> AnswerResult:
        """Evaluate an answer now: kept as pending, evaluated, stored as a turn. On failure the pending
        answer is let go (nothing half-stored), and the error is the request's."""
        from careercoach.generation.evaluation import EVALUATION, EVALUATION_FAILURES_METRIC

        session, pending = self._accept(unique_key, session_id, request, owner, admit, SYNC_HOLD, None)
        payload = EvaluationPayload(
            session_id=session.id,
            turn_id=pending.turn_id,
            provider=request.provider,
            language=session.language,
        )
        try:
            result: AnswerResult = self._generation().generate(
                EVALUATION,
                unique_key,
                payload,
                owner=owner,
                remaining_ms=remaining_ms,
                record_id=pending.turn_id,
            )
        except BaseException:
            self._sessions.remove_pending(session.id, pending.turn_id, owner=owner)
            metrics.add_metric(name=EVALUATION_FAILURES_METRIC, unit="Count", value=1)
            raise
        return result

    def submit(
        self,
        unique_key: str,
        session_id: str,
        request: AnswerInput,
        *,
        owner: str,
        admit: Admission = _admit_all,
    ) -> Task:
        """Queue an answer's evaluation: kept as pending, then a task (its id is the turn's) points at it."""
        from careercoach.generation.evaluation import EVALUATION

        turn_id = uuid.uuid4().hex
        session, pending = self._accept(unique_key, session_id, request, owner, admit, ASYNC_HOLD, turn_id)
        payload = EvaluationPayload(
            session_id=session.id,
            turn_id=pending.turn_id,
            provider=request.provider,
            language=session.language,
        )
        return self._tasks().enqueue(EVALUATION, unique_key, payload, owner=owner, task_id=turn_id)

    def _accept(
        self,
        unique_key: str,
        session_id: str,
        request: AnswerInput,
        owner: str,
        admit: Admission,
        hold: timedelta,
        task_id: str | None,
    ) -> tuple[PracticeSession, PendingAnswer]:
        from careercoach.generation.providers import check_provider

        session = self._session(unique_key, session_id, owner)
        if session.status != "active":
            raise SessionFinished()
        if session.question(request.question_id) is None:
            raise UnknownQuestion(["body", "question_id"])
        check_provider(request.provider)
        admit()
        now = self._clock()
        pending = PendingAnswer(
            turn_id=task_id or uuid.uuid4().hex,
            question_id=request.question_id,
            answer=request.answer,
            seconds_taken=request.seconds_taken,
            task_id=task_id,
            created_at=now,
            expires_at=now + hold,
        )
        if not self._sessions.add_pending(session.id, pending, owner=owner, now=now):
            raise SessionFinished()
        logger.info(
            "Practice answer accepted", extra={"session_id": session.id, "async": task_id is not None}
        )
        return session, pending

    def _session(self, unique_key: str, session_id: str, owner: str) -> PracticeSession:
        self._resumes.get(unique_key, owner=owner)  # 404 resume_not_found before anything about the session
        session = self._sessions.get(session_id, owner=owner) if _is_id(session_id) else None
        if session is None or session.unique_key != unique_key:
            raise PracticeSessionNotFound()
        return session
