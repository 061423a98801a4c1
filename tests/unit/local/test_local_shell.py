"""Settings from the shell: a variable set in the shell wins over the template's value, through the template
parameter it comes from when there is one; the runtime's own bindings never come from the shell; and an
in-process runtime reads no shell at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from local.environment import EnvironmentConflictError
from local.runtime import RUNTIME_OWNED_VARIABLES, LocalRuntime
from local.shell import shell_settings
from local.template import TemplateError, load_template

FIXTURES = Path(__file__).parent / "fixtures"
TEMPLATE = FIXTURES / "template.yaml"


def test_variables_are_sorted_by_what_their_template_value_is_made_of() -> None:
    template = load_template(TEMPLATE)
    shell = {
        "STAGE": "prod",  # !Ref Stage: becomes the parameter
        "ECHO_ONLY": "from-shell",  # a literal: replaced
        "LOG_LEVEL": "WARNING",  # !If on a condition: replaced
        "STACK_INFO": "x",  # a !Sub of pseudo parameters only: replaced
        "TASKS_TABLE": "prod-tasks",  # !Ref TasksTable: the runtime's own table stays
        "API_URL": "https://example.com",  # !GetAtt HttpApi.ApiEndpoint: the local gateway stays
        "AWS_REGION": "eu-west-1",  # never from the shell
        "UNDECLARED": "1",  # not the template's business
    }
    settings = shell_settings(template, shell, {"AWS_REGION"})
    assert settings.parameters == {"Stage": "prod"}
    assert settings.variables == {"ECHO_ONLY": "from-shell", "LOG_LEVEL": "WARNING", "STACK_INFO": "x"}
    assert sorted(settings.ignored) == ["API_URL", "TASKS_TABLE"]
    described = "\n".join(settings.describe())
    assert "STAGE (parameter Stage)" in described
    assert "prod" not in described  # names only, never values


def test_two_variables_setting_one_parameter_differently_are_refused(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(
        (FIXTURES / "template.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "        STAGE: !Ref Stage\n", "        STAGE: !Ref Stage\n        STAGE_AGAIN: !Ref Stage\n"
        ),
        encoding="utf-8",
    )
    loaded = load_template(template)
    with pytest.raises(EnvironmentConflictError, match="STAGE and STAGE_AGAIN"):
        shell_settings(loaded, {"STAGE": "prod", "STAGE_AGAIN": "dev"}, set())
    assert shell_settings(loaded, {"STAGE": "prod", "STAGE_AGAIN": "prod"}, set()).parameters == {
        "Stage": "prod"
    }


def test_the_shell_wins_over_the_template_and_conditions_follow() -> None:
    shell = {**os.environ, "STAGE": "prod", "ECHO_ONLY": "from-shell", "TASKS_TABLE": "prod-tasks"}
    with LocalRuntime(TEMPLATE, components=[], shell_environment=shell) as runtime:
        env = runtime.environment
        assert env["STAGE"] == "prod"
        assert env["LOG_LEVEL"] == "INFO"  # the IsProd condition saw the same Stage
        assert "DEBUG_ONLY" not in env
        assert env["ECHO_ONLY"] == "from-shell"
        assert env["TASKS_TABLE"] == "careercoach-local-tasks"  # the table that exists in moto
        assert os.environ["ECHO_ONLY"] == "from-shell"
        assert runtime.shell.ignored == ["TASKS_TABLE"]


def test_explicit_overrides_beat_the_shell(tmp_path: Path) -> None:
    env_vars = {"EchoFunction": {"ECHO_ONLY": "from-file"}}
    shell = {"STAGE": "prod", "ECHO_ONLY": "from-shell"}
    with LocalRuntime(
        TEMPLATE,
        components=[],
        shell_environment=shell,
        parameter_overrides={"Stage": "dev"},
        env_vars=env_vars,
    ) as runtime:
        assert runtime.environment["STAGE"] == "dev"
        assert runtime.environment["ECHO_ONLY"] == "from-file"


def test_runtime_owned_variables_never_come_from_the_shell() -> None:
    assert {"AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"} <= set(
        RUNTIME_OWNED_VARIABLES
    )
    shell = {"AWS_ENDPOINT_URL": "https://dynamodb.us-east-1.amazonaws.com", "AWS_ACCESS_KEY_ID": "AKIAREAL"}
    with LocalRuntime(TEMPLATE, components=[], shell_environment=shell) as runtime:
        assert runtime.environment["AWS_ENDPOINT_URL"] == runtime.endpoint
        assert runtime.environment["AWS_ACCESS_KEY_ID"] == "testing"


def test_an_in_process_runtime_reads_no_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    # A variable set where the tests run (a developer's shell) must not change what the tests see.
    monkeypatch.setenv("STAGE", "prod")
    monkeypatch.setenv("ECHO_ONLY", "stray")
    monkeypatch.setenv("MONGODB_URI", "mongodb://127.0.0.1:9/stray")
    with LocalRuntime(TEMPLATE, components=[]) as runtime:
        assert runtime.environment["STAGE"] == "dev"
        assert runtime.environment["ECHO_ONLY"] == "echo"
        assert runtime.environment["MONGODB_URI"].startswith("mongomock://")
        assert os.environ["STAGE"] == "dev"
    assert os.environ["STAGE"] == "prod"  # put back on stop


def test_a_shell_value_the_parameter_refuses_stops_the_start() -> None:
    with pytest.raises(TemplateError, match="Stage='staging' is not one of"):
        LocalRuntime(TEMPLATE, components=[], shell_environment={"STAGE": "staging"}).start()


@pytest.mark.parametrize(("value", "message"), [("abc", "is not a number"), ("-1", "outside 0..")])
def test_number_parameters_are_checked(tmp_path: Path, value: str, message: str) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(
        (FIXTURES / "template.yaml")
        .read_text(encoding="utf-8")
        .replace("    Type: Number\n    Default: 5\n", "    Type: Number\n    Default: 5\n    MinValue: 0\n"),
        encoding="utf-8",
    )
    with pytest.raises(TemplateError, match=message):
        load_template(template, {"WorkerBatchSize": value})
