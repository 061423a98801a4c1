"""The DynamoDB resource (one per execution environment) and how its conditional failures look."""

from __future__ import annotations

from functools import cache
from typing import Any

from careercoach.errors import ServiceUnavailable


@cache
def dynamodb() -> Any:
    import boto3

    return boto3.resource("dynamodb")


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
