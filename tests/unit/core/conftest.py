"""Fixtures shared by the core's unit tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws


@pytest.fixture
def quota_table() -> Iterator[Any]:
    """The quota table as template.yaml declares it (QuotasTable), in moto's DynamoDB."""
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
