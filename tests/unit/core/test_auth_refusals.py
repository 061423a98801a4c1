"""Issue 20, item 5 and the auth guards of item 9: the token verifier and the WebSocket REQUEST authorizer
refuse (InvalidToken / "Unauthorized", which API Gateway answers with 401) and never crash, whatever the
token's header and claims or the issuer's key set hold. The issuer is real HTTP on loopback; its key set mixes
RSA, EC, symmetric, Ed25519 and encryption keys, as real issuers' sets may."""

from __future__ import annotations

import base64
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careercoach import auth
from careercoach.api.authorizer import authorize_websocket, bearer_token
from careercoach.api.caller import http_caller
from careercoach.auth import ALGORITHMS, Caller, InvalidToken, TokenVerifier
from careercoach.errors import Unauthenticated
from careercoach.settings import Settings

AUDIENCE = "careercoach-test"
ARN = "arn:aws:execute-api:us-east-1:123456789012:abc/dev/$connect"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ENC_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())
ED_KEY = ed25519.Ed25519PrivateKey.generate()
HMAC_SECRET = b"a-shared-secret-of-at-least-32-bytes!!"
# `make mutation` lowers the example count (HYPOTHESIS_MAX_EXAMPLES) so surviving mutants cost less.
FUZZ = settings(
    max_examples=min(300, int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "300"))),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwk_of(key: Any, kid: str, **extra: Any) -> dict[str, Any]:
    if isinstance(key, rsa.RSAPrivateKey):
        document = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        document = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
    elif isinstance(key, ed25519.Ed25519PrivateKey):
        document = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(key.public_key()))
    else:
        document = json.loads(jwt.algorithms.HMACAlgorithm.to_jwk(key))
    return {**document, "kid": kid, **extra}


MIXED_KEY_SET = {
    "keys": [
        jwk_of(RSA_KEY, "rsa", use="sig", alg="RS256"),
        jwk_of(EC_KEY, "ec", use="sig", alg="ES256"),
        jwk_of(HMAC_SECRET, "oct", alg="HS256"),
        jwk_of(ED_KEY, "ed", use="sig"),
        jwk_of(ENC_KEY, "enc", use="enc", alg="RSA-OAEP"),
        jwk_of(ENC_KEY, "enc-rsa", use="enc"),  # an RSA key PyJWT loads (no alg), meant for encryption
    ]
}


class Issuer:
    """An OpenID issuer on loopback whose documents (any bytes) and answer delay the test sets; it records
    each request's path and headers."""

    def __init__(self) -> None:
        self.jwks_body: bytes = json.dumps(MIXED_KEY_SET).encode()
        self.jwks_uri: str | None = None  # the discovery document's jwks_uri; default: this server's
        self.discovery_body: bytes | None = None  # replaces the whole discovery document
        self.delay_s = 0.0
        self.requests: list[tuple[str, dict[str, str]]] = []
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                # The path as sent: http.server itself collapses a leading "//", which real issuers may not.
                path = self.requestline.split(" ")[1]
                issuer.requests.append((path, dict(self.headers.items())))
                if issuer.delay_s:
                    time.sleep(issuer.delay_s)
                if path.endswith("/.well-known/openid-configuration"):
                    jwks_uri = issuer.url + "/jwks" if issuer.jwks_uri is None else issuer.jwks_uri
                    body = (
                        issuer.discovery_body
                        or json.dumps({"issuer": issuer.url, "jwks_uri": jwks_uri}).encode()
                    )
                elif path == "/jwks":
                    body = issuer.jwks_body
                else:
                    self.send_error(404)
                    return
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the client gave up (a timeout test)
                    return

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        Thread(target=self.server.serve_forever, daemon=True).start()

    def claims(self, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        claims = {"iss": self.url, "aud": AUDIENCE, "sub": "alice", "iat": now, "exp": now + 300, **overrides}
        return {name: value for name, value in claims.items() if value is not None}

    def fetches(self, path: str) -> int:
        return sum(1 for requested, _ in self.requests if requested == path)


@pytest.fixture(scope="module")
def issuer() -> Iterator[Issuer]:
    started = Issuer()
    yield started
    started.server.shutdown()
    started.server.server_close()


@pytest.fixture(autouse=True)
def mixed_key_set(issuer: Issuer) -> None:
    issuer.jwks_body = json.dumps(MIXED_KEY_SET).encode()
    issuer.jwks_uri = None
    issuer.discovery_body = None
    issuer.delay_s = 0.0
    issuer.requests.clear()


def signed(header: dict[str, Any] | str, payload: dict[str, Any] | str, key: Any = RSA_KEY) -> str:
    """A compact JWS over any header and payload JSON (given as objects or raw text), signed RS256 with
    `key` whatever the header says, so the verifier, not the signer, decides what is acceptable."""
    raw_header = header if isinstance(header, str) else json.dumps(header)
    raw_payload = payload if isinstance(payload, str) else json.dumps(payload)
    signing_input = f"{b64(raw_header.encode())}.{b64(raw_payload.encode())}".encode()
    signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input.decode()}.{b64(signature)}"


