"""Hostile messages through the local WebSocket gateway: whatever a client sends, route selection never ends
its connection. A message the route selection expression cannot be evaluated against goes to $default, as
API Gateway documents ("If the route selection expression cannot be evaluated against the message or if no
matching route is found, API Gateway invokes the $default route"):
https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-develop-routes.html"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from websockets.sync.client import connect

from local.runtime import LocalRuntime
from tests.integration.local.support import FIXTURES

pytestmark = pytest.mark.integration

HOSTILE = {
    "nested arrays": "[" * 60_000 + "]" * 60_000,
    "nested objects": '{"a":' * 20_000 + "1" + "}" * 20_000,
    "nested action": '{"action": ' + "[" * 30_000 + "]" * 30_000 + "}",
    "huge number": '{"action": 1' + "0" * 5000 + "}",
    "lone surrogate": '{"action": "\\ud800"}',
    "not json": "{'action': 'echo'}",
}


@pytest.fixture(scope="module")
def ws_runtime() -> Iterator[LocalRuntime]:
    with LocalRuntime(FIXTURES / "ws" / "template.yaml") as started:
        yield started


def test_hostile_messages_go_to_default_and_the_connection_stays(ws_runtime: LocalRuntime) -> None:
    with connect(ws_runtime.websocket_url, open_timeout=10, close_timeout=5, max_size=None) as ws:
        for name, message in HOSTILE.items():
            ws.send(message)
            reply = json.loads(ws.recv(timeout=30))
            assert reply["route"] == "$default", name
            assert reply["body"] == message, name  # passed on untouched, as API Gateway does
            ws.send(json.dumps({"action": "echo", "data": name}))
            assert json.loads(ws.recv(timeout=30))["echo"] == name  # still open, still routing
