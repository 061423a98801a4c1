"""Idempotency-Key for async submits (Powertools Idempotency on DynamoDB): the same key, kind and resume
returns the task created the first time; the same key with different options is a 409. The owner is part of
the key, so two callers who happen to pick the same Idempotency-Key never see each other's task."""

from __future__ import annotations

from collections.abc import Callable
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

from careercoach.errors import IdempotencyKeyReused, SubmitInProgress

IDEMPOTENCY_TTL_S = 24 * 3600


class Idempotency:
    """Powertools Idempotency on the DynamoDB idempotency table, keyed on owner, key, kind and resume."""

    def __init__(self, table_name: str) -> None:
        self._config = IdempotencyConfig(
            event_key_jmespath="[owner, idempotency_key, kind, unique_key]",
            payload_validation_jmespath="options",
            expires_after_seconds=IDEMPOTENCY_TTL_S,
            raise_on_no_idempotency_key=True,
        )
        self._persistence = DynamoDBPersistenceLayer(table_name=table_name)

    def once(
        self, request: dict[str, Any], submit: Callable[[dict[str, Any]], dict[str, Any]], context: Any
    ) -> dict[str, Any]:
        """Run `submit(request)` at most once per idempotency key; later calls get the first answer."""
        self._config.register_lambda_context(context)
        guarded = idempotent_function(
            data_keyword_argument="request", persistence_store=self._persistence, config=self._config
        )(submit)
        try:
            result: dict[str, Any] = guarded(request=request)
        except IdempotencyValidationError:
            loc = ["header", "idempotency-key"]
            details = [{"loc": loc, "msg": "reused with different options", "type": "value_error"}]
            raise IdempotencyKeyReused(details=details) from None
        except IdempotencyAlreadyInProgressError:
            raise SubmitInProgress() from None
        return result
