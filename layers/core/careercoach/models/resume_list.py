"""The caller's own resumes, a page at a time (GET /api/v1/resumes)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from careercoach.clock import iso
from careercoach.models.resume import Language


class ResumeSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unique_key: str
    name: str | None = Field(description="The name on the resume, if it has one")
    language: Language
    created_at: datetime
    updated_at: datetime

    @field_serializer("created_at", "updated_at")
    def _iso(self, value: datetime) -> str:
        return iso(value)


class ResumePage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[ResumeSummary]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next (older) page; null at the end")
