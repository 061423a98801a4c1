"""Auth through a real LocalRuntime with its development issuer: HTTP requests with and without tokens, the
claims the function receives, and WebSocket handshakes through the project's own $connect authorizer. Also
`python -m local run --auth` as a real process: the token it prints works."""

from __future__ import annotations

import base64
import json
import signal
import time
from collections.abc import Iterator
from typing import Any

import boto3
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from careercoach import container
from local.dev_issuer import DEV_AUDIENCE, DevIssuer
from local.runtime import LocalRuntime
from tests.integration.local.support import FIXTURES, Client, Reply, free_port, local_run

pytestmark = pytest.mark.integration

TEMPLATE = FIXTURES / "auth" / "template.yaml"
UNAUTHORIZED = {"message": "Unauthorized"}


def _forget_cached_settings() -> None:
    """The authorizer function caches its settings and verifier per process; each runtime brings its own."""
    container.reset()


@pytest.fixture(scope="module")
def runtime() -> Iterator[LocalRuntime]:
    _forget_cached_settings()
    with LocalRuntime(TEMPLATE, auth=True) as started:
        yield started
    _forget_cached_settings()


@pytest.fixture(scope="module")
def issuer(runtime: LocalRuntime) -> DevIssuer:
    assert runtime.dev_issuer is not None
    return runtime.dev_issuer


@pytest.fixture(scope="module")
def client(runtime: LocalRuntime) -> Client:
    return Client(runtime.http_url)


def _get(client: Client, path: str, token: str | None = None, scheme: str = "Bearer ") -> Reply:
    headers = [("Authorization", f"{scheme}{token}")] if token is not None else []
    return client.request("GET", path, headers=[*headers, ("Origin", "http://localhost:5173")])


def _event(reply: Reply) -> dict[str, Any]:
    assert reply.status == 200, reply.body
    event: dict[str, Any] = json.loads(reply.body)["event"]
    return event


def _refused(reply: Reply) -> str:
    assert reply.status == 401
    assert reply.body == b'{"message":"Unauthorized"}'
    assert reply.header("content-type") == "application/json"
    # API Gateway's CORS headers go on its own answers too, so a browser can read the 401.
    assert reply.header("access-control-allow-origin") == "http://localhost:5173"
    return reply.header("www-authenticate") or ""


# --- HTTP API ---------------------------------------------------------------------------------------------
def test_the_template_points_at_the_development_issuer(runtime: LocalRuntime, issuer: DevIssuer) -> None:
    assert runtime.auth_issuer == issuer.issuer
    assert runtime.environment["AUTH_ISSUER"] == issuer.issuer
    assert runtime.environment["AUTH_AUDIENCE"] == DEV_AUDIENCE == issuer.audience


def test_a_protected_route_without_a_token(client: Client) -> None:
    assert _refused(_get(client, "/private/1")) == "Bearer"
    assert _refused(_get(client, "/private/1", "", scheme="Bearer ")) == "Bearer"


def test_a_valid_token_reaches_the_function_with_its_claims(client: Client, issuer: DevIssuer) -> None:
    token = issuer.token("alice", email_verified=True, groups=["readers", "writers"])
    event = _event(_get(client, "/private/42", token))
    assert event["pathParameters"] == {"id": "42"}
    authorizer = event["requestContext"]["authorizer"]
    assert authorizer["jwt"]["scopes"] is None
    claims = authorizer["jwt"]["claims"]
    assert claims["sub"] == "alice"
    assert claims["iss"] == issuer.issuer
    assert claims["aud"] == DEV_AUDIENCE
    assert claims["email_verified"] == "true"
    assert claims["groups"] == "[readers writers]"
    assert claims["exp"] == str(jwt.decode(token, options={"verify_signature": False})["exp"])
    assert event["headers"]["authorization"] == f"Bearer {token}"  # passed on, as API Gateway does
    # The token alone (no scheme) is accepted too.
    assert _event(_get(client, "/private/1", token, scheme=""))["requestContext"]["authorizer"]


def _unsigned(issuer: DevIssuer) -> str:
    def segment(document: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(document).encode()).rstrip(b"=").decode()

    claims = jwt.decode(issuer.token("mallory"), options={"verify_signature": False})
    return f"{segment({'alg': 'none', 'typ': 'JWT', 'kid': issuer.key_id})}.{segment(claims)}."


def _other_key(issuer: DevIssuer) -> str:
    claims = jwt.decode(issuer.token("mallory"), options={"verify_signature": False})
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": issuer.key_id})


@pytest.mark.parametrize(
    ("make", "described"),
    [
        (lambda issuer: issuer.token("alice", expires_in=-60), "expired"),
        (lambda issuer: issuer.token("alice", audience="someone-else"), "valid audience"),
        (_unsigned, "signing method none"),
        (_other_key, "signature"),
        (lambda issuer: "garbage", "malformed"),
    ],
    ids=["expired", "wrong-audience", "alg-none", "other-key", "garbage"],
)
def test_bad_tokens_are_refused(client: Client, issuer: DevIssuer, make: Any, described: str) -> None:
    challenge = _refused(_get(client, "/private/1", make(issuer)))
    assert challenge.startswith('Bearer scope="" error="invalid_token" error_description="')
    assert described in challenge


def test_public_routes_need_no_token(client: Client, issuer: DevIssuer) -> None:
    event = _event(_get(client, "/public/ada"))
    assert "authorizer" not in event["requestContext"]
    # A token on a public route is not checked (nor turned into claims), whatever it is.
    assert "authorizer" not in _event(_get(client, "/public/ada", "garbage"))["requestContext"]


