"""What generation produces: interview question sets and learning paths.

`*Draft` models are what a provider (an LLM or the offline generator) returns; they name catalog resources
by id so no provider can invent a link. The service resolves ids against the curated catalog and stores
`QuestionSet` / `LearningPath` documents of one shape, whoever wrote them (sync endpoint or worker)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from careercoach.models.instant import Instant
from careercoach.models.numbers import Integer
from careercoach.models.text import is_blank, visible

Category = Literal[
    "technical", "project_deep_dive", "system_design", "problem_solving", "behavioral", "collaboration"
]
Difficulty = Literal["easy", "medium", "hard"]
StepType = Literal["deepen_strength", "close_gap", "project", "communication"]
Priority = Literal["high", "medium", "low"]
ResourceKind = Literal["docs", "book", "course", "guide", "video", "practice"]

# What a provider id looks like (openai, anthropic, gemini, bedrock, offline, ...).
PROVIDER_PATTERN = r"^[a-z][a-z0-9_]{1,39}$"

CATEGORIES: tuple[Category, ...] = (
    "technical",
    "project_deep_dive",
    "system_design",
    "problem_solving",
    "behavioral",
    "collaboration",
)

# Trimmed and required: a value that shows nothing (only invisible characters) is as empty as "".
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), AfterValidator(visible)
]
Line = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400), AfterValidator(visible)
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Coverage(_Model):
    """How much of the resume the generator could serve with its knowledge. Absent means full coverage (AI
    providers need not send it); the offline generator says `partial` for resumes outside the engineering
    tracks its knowledge base covers, so a client can tell."""

    level: Literal["full", "partial"] = "full"
    reason: Text | None = Field(default=None, description="Why coverage is partial, in the output language")


class Grounding(_Model):
    source: Line = Field(
        description="Which resume item the question probes, e.g. work_experiences[0].achievements[1]"
    )
    quote: Line = Field(description="Text copied verbatim from that resume item")


class InterviewQuestion(_Model):
    id: Annotated[str, StringConstraints(pattern=r"^q[0-9]{1,2}$")] = Field(description="q1, q2, ...")
    category: Category
    difficulty: Difficulty
    question: Text
    intent: Text = Field(description="What the interviewer evaluates with this question")
    grounding: Grounding
    key_points: list[Line] = Field(min_length=2, max_length=6, description="What a good answer covers")
    follow_ups: list[Line] = Field(min_length=1, max_length=4)


class QuestionDraft(_Model):
    questions: list[InterviewQuestion] = Field(min_length=1, max_length=10)
    coverage: Coverage | None = None


class Strength(_Model):
    area: Line
    evidence: Line = Field(description="Quoted from the resume")


class Gap(_Model):
    area: Line
    why: Text = Field(description="Why it matters for the candidate's next role")


class PracticeCitation(_Model):
    """Where a learning-path gap comes from: one answer of a practice session."""

    session_id: str
    turn_id: str
    question_id: str
    score: int = Field(description="The answer's score, 0-100")
    answer_quote: str = Field(description="The start of the answer, verbatim")


class PathGap(Gap):
    """A gap as a stored learning path shows it: from the analysis, or (with `practice`) from a practice
    answer that missed it."""

    practice: PracticeCitation | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="Set when the gap comes from a practice session's answer",
    )


class PathAnalysis(_Model):
    strengths: list[Strength]
    gaps: list[PathGap]


class Analysis(_Model):
    strengths: list[Strength] = Field(min_length=1, max_length=8)
    gaps: list[Gap] = Field(min_length=1, max_length=8)


class StepDraft(_Model):
    order: int = Field(ge=1, le=8)
    type: StepType
    title: Line
    why: Text
    actions: list[Line] = Field(min_length=1, max_length=6)
    resource_ids: list[Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]{1,80}$")]] = Field(
        default_factory=list, max_length=4, description="Ids from the resource catalog given in the prompt"
    )
    estimated_weeks: int = Field(ge=1, le=26)
    milestone: Text = Field(description="A verifiable outcome that shows the step is done")
    priority: Priority


class LearningPathDraft(_Model):
    analysis: Analysis
    summary: Text
    steps: list[StepDraft] = Field(min_length=5, max_length=8)
    total_weeks: int = Field(ge=1, le=208)
    coverage: Coverage | None = None


class Resource(_Model):
    id: str
    title: str
    url: str
    kind: ResourceKind


class LearningStep(_Model):
    order: int
    type: StepType
    title: str
    why: str
    actions: list[str]
    resources: list[Resource]
    estimated_weeks: int
    milestone: str
    priority: Priority


# ---- stored documents: one shape per collection, whoever writes them --------------------------------------


class GenerationOptions(_Model):
    """Options a client may send with any generation request (sync or async); each kind's own options
    model (its spec's `options_model`) adds what only it takes."""

    # strict: the JSON types the OpenAPI document gives, never coerced (false is not a seed of 0, "3" is not
    # a count of 3; 3.0 is 3, see models/numbers.py), so what the document calls invalid the API rejects.
    model_config = ConfigDict(extra="forbid", strict=True)

    language: Literal["ko", "en"] | None = Field(
        default=None, description="Defaults to the resume's language"
    )
    # Any provider id here: which ones this deployment has is the API's business (the request models of
    # careercoach.api.providers), and a stored result keeps naming the provider it was asked for.
    provider: Annotated[str, StringConstraints(pattern=PROVIDER_PATTERN)] = Field(
        default="auto", description="auto, or one provider id (e.g. openai, anthropic, gemini, offline)"
    )
    job_description: Annotated[str, StringConstraints(max_length=10_000)] | None = Field(
        default=None,
        description="At most 10,000 characters as sent; stored trimmed. Blank (only whitespace or invisible "
        "characters) is no job description",
    )
    seed: Integer = Field(default=0, ge=0, le=1_000_000, description="Varies the offline generator's choices")

    @field_validator("job_description")
    @classmethod
    def _blank_is_absent(cls, value: str | None) -> str | None:
        # "", whitespace or only invisible characters: no job description, not an empty block in the prompt.
        return None if value is None or is_blank(value) else value.strip()


class InterviewOptions(GenerationOptions):
    count: Integer = Field(default=5, ge=1, le=10, description="Number of questions")


class LearningPathOptions(GenerationOptions):
    practice_session_id: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")] | None = Field(
        default=None,
        # Absent from stored options unless given, so paths made without one keep their exact shape.
        exclude_if=lambda value: value is None,
        description="A practice session of this resume: its weakest answers become gaps, each citing the "
        "answer, and the last step rehearses them",
    )


