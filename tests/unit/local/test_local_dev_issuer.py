"""The development issuer over real HTTP on loopback: discovery, JWKS, minted tokens, GET /token."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest

from local.dev_issuer import DEV_AUDIENCE, DEV_SUBJECT, MAX_EXPIRES_IN, DevIssuer
from tests.integration.local.support import Client


@pytest.fixture(scope="module")
def issuer() -> Iterator[DevIssuer]:
    with DevIssuer() as started:
        yield started


def _get(issuer: DevIssuer, path: str) -> tuple[int, Any]:
    reply = Client(issuer.url).request("GET", path)
    assert reply.header("content-type") == "application/json"
    return reply.status, json.loads(reply.body)


def _verify(issuer: DevIssuer, token: str, **options: Any) -> dict[str, Any]:
    """Verify as any relying party would: discovery, then the JWKS, then the signature and claims."""
    status, configuration = _get(issuer, "/.well-known/openid-configuration")
    assert status == 200
    client = jwt.PyJWKClient(configuration["jwks_uri"])
    key = client.get_signing_key_from_jwt(token)
    claims: dict[str, Any] = jwt.decode(
        token, key.key, algorithms=["RS256"], issuer=configuration["issuer"], **options
    )
    return claims


def test_discovery_and_keys(issuer: DevIssuer) -> None:
    assert issuer.url.startswith("http://127.0.0.1:")
    status, configuration = _get(issuer, "/.well-known/openid-configuration")
    assert status == 200
    assert configuration["issuer"] == issuer.issuer == issuer.url
    assert configuration["jwks_uri"] == f"{issuer.url}/.well-known/jwks.json"
    status, jwks = _get(issuer, "/.well-known/jwks.json")
    (key,) = jwks["keys"]
    assert (key["kty"], key["alg"], key["use"], key["kid"]) == ("RSA", "RS256", "sig", issuer.key_id)
    assert "d" not in key  # the public half only


def test_minted_tokens_verify_against_the_published_key(issuer: DevIssuer) -> None:
    token = issuer.token("alice", expires_in=600, email="a@example.test", groups=["g1"])
    assert jwt.get_unverified_header(token)["kid"] == issuer.key_id
    claims = _verify(issuer, token, audience=DEV_AUDIENCE)
    assert claims["sub"] == "alice"
    assert claims["aud"] == DEV_AUDIENCE
    assert claims["email"] == "a@example.test"
    assert claims["groups"] == ["g1"]
    assert 590 <= claims["exp"] - time.time() <= 600
    assert claims["iat"] <= time.time()


def test_claims_can_be_overridden(issuer: DevIssuer) -> None:
    token = issuer.token(audience=["x", "y"], expires_in=-60, iss="https://elsewhere.test")
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["sub"] == DEV_SUBJECT
    assert claims["aud"] == ["x", "y"]
    assert claims["exp"] < time.time()
    assert claims["iss"] == "https://elsewhere.test"


def test_get_token_mints_for_any_subject(issuer: DevIssuer) -> None:
    status, document = _get(issuer, "/token?sub=alice&expires_in=120&scope=orders/read")
    assert status == 200
    assert (document["token_type"], document["expires_in"]) == ("Bearer", 120)
    claims = _verify(issuer, document["access_token"], audience=DEV_AUDIENCE)
    assert (claims["sub"], claims["scope"]) == ("alice", "orders/read")
    status, document = _get(issuer, "/token")
    assert status == 200
    assert _verify(issuer, document["access_token"], audience=DEV_AUDIENCE)["sub"] == DEV_SUBJECT


@pytest.mark.parametrize(
    "query",
    ["sub=", f"sub={'x' * 257}", "expires_in=0", f"expires_in={MAX_EXPIRES_IN + 1}", "expires_in=soon"],
)
def test_get_token_refuses_bad_requests(issuer: DevIssuer, query: str) -> None:
    status, document = _get(issuer, f"/token?{query}")
    assert status == 400
    assert document["error"] == "invalid_request"


def test_unknown_path(issuer: DevIssuer) -> None:
    assert _get(issuer, "/nope")[0] == 404


def test_every_issuer_has_its_own_key(issuer: DevIssuer) -> None:
    with pytest.raises(RuntimeError, match="not bound"):
        _ = DevIssuer().url
    with DevIssuer(audience="elsewhere") as other:
        assert other.key_id != issuer.key_id
        foreign = other.token("mallory", iss=issuer.issuer)  # another key: not in the JWKS
    with pytest.raises(jwt.PyJWTError):
        _verify(issuer, foreign, audience="elsewhere")


def test_stop_releases_the_port() -> None:
    issuer = DevIssuer()
    issuer.start()
    port = issuer.port
    issuer.stop()
    issuer.stop()  # twice is fine
    with DevIssuer(port=port) as again:
        assert again.port == port
