"""The in-process loader: one module per function, layers importable, a realistic Lambda context."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from local.intrinsics import StackInfo
from local.loader import FunctionLoader, FunctionNotFoundError, LambdaContext
from local.template import load_template

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def loader() -> Iterator[FunctionLoader]:
    template = load_template(FIXTURES / "template.yaml")
    names = {logical_id: f"stack-{logical_id}" for logical_id in template.functions}
    created = FunctionLoader(template.functions, names, StackInfo())
    yield created
    created.unload()


def test_two_app_modules_do_not_collide(loader: FunctionLoader) -> None:
    other = loader.invoke("OtherFunction", {"routeKey": "GET /other"})
    echo = loader.invoke("EchoFunction", {})
    assert '"module": "local_fn_EchoFunction_app"' in echo["body"]
    echo_module = sys.modules["local_fn_EchoFunction_app"]
    other_module = sys.modules["local_fn_OtherFunction_app"]
    assert other == {"module": "local_fn_OtherFunction_app", "marker": "other", "routeKey": "GET /other"}
    assert other_module.__file__ == str(FIXTURES.resolve() / "functions/other/app.py")
    assert "app" not in sys.modules or sys.modules["app"] not in (echo_module, other_module)
    assert echo_module.lambda_handler is not other_module.lambda_handler
    assert loader.handler("OtherFunction") is loader.handler("OtherFunction")  # warm: imported once


def test_context_matches_the_lambda_runtime(loader: FunctionLoader) -> None:
    context = loader.new_context("EchoFunction", request_id="req-1")
    assert context.aws_request_id == "req-1"
    assert context.function_name == "stack-EchoFunction"
    assert context.function_version == "$LATEST"
    assert context.invoked_function_arn == "arn:aws:lambda:us-east-1:123456789012:function:stack-EchoFunction"
    assert context.memory_limit_in_mb == "256"
    assert context.log_group_name == "/aws/lambda/stack-EchoFunction"
    assert 6900 < context.get_remaining_time_in_millis() <= 7000  # the function's Timeout is 7 s


def test_remaining_time_counts_down_to_zero() -> None:
    context = LambdaContext("f", "arn", 128, 1, "stream")
    first = context.get_remaining_time_in_millis()
    time.sleep(0.05)
    assert context.get_remaining_time_in_millis() < first
    context._deadline = time.monotonic() - 5
    assert context.get_remaining_time_in_millis() == 0


def test_unknown_function(loader: FunctionLoader) -> None:
    with pytest.raises(FunctionNotFoundError, match="EchoFunction"):
        loader.invoke("Nope", {})


def test_unload_forgets_modules_and_path(loader: FunctionLoader) -> None:
    loader.handler("EchoFunction")
    layer_dir = str((FIXTURES / "layers/shared").resolve())
    assert layer_dir in sys.path
    assert "fixturelib" in sys.modules
    loader.unload()
    assert layer_dir not in sys.path
    assert "fixturelib" not in sys.modules
    assert "local_fn_EchoFunction_app" not in sys.modules


def test_overrunning_the_timeout_is_reported(
    loader: FunctionLoader, caplog: pytest.LogCaptureFixture
) -> None:
    loader.spec("OtherFunction").timeout = 0
    loader.invoke("OtherFunction", {})
    assert any("past its Timeout" in record.getMessage() for record in caplog.records)