def verifier_for(issuer: Issuer, **options: Any) -> TokenVerifier:
    return TokenVerifier(issuer.url, (AUDIENCE,), **options)


def reason(verifier: TokenVerifier, token: str) -> str:
    with pytest.raises(InvalidToken) as refused:
        verifier.verify(token)
    assert str(refused.value) == refused.value.reason  # the code is the message too (safe to log)
    return refused.value.reason


def refused_by_authorizer(verifier: TokenVerifier, token: str) -> None:
    with pytest.raises(PermissionError, match=r"^Unauthorized$"):
        authorize_websocket({"methodArn": ARN, "queryStringParameters": {"token": token}}, verifier)


# ---- the reproduction --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kid", ["ec", "oct", "ed", "enc", "enc-rsa"])
def test_a_kid_naming_a_non_rsa_or_encryption_key_is_refused_not_a_crash(issuer: Issuer, kid: str) -> None:
    """RS256 with the `kid` of the issuer's EC key raised TypeError in key loading: the authorizer's 500."""
    verifier = verifier_for(issuer)
    token = signed({"alg": "RS256", "typ": "JWT", "kid": kid}, issuer.claims())
    assert reason(verifier, token) == "unknown_key"
    refused_by_authorizer(verifier, token)
    # The RSA signing key of the same set still works.
    assert verifier.verify(signed({"alg": "RS256", "kid": "rsa"}, issuer.claims()))["sub"] == "alice"


def test_tokens_really_signed_with_the_other_keys_are_refused(issuer: Issuer) -> None:
    verifier = verifier_for(issuer)
    claims = issuer.claims()
    assert reason(verifier, jwt.encode(claims, EC_KEY, algorithm="ES256", headers={"kid": "ec"})) == (
        "unsupported_algorithm"
    )
    assert reason(verifier, jwt.encode(claims, ED_KEY, algorithm="EdDSA", headers={"kid": "ed"})) == (
        "unsupported_algorithm"
    )
    assert reason(verifier, jwt.encode(claims, HMAC_SECRET, algorithm="HS256", headers={"kid": "oct"})) == (
        "unsupported_algorithm"
    )
    # PS256 is RSA, but API Gateway's JWT authorizer (and so this verifier) accepts RS256/384/512 only.
    assert reason(verifier, jwt.encode(claims, RSA_KEY, algorithm="PS256", headers={"kid": "rsa"})) == (
        "unsupported_algorithm"
    )


# ---- the guards (item 9) -----------------------------------------------------------------------------------


def test_a_token_with_an_empty_subject_is_refused(issuer: Issuer) -> None:
    """PyJWT accepts "sub": "" as present; one guard stands between it and the anonymous owner ("")."""
    verifier = verifier_for(issuer)
    assert (
        jwt.decode(
            signed({"alg": "RS256", "kid": "rsa"}, issuer.claims(sub="")),
            RSA_KEY.public_key(),
            algorithms=["RS256"],
            options={"require": ["sub"], "verify_aud": False},
        )["sub"]
        == ""
    )
    token = signed({"alg": "RS256", "kid": "rsa"}, issuer.claims(sub=""))
    assert reason(verifier, token) == "no_subject"
    refused_by_authorizer(verifier, token)


