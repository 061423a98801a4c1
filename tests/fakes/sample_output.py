"""A small output model for exercising structured generation, independent of any domain.

It has what real output models have: nesting, a list with a minimum length, a constrained number and a
field with a default (which OpenAI's strict mode cannot express without the registry's help)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class PlanItem(BaseModel):
    title: str = Field(min_length=1)
    weeks: int = Field(ge=1, le=52)


class Plan(BaseModel):
    summary: str
    items: list[PlanItem] = Field(min_length=1)
    note: str = "none"


VALID_PLAN: dict[str, Any] = {"summary": "Deepen Kafka", "items": [{"title": "Build a pipeline", "weeks": 3}]}
# What OpenAI strict mode returns for a defaulted field: an explicit null, which must become the default.
VALID_PLAN_STRICT: dict[str, Any] = {**VALID_PLAN, "note": None}
# Schema-invalid: weeks below its minimum, and no items title.
INVALID_PLAN: dict[str, Any] = {"summary": "Deepen Kafka", "items": [{"weeks": 0}]}
