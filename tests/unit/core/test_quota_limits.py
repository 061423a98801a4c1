"""The quota's guards (issue 20, item 9): a quota of 1 per hour, the lowest Retry-After, the table found by
name, and what a refusal records. moto's DynamoDB, a fixed clock."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from careercoach.errors import QuotaExceeded, ServiceUnavailable
from careercoach.observability import metrics
from careercoach.quota import GenerationQuota
from careercoach.storage.dynamo import dynamodb

HOUR = 1_795_471_200  # 2026-11-23T22:00:00Z


def clock(now: float) -> Any:
    return lambda: now


@pytest.fixture
def table() -> Iterator[Any]:
    dynamodb.cache_clear()
    with mock_aws():
        yield boto3.resource("dynamodb").create_table(
            TableName="quotas",
            KeySchema=[
                {"AttributeName": "subject", "KeyType": "HASH"},
                {"AttributeName": "window", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "subject", "AttributeType": "S"},
                {"AttributeName": "window", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
    dynamodb.cache_clear()


def test_a_quota_of_one_per_hour_allows_one(table: Any) -> None:
    quota = GenerationQuota("quotas", 1, table=table, clock=clock(HOUR + 5))
    quota.consume("sub#alice")
    with pytest.raises(QuotaExceeded) as refused:
        quota.consume("sub#alice")
    assert refused.value.details == {"limit": 1, "retry_after_s": 3595}
    assert table.get_item(Key={"subject": "sub#alice", "window": "2026-11-23T22"})["Item"]["count"] == 1


@pytest.mark.parametrize("limit", [0, -1])
def test_zero_or_less_is_no_quota(limit: int) -> None:
    quota = GenerationQuota("no-such-table", limit, table=object(), clock=clock(HOUR))
    for _ in range(3):
        quota.consume("sub#alice")


@pytest.mark.parametrize(
    ("seconds_into_hour", "retry_after"), [(3599.5, 1), (3599.999, 1), (3598.2, 2), (0, 3600)]
)
def test_retry_after_is_the_time_left_rounded_up_and_at_least_one_second(
    table: Any, seconds_into_hour: float, retry_after: int
) -> None:
    quota = GenerationQuota("quotas", 1, table=table, clock=clock(HOUR + seconds_into_hour))
    quota.consume("ip#198.51.100.7")
    with pytest.raises(QuotaExceeded) as refused:
        quota.consume("ip#198.51.100.7")
    assert refused.value.retry_after_s == retry_after
    assert refused.value.headers == {"Retry-After": str(retry_after)}


def test_without_a_table_object_the_named_table_is_used(table: Any) -> None:
    quota = GenerationQuota("quotas", 2, clock=clock(HOUR))
    quota.consume("sub#bob")
    quota.consume("sub#bob")
    item = table.get_item(Key={"subject": "sub#bob", "window": "2026-11-23T22"})["Item"]
    assert item["count"] == 2 and item["ttl"] == HOUR + 7200


def test_a_missing_named_table_is_a_503_with_its_own_message(table: Any) -> None:
    quota = GenerationQuota("not-created", 2, clock=clock(HOUR))
    with pytest.raises(ServiceUnavailable) as failed:
        quota.consume("sub#bob")
    assert failed.value.status_code == 503
    assert failed.value.message == "The quota store is unavailable; try again shortly."


def test_a_refusal_is_counted_in_a_metric_and_logged_without_the_subject(
    table: Any, caplog: pytest.LogCaptureFixture
) -> None:
    metrics.clear_metrics()
    quota = GenerationQuota("quotas", 1, table=table, clock=clock(HOUR + 600))
    quota.consume("sub#alice")
    assert "QuotaRejections" not in metrics.metric_set
    with caplog.at_level(logging.INFO), pytest.raises(QuotaExceeded):
        quota.consume("sub#alice")
    assert metrics.metric_set["QuotaRejections"] == {"Unit": "Count", "StorageResolution": 60, "Value": [1.0]}
    metrics.clear_metrics()
    [record] = [r for r in caplog.records if r.getMessage() == "Generation quota used up"]
    assert record.levelno == logging.INFO and record.retry_after_s == 3000  # type: ignore[attr-defined]
    assert "alice" not in caplog.text