@pytest.mark.parametrize("uri", ["file:///etc/passwd", "ftp://127.0.0.1/jwks", "gopher://x", "jwks", ""])
def test_the_key_set_url_must_be_http_or_https(issuer: Issuer, uri: str) -> None:
    token = signed({"alg": "RS256", "kid": "rsa"}, issuer.claims())
    if uri:
        assert reason(verifier_for(issuer, jwks_uri=uri), token) == "bad_jwks_url"
    # The same check applies to the URL the issuer's discovery document names.
    issuer.jwks_uri = uri
    assert reason(verifier_for(issuer), token) == ("bad_jwks_url" if uri else "jwks_unavailable")


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_https_and_http_key_set_urls_are_fetched(issuer: Issuer, scheme: str) -> None:
    """Both schemes pass the check (a closed loopback port then fails the fetch itself, not the check)."""
    token = signed({"alg": "RS256", "kid": "rsa"}, issuer.claims())
    verifier = verifier_for(issuer, jwks_uri=f"{scheme}://127.0.0.1:9/jwks", timeout_s=0.5)
    assert reason(verifier, token) == "jwks_unavailable"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'"keys"',
        b"{}",
        b'{"keys": []}',
        b'{"keys": "rsa"}',
        b'{"keys": {"kid": "rsa"}}',
        b'{"keys": [1, "a", null, []]}',
        b'{"keys": [{"kty": "RSA", "kid": "rsa"}]}',
        b'{"keys": [{"kty": ["RSA"], "kid": "rsa"}]}',
        b'{"keys": [{"kty": "EC", "crv": "P-999", "kid": "rsa"}]}',
        b"[" * 50_000 + b"]" * 50_000,
        b'{"keys": ' + b"[" * 5_000 + b"]" * 5_000 + b"}",
        b"\xff\xfe",
        b'{"keys": [{"kty": "RSA", "kid": "rsa", "n": "\\ud800", "e": "AQAB"}]}',
    ],
)
def test_a_key_set_that_holds_no_usable_rsa_key_refuses_every_token(issuer: Issuer, body: bytes) -> None:
    issuer.jwks_body = body
    verifier = verifier_for(issuer)
    token = signed({"alg": "RS256", "kid": "rsa"}, issuer.claims())
    assert reason(verifier, token) in {"jwks_unavailable", "unknown_key"}
    refused_by_authorizer(verifier, token)


def test_a_key_set_entry_with_a_non_string_kid_is_ignored(issuer: Issuer) -> None:
    issuer.jwks_body = json.dumps({"keys": [{**jwk_of(RSA_KEY, "rsa"), "kid": 7}]}).encode()
    assert (
        reason(verifier_for(issuer), signed({"alg": "RS256", "kid": "7"}, issuer.claims())) == "unknown_key"
    )


def test_an_unexpected_verifier_error_still_refuses() -> None:
    class Broken(TokenVerifier):
        def verify(self, token: str) -> dict[str, Any]:
            raise KeyError("a bug")

    refused_by_authorizer(Broken("https://issuer.example", (AUDIENCE,)), "x.y.z")


def test_the_authorizer_refuses_without_a_token_and_allows_with_a_good_one(issuer: Issuer) -> None:
    verifier = verifier_for(issuer)
    with pytest.raises(PermissionError, match=r"^Unauthorized$"):
        authorize_websocket({"methodArn": ARN, "headers": {"authorization": "Bearer "}}, verifier)
    allowed = authorize_websocket(
        {
            "methodArn": ARN,
            "queryStringParameters": {"token": signed({"alg": "RS256", "kid": "rsa"}, issuer.claims())},
        },
        verifier,
    )
    assert allowed["principalId"] == "alice" and allowed["context"] == {"owner": "alice"}


# ---- fuzzing the header and the claims ---------------------------------------------------------------------

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=5)
kids = st.sampled_from(["rsa", "ec", "oct", "ed", "enc", "", "unknown"]) | json_values
algorithms = (
    st.sampled_from([*ALGORITHMS, "none", "None", "HS256", "ES256", "PS256", "EdDSA", ""]) | json_values
)


