"""What generation produces: interview question sets and learning paths.

`*Draft` models are what a provider (an LLM or the offline generator) returns; they name catalog resources
by id so no provider can invent a link. The service resolves ids against the curated catalog and stores
`QuestionSet` / `LearningPath` documents of one shape, whoever wrote them (sync endpoint or worker)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Category = Literal[
    "technical", "project_deep_dive", "system_design", "problem_solving", "behavioral", "collaboration"
]
Difficulty = Literal["easy", "medium", "hard"]
StepType = Literal["deepen_strength", "close_gap", "project", "communication"]
Priority = Literal["high", "medium", "low"]
ResourceKind = Literal["docs", "book", "course", "guide", "video", "practice"]

CATEGORIES: tuple[Category, ...] = (
    "technical",
    "project_deep_dive",
    "system_design",
    "problem_solving",
    "behavioral",
    "collaboration",
)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


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


class Strength(_Model):
    area: Line
    evidence: Line = Field(description="Quoted from the resume")


class Gap(_Model):
    area: Line
    why: Text = Field(description="Why it matters for the candidate's next role")


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
