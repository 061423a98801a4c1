"""LocalRuntime and WebSocket APIs: the gateway is a default component, found from the template, and the
application's two variables point at it."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from local.runtime import LocalRuntime

FIXTURES = Path(__file__).parent / "fixtures"
WS_TEMPLATE = FIXTURES / "ws" / "template.yaml"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_runtime_points_the_websocket_variables_at_the_local_gateway() -> None:
    before = dict(os.environ)
    port = _free_port()
    with LocalRuntime(WS_TEMPLATE, ws_port=port) as runtime:
        assert runtime.websocket is not None
        assert runtime.component("websocket") is runtime.websocket
        assert runtime.websocket_url == f"ws://127.0.0.1:{port}/dev"
        assert runtime.management_endpoint == f"http://127.0.0.1:{port}/dev"
        # The template's !Sub values (the AWS addresses) are replaced by the local ones...
        for variables in (runtime.environment, os.environ):
            assert variables["WEBSOCKET_URL"] == runtime.websocket_url
            assert variables["WEBSOCKET_MANAGEMENT_ENDPOINT"] == runtime.management_endpoint
        # ...and the API's own attributes resolve to the gateway too.
        assert runtime.environment["WEBSOCKET_API_ENDPOINT"] == f"ws://127.0.0.1:{port}"
        routes = runtime.websocket.functions
        assert routes["shout"] == "ShoutFunction"
        assert {key for key, function in routes.items() if function == "SocketFunction"} == {
            "$connect",
            "$disconnect",
            "$default",
            "echo",
            "push",
            "silent",
            "boom",
        }
    assert dict(os.environ) == before


def test_stage_parameter_and_explicit_overrides() -> None:
    with LocalRuntime(
        WS_TEMPLATE,
        parameter_overrides={"Stage": "prod"},
        env_overrides={"WEBSOCKET_URL": "wss://ws.example.test/prod"},
    ) as runtime:
        assert runtime.websocket_url.endswith("/prod")
        assert runtime.environment["WEBSOCKET_MANAGEMENT_ENDPOINT"] == runtime.management_endpoint
        assert runtime.environment["WEBSOCKET_URL"] == "wss://ws.example.test/prod"  # explicit wins


def test_api_without_a_stage_resource_is_served_on_the_local_stage() -> None:
    with LocalRuntime(FIXTURES / "websocket.yaml") as runtime:
        assert runtime.websocket is not None
        assert runtime.websocket_url.endswith("/local")
        assert set(runtime.websocket.functions) == {"$connect", "subscribe"}


def test_no_websocket_api_no_gateway() -> None:
    with LocalRuntime(FIXTURES / "template.yaml") as runtime:
        assert runtime.websocket is None
        assert "WEBSOCKET_URL" not in runtime.environment
        with pytest.raises(RuntimeError, match="no WebSocket gateway"):
            _ = runtime.websocket_url
        with pytest.raises(KeyError):
            runtime.component("websocket")