@st.composite
def headers(draw: st.DrawFn) -> dict[str, Any]:
    """Mostly `alg` RS256 with a `kid` of the set (so the drawn claims and the key lookup are reached), with
    any other value, a missing member or odd extra members often enough."""
    header: dict[str, Any] = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "typ": st.sampled_from(["JWT", "at+jwt"]) | json_values,
                "crit": st.sampled_from([["b64"], ["exp"], []]) | json_values,
                "b64": st.booleans(),
                "jku": st.just("http://127.0.0.1:9/keys"),
                "x5u": st.just("file:///etc/passwd"),
                "jwk": st.just(jwk_of(RSA_KEY, "rsa")),
            },
        )
    )
    for name, usual, other in (("alg", "RS256", algorithms), ("kid", "rsa", kids)):
        choice = draw(st.integers(0, 9))
        if choice < 5:
            header[name] = usual
        elif choice < 9:
            header[name] = draw(other)
    return header


times = (
    st.sampled_from(["now-1", "now+300", "now+600"])
    | st.integers()
    | st.floats(allow_nan=False)
    | st.sampled_from(["1e400", "-1e400", "12345678901234567890123456789"])
    | json_values
)
claim_values = {
    "iss": st.sampled_from(["<issuer>", "https://evil.example", ""]) | json_values,
    "aud": st.sampled_from([AUDIENCE, [AUDIENCE], ["x", AUDIENCE], "other", [], {}]) | json_values,
    "client_id": st.sampled_from([AUDIENCE, "other"]) | json_values,
    "sub": st.sampled_from(["alice", "", " ", "\u200b"]) | json_values,
    "exp": times,
    "iat": times,
    "nbf": times,
}


def raw_json(value: Any, now: int, issuer_url: str) -> str:
    """JSON text for a claim value; big numbers stay raw text (json.dumps cannot write 1e400)."""
    if value == "<issuer>":
        return json.dumps(issuer_url)
    if isinstance(value, str) and value.startswith("now"):
        return str(now + int(value[3:]))
    if value in ("1e400", "-1e400", "12345678901234567890123456789"):
        return str(value)
    return json.dumps(value)


@st.composite
def payloads(draw: st.DrawFn) -> Callable[[int, str], str]:
    chosen = draw(st.fixed_dictionaries({}, optional=claim_values))
    # Mostly well-formed around one odd claim: keep the required claims usually present.
    for name, default in (("iss", "<issuer>"), ("sub", "alice"), ("exp", "now+300"), ("aud", AUDIENCE)):
        if draw(st.integers(0, 4)) > 0:
            chosen.setdefault(name, default)
    duplicate = draw(st.sampled_from([None, "sub", "iss", "exp"]))

    def render(now: int, issuer_url: str) -> str:
        members = [
            f"{json.dumps(name)}: {raw_json(value, now, issuer_url)}" for name, value in chosen.items()
        ]
        if duplicate is not None:
            members.append(f'"{duplicate}": {json.dumps("mallory" if duplicate == "sub" else 1)}')
        return "{" + ", ".join(members) + "}"

    return render


@FUZZ
@given(header=headers(), payload=payloads())
def test_any_header_and_claims_are_verified_or_refused_never_a_crash(
    issuer: Issuer, header: dict[str, Any], payload: Callable[[int, str], str]
) -> None:
    verifier = verifier_for(issuer)
    token = signed(header, payload(int(time.time()), issuer.url))
    try:
        claims = verifier.verify(token)
    except InvalidToken:
        refused_by_authorizer(verifier, token)
        return
    # Accepted: only ever an RS256-384-512 token by the set's RSA signing key, for this issuer and audience,
    # with a non-empty subject.
    assert header.get("alg") == "RS256" and header.get("kid") == "rsa"
    assert claims["iss"] == issuer.url and isinstance(claims["sub"], str) and claims["sub"]
    audience = claims.get("aud", claims.get("client_id"))
    assert AUDIENCE in (audience if isinstance(audience, list) else [audience])
    assert authorize_websocket({"methodArn": ARN, "queryStringParameters": {"token": token}}, verifier)[
        "context"
    ] == {"owner": claims["sub"]}


