"""Idempotency-Key for async submits (Powertools Idempotency on DynamoDB): the same key, kind and resume
returns the task created the first time; the same key with different options is a 422. The owner is part of
the key, so two callers who happen to pick the same Idempotency-Key never see each other's task."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)

from careercoach.errors import AppError, ValidationFailed
from careercoach.settings import get_settings

IDEMPOTENCY_TTL_S = 24 * 3600


class SubmitInProgress(AppError):
    status_code = 409
    error_code = "submit_in_progress"
    default_message = "A submit with this Idempotency-Key is still in progress; retry in a moment."


@cache
def _config() -> IdempotencyConfig:
    return IdempotencyConfig(
        event_key_jmespath="[owner, idempotency_key, kind, unique_key]",
        payload_validation_jmespath="options",
        expires_after_seconds=IDEMPOTENCY_TTL_S,
        raise_on_no_idempotency_key=True,
    )


@cache
def _persistence() -> DynamoDBPersistenceLayer:
    return DynamoDBPersistenceLayer(table_name=get_settings().idempotency_table)


def once(
    request: dict[str, Any], submit: Callable[[dict[str, Any]], dict[str, Any]], context: Any
) -> dict[str, Any]:
    """Run `submit(request)` at most once per idempotency key; later calls get the first answer."""
    config = _config()
    config.register_lambda_context(context)
    guarded = idempotent_function(
        data_keyword_argument="request", persistence_store=_persistence(), config=config
    )(submit)
    try:
        result: dict[str, Any] = guarded(request=request)
    except IdempotencyValidationError:
        loc = ["header", "idempotency-key"]
        details = [{"loc": loc, "msg": "reused with different options", "type": "value_error"}]
        raise ValidationFailed(
            "This Idempotency-Key was used with different options.", details=details
        ) from None
    except IdempotencyAlreadyInProgressError:
        raise SubmitInProgress() from None
    return result


def reset() -> None:
    _config.cache_clear()
    _persistence.cache_clear()
