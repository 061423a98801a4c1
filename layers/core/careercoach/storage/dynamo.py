"""How DynamoDB's conditional failures look, and one table call with its errors mapped."""

from __future__ import annotations

from typing import Any

from careercoach.errors import ServiceUnavailable


def conditional_check_failed(exc: Exception) -> bool:
    response = getattr(exc, "response", None) or {}
    return bool(response.get("Error", {}).get("Code") == "ConditionalCheckFailedException")


def call(table: Any, method: str, unavailable: str, **kwargs: Any) -> Any:
    """One table operation. A failed condition is raised as is (callers give it a meaning); anything else
    becomes a 503 with `unavailable` as its message, never the SDK's text."""
    try:
        return getattr(table, method)(**kwargs)
    except Exception as exc:
        if conditional_check_failed(exc):
            raise
        raise ServiceUnavailable(unavailable) from exc