@FUZZ
@given(
    token=st.text(max_size=200)
    | st.builds(lambda h, p: f"{b64(h)}.{b64(p)}.{b64(b'sig')}", st.binary(), st.binary())
)
def test_any_text_as_a_token_is_refused(issuer: Issuer, token: str) -> None:
    verifier = verifier_for(issuer)
    with pytest.raises(InvalidToken):
        verifier.verify(token)


def test_deeply_nested_header_or_payload_is_refused(issuer: Issuer) -> None:
    verifier = verifier_for(issuer)
    deep = "[" * 100_000 + "]" * 100_000
    assert reason(verifier, f"{b64(deep.encode())}.{b64(b'{}')}.sig") == "malformed"
    assert reason(verifier, signed({"alg": "RS256", "kid": "rsa"}, deep)) == "invalid"
    assert reason(verifier, signed({"alg": "RS256", "kid": "rsa"}, '{"sub": ' + deep + "}")) == "invalid"


@FUZZ
@given(
    keys=st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "kty": st.sampled_from(["RSA", "EC", "oct", "OKP", "", "rsa"]) | json_values,
                "kid": kids,
                "use": st.sampled_from(["sig", "enc"]) | json_values,
                "alg": algorithms,
                "n": st.just(jwk_of(RSA_KEY, "rsa")["n"]) | json_values,
                "e": st.just("AQAB") | json_values,
                "crv": st.sampled_from(["P-256", "Ed25519", "X25519"]) | json_values,
                "x": json_values,
                "y": json_values,
                "k": json_values,
            },
        )
        | json_values,
        max_size=4,
    )
)
def test_any_key_set_content_refuses_or_verifies_never_a_crash(issuer: Issuer, keys: Any) -> None:
    issuer.jwks_body = json.dumps({"keys": keys}).encode()
    verifier = verifier_for(issuer)
    token = signed({"alg": "RS256", "kid": "rsa"}, issuer.claims())
    try:
        verifier.verify(token)
    except InvalidToken:
        refused_by_authorizer(verifier, token)


def test_an_encryption_key_cannot_sign_even_with_a_valid_signature(issuer: Issuer) -> None:
    token = signed({"alg": "RS256", "kid": "enc-rsa"}, issuer.claims(), key=ENC_KEY)
    assert reason(verifier_for(issuer), token) == "unknown_key"


def test_the_key_set_is_asked_for_as_json(issuer: Issuer) -> None:
    verifier_for(issuer).verify(signed({"alg": "RS256", "kid": "rsa"}, issuer.claims()))
    assert [path for path, _ in issuer.requests] == ["/.well-known/openid-configuration", "/jwks"]
    assert all(headers.get("Accept") == "application/json" for _, headers in issuer.requests)


def test_a_key_set_over_one_mebibyte_is_not_read(issuer: Issuer) -> None:
    document = json.dumps({"keys": [jwk_of(RSA_KEY, "rsa")], "padding": ""})
    fill = 1024 * 1024 - len(document)
    issuer.jwks_body = json.dumps({"keys": [jwk_of(RSA_KEY, "rsa")], "padding": "x" * fill}).encode()
    assert len(issuer.jwks_body) == 1024 * 1024
    token = signed({"alg": "RS256", "kid": "rsa"}, issuer.claims())
    assert verifier_for(issuer).verify(token)["sub"] == "alice"  # exactly 1 MiB is read
    issuer.jwks_body = json.dumps({"keys": [jwk_of(RSA_KEY, "rsa")], "padding": "x" * (fill + 1)}).encode()
    assert reason(verifier_for(issuer), token) == "jwks_unavailable"  # one byte more is cut, and invalid


def test_a_slow_issuer_is_given_up_on_after_the_timeout(issuer: Issuer) -> None:
    issuer.delay_s = 1.0
    token = signed({"alg": "RS256", "kid": "rsa"}, issuer.claims())
    assert reason(verifier_for(issuer, timeout_s=0.2), token) == "jwks_unavailable"
    assert [path for path, _ in issuer.requests] == ["/.well-known/openid-configuration"]  # gave up there


