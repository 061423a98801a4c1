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


def test_local_variables_point_at_moto_and_default_to_mongomock() -> None:
    values = local_variables("http://127.0.0.1:1234", "us-east-1", {})
    assert values["AWS_ENDPOINT_URL"] == "http://127.0.0.1:1234"
    assert values["AWS_SAM_LOCAL"] == "true"
    assert values["POWERTOOLS_TRACE_DISABLED"] == "true"
    assert values["AWS_REGION"] == values["AWS_DEFAULT_REGION"] == "us-east-1"
    assert values["AWS_ACCESS_KEY_ID"] == "testing"
    assert values["MONGODB_URI"] == DEFAULT_MONGODB_URI
    real = local_variables("http://x", "us-east-1", {"MONGODB_URI": "mongodb://127.0.0.1:27017/db"})
    assert real["MONGODB_URI"] == "mongodb://127.0.0.1:27017/db"


def test_patch_restores_exactly() -> None:
    before = dict(os.environ)
    patch = EnvironmentPatch()
    patch.apply({"LOCAL_TEST_ONLY": "1", "AWS_REGION": "eu-west-1"})
    assert os.environ["LOCAL_TEST_ONLY"] == "1"
    patch.restore()
    assert dict(os.environ) == before
