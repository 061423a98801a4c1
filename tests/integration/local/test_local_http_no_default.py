"""Without a $default route, API Gateway itself answers unmatched requests with 404."""

from __future__ import annotations

import json

import pytest

from local.runtime import LocalRuntime
from tests.integration.local.support import FIXTURES, Client

pytestmark = pytest.mark.integration


def test_unmatched_route_is_404_when_there_is_no_default_route() -> None:
    with LocalRuntime(
        FIXTURES / "template.yaml", parameter_overrides={"EnableDefaultRoute": "false"}
    ) as runtime:
        client = Client(runtime.http_url)
        reply = client.request("GET", "/nowhere")
        assert reply.status == 404
        assert json.loads(reply.body) == {"message": "Not Found"}
        assert reply.header("apigw-requestid")
        assert client.request("POST", "/items/special").status == 200  # ANY /items/{id} still matches