def test_the_key_set_fetch_has_the_timeout_too(issuer: Issuer) -> None:
    issuer.delay_s = 1.0
    verifier = verifier_for(issuer, jwks_uri=issuer.url + "/jwks", timeout_s=0.2)  # no discovery
    assert reason(verifier, signed({"alg": "RS256", "kid": "rsa"}, issuer.claims())) == "jwks_unavailable"
    assert [path for path, _ in issuer.requests] == ["/jwks"]


def test_the_default_timeout_is_three_seconds(issuer: Issuer) -> None:
    issuer.delay_s = 3.2  # longer than the default, shorter than any other round number
    assert reason(verifier_for(issuer), signed({"alg": "RS256", "kid": "rsa"}, issuer.claims())) == (
        "jwks_unavailable"
    )


@pytest.mark.parametrize(
    "discovery",
    [b"[]", b'"x"', b"{}", b'{"jwks_uri": ""}', b'{"jwks_uri": 5}', b'{"jwks_uri": ["http://x"]}'],
)
def test_a_discovery_document_without_a_usable_jwks_uri_refuses(issuer: Issuer, discovery: bytes) -> None:
    issuer.discovery_body = discovery
    assert reason(verifier_for(issuer), signed({"alg": "RS256", "kid": "rsa"}, issuer.claims())) == (
        "jwks_unavailable"
    )


def test_an_issuer_with_a_trailing_slash_is_discovered_under_it_and_discovery_is_cached(
    issuer: Issuer,
) -> None:
    clock = [1000.0]
    verifier = TokenVerifier(issuer.url + "/", (AUDIENCE,), clock=lambda: clock[0])
    token = signed({"alg": "RS256", "kid": "rsa"}, issuer.claims(iss=issuer.url + "/"))
    assert verifier.verify(token)["sub"] == "alice"
    clock[0] += 3601  # keys stale: refetched from the discovered URL, without discovering again
    assert verifier.verify(token)["sub"] == "alice"
    assert issuer.fetches("/.well-known/openid-configuration") == 1 and issuer.fetches("/jwks") == 2


def test_discovery_is_under_the_issuer_s_own_path(issuer: Issuer) -> None:
    """Only slashes are trimmed from the issuer before the well-known path (a realm may end in any letter)."""
    realm = issuer.url + "/realms/teamX/"
    verifier = TokenVerifier(realm, (AUDIENCE,), jwks_uri=None)
    assert verifier.verify(signed({"alg": "RS256", "kid": "rsa"}, issuer.claims(iss=realm)))["sub"] == "alice"
    assert issuer.requests[0][0] == "/realms/teamX/.well-known/openid-configuration"


def test_keys_are_refetched_only_after_an_hour_and_unknown_kids_at_most_once_a_minute(issuer: Issuer) -> None:
    clock = [1000.0]
    verifier = TokenVerifier(issuer.url, (AUDIENCE,), clock=lambda: clock[0])
    good = signed({"alg": "RS256", "kid": "rsa"}, issuer.claims())
    unknown = signed({"alg": "RS256", "kid": "rotated"}, issuer.claims())
    verifier.verify(good)
    clock[0] += 60  # exactly a minute: not yet
    assert reason(verifier, unknown) == "unknown_key"
    assert issuer.fetches("/jwks") == 1
    clock[0] += 0.5
    assert reason(verifier, unknown) == "unknown_key"
    assert issuer.fetches("/jwks") == 2
    clock[0] = 1060.5 + 3600  # exactly an hour after the last fetch: a known kid uses the cache
    verifier.verify(good)
    assert issuer.fetches("/jwks") == 2
    clock[0] += 0.5
    verifier.verify(good)
    assert issuer.fetches("/jwks") == 3


