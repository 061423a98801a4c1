"""Auth in the runtime's set-up: the template's conditional authorizer resources, and how `auth=True` points
the template at a development issuer (or leaves a given issuer alone)."""

from __future__ import annotations

from pathlib import Path

import pytest

from local.dev_issuer import DEV_AUDIENCE
from local.runtime import LocalRuntime
from local.template import TemplateError, load_template

FIXTURES = Path(__file__).parent / "fixtures"
AUTH_TEMPLATE = FIXTURES / "auth" / "template.yaml"
PROJECT_TEMPLATE = Path(__file__).parents[3] / "template.yaml"
ON = {"AuthIssuer": "https://idp.example.test", "AuthAudience": "web,cli"}


@pytest.mark.skipif(not PROJECT_TEMPLATE.is_file(), reason="the project has no template.yaml")
def test_the_project_template_loads_with_auth_off_and_on() -> None:
    off = load_template(PROJECT_TEMPLATE)
    assert "WebSocketAuthorizerFunction" not in off.functions
    assert "WebSocketAuthorizer" not in off.resources
    assert "AuthLayer" not in off.resources
    (connect,) = [route for route in off.websocket_routes if route.route_key == "$connect"]
    assert (connect.authorization_type, connect.authorizer) == ("NONE", None)

    on = load_template(PROJECT_TEMPLATE, ON)
    authorizer_function = on.functions["WebSocketAuthorizerFunction"]
    assert authorizer_function.module_path.is_file()
    assert {path.name for path in authorizer_function.layer_dirs} == {"core", "auth"}
    (connect,) = [route for route in on.websocket_routes if route.route_key == "$connect"]
    assert connect.authorization_type == "CUSTOM"
    assert connect.authorizer is not None
    assert connect.authorizer.function_id == "WebSocketAuthorizerFunction"
    assert connect.authorizer.identity_sources == ("route.request.querystring.token",)
    others = [route for route in on.websocket_routes if route.route_key != "$connect"]
    assert others and all(route.authorizer is None for route in others)


def test_custom_authorization_needs_an_authorizer(tmp_path: Path) -> None:
    text = AUTH_TEMPLATE.read_text(encoding="utf-8").replace(
        "AuthorizerId: !If [AuthEnabled, !Ref WebSocketAuthorizer, !Ref AWS::NoValue]", ""
    )
    broken = AUTH_TEMPLATE.parent / "broken.yaml"  # beside the original: its relative CodeUris must hold
    try:
        broken.write_text(text, encoding="utf-8")
        load_template(broken)  # auth off: NONE, nothing to find
        with pytest.raises(TemplateError, match="needs an AuthorizerId"):
            load_template(broken, ON)
    finally:
        broken.unlink()


def test_auth_needs_an_issuer_parameter() -> None:
    runtime = LocalRuntime(FIXTURES / "template.yaml", auth=True)
    with pytest.raises(TemplateError, match="AuthIssuer"):
        runtime.start()
    assert runtime.dev_issuer is None


def test_a_given_issuer_wins_over_the_development_issuer() -> None:
    with LocalRuntime(AUTH_TEMPLATE, auth=True, parameter_overrides=ON) as runtime:
        assert runtime.dev_issuer is None
        assert runtime.auth_issuer == ON["AuthIssuer"]
        assert runtime.environment["AUTH_AUDIENCE"] == "web,cli"


def test_the_development_issuer_takes_a_given_audience() -> None:
    with LocalRuntime(AUTH_TEMPLATE, auth=True, parameter_overrides={"AuthAudience": "web,cli"}) as runtime:
        issuer = runtime.dev_issuer
        assert issuer is not None
        assert issuer.audience == "web"
        assert runtime.auth_issuer == issuer.issuer
        assert runtime.environment["AUTH_ISSUER"] == issuer.issuer
        assert runtime.environment["AUTH_AUDIENCE"] == "web,cli"
        assert runtime.http is not None and runtime.http.authorizer is not None
    assert runtime.dev_issuer is None  # stopped with the runtime
    assert DEV_AUDIENCE == "careercoach-local"


def test_auth_off_leaves_every_route_public() -> None:
    with LocalRuntime(AUTH_TEMPLATE) as runtime:
        assert runtime.auth_issuer is None
        assert runtime.dev_issuer is None
        assert runtime.http is not None and runtime.http.authorizer is None
        assert runtime.websocket is not None and runtime.websocket.connect_authorizer is None
        with pytest.raises(ImportError, match="no layer"):
            runtime.loader.import_from_layers("no_such_package.module")
