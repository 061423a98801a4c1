"""What a fanned-out generation exchanges with a provider: the plan (the outline every item call is given) and
one item. The plan fixes what must be consistent across items (categories, difficulty and grounding of the
questions; the analysis, types, weeks and priorities of the steps), so each item call only writes its own
item's text and stays distinct from the others; the service assembles the items into the kind's draft."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from careercoach.models.generation import (
    Analysis,
    Category,
    Coverage,
    Difficulty,
    Grounding,
    Line,
    Priority,
    StepType,
    Text,
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---- interview questions -----------------------------------------------------------------------------------


class QuestionOutline(_Model):
    category: Category
    difficulty: Difficulty
    grounding: Grounding
    focus: Line = Field(description="What the question probes in that resume item (one line)")


class QuestionPlan(_Model):
    questions: list[QuestionOutline] = Field(min_length=1, max_length=10)
    coverage: Coverage | None = None  # as in QuestionDraft: the offline planner says when it is partial


class QuestionItem(_Model):
    """One question's own text; its category, difficulty and grounding come from the plan."""

    question: Text
    intent: Text = Field(description="What the interviewer evaluates with this question")
    key_points: list[Line] = Field(min_length=2, max_length=6, description="What a good answer covers")
    follow_ups: list[Line] = Field(min_length=1, max_length=4)


# ---- learning path -----------------------------------------------------------------------------------------


class StepOutline(_Model):
    type: StepType
    focus: Line = Field(description="The strength, gap or theme this step works on")
    estimated_weeks: int = Field(ge=1, le=26)
    priority: Priority


class LearningPlan(_Model):
    analysis: Analysis
    summary: Text
    steps: list[StepOutline] = Field(min_length=5, max_length=8)
    coverage: Coverage | None = None  # as in LearningPathDraft: the offline planner says when it is partial


class StepItem(_Model):
    """One step's own text; its order, type, weeks and priority come from the plan."""

    title: Line
    why: Text
    actions: list[Line] = Field(min_length=1, max_length=6)
    resource_ids: list[Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]{1,80}$")]] = Field(
        default_factory=list, max_length=4, description="Ids from the resource catalog given in the prompt"
    )
    milestone: Text = Field(description="A verifiable outcome that shows the step is done")