def test_fetching_keys_is_logged_with_their_count(issuer: Issuer, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        verifier_for(issuer).verify(signed({"alg": "RS256", "kid": "rsa"}, issuer.claims()))
    [record] = [r for r in caplog.records if r.getMessage() == "Fetched the issuer's signing keys"]
    assert record.keys == 1  # type: ignore[attr-defined]  # only the RSA signing key of the mixed set


def test_a_token_expiring_this_second_is_expired_without_leeway(issuer: Issuer) -> None:
    token = signed({"alg": "RS256", "kid": "rsa"}, issuer.claims(exp=int(time.time())))
    assert reason(verifier_for(issuer), token) == "expired"
    assert verifier_for(issuer, leeway_s=5).verify(token)["sub"] == "alice"


@pytest.mark.parametrize(("kid", "expected"), [("", "no_key_id"), (None, "no_key_id"), (7, "malformed")])
def test_a_missing_or_empty_kid_is_refused_before_any_fetch(issuer: Issuer, kid: Any, expected: str) -> None:
    header = {"alg": "RS256"} if kid is None else {"alg": "RS256", "kid": kid}
    assert reason(verifier_for(issuer), signed(header, issuer.claims())) == expected
    assert issuer.requests == []


@pytest.mark.parametrize(
    ("alg", "expected"),
    [("none", "unsigned"), ("NONE", "unsigned"), ("None", "unsigned"), ("HS512", "unsupported_algorithm")],
)
def test_unsigned_and_unsupported_algorithms(issuer: Issuer, alg: str, expected: str) -> None:
    assert reason(verifier_for(issuer), signed({"alg": alg, "kid": "rsa"}, issuer.claims())) == expected


def test_aud_wins_over_client_id(issuer: Issuer) -> None:
    verifier = verifier_for(issuer)
    assert reason(
        verifier, signed({"alg": "RS256", "kid": "rsa"}, issuer.claims(aud="other", client_id=AUDIENCE))
    ) == ("wrong_audience")
    assert (
        verifier.verify(signed({"alg": "RS256", "kid": "rsa"}, issuer.claims(aud=["x", AUDIENCE])))["sub"]
        == "alice"
    )


@pytest.mark.parametrize(
    "error", [TypeError("Expecting a PEM-formatted key."), RecursionError(), KeyError("x")]
)
def test_any_error_from_the_jwt_library_refuses(
    issuer: Issuer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, error: Exception
) -> None:
    """What PyJWT raised for the issue's token (TypeError), and classes it does not raise today."""
    verifier = verifier_for(issuer)
    token = signed({"alg": "RS256", "kid": "rsa"}, issuer.claims())

    def failing(*args: Any, **kwargs: Any) -> Any:
        raise error

    monkeypatch.setattr(jwt, "decode", failing)
    with caplog.at_level(logging.INFO):
        assert reason(verifier, token) == "invalid"
    [record] = [r for r in caplog.records if r.getMessage() == "Token refused by an unexpected error"]
    assert record.error_type == type(error).__name__  # type: ignore[attr-defined]
    monkeypatch.setattr(jwt, "get_unverified_header", failing)
    assert reason(verifier, token) == "malformed"
    monkeypatch.setattr(jwt.PyJWKSet, "from_dict", failing)
    assert (
        reason(verifier_for(issuer), signed({"alg": "RS256", "kid": "rsa"}, issuer.claims())) == "malformed"
    )


def test_a_failing_key_set_parser_is_keys_unavailable(
    issuer: Issuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*args: Any, **kwargs: Any) -> Any:
        raise AttributeError("'str' object has no attribute 'get'")

    monkeypatch.setattr(jwt.PyJWKSet, "from_dict", failing)
    assert (
        reason(verifier_for(issuer), signed({"alg": "RS256", "kid": "rsa"}, issuer.claims()))
        == "jwks_unavailable"
    )


def test_the_authorizer_logs_why_it_refused(issuer: Issuer, caplog: pytest.LogCaptureFixture) -> None:
    verifier = verifier_for(issuer)
    with caplog.at_level(logging.INFO):
        refused_by_authorizer(verifier, signed({"alg": "RS256", "kid": "rsa"}, issuer.claims(sub="")))
        with pytest.raises(PermissionError):
            authorize_websocket({"methodArn": ARN}, verifier)
    reasons = [r.reason for r in caplog.records if r.getMessage() == "WebSocket connect refused"]  # type: ignore[attr-defined]
    assert reasons == ["no_subject", "no_token"]


def test_the_authorizer_s_policy_allows_exactly_this_connect(issuer: Issuer) -> None:
    token = signed({"alg": "RS256", "kid": "rsa"}, issuer.claims(sub="bob"))
    assert authorize_websocket(
        {"methodArn": ARN, "headers": {"Authorization": f"Bearer {token}"}}, verifier_for(issuer)
    ) == {
        "principalId": "bob",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": ARN}],
        },
        "context": {"owner": "bob"},
    }


