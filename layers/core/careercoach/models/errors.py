"""The common error body, for the OpenAPI documents."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    error_code: str = Field(description="Stable machine-readable code, e.g. resume_not_found.")
    message: str = Field(description="What went wrong, for people.")
    request_id: str = Field(description="API Gateway's request id; quote it when reporting a problem.")
    details: Any | None = Field(default=None, description="Field errors for 422, attempt summaries for 503.")
