"""The quota's guards (issue 20, item 9): a quota of 1 per hour, the lowest Retry-After, the table made on
first need only, and what a refusal records. moto's DynamoDB, a fixed clock."""

from __future__ import annotations

import logging
from typing import Any

import boto3
import pytest

from careercoach.api.errors import headers_of, status_of
from careercoach.errors import QuotaExceeded, ServiceUnavailable
from careercoach.observability import metrics
from careercoach.quota import GenerationQuota

HOUR = 1_795_471_200  # 2026-11-23T22:00:00Z


def clock(now: float) -> Any:
    return lambda: now


def test_a_quota_of_one_per_hour_allows_one(quota_table: Any) -> None:
    quota = GenerationQuota(1, lambda: quota_table, clock=clock(HOUR + 5))
    quota.consume("sub#alice")
    with pytest.raises(QuotaExceeded) as refused:
        quota.consume("sub#alice")
    assert refused.value.details == {"limit": 1, "retry_after_s": 3595}
    assert quota_table.get_item(Key={"subject": "sub#alice", "window": "2026-11-23T22"})["Item"]["count"] == 1


@pytest.mark.parametrize("limit", [0, -1])
def test_zero_or_less_is_no_quota(limit: int) -> None:
    made: list[int] = []
    quota = GenerationQuota(limit, lambda: made.append(1), clock=clock(HOUR))
    for _ in range(3):
        quota.consume("sub#alice")
    assert made == []  # the quota_table is not even made


@pytest.mark.parametrize(
    ("seconds_into_hour", "retry_after"), [(3599.5, 1), (3599.999, 1), (3598.2, 2), (0, 3600)]
)
def test_retry_after_is_the_time_left_rounded_up_and_at_least_one_second(
    quota_table: Any, seconds_into_hour: float, retry_after: int
) -> None:
    quota = GenerationQuota(1, lambda: quota_table, clock=clock(HOUR + seconds_into_hour))
    quota.consume("ip#198.51.100.7")
    with pytest.raises(QuotaExceeded) as refused:
        quota.consume("ip#198.51.100.7")
    assert refused.value.retry_after_s == retry_after
    assert headers_of(refused.value) == {"Retry-After": str(retry_after)}


def test_the_table_is_made_once_on_first_need(quota_table: Any) -> None:
    made: list[Any] = []

    def make() -> Any:
        made.append(quota_table)
        return quota_table

    quota = GenerationQuota(2, make, clock=clock(HOUR))
    assert made == []
    quota.consume("sub#bob")
    quota.consume("sub#bob")
    assert len(made) == 1
    item = quota_table.get_item(Key={"subject": "sub#bob", "window": "2026-11-23T22"})["Item"]
    assert item["count"] == 2 and item["ttl"] == HOUR + 7200


def test_a_missing_table_is_a_503_with_its_own_message(quota_table: Any) -> None:
    quota = GenerationQuota(2, lambda: boto3.resource("dynamodb").Table("not-created"), clock=clock(HOUR))
    with pytest.raises(ServiceUnavailable) as failed:
        quota.consume("sub#bob")
    assert status_of(failed.value) == 503
    assert failed.value.message == "The quota store is unavailable; try again shortly."


def test_a_refusal_is_counted_in_a_metric_and_logged_without_the_subject(
    quota_table: Any, caplog: pytest.LogCaptureFixture
) -> None:
    metrics.clear_metrics()
    quota = GenerationQuota(1, lambda: quota_table, clock=clock(HOUR + 600))
    quota.consume("sub#alice")
    assert "QuotaRejections" not in metrics.metric_set
    with caplog.at_level(logging.INFO), pytest.raises(QuotaExceeded):
        quota.consume("sub#alice")
    assert metrics.metric_set["QuotaRejections"] == {"Unit": "Count", "StorageResolution": 60, "Value": [1.0]}
    metrics.clear_metrics()
    [record] = [r for r in caplog.records if r.getMessage() == "Generation quota used up"]
    assert record.levelno == logging.INFO and record.retry_after_s == 3000  # type: ignore[attr-defined]
    assert "alice" not in caplog.text
