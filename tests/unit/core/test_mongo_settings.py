"""Where the MongoDB URI comes from: env locally, Secrets Manager or SSM in AWS (moto in-process here)."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from careercoach import container
from careercoach.errors import DatabaseUnavailable
from careercoach.storage import mongo


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("MONGODB_URI", raising=False)
    with mock_aws():
        yield
    container.reset()


def test_uri_from_secrets_manager(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    arn = boto3.client("secretsmanager").create_secret(
        Name="careercoach/dev/mongodb-uri", SecretString="mongomock://localhost/from_secret"
    )["ARN"]
    monkeypatch.setenv("MONGODB_URI_SOURCE", arn)
    container.reset()
    mongo.ping(container.current().database)
    assert mongo.resolve_mongodb_uri(container.current().settings) == "mongomock://localhost/from_secret"


def test_uri_from_ssm_secure_string(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    boto3.client("ssm").put_parameter(
        Name="/careercoach/dev/mongodb-uri", Value="mongomock://localhost/from_ssm", Type="SecureString"
    )
    monkeypatch.setenv("MONGODB_URI_SOURCE", "/careercoach/dev/mongodb-uri")
    container.reset()
    assert mongo.resolve_mongodb_uri(container.current().settings) == "mongomock://localhost/from_ssm"


def test_no_uri_anywhere_is_a_clear_503(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MONGODB_URI_SOURCE", raising=False)
    container.reset()
    with pytest.raises(DatabaseUnavailable):
        mongo.ping(container.current().database)
