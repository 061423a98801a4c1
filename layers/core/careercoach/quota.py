"""The hourly generation quota: a DynamoDB counter per subject (owner, or source IP with auth off) per clock
hour. One conditional UpdateItem both checks and counts, so concurrent requests can never overshoot the
limit; the request over it gets 429 with Retry-After (seconds to the next hour). Counters expire by TTL an
hour after their window closes."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from careercoach.errors import QuotaExceeded
from careercoach.observability import logger, metrics
from careercoach.storage.dynamo import call, conditional_check_failed

WINDOW_S = 3600


class GenerationQuota:
    def __init__(
        self, limit_per_hour: int, table: Callable[[], Any], *, clock: Callable[[], float] = time.time
    ) -> None:
        """`table` makes the quotas Table resource on first need (never, while the quota is off)."""
        self.limit = limit_per_hour
        self._make_table = table
        self._table: Any = None
        self.clock = clock

    def consume(self, subject: str) -> None:
        """Count one generation request for `subject`, or raise QuotaExceeded if the hour's are used up."""
        if self.limit <= 0:
            return
        now = self.clock()
        window_start = int(now // WINDOW_S * WINDOW_S)
        window = time.strftime("%Y-%m-%dT%H", time.gmtime(window_start))
        if self._table is None:
            self._table = self._make_table()
        try:
            call(
                self._table,
                "update_item",
                "The quota store is unavailable; try again shortly.",
                Key={"subject": subject, "window": window},
                UpdateExpression="ADD #count :one SET #ttl = if_not_exists(#ttl, :ttl)",
                ConditionExpression="attribute_not_exists(#count) OR #count < :limit",
                ExpressionAttributeNames={"#count": "count", "#ttl": "ttl"},
                ExpressionAttributeValues={
                    ":one": 1,
                    ":limit": self.limit,
                    ":ttl": window_start + 2 * WINDOW_S,
                },
            )
        except Exception as exc:
            if not conditional_check_failed(exc):
                raise
            retry_after = max(1, math.ceil(window_start + WINDOW_S - now))
            metrics.add_metric(name="QuotaRejections", unit="Count", value=1)
            logger.info("Generation quota used up", extra={"retry_after_s": retry_after})
            raise QuotaExceeded(retry_after, self.limit) from None
