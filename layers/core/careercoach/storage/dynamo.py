"""The DynamoDB resource (one per execution environment) and how its conditional failures look."""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def dynamodb() -> Any:
    import boto3

    return boto3.resource("dynamodb")


def conditional_check_failed(exc: Exception) -> bool:
    response = getattr(exc, "response", None) or {}
    return bool(response.get("Error", {}).get("Code") == "ConditionalCheckFailedException")
