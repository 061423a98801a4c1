"""LocalRuntime start/stop: overrides applied, os.environ restored, one runtime per process at a time."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from local.runtime import LocalRuntime

FIXTURES = Path(__file__).parent / "fixtures"


def test_overrides_and_stop_restores_environment() -> None:
    before = dict(os.environ)
    with LocalRuntime(
        FIXTURES / "template.yaml",
        parameter_overrides={"Stage": "prod"},
        env_overrides={"EXTRA_SETTING": "on"},
        env_vars={"Parameters": {"FROM_ENV_VARS": "all"}, "EchoFunction": {"ECHO_ONLY": "changed"}},
    ) as runtime:
        assert os.environ["STAGE"] == "prod"
        assert os.environ["LOG_LEVEL"] == "INFO"
        assert "DEBUG_ONLY" not in os.environ  # !If [IsProd, !Ref AWS::NoValue, ...] drops the variable
        assert os.environ["EXTRA_SETTING"] == "on"
        assert os.environ["FROM_ENV_VARS"] == "all"
        assert runtime.environment["ECHO_ONLY"] == "changed"
    assert dict(os.environ) == before


def test_only_one_runtime_at_a_time() -> None:
    with LocalRuntime(FIXTURES / "template.yaml"):
        second = LocalRuntime(FIXTURES / "template.yaml")
        with pytest.raises(RuntimeError, match="already running"):
            second.start()
    # After the first one stopped, a new one starts cold and works.
    with LocalRuntime(FIXTURES / "template.yaml") as third:
        assert third.invoke("OtherFunction", {"routeKey": "x"})["marker"] == "other"
