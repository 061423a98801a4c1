"""The project's own template with auth on, through a real LocalRuntime and its development issuer: its JWT
authorizer on the data routes, its public routes, and its WebSocket $connect authorizer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from local.dev_issuer import DevIssuer
from local.runtime import LocalRuntime
from tests.integration.api.conftest import BearerApiClient, local_runtime

pytestmark = pytest.mark.integration

EVENTS = Path(__file__).resolve().parents[3] / "events" / "resumes"
RESUME = json.loads(json.loads((EVENTS / "create-short.json").read_text(encoding="utf-8"))["body"])


@pytest.fixture(scope="module")
def runtime() -> Iterator[LocalRuntime]:
    with local_runtime({"MONGODB_URI": "mongomock://localhost/local_auth_project"}, auth=True) as started:
        yield started


@pytest.fixture(scope="module")
def issuer(runtime: LocalRuntime) -> DevIssuer:
    assert runtime.dev_issuer is not None
    return runtime.dev_issuer


def _client(runtime: LocalRuntime, token: str | None) -> BearerApiClient:
    return BearerApiClient(runtime.http_url, token)


def test_data_routes_need_a_token(runtime: LocalRuntime, issuer: DevIssuer) -> None:
    for method, path in [
        ("GET", "/api/v1/resumes"),
        ("POST", "/api/v1/resumes"),
        ("GET", "/api/v1/resumes/abc"),
        ("POST", "/api/v1/interview/async/abc/questions"),
        ("GET", "/api/v1/learning/tasks/abc/progress"),
    ]:
        reply = _client(runtime, None).json(method, path, {} if method == "POST" else None)
        assert (reply.status, reply.body) == (401, b'{"message":"Unauthorized"}'), (method, path)
        assert reply.header("www-authenticate") == "Bearer"
    expired = _client(runtime, issuer.token("alice", expires_in=-60)).json("GET", "/api/v1/resumes")
    assert expired.status == 401
    assert "expired" in (expired.header("www-authenticate") or "")


def test_public_routes_need_none(runtime: LocalRuntime) -> None:
    anonymous = _client(runtime, None)
    assert anonymous.request("GET", "/api/v1/resumes/health").status == 200
    assert anonymous.request("GET", "/api/v1/interview/docs").status == 200
    assert anonymous.request("GET", "/api/v1/learning/openapi.json").status == 200


def test_a_token_reaches_the_function(runtime: LocalRuntime, issuer: DevIssuer) -> None:
    alice = _client(runtime, issuer.token("alice"))
    created = alice.json("POST", "/api/v1/resumes", RESUME)
    assert created.status == 201, created.body[:300]
    key = json.loads(created.body)["unique_key"]
    assert alice.json("GET", f"/api/v1/resumes/{key}").status == 200


def test_websocket_connect_is_authorized(runtime: LocalRuntime, issuer: DevIssuer) -> None:
    for query in ("", "?token=garbage", f"?token={issuer.token('alice', audience='other')}"):
        with pytest.raises(InvalidStatus) as raised:
            connect(runtime.websocket_url + query, open_timeout=10)
        assert raised.value.response.status_code == 401
    with connect(f"{runtime.websocket_url}?token={issuer.token('alice')}", open_timeout=10) as ws:
        ws.send(json.dumps({"action": "subscribe", "task_id": "no-such-task"}))
        reply = json.loads(ws.recv(timeout=10))
        assert reply["type"] == "error"
        assert reply["error_code"] == "task_not_found"
        # The connection is stored under the owner the authorizer named.
        table = boto3.resource("dynamodb", endpoint_url=runtime.endpoint, region_name="us-east-1").Table(
            runtime.environment["CONNECTIONS_TABLE"]
        )
        owners = [item.get("owner") for item in table.scan(ConsistentRead=True)["Items"]]
        assert owners == ["alice"]
