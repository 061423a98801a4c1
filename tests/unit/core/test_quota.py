"""The hourly generation quota against moto's DynamoDB: counts per subject and clock hour, refuses at the
limit with the seconds left in the hour, and recovers when the next hour starts."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from careercoach.api.errors import headers_of, status_of
from careercoach.errors import QuotaExceeded, ServiceUnavailable
from careercoach.quota import GenerationQuota

HOUR = 1_795_471_200  # 2026-11-23T22:00:00Z, the start of a clock hour


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_the_limit_refuses_with_the_time_left_in_the_hour_and_the_next_hour_recovers(
    quota_table: Any,
) -> None:
    clock = Clock(HOUR + 10 * 60 + 0.5)
    quota = GenerationQuota(3, lambda: quota_table, clock=clock)
    for _ in range(3):
        quota.consume("sub#alice")
    with pytest.raises(QuotaExceeded) as refused:
        quota.consume("sub#alice")
    assert status_of(refused.value) == 429
    assert refused.value.retry_after_s == 50 * 60  # 49 min 59.5 s, rounded up
    assert headers_of(refused.value) == {"Retry-After": "3000"}
    assert refused.value.details == {"limit": 3, "retry_after_s": 3000}
    # Refusals are not counted: the stored count stays at the limit.
    item = quota_table.get_item(Key={"subject": "sub#alice", "window": "2026-11-23T22"})["Item"]
    assert item["count"] == 3 and item["ttl"] == HOUR + 2 * 3600

    quota.consume("sub#bob")  # another owner has a quota of their own

    clock.now = HOUR + 3600  # the next clock hour
    quota.consume("sub#alice")
    assert quota_table.get_item(Key={"subject": "sub#alice", "window": "2026-11-23T23"})["Item"]["count"] == 1


def test_zero_switches_the_quota_off_without_touching_the_table() -> None:
    quota = GenerationQuota(0, object, clock=Clock(HOUR))
    for _ in range(100):
        quota.consume("sub#alice")


def test_an_unreachable_quota_store_is_a_503_not_a_free_pass(quota_table: Any) -> None:
    quota = GenerationQuota(3, lambda: boto3.resource("dynamodb").Table("missing"), clock=Clock(HOUR))
    with pytest.raises(ServiceUnavailable) as failed:
        quota.consume("sub#alice")
    assert status_of(failed.value) == 503 and "quota store" in failed.value.message
