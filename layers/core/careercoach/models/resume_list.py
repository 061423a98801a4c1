"""The caller's own resumes, a page at a time (GET /api/v1/resumes)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from careercoach.models.instant import Instant
from careercoach.models.resume import Language


class ResumeSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unique_key: str
    name: str | None = Field(description="The name on the resume, if it has one")
    language: Language
    created_at: Instant
    updated_at: Instant


class ResumePage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[ResumeSummary]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next (older) page; null at the end")