def test_preflight_and_unknown_routes_come_before_authorization(client: Client) -> None:
    preflight = client.request(
        "OPTIONS",
        "/private/1",
        headers=[("Origin", "http://localhost:5173"), ("Access-Control-Request-Method", "GET")],
    )
    assert preflight.status == 204
    assert preflight.header("access-control-allow-origin") == "http://localhost:5173"
    assert _get(client, "/nowhere").status == 404


def test_route_scopes(client: Client, issuer: DevIssuer) -> None:
    missing = _get(client, "/scoped", issuer.token("alice", scope="profile"))
    assert (missing.status, json.loads(missing.body)) == (403, {"message": "Forbidden"})
    event = _event(_get(client, "/scoped", issuer.token("alice", scope="profile orders/admin")))
    assert event["requestContext"]["authorizer"]["jwt"]["scopes"] == ["profile", "orders/admin"]


def test_tokens_minted_over_http_work(client: Client, issuer: DevIssuer) -> None:
    minted = json.loads(Client(issuer.url).request("GET", "/token?sub=bob").body)
    event = _event(_get(client, "/private/1", minted["access_token"]))
    assert event["requestContext"]["authorizer"]["jwt"]["claims"]["sub"] == "bob"


# --- WebSocket API ----------------------------------------------------------------------------------------
def _recorded(runtime: LocalRuntime, route_key: str | None = None) -> list[dict[str, Any]]:
    table = boto3.resource("dynamodb", endpoint_url=runtime.endpoint, region_name="us-east-1").Table(
        runtime.environment["SOCKET_EVENTS_TABLE"]
    )
    items = table.scan(ConsistentRead=True)["Items"]
    events = [json.loads(str(item["event"])) for item in items]
    return [e for e in events if route_key is None or e["requestContext"]["routeKey"] == route_key]


def _wait_recorded(runtime: LocalRuntime, route_key: str, connection_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while True:
        found = [
            e for e in _recorded(runtime, route_key) if e["requestContext"]["connectionId"] == connection_id
        ]
        if found or time.monotonic() > deadline:
            assert found, f"no {route_key} event for {connection_id}"
            return found[0]
        time.sleep(0.05)


@pytest.mark.parametrize(
    "query", ["", "?token=", "?token=garbage", "?token=EXPIRED", "?token=OTHER-AUDIENCE"]
)
def test_websocket_connect_without_a_good_token_is_refused(
    runtime: LocalRuntime, issuer: DevIssuer, query: str
) -> None:
    query = query.replace("EXPIRED", issuer.token("alice", expires_in=-60))
    query = query.replace("OTHER-AUDIENCE", issuer.token("alice", audience="nope"))
    connects_before = len(_recorded(runtime, "$connect"))
    with pytest.raises(InvalidStatus) as raised:
        connect(runtime.websocket_url + query, open_timeout=10)
    assert raised.value.response.status_code == 401
    assert json.loads(raised.value.response.body or b"{}") == UNAUTHORIZED
    assert len(_recorded(runtime, "$connect")) == connects_before  # $connect never ran


def test_websocket_connect_with_a_good_token_carries_the_owner(
    runtime: LocalRuntime, issuer: DevIssuer
) -> None:
    token = issuer.token("alice")
    with connect(f"{runtime.websocket_url}?token={token}", open_timeout=10, close_timeout=5) as ws:
        ws.send(json.dumps({"action": "echo", "data": 1}))
        connection_id = json.loads(ws.recv(timeout=10))["connectionId"]
    expected = {"principalId": "alice", "owner": "alice"}
    connected = _wait_recorded(runtime, "$connect", connection_id)
    assert connected["requestContext"]["authorizer"] == expected
    assert connected["queryStringParameters"] == {"token": token}
    assert _wait_recorded(runtime, "echo", connection_id)["requestContext"]["authorizer"] == expected
    assert _wait_recorded(runtime, "$disconnect", connection_id)["requestContext"]["authorizer"] == expected


# --- python -m local run --auth ---------------------------------------------------------------------------
def test_run_with_auth_prints_a_working_token() -> None:
    http_port, ws_port, auth_port = free_port(), free_port(), free_port()
    args = ["-t", str(TEMPLATE), "--auth", "-p", str(http_port), "--ws-port", str(ws_port)]
    with local_run(*args, "--auth-port", str(auth_port)) as (process, printed):
        text = "".join(printed)
        assert f"local development issuer http://127.0.0.1:{auth_port}" in text
        assert f"curl -s 'http://127.0.0.1:{auth_port}/token?sub=alice'" in text
        assert f"ws://127.0.0.1:{ws_port}/dev?token=$TOKEN" in text
        (token,) = [line.split("TOKEN=", 1)[1].strip() for line in printed if "export TOKEN=" in line]
        claims = jwt.decode(token, options={"verify_signature": False})
        assert claims["sub"] == "dev-user"
        assert 11 * 3600 < claims["exp"] - time.time() <= 12 * 3600

        api = Client(f"http://127.0.0.1:{http_port}")
        assert api.request("GET", "/private/1").status == 401
        reply = api.request("GET", "/private/1", headers=[("Authorization", f"Bearer {token}")])
        assert reply.status == 200
        assert (
            json.loads(reply.body)["event"]["requestContext"]["authorizer"]["jwt"]["claims"]["sub"]
            == "dev-user"
        )

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
