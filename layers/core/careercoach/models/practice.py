"""Practice sessions: a question set answered one turn at a time, each answer scored against a rubric, with
the follow-up an interviewer would ask next, and a summary when the session is finished.

`EvaluationDraft` is what an evaluator (an LLM or the offline evaluator) returns for one answer. A
`PracticeSession` is the stored document (MongoDB `practice_sessions`, one per session, owner-scoped); the
`*View` models are what the API shows of it. Answers are personal data: they are stored for their owner and
shown only to them, and never logged, counted in metrics or put in traces."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from careercoach.models.generation import (
    PROVIDER_PATTERN,
    AttemptSummary,
    Category,
    Difficulty,
    Grounding,
    Usage,
)
from careercoach.models.instant import Instant
from careercoach.models.numbers import OptionalInteger
from careercoach.models.resume import Language
from careercoach.models.text import VISIBLE

Mode = Literal["practice", "mock"]
SessionStatus = Literal["active", "finished"]
Verdict = Literal["strong", "adequate", "weak", "off_topic"]
Criterion = Literal["relevance", "depth", "evidence", "structure", "accuracy"]
Evaluator = Literal["model", "offline"]
NextKind = Literal["question", "follow_up"]

MAX_ANSWER_CHARS = 6000
# A question of the set ("q3"), or a follow-up of one ("q3-f1": the first follow-up asked after q3).
QUESTION_ID_PATTERN = r"^q[0-9]{1,2}(-f[0-9]{1,2})?$"
SESSION_ID_PATTERN = r"^[0-9a-f]{32}$"

QuestionId = Annotated[str, StringConstraints(pattern=QUESTION_ID_PATTERN)]
MainQuestionId = Annotated[str, StringConstraints(pattern=r"^q[0-9]{1,2}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]
# At most MAX_ANSWER_CHARS as sent, at least one visible character (an answer that shows nothing is no
# answer), stored trimmed.
AnswerText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ANSWER_CHARS), VISIBLE]
Provider = Annotated[str, StringConstraints(pattern=PROVIDER_PATTERN)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Request(BaseModel):
    # strict, as every request body: the JSON types the OpenAPI document gives, never coerced.
    model_config = ConfigDict(extra="forbid", strict=True)


# ---- requests ----------------------------------------------------------------------------------------------


class SessionCreate(_Request):
    """POST .../sessions: every field optional."""

    question_set_id: Annotated[str, StringConstraints(pattern=SESSION_ID_PATTERN)] | None = Field(
        default=None, description="An interview question set of this resume; default: the latest"
    )
    question_ids: list[MainQuestionId] | None = Field(
        default=None,
        min_length=1,
        max_length=10,
        description="Which questions, in this order, each once (422 otherwise); default: all. One the set "
        "does not have is 409 unknown_question",
        json_schema_extra={"uniqueItems": True},
    )
    mode: Mode = Field(
        default="practice",
        description="practice: feedback after each answer; mock: follow-ups come as the next turn and the "
        "feedback stays hidden until the session is finished",
    )
    language: Language | None = Field(default=None, description="Defaults to the resume's language")


class AnswerInput(_Request):
    """POST .../answers."""

    question_id: QuestionId = Field(description="A question of the session or a follow-up it was asked")
    answer: AnswerText = Field(
        description="1-6000 characters as sent, at least one of them visible; stored trimmed"
    )
    seconds_taken: OptionalInteger = Field(
        default=None, ge=0, le=86_400, description="How long the answer took"
    )
    provider: Provider = Field(
        default="auto", description="auto, or one provider id (e.g. openai, anthropic, gemini, offline)"
    )


class EvaluationPayload(_Request):
    """What an evaluation request carries, sync or async (kept as the task's payload): it points at the
    pending answer in the session document, so the answer itself is never copied into a task."""

    session_id: Annotated[str, StringConstraints(pattern=SESSION_ID_PATTERN)]
    turn_id: Annotated[str, StringConstraints(pattern=SESSION_ID_PATTERN)]
    provider: Provider = "auto"
    language: Language | None = None


# ---- what an evaluator returns -----------------------------------------------------------------------------


class RubricEntry(_Model):
    criterion: Criterion
    score: int = Field(ge=0, le=4, description="0 (absent) to 4 (excellent)")
    comment: Text


class EvidenceItem(_Model):
    source: Line = Field(description="The resume item, e.g. work_experiences[0].achievements[1]")
    quote: Line = Field(description="Text copied verbatim from that resume item")
    used: bool = Field(description="true: the answer used it; false: the answer could have used it")


class FollowUpDraft(_Model):
    question: Text
    why: Text = Field(description="What it probes: a point the answer missed, or a claim it made")
    key_points: list[Line] = Field(min_length=1, max_length=4, description="What a good answer to it covers")


class EvaluationDraft(_Model):
    score: int = Field(ge=0, le=100)
    verdict: Verdict
    rubric: list[RubricEntry] = Field(min_length=4, max_length=5)
    covered_points: list[Line] = Field(max_length=6, description="Key points the answer covered, verbatim")
    missing_points: list[Line] = Field(max_length=6, description="Key points it did not cover, verbatim")
    resume_evidence: list[EvidenceItem] = Field(max_length=5)
    strengths: list[Line] = Field(max_length=5)
    improvements: list[Line] = Field(max_length=5)
    model_answer_outline: list[Line] = Field(min_length=2, max_length=8)
    follow_up: FollowUpDraft | None = Field(description="The question an interviewer would ask next, or null")


# ---- the stored session ------------------------------------------------------------------------------------


class Evaluation(_Model):
    """One answer's evaluation, as stored and shown."""

    score: int
    verdict: Verdict
    rubric: list[RubricEntry]
    covered_points: list[str]
    missing_points: list[str]
    resume_evidence: list[EvidenceItem]
    strengths: list[str]
    improvements: list[str]
    model_answer_outline: list[str]
    evaluator: Evaluator = Field(
        description="model: an AI provider judged it; offline: the built-in evaluator"
    )
    note: str | None = Field(default=None, description="What this evaluator cannot judge, when it matters")


class SessionQuestion(_Model):
    """A question as the session keeps it: the set's question, or a follow-up asked after an answer."""

    question_id: str
    question: str
    category: Category
    difficulty: Difficulty
    intent: str
    grounding: Grounding
    key_points: list[str]
    follow_ups: list[str] = Field(default_factory=list)
    follows: str | None = Field(default=None, description="For a follow-up: the question it follows")
    why: str | None = None


class Turn(_Model):
    turn_id: str
    question_id: str
    question: str
    answer: str
    seconds_taken: int | None = None
    evaluation: Evaluation
    follow_up: SessionQuestion | None = None
    provider: str
    model: str | None
    degraded: bool = False
    fallback_reason: str | None = None
    attempts: list[AttemptSummary]
    usage: Usage
    prompt_version: str
    task_id: str | None = None
    created_at: Instant


class PendingAnswer(_Model):
    """An answer waiting for its evaluation (the evaluation request points at it by `turn_id`)."""

    turn_id: str
    question_id: str
    answer: str
    seconds_taken: int | None = None
    task_id: str | None = None
    created_at: Instant
    expires_at: Instant = Field(description="After this it no longer holds up finishing the session")


class WeakPoint(_Model):
    question_id: str
    turn_id: str
    category: Category
    question: str
    point: str = Field(description="The key point the answer missed")
    score: int = Field(description="The answer's score")
    answer_quote: str = Field(description="The start of the answer it comes from, verbatim")


class SessionSummary(_Model):
    overall_score: int | None = Field(description="Mean score of the latest answer to each question answered")
    answered: int
    unanswered: list[str] = Field(description="Questions of the set with no answer")
    by_category: dict[str, int]
    weakest_points: list[WeakPoint]
    next_steps: list[str]


class PracticeSession(_Model):
    id: str
    unique_key: str
    question_set_id: str
    mode: Mode
    language: Language
    status: SessionStatus = "active"
    questions: list[SessionQuestion]
    turns: list[Turn] = Field(default_factory=list)
    pending: list[PendingAnswer] = Field(default_factory=list)
    summary: SessionSummary | None = None
    version: int = 0
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None = None

    def question(self, question_id: str) -> SessionQuestion | None:
        """A question of the set, or a follow-up asked in one of the turns."""
        for question in self.questions:
            if question.question_id == question_id:
                return question
        for turn in self.turns:
            if turn.follow_up is not None and turn.follow_up.question_id == question_id:
                return turn.follow_up
        return None

    def follow_ups(self) -> list[SessionQuestion]:
        return [turn.follow_up for turn in self.turns if turn.follow_up is not None]

    def pending_answer(self, turn_id: str) -> PendingAnswer | None:
        return next((p for p in self.pending if p.turn_id == turn_id), None)

    def turn(self, turn_id: str) -> Turn | None:
        return next((t for t in self.turns if t.turn_id == turn_id), None)


# ---- what the API shows ------------------------------------------------------------------------------------


class PracticeQuestion(_Model):
    question_id: str
    question: str
    category: Category
    difficulty: Difficulty


class NextQuestion(_Model):
    question_id: str
    question: str
    kind: NextKind = Field(description="question: one of the set; follow_up: asked after an answer")


class FollowUpView(_Model):
    question_id: str
    question: str
    why: str


class TurnView(_Model):
    turn_id: str
    question_id: str
    question: str = Field(description="The question this answers")
    answer: str
    seconds_taken: int | None
    evaluation: Evaluation | None = Field(description="null in mock mode until the session is finished")
    follow_up: FollowUpView | None
    provider: str
    model: str | None
    degraded: bool = Field(
        description="True when an evaluator other than the first one tried answered (a fallback), the "
        "offline evaluator included"
    )
    fallback_reason: str | None = Field(description="Why the first evaluator tried did not answer")
    attempts: list[AttemptSummary]
    usage: Usage
    created_at: Instant


class AnswerResult(TurnView):
    next: NextQuestion | None = Field(description="The next unanswered question or follow-up, or null")


class PendingView(_Model):
    turn_id: str
    question_id: str
    task_id: str | None
    created_at: Instant


class SessionView(_Model):
    session_id: str
    unique_key: str
    question_set_id: str
    mode: Mode
    language: Language
    status: SessionStatus
    questions: list[PracticeQuestion]
    turns: list[TurnView]
    pending: list[PendingView] = Field(description="Answers being evaluated")
    next: NextQuestion | None
    summary: SessionSummary | None = Field(description="Set when the session is finished")
    created_at: Instant
    updated_at: Instant
    finished_at: Instant | None


class SessionListItem(_Model):
    session_id: str
    unique_key: str
    question_set_id: str
    mode: Mode
    language: Language
    status: SessionStatus
    questions: int
    answered: int
    overall_score: int | None = Field(description="Set when the session is finished")
    created_at: Instant
    updated_at: Instant


class SessionPage(_Model):
    items: list[SessionListItem]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next (older) page; null at the end")
