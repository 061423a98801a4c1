"""The authorizer rules on their own: which routes the template protects, how a token is read, verified and
turned into the event's claims, and how a WebSocket authorizer's policy is judged. Tokens come from a real
development issuer on loopback and are checked by the project's own verifier."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from careercoach.auth import TokenVerifier
from local.apigw import GatewayResponse, IncomingRequest
from local.authorizers import (
    AuthorizerDenied,
    JwtAuthorizer,
    JwtAuthorizerConfig,
    RouteAuthorization,
    authorizer_context,
    claim_text,
    connect_method_arn,
    event_claims,
    http_route_authorization,
    identity_token,
    missing_identity,
    request_authorizer_event,
    scopes_of,
)
from local.dev_issuer import DevIssuer
from local.template import HttpRoute, TemplateError, load_template

FIXTURES = Path(__file__).parent / "fixtures"
AUTH_TEMPLATE = FIXTURES / "auth" / "template.yaml"
PROJECT_TEMPLATE = Path(__file__).parents[3] / "template.yaml"
ARN = "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/dev/$connect"


def _request(headers: list[tuple[str, str]] | None = None, query: str = "") -> IncomingRequest:
    return IncomingRequest("GET", "/private/1", query, headers or [], b"", "127.0.0.1")


def _route_authorization(template_path: Path, overrides: dict[str, str]) -> dict[str, RouteAuthorization]:
    template = load_template(template_path, overrides)
    resolver = template.new_resolver()
    protected: dict[str, RouteAuthorization] = {}
    for api_id, properties in template.http_apis.items():
        routes = [route for route in template.http_routes if route.api_id == api_id]
        protected.update(http_route_authorization(properties, routes, resolver.resolve))
    return protected


# --- which routes are protected ---------------------------------------------------------------------------
def test_the_fixture_template_protects_by_inheritance_and_opens_explicitly() -> None:
    protected = _route_authorization(AUTH_TEMPLATE, {"AuthIssuer": "https://idp.test", "AuthAudience": "a,b"})
    assert set(protected) == {"GET /private/{id}", "GET /scoped"}  # /public/{name} has `security: []`
    private = protected["GET /private/{id}"]
    assert private.authorizer == JwtAuthorizerConfig(
        "Jwt", "https://idp.test", ("a", "b"), "$request.header.Authorization"
    )
    assert private.scopes == ()
    assert protected["GET /scoped"].scopes == ("orders/read", "orders/admin")


def test_no_issuer_no_protected_route() -> None:
    assert _route_authorization(AUTH_TEMPLATE, {}) == {}


@pytest.mark.skipif(not PROJECT_TEMPLATE.is_file(), reason="the project has no template.yaml")
def test_the_project_protects_its_data_routes_only() -> None:
    template = load_template(PROJECT_TEMPLATE)
    assert _route_authorization(PROJECT_TEMPLATE, {}) == {}
    protected = _route_authorization(
        PROJECT_TEMPLATE, {"AuthIssuer": "https://idp.test", "AuthAudience": "x"}
    )
    assert "GET /api/v1/resumes/{unique_key}" in protected
    assert "POST /api/v1/interview/async/{unique_key}/questions" in protected
    assert "GET /api/v1/learning/tasks/{task_id}/progress" in protected
    public = {route.route_key for route in template.http_routes} - set(protected)
    assert "GET /api/v1/resumes/health" in public
    assert "GET /api/v1/interview/docs" in public
    assert all(
        key.endswith(("/health", "/docs", "/openapi.json")) or "test" in key or key.startswith("ANY")
        for key in public
        if key != "$default"
    ), public
    assert {authorization.authorizer.audiences for authorization in protected.values()} == {("x",)}


def _body(security: Any, schemes: Any = None, top_level: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"paths": {"/a": {"get": {"security": security}}}}
    if schemes is not None:
        body["components"] = {"securitySchemes": schemes}
    if top_level is not None:
        body["security"] = top_level
    return {"DefinitionBody": body}


JWT_SCHEME = {
    "Jwt": {
        "type": "oauth2",
        "x-amazon-apigateway-authorizer": {
            "type": "jwt",
            "identitySource": "$request.querystring.access_token",
            "jwtConfiguration": {"issuer": "https://idp.test", "audience": "one"},
        },
    }
}
ROUTE = HttpRoute("Fn", "GET", "/a")


def _resolve(value: Any) -> Any:
    return value


def test_definition_body_variants() -> None:
    (only,) = http_route_authorization(_body([{"Jwt": ["s"]}], JWT_SCHEME), [ROUTE], _resolve).values()
    assert only.authorizer.identity_source == "$request.querystring.access_token"
    assert only.authorizer.audiences == ("one",)
    assert only.scopes == ("s",)
    assert http_route_authorization(_body([{}], JWT_SCHEME), [ROUTE], _resolve) == {}
    # An ANY route is the x-amazon-apigateway-any-method operation; a route without one inherits.
    any_route = HttpRoute("Fn", "ANY", "/a")
    inherited = http_route_authorization(_body([], JWT_SCHEME, [{"Jwt": []}]), [any_route], _resolve)
    assert set(inherited) == {"ANY /a"}


def test_definition_body_mistakes() -> None:
    with pytest.raises(TemplateError, match="Missing"):
        http_route_authorization(_body([{"Missing": []}], JWT_SCHEME), [ROUTE], _resolve)
    with pytest.raises(TemplateError, match="issuer and an audience"):
        scheme = {"Jwt": {"x-amazon-apigateway-authorizer": {"type": "jwt", "jwtConfiguration": {}}}}
        http_route_authorization(_body([{"Jwt": []}], scheme), [ROUTE], _resolve)


def test_identity_sources_must_be_a_header_or_query() -> None:
    scheme = json.loads(json.dumps(JWT_SCHEME))
    scheme["Jwt"]["x-amazon-apigateway-authorizer"]["identitySource"] = "$context.identity.sourceIp"
    with pytest.raises(TemplateError, match="header or query"):
        http_route_authorization(_body([{"Jwt": []}], scheme), [ROUTE], _resolve)


def test_other_authorizer_kinds_are_left_open(caplog: pytest.LogCaptureFixture) -> None:
    scheme = {"Lambda": {"type": "apiKey", "x-amazon-apigateway-authorizer": {"type": "request"}}}
    assert http_route_authorization(_body([{"Lambda": []}], scheme), [ROUTE], _resolve) == {}
    assert "not emulated" in caplog.text


# --- reading the token and shaping claims -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Bearer abc.def.ghi", "abc.def.ghi"),
        ("bearer abc.def.ghi", "abc.def.ghi"),
        ("abc.def.ghi", "abc.def.ghi"),
        ("Bearer ", None),
        ("  ", None),
    ],
)
def test_identity_token_from_the_header(value: str, expected: str | None) -> None:
    assert identity_token(_request([("Authorization", value)]), "$request.header.Authorization") == expected


def test_identity_token_absent_or_from_the_query() -> None:
    assert identity_token(_request(), "$request.header.Authorization") is None
    assert identity_token(_request(query="token=t1&x=2"), "$request.querystring.token") == "t1"
    with pytest.raises(TemplateError):
        identity_token(_request(), "$context.whatever")


def test_claims_are_strings_as_api_gateway_passes_them() -> None:
    claims = {
        "sub": "u-1",
        "exp": 1700000000,
        "ratio": 0.5,
        "email_verified": True,
        "cognito:groups": ["admin", "power user"],
        "address": {"country": "KR"},
        "nickname": None,
    }
    assert event_claims(claims) == {
        "sub": "u-1",
        "exp": "1700000000",
        "ratio": "0.5",
        "email_verified": "true",
        "cognito:groups": "[admin power user]",
        "address": '{"country":"KR"}',
    }
    assert claim_text(3.0) == "3"


def test_scopes_come_from_scp_or_scope() -> None:
    assert scopes_of({"scp": ["a", "b"], "scope": "c"}) == ("a", "b")
    assert scopes_of({"scope": "read  write"}) == ("read", "write")
    assert scopes_of({}) == ()


# --- verifying: the project's verifier against a live development issuer ----------------------------------
@pytest.fixture(scope="module")
def issuer() -> Iterator[DevIssuer]:
    with DevIssuer(audience="aud-1") as started:
        yield started


@pytest.fixture
def authorizer(issuer: DevIssuer) -> JwtAuthorizer:
    config = JwtAuthorizerConfig("Jwt", issuer.issuer, ("aud-1", "aud-2"))
    routes = {
        "GET /private/1": RouteAuthorization(config),
        "GET /scoped": RouteAuthorization(config, ("orders/read",)),
    }
    return JwtAuthorizer(routes, lambda iss, audiences: TokenVerifier(iss, audiences))


def _authorize(authorizer: JwtAuthorizer, token: str | None, path: str = "/private/1") -> Any:
    headers = [("Authorization", f"Bearer {token}")] if token is not None else []
    return authorizer.authorize(HttpRoute("Fn", "GET", path), _request(headers))


def _segment(document: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(document).encode()).rstrip(b"=").decode()


def _refused(result: Any) -> str:
    assert isinstance(result, GatewayResponse)
    assert result.status == 401
    assert json.loads(result.body) == {"message": "Unauthorized"}
    (challenge,) = [value for name, value in result.headers if name == "www-authenticate"]
    return challenge


def test_a_valid_token_gives_the_claims(issuer: DevIssuer, authorizer: JwtAuthorizer) -> None:
    result = _authorize(authorizer, issuer.token("alice", groups=["a", "b"], scope="orders/read"))
    assert isinstance(result, dict)
    claims = result["jwt"]["claims"]
    assert claims["sub"] == "alice"
    assert claims["iss"] == issuer.issuer
    assert claims["aud"] == "aud-1"
    assert claims["groups"] == "[a b]"
    assert claims["exp"].isdigit()
    assert result["jwt"]["scopes"] is None  # the route asks for no scope
    other_audience = _authorize(authorizer, issuer.token("bob", audience=["x", "aud-2"]))
    assert isinstance(other_audience, dict)
    assert _authorize(authorizer, issuer.token("carol"), path="/public") is None


def test_a_missing_token(authorizer: JwtAuthorizer) -> None:
    assert _refused(_authorize(authorizer, None)) == "Bearer"


@pytest.mark.parametrize(
    ("make", "description"),
    [
        (lambda issuer: issuer.token("a", expires_in=-60), "the token has expired"),
        (lambda issuer: issuer.token("a", audience="elsewhere"), "the token does not have a valid audience"),
        (
            lambda issuer: issuer.token("a", iss="https://other.test"),
            "the token does not have a valid issuer",
        ),
        (lambda issuer: "not-a-jwt", "the token is malformed"),
    ],
)
def test_refused_tokens_say_why(
    issuer: DevIssuer, authorizer: JwtAuthorizer, make: Any, description: str
) -> None:
    challenge = _refused(_authorize(authorizer, make(issuer)))
    assert challenge == f'Bearer scope="" error="invalid_token" error_description="{description}"'


def test_unsigned_and_foreign_tokens_are_refused(issuer: DevIssuer, authorizer: JwtAuthorizer) -> None:
    claims = jwt.decode(issuer.token("mallory"), options={"verify_signature": False})
    unsigned = f"{_segment({'alg': 'none', 'typ': 'JWT', 'kid': issuer.key_id})}.{_segment(claims)}."
    assert "signing method none" in _refused(_authorize(authorizer, unsigned))
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(claims, other_key, algorithm="RS256", headers={"kid": issuer.key_id})
    assert "signature" in _refused(_authorize(authorizer, forged))
    hmac = jwt.encode(claims, "shared-secret-of-32-bytes-length!", algorithm="HS256")
    _refused(_authorize(authorizer, hmac))


def test_route_scopes(issuer: DevIssuer, authorizer: JwtAuthorizer) -> None:
    denied = _authorize(authorizer, issuer.token("a", scope="orders/write"), path="/scoped")
    assert isinstance(denied, GatewayResponse)
    assert (denied.status, json.loads(denied.body)) == (403, {"message": "Forbidden"})
    allowed = _authorize(authorizer, issuer.token("a", scope="profile orders/read"), path="/scoped")
    assert isinstance(allowed, dict)
    assert allowed["jwt"]["scopes"] == ["profile", "orders/read"]
    assert allowed["jwt"]["claims"]["scope"] == "profile orders/read"


def test_one_verifier_per_issuer_and_audiences(issuer: DevIssuer) -> None:
    made: list[tuple[str, tuple[str, ...]]] = []

    def factory(iss: str, audiences: tuple[str, ...]) -> TokenVerifier:
        made.append((iss, audiences))
        return TokenVerifier(iss, audiences)

    config = JwtAuthorizerConfig("Jwt", issuer.issuer, ("aud-1",))
    routes = {"GET /private/1": RouteAuthorization(config), "GET /scoped": RouteAuthorization(config)}
    authorizer = JwtAuthorizer(routes, factory)
    for path in ("/private/1", "/scoped", "/private/1"):
        assert isinstance(_authorize(authorizer, issuer.token("a"), path=path), dict)
    assert made == [(issuer.issuer, ("aud-1",))]


def test_a_failing_verifier_is_a_401_and_a_logged_error(caplog: pytest.LogCaptureFixture) -> None:
    class Broken:
        def verify(self, token: str) -> dict[str, Any]:
            raise RuntimeError("bug")

    config = JwtAuthorizerConfig("Jwt", "https://idp.test", ("a",))
    authorizer = JwtAuthorizer({"GET /private/1": RouteAuthorization(config)}, lambda *_: Broken())
    _refused(_authorize(authorizer, "x.y.z"))
    assert "the token verifier failed" in caplog.text


# --- WebSocket REQUEST authorizers ------------------------------------------------------------------------
def _policy(effect: str, resource: Any, context: Any = None, action: Any = "execute-api:Invoke") -> Any:
    answer: dict[str, Any] = {
        "principalId": "alice",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": action, "Effect": effect, "Resource": resource}],
        },
    }
    if context is not None:
        answer["context"] = context
    return answer


def test_allow_gives_principal_and_context() -> None:
    context = authorizer_context(_policy("Allow", ARN, {"owner": "alice", "n": 3, "ok": True}), ARN)
    assert context == {"principalId": "alice", "owner": "alice", "n": "3", "ok": "true"}


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/dev/*",
        "arn:aws:execute-api:*:*:abcdef1234/*",
        ["arn:aws:execute-api:us-east-1:123456789012:other/dev/$connect", ARN],
    ],
)
def test_allow_with_wildcards(resource: Any) -> None:
    assert authorizer_context(_policy("Allow", resource), ARN)["principalId"] == "alice"


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        (_policy("Deny", ARN), 403),
        # Powertools' allow_all_routes() on a WebSocket API: stage/*/* does not cover stage/$connect.
        (_policy("Allow", "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/dev/*/*"), 403),
        (_policy("Allow", ARN, action="execute-api:ManageConnections"), 403),
        (
            {
                "principalId": "a",
                "policyDocument": {
                    "Statement": [
                        {"Action": "*", "Effect": "Allow", "Resource": "*"},
                        {"Action": "execute-api:Invoke", "Effect": "Deny", "Resource": ARN},
                    ]
                },
            },
            403,
        ),
        ({"principalId": "a"}, 500),
        ({"policyDocument": {"Statement": []}}, 500),
        ("Allow", 500),
        (_policy("Allow", ARN, {"nested": {"x": 1}}), 500),
    ],
)
def test_refusals(answer: Any, status: int) -> None:
    with pytest.raises(AuthorizerDenied) as denied:
        authorizer_context(answer, ARN)
    assert denied.value.status == status


def test_method_arn_and_identity_sources() -> None:
    assert connect_method_arn("aws", "us-east-1", "123456789012", "abcdef1234", "dev") == ARN
    sources = ["route.request.querystring.token", "route.request.header.X-Key"]
    headers = [("x-key", "k")]
    assert missing_identity(sources, headers, "token=t") is None
    assert missing_identity(sources, headers, "other=1") == "route.request.querystring.token"
    assert missing_identity(sources, headers, "token=") == "route.request.querystring.token"
    assert missing_identity(sources, [], "token=t") == "route.request.header.X-Key"


def test_the_authorizer_event_is_the_connect_request_typed() -> None:
    connect = {
        "headers": {"Host": "127.0.0.1:3001", "Sec-WebSocket-Key": "k"},
        "multiValueHeaders": {"Host": ["127.0.0.1:3001"], "Sec-WebSocket-Key": ["k"]},
        "queryStringParameters": {"token": "t"},
        "multiValueQueryStringParameters": {"token": ["t"]},
        "requestContext": {"routeKey": "$connect", "eventType": "CONNECT", "connectionId": "c="},
        "isBase64Encoded": False,
    }
    handshake = [("Connection", "Upgrade"), ("Upgrade", "websocket"), ("Host", "127.0.0.1:3001")]
    event = request_authorizer_event(connect, ARN, handshake)
    assert list(event) == [
        "type",
        "methodArn",
        "headers",
        "multiValueHeaders",
        "queryStringParameters",
        "multiValueQueryStringParameters",
        "stageVariables",
        "requestContext",
    ]
    assert (event["type"], event["methodArn"], event["stageVariables"]) == ("REQUEST", ARN, {})
    assert event["headers"]["Connection"] == "Upgrade"
    assert event["headers"]["Sec-WebSocket-Key"] == "k"
    assert event["multiValueHeaders"]["Upgrade"] == ["websocket"]
    assert event["queryStringParameters"] == {"token": "t"}
    assert event["requestContext"] == connect["requestContext"]
    assert event["requestContext"] is not connect["requestContext"]