def stored_options(model: type[GenerationOptions], value: Any) -> Any:
    """Options read back from storage, keeping only the fields `model` has: documents and tasks stored
    before an option became another kind's only (a learning path's `count`) still load."""
    if isinstance(value, dict):
        return {key: item for key, item in value.items() if key in model.model_fields}
    return value


class AttemptSummary(_Model):
    provider: str
    model: str | None
    outcome: str
    error_kind: str | None = None
    error_message: str | None = Field(
        default=None,
        description="The vendor's error message, sanitized (no key, no resume text), at most 300 characters",
    )
    latency_ms: int
    input_tokens: int | None = None
    output_tokens: int | None = None
    cached_input_tokens: int | None = Field(
        default=None, description="The part of input_tokens read from the vendor's prompt cache"
    )
    cost_usd: float | None = None
    part: str | None = Field(
        default=None,
        description="Which part of a fanned-out generation the attempt wrote: plan, q1.., step1..; "
        "null for a result written by one call",
    )


class Usage(_Model):
    input_tokens: int = 0
    output_tokens: int = 0
    cached_input_tokens: int = Field(
        default=0, description="The part of input_tokens read from the vendors' prompt caches"
    )
    cost_usd: float | None = None


class GenerationRecord(_Model):
    id: str
    unique_key: str
    kind: str
    language: Literal["ko", "en"]
    options: GenerationOptions
    provider: str
    model: str | None
    degraded: bool = Field(
        default=False,
        description="True when a provider other than the first one tried answered (a fallback), "
        "the offline generator included",
    )
    fallback_reason: str | None = Field(
        default=None, description="Why the first provider tried did not answer (its error kind)"
    )
    attempts: list[AttemptSummary]
    usage: Usage
    mode: Literal["single", "fanout"] = Field(
        default="single",
        description="single: one call wrote the whole result; fanout: a plan, then each item written by its "
        "own call, in parallel",
    )
    prompt_version: str
    task_id: str | None = None
    created_at: Instant


class InterviewSet(GenerationRecord):
    kind: Literal["interview"] = "interview"
    options: InterviewOptions
    questions: list[InterviewQuestion]
    coverage: Coverage | None = None

    @field_validator("options", mode="before")
    @classmethod
    def _stored(cls, value: Any) -> Any:
        return stored_options(InterviewOptions, value)


class LearningPath(GenerationRecord):
    kind: Literal["learning_path"] = "learning_path"
    options: LearningPathOptions

    @field_validator("options", mode="before")
    @classmethod
    def _stored(cls, value: Any) -> Any:
        return stored_options(LearningPathOptions, value)

    analysis: PathAnalysis
    summary: str
    steps: list[LearningStep]
    total_weeks: int
    coverage: Coverage | None = None


class GenerationSummary(_Model):
    """One line of a history page."""

    id: str
    kind: str = Field(description="The kind of result: interview or learning_path")
    language: Literal["ko", "en"]
    provider: str
    model: str | None
    prompt_version: str
    items: int = Field(description="Questions in the set, or steps in the path")
    created_at: Instant


class HistoryPage(_Model):
    items: list[GenerationSummary]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next (older) page; null at the end")
