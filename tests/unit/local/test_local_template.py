"""The template model: Globals merged the SAM way, routes, SQS triggers, conditions, parameters."""

from __future__ import annotations

from pathlib import Path

import pytest

from local.template import DEFAULT_ROUTE, HttpRoute, TemplateError, load_template, referenced_ids

FIXTURES = Path(__file__).parent / "fixtures"
TEMPLATE = FIXTURES / "template.yaml"


def test_functions_get_globals_and_their_own_settings() -> None:
    template = load_template(TEMPLATE)
    assert set(template.functions) == {"EchoFunction", "OtherFunction", "ShapesFunction", "WorkerFunction"}
    echo = template.functions["EchoFunction"]
    assert echo.code_dir == (FIXTURES / "functions/echo").resolve()
    assert echo.module_path == (FIXTURES / "functions/echo/app.py").resolve()
    assert echo.handler_attribute == "lambda_handler"
    assert echo.layer_dirs == [(FIXTURES / "layers/shared").resolve()]
    assert echo.timeout == 7  # the function's own Timeout wins over Globals
    assert echo.memory_size == 256  # from Globals
    assert echo.runtime == "python3.13"
    # Environment maps merge: Globals' variables plus the function's own.
    assert echo.environment["ECHO_ONLY"] == "echo"
    assert echo.environment["STAGE"] == {"Ref": "Stage"}
    assert "ECHO_ONLY" not in template.functions["OtherFunction"].environment


def test_http_routes() -> None:
    template = load_template(TEMPLATE)
    keys = {route.route_key for route in template.http_routes}
    assert {"GET /items/{id}", "ANY /items/{id}", "GET /items/{proxy+}", "POST /items", DEFAULT_ROUTE} <= keys
    default = next(route for route in template.http_routes if route.path == DEFAULT_ROUTE)
    assert default == HttpRoute("OtherFunction", "ANY", DEFAULT_ROUTE, "HttpApi")
    assert set(template.http_apis) == {"HttpApi"}


def test_sqs_trigger_with_parameter_batch_size() -> None:
    (trigger,) = load_template(TEMPLATE, {"WorkerBatchSize": "3"}).sqs_triggers
    assert trigger.function_id == "WorkerFunction"
    assert trigger.batch_size == 3
    assert trigger.report_batch_item_failures is True
    assert trigger.queue == {"Fn::GetAtt": ["TasksQueue", "Arn"]}


def test_false_condition_removes_the_resource() -> None:
    template = load_template(TEMPLATE, {"EnableDefaultRoute": "false"})
    assert "OtherFunction" not in template.functions
    assert all(route.path != DEFAULT_ROUTE for route in template.http_routes)


def test_parameters_defaults_overrides_and_validation() -> None:
    template = load_template(TEMPLATE, {"Stage": "prod"})
    assert template.parameters["Stage"] == "prod"
    assert template.parameters["AllowedOrigins"] == ["http://localhost:5173", "https://*.example.com"]
    with pytest.raises(TemplateError, match="not one of"):
        load_template(TEMPLATE, {"Stage": "qa"})
    with pytest.raises(TemplateError, match="Nope"):
        load_template(TEMPLATE, {"Nope": "1"})


def test_parameter_without_default_must_be_given(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text("Parameters:\n  Secret: {Type: String}\nResources: {}\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="Secret"):
        load_template(path)
    assert load_template(path, {"Secret": "x"}).parameters == {"Secret": "x"}


def test_websocket_routes_point_at_the_integrated_function() -> None:
    template = load_template(FIXTURES / "websocket.yaml")
    routes = {route.route_key: route for route in template.websocket_routes}
    assert set(routes) == {"$connect", "subscribe"}
    assert {route.function_id for route in routes.values()} == {"WebSocketFunction"}
    assert {route.api_id for route in routes.values()} == {"WebSocketApi"}


def test_missing_or_broken_template(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="not found"):
        load_template(tmp_path / "nothing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("Resources: {a: [}\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="cannot read"):
        load_template(broken)


def test_referenced_ids() -> None:
    expression = {"Fn::Sub": ["${A}-${B.Arn}-${AWS::Region}-${X}", {"X": {"Ref": "C"}}]}
    assert {"A", "B", "C"} <= referenced_ids(expression)  # Sub's own variables may be included too
    assert referenced_ids([{"Fn::GetAtt": ["D", "Arn"]}, {"Ref": "AWS::NoValue"}]) == {"D"}


def test_allowed_pattern_is_enforced(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(
        'Parameters:\n  Db: {Type: String, Default: main, AllowedPattern: "^[a-z]+$"}\nResources: {}\n',
        encoding="utf-8",
    )
    assert load_template(path).parameters == {"Db": "main"}
    with pytest.raises(TemplateError, match="AllowedPattern"):
        load_template(path, {"Db": "Not Valid"})
