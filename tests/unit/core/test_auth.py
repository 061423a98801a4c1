"""careercoach.auth: token verification against an issuer's JWKS served over real HTTP on loopback, the
WebSocket $connect authorizer, and who the caller of an HTTP API event is."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from careercoach.api.authorizer import authorize_websocket, bearer_token
from careercoach.api.caller import http_caller
from careercoach.auth import ANONYMOUS, Caller, InvalidToken, TokenVerifier
from careercoach.errors import Unauthenticated

AUDIENCE = "careercoach-test"


class Issuer:
    """An OpenID issuer on loopback: /.well-known/openid-configuration and a JWKS, counting key fetches."""

    def __init__(self) -> None:
        self.keys = {"k1": rsa.generate_private_key(public_exponent=65537, key_size=2048)}
        self.published = ["k1"]
        self.jwks_fetches = 0
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/.well-known/openid-configuration":
                    body: dict[str, Any] = {"issuer": issuer.url, "jwks_uri": f"{issuer.url}/jwks.json"}
                elif self.path == "/jwks.json":
                    issuer.jwks_fetches += 1
                    body = {"keys": [issuer.jwk(kid) for kid in issuer.published]}
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        Thread(target=self.server.serve_forever, daemon=True).start()

    def jwk(self, kid: str) -> dict[str, Any]:
        document: dict[str, Any] = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.keys[kid].public_key()))
        return {**document, "kid": kid, "use": "sig", "alg": "RS256"}

    def token(self, sub: str | None = "alice", *, kid: str = "k1", key: Any = None, **claims: Any) -> str:
        now = int(time.time())
        payload = {"iss": self.url, "aud": AUDIENCE, "sub": sub, "iat": now, "exp": now + 300, **claims}
        payload = {name: value for name, value in payload.items() if value is not None}
        return jwt.encode(payload, key or self.keys[kid], algorithm="RS256", headers={"kid": kid})


@pytest.fixture
def issuer() -> Iterator[Issuer]:
    started = Issuer()
    yield started
    started.server.shutdown()
    started.server.server_close()


def verifier_for(issuer: Issuer) -> TokenVerifier:
    return TokenVerifier(issuer.url, (AUDIENCE,))


def b64(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def unsigned(payload: dict[str, Any]) -> str:
    return f"{b64({'alg': 'none', 'typ': 'JWT', 'kid': 'k1'})}.{b64(payload)}."


def reason(verifier: TokenVerifier, token: str) -> str:
    with pytest.raises(InvalidToken) as refused:
        verifier.verify(token)
    return refused.value.reason


def test_a_valid_token_gives_its_claims_and_the_keys_are_fetched_once(issuer: Issuer) -> None:
    verifier = verifier_for(issuer)
    for _ in range(3):
        assert verifier.verify(issuer.token("alice"))["sub"] == "alice"
    assert issuer.jwks_fetches == 1


def test_tokens_api_gateway_would_refuse_are_refused(issuer: Issuer) -> None:
    verifier = verifier_for(issuer)
    now = int(time.time())
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert reason(verifier, issuer.token(exp=now - 1)) == "expired"
    assert reason(verifier, issuer.token(aud="someone-else")) == "wrong_audience"
    assert reason(verifier, issuer.token(iss="https://evil.example")) == "wrong_issuer"
    assert reason(verifier, issuer.token(nbf=now + 600)) == "not_yet_valid"
    assert reason(verifier, issuer.token(key=stranger)) == "bad_signature"
    assert reason(verifier, issuer.token(sub=None)) == "invalid"  # `sub` is required
    assert reason(verifier, issuer.token(exp=None)) == "invalid"  # so is `exp`
    assert reason(verifier, unsigned({"iss": issuer.url, "aud": AUDIENCE, "sub": "x", "exp": now + 60})) == (
        "unsigned"
    )
    # HS256 "signed" with the published public key as the secret: the classic algorithm confusion (PyJWT
    # will not even make one, so it is made by hand).
    head = {"alg": "HS256", "typ": "JWT", "kid": "k1"}
    body = {"iss": issuer.url, "aud": AUDIENCE, "sub": "x", "exp": now + 60}
    signing_input = f"{b64(head)}.{b64(body)}".encode()
    secret = json.dumps(issuer.jwk("k1")).encode()
    mac = base64.urlsafe_b64encode(hmac.new(secret, signing_input, hashlib.sha256).digest()).decode()
    assert reason(verifier, f"{signing_input.decode()}.{mac.rstrip('=')}") == "unsupported_algorithm"
    assert reason(verifier, "not.a.jwt") == "malformed"
    assert reason(verifier, jwt.encode({"sub": "x"}, issuer.keys["k1"], algorithm="RS256")) == "no_key_id"


def test_cognito_access_tokens_match_on_client_id(issuer: Issuer) -> None:
    token = issuer.token("alice", aud=None, client_id=AUDIENCE, token_use="access")
    assert verifier_for(issuer).verify(token)["sub"] == "alice"


def test_a_rotated_key_is_picked_up_and_unknown_keys_cannot_hammer_the_issuer(issuer: Issuer) -> None:
    clock = [1000.0]
    verifier = TokenVerifier(issuer.url, (AUDIENCE,), clock=lambda: clock[0])
    assert verifier.verify(issuer.token())["sub"] == "alice"
    issuer.keys["k2"] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    issuer.published.append("k2")
    # Within the minute after a fetch, an unknown kid is refused without asking the issuer again...
    assert reason(verifier, issuer.token(kid="k2")) == "unknown_key"
    assert reason(verifier, issuer.token(kid="nope", key=issuer.keys["k2"])) == "unknown_key"
    assert issuer.jwks_fetches == 1
    # ... after it, one refetch finds the new key.
    clock[0] += 61
    assert verifier.verify(issuer.token("bob", kid="k2"))["sub"] == "bob"
    assert issuer.jwks_fetches == 2


def test_an_unreachable_issuer_refuses_tokens() -> None:
    verifier = TokenVerifier("http://127.0.0.1:9", (AUDIENCE,), timeout_s=0.5)
    token = jwt.encode(
        {"sub": "x", "exp": int(time.time()) + 60},
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
        algorithm="RS256",
        headers={"kid": "k1"},
    )
    assert reason(verifier, token) == "jwks_unavailable"


def test_the_websocket_authorizer_allows_with_the_owner_or_refuses(issuer: Issuer) -> None:
    verifier = verifier_for(issuer)
    arn = "arn:aws:execute-api:us-east-1:123456789012:abc/dev/$connect"
    allowed = authorize_websocket(
        {"methodArn": arn, "queryStringParameters": {"token": issuer.token()}}, verifier
    )
    assert allowed["principalId"] == "alice" and allowed["context"] == {"owner": "alice"}
    assert allowed["policyDocument"]["Statement"] == [
        {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": arn}
    ]
    by_header = {"methodArn": arn, "headers": {"Authorization": f"Bearer {issuer.token('bob')}"}}
    assert authorize_websocket(by_header, verifier)["context"] == {"owner": "bob"}
    for refused in (
        {"methodArn": arn},
        {"methodArn": arn, "queryStringParameters": {"token": issuer.token(aud="other")}},
        {"methodArn": arn, "headers": {"authorization": "Basic dXNlcjpwYXNz"}},
    ):
        with pytest.raises(PermissionError, match=r"^Unauthorized$"):
            authorize_websocket(refused, verifier)


def test_bearer_token_prefers_the_query_string() -> None:
    event = {"queryStringParameters": {"token": "q"}, "headers": {"authorization": "Bearer h"}}
    assert bearer_token(event) == "q"
    assert bearer_token({"headers": {"AUTHORIZATION": "bearer  h "}}) == "h"
    assert bearer_token({"headers": {"authorization": "Bearer "}}) is None


def http_event(claims: dict[str, str] | None) -> dict[str, Any]:
    context: dict[str, Any] = {"http": {"sourceIp": "198.51.100.7"}}
    if claims is not None:
        context["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
    return {"requestContext": context}


def test_the_http_caller_is_the_token_subject_or_anonymous() -> None:
    anonymous = http_caller(http_event(None), auth_enabled=False)
    assert anonymous == Caller(ANONYMOUS, False, "198.51.100.7")
    assert anonymous.quota_subject == "ip#198.51.100.7"

    caller = http_caller(http_event({"sub": "alice", "aud": AUDIENCE}), auth_enabled=True)
    assert caller == Caller("alice", True, "198.51.100.7") and caller.quota_subject == "sub#alice"
    # A data route reached without verified claims (say, a route left without the authorizer) is refused.
    for event in (http_event(None), http_event({"aud": AUDIENCE}), http_event({"sub": ""})):
        with pytest.raises(Unauthenticated):
            http_caller(event, auth_enabled=True)
