"""Function environments: intrinsics resolved to local resources, conflicts refused, os.environ restored."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from local.environment import (
    DEFAULT_MONGODB_URI,
    EnvironmentConflictError,
    EnvironmentPatch,
    local_variables,
    merge_environments,
    mongodb_uri,
    unwanted_variables,
)
from local.runtime import LocalRuntime

FIXTURES = Path(__file__).parent / "fixtures"


def test_merge_refuses_conflicting_values() -> None:
    assert merge_environments({"A": {"X": "1", "Y": "2"}, "B": {"X": "1", "Z": "3"}}) == {
        "X": "1",
        "Y": "2",
        "Z": "3",
    }
    with pytest.raises(EnvironmentConflictError, match=r"MODE: A='a' but B='b'"):
        merge_environments({"A": {"MODE": "a"}, "B": {"MODE": "b"}})


def test_conflicting_template_fails_at_start_and_leaves_nothing_running() -> None:
    before = dict(os.environ)
    runtime = LocalRuntime(FIXTURES / "conflict.yaml")
    with pytest.raises(EnvironmentConflictError, match="MODE"):
        runtime.start()
    assert dict(os.environ) == before


def test_local_variables_point_at_moto_and_read_no_profile() -> None:
    values = local_variables("http://127.0.0.1:1234", "us-east-1")
    assert values["AWS_ENDPOINT_URL"] == "http://127.0.0.1:1234"
    assert values["AWS_SAM_LOCAL"] == "true"
    assert values["POWERTOOLS_TRACE_DISABLED"] == "true"
    assert values["AWS_REGION"] == values["AWS_DEFAULT_REGION"] == "us-east-1"
    assert values["AWS_ACCESS_KEY_ID"] == "testing"
    assert values["AWS_CONFIG_FILE"] == values["AWS_SHARED_CREDENTIALS_FILE"] == os.devnull


def test_mongodb_defaults_to_mongomock() -> None:
    assert mongodb_uri("") == mongodb_uri(None) == DEFAULT_MONGODB_URI
    assert mongodb_uri("mongodb://127.0.0.1:27017/db") == "mongodb://127.0.0.1:27017/db"


def test_profiles_and_remote_service_endpoints_are_removed() -> None:
    current = {
        "AWS_PROFILE": "work",
        "AWS_DEFAULT_PROFILE": "work",
        "AWS_ENDPOINT_URL_DYNAMODB": "https://dynamodb.eu-west-1.amazonaws.com",
        "AWS_ENDPOINT_URL_SQS": "http://10.0.0.5:4566",
        "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": "http://127.0.0.1:8123",  # a loopback fake stays
        "AWS_ENDPOINT_URL_SSM": "http://localhost:4566",
        "AWS_ENDPOINT_URL": "http://example.com",  # replaced by local_variables, not removed
        "HOME": "/root",
    }
    assert sorted(unwanted_variables(current)) == [
        "AWS_DEFAULT_PROFILE",
        "AWS_ENDPOINT_URL_DYNAMODB",
        "AWS_ENDPOINT_URL_SQS",
        "AWS_PROFILE",
    ]


def test_patch_removes_and_restores() -> None:
    os.environ["LOCAL_TEST_REMOVED"] = "x"
    try:
        before = dict(os.environ)
        patch = EnvironmentPatch()
        patch.apply({"LOCAL_TEST_ONLY": "1"}, remove=["LOCAL_TEST_REMOVED"])
        assert "LOCAL_TEST_REMOVED" not in os.environ
        patch.restore()
        assert dict(os.environ) == before
    finally:
        os.environ.pop("LOCAL_TEST_REMOVED", None)


def test_patch_restores_exactly() -> None:
    before = dict(os.environ)
    patch = EnvironmentPatch()
    patch.apply({"LOCAL_TEST_ONLY": "1", "AWS_REGION": "eu-west-1"})
    assert os.environ["LOCAL_TEST_ONLY"] == "1"
    patch.restore()
    assert dict(os.environ) == before