def test_an_unexpected_verifier_error_is_logged_as_an_error(caplog: pytest.LogCaptureFixture) -> None:
    class Broken(TokenVerifier):
        def verify(self, token: str) -> dict[str, Any]:
            raise KeyError("a bug")

    with caplog.at_level(logging.INFO):
        refused_by_authorizer(Broken("https://issuer.example", (AUDIENCE,)), "x.y.z")
    [record] = [
        r for r in caplog.records if r.getMessage() == "WebSocket connect refused by an unexpected error"
    ]
    assert record.levelno == logging.ERROR and record.error_type == "KeyError"  # type: ignore[attr-defined]


def test_bearer_token_sources(issuer: Issuer) -> None:
    assert (
        bearer_token({"queryStringParameters": {"token": ""}, "headers": {"authorization": "Bearer h"}})
        == "h"
    )
    assert (
        bearer_token({"queryStringParameters": {"token": 5}, "headers": {"Authorization": "BEARER h2"}})
        == "h2"
    )
    assert bearer_token({"queryStringParameters": None, "headers": None}) is None
    assert bearer_token({"headers": {"authorization": "Bearerh"}}) is None
    assert bearer_token({"headers": {"authorization": "Token abc"}}) is None
    assert bearer_token({"headers": {"authorization": 7}}) is None


def test_the_deployment_verifier_comes_from_the_settings(issuer: Issuer) -> None:
    settings = Settings(
        auth_issuer="https://issuer.example",
        auth_audience=" app-one, app-two ,,",
        auth_jwks_uri="https://issuer.example/keys",
    )
    built = auth.verifier(settings)
    assert (built.issuer, built.audiences) == ("https://issuer.example", ("app-one", "app-two"))
    assert auth.verifier(Settings(auth_issuer="https://issuer.example")).audiences == ()
    with pytest.raises(RuntimeError, match=r"^AUTH_ISSUER is not set$"):
        auth.verifier(Settings())
    assert auth.auth_enabled(settings) and not auth.auth_enabled(Settings())
    # A configured key-set URL is used as is: no discovery (here a broken one) is needed.
    issuer.discovery_body = b"[]"
    configured = auth.verifier(
        Settings(auth_issuer=issuer.url, auth_audience=AUDIENCE, auth_jwks_uri=issuer.url + "/jwks")
    )
    assert configured.verify(signed({"alg": "RS256", "kid": "rsa"}, issuer.claims()))["sub"] == "alice"
    assert [path for path, _ in issuer.requests] == ["/jwks"]


def test_quota_subjects() -> None:
    assert Caller("alice", True, "198.51.100.7").quota_subject == "sub#alice"
    assert Caller("", False, "198.51.100.7").quota_subject == "ip#198.51.100.7"
    assert Caller("", False, "").quota_subject == "ip#unknown"


def test_http_caller_without_a_source_ip_or_request_context() -> None:
    assert http_caller({}, auth_enabled=False) == Caller("", False, "")
    assert http_caller({"requestContext": {"http": None}}, auth_enabled=False) == Caller("", False, "")
    claims = {"authorizer": {"jwt": {"claims": {"sub": "carol"}}}, "http": {"sourceIp": "192.0.2.1"}}
    assert http_caller({"requestContext": claims}, auth_enabled=True) == Caller("carol", True, "192.0.2.1")
    for context in (
        {},
        {"authorizer": None},
        {"authorizer": {"jwt": None}},
        {"authorizer": {"jwt": {"claims": {"sub": 5}}}},
        {"authorizer": {"jwt": {"claims": {"sub": ""}}}},
    ):
        with pytest.raises(Unauthenticated):
            http_caller({"requestContext": context}, auth_enabled=True)
