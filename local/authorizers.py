"""API Gateway's authorizers without the servers: the HTTP API's JWT authorizer and the WebSocket API's
Lambda REQUEST authorizer, driven by the template. Kept apart from the socket code so each rule can be tested
directly.

HTTP API (JWT). A route is protected when its operation in the HttpApi's `DefinitionBody` (SAM merges the
function events' routes into it) has a non-empty `security` naming a `components.securitySchemes` entry whose
`x-amazon-apigateway-authorizer.type` is `jwt`; an operation without `security` inherits the document's
top-level one. As API Gateway does (http-api-jwt-authorizer.html): the token comes from the identity source,
bare or with a `Bearer ` prefix; it must be RSA-signed by a key of the issuer's JWKS, with the configured
issuer, one of the audiences (`aud`, or `client_id` when there is no `aud`), `exp` in the future and `nbf` in
the past; a route's scopes need one of them in the token's `scope`/`scp`. Refused: 401
`{"message":"Unauthorized"}` with a `www-authenticate: Bearer ...` challenge (the documented format,
http-api-troubleshooting-jwt.html), or 403 for missing scopes. Accepted: the claims reach the integration as
`requestContext.authorizer.jwt.claims`, every value a string (numbers and booleans as text, arrays as
`[a b]`, objects as JSON), and `scopes` (null unless the route asks for scopes). The signature and claim
checks are the project's own verifier (`careercoach.auth.TokenVerifier` by default), the one its WebSocket
authorizer runs in production.

WebSocket API (Lambda REQUEST authorizer on `$connect`). Every identity source must be present and non-empty,
or the handshake is refused with 401 before the authorizer runs. The authorizer gets the `$connect` request
with `type: REQUEST` and `methodArn` (`arn:aws:execute-api:{region}:{account}:{api}/{stage}/$connect`);
raising `Unauthorized` refuses with 401, any other error or a malformed answer with 500, a policy that does
not Allow the method ARN with 403. An Allow puts `{"principalId": ..., **context}` in
`requestContext.authorizer` of the `$connect` event and of every later event of that connection
(apigateway-websocket-api-lambda-auth.html).
"""

from __future__ import annotations

import fnmatch
import json
import logging
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import parse_qsl

from local.apigw import FORBIDDEN, UNAUTHORIZED, GatewayResponse, IncomingRequest
from local.template import HttpRoute, TemplateError

log = logging.getLogger("local.auth")

ANY_METHOD_OPERATION = "x-amazon-apigateway-any-method"
AUTHORIZER_EXTENSION = "x-amazon-apigateway-authorizer"
DEFAULT_IDENTITY_SOURCE = "$request.header.Authorization"


# --- HTTP API: which routes a JWT authorizer protects -------------------------------------------------
@dataclass(frozen=True)
class JwtAuthorizerConfig:
    name: str  # the security scheme's name
    issuer: str
    audiences: tuple[str, ...]
    identity_source: str = DEFAULT_IDENTITY_SOURCE


@dataclass(frozen=True)
class RouteAuthorization:
    authorizer: JwtAuthorizerConfig
    scopes: tuple[str, ...] = ()  # the route's authorization scopes; empty: any valid token


def http_route_authorization(
    api_properties: Mapping[str, Any], routes: Iterable[HttpRoute], resolve: Callable[[Any], Any]
) -> dict[str, RouteAuthorization]:
    """Route key -> its JWT authorizer, for the routes of one HttpApi whose DefinitionBody protects them.
    `resolve` evaluates intrinsics (the runtime's resolver), so `!If [AuthEnabled, ...]` and `!Ref Issuer`
    are whatever the parameters make them."""
    if api_properties.get("Auth"):
        log.warning("HttpApi Auth (SAM authorizers) is not emulated locally; use DefinitionBody security")
    body = api_properties.get("DefinitionBody")
    if not isinstance(body, dict):
        return {}
    components = resolve(body.get("components")) or {}
    schemes = (components.get("securitySchemes") or {}) if isinstance(components, dict) else {}
    top_level = resolve(body.get("security"))
    paths = body.get("paths") or {}
    protected: dict[str, RouteAuthorization] = {}
    for route in routes:
        operation_key = ANY_METHOD_OPERATION if route.method == "ANY" else route.method.lower()
        path = paths.get(route.path) if isinstance(paths, dict) else None
        operation = path.get(operation_key) if isinstance(path, dict) else None
        if isinstance(operation, dict) and "security" in operation:
            security = resolve(operation["security"])
        else:
            security = top_level
        authorization = _route_authorization(route, security, schemes)
        if authorization is not None:
            protected[route.route_key] = authorization
    return protected


def _route_authorization(
    route: HttpRoute, security: Any, schemes: Mapping[str, Any]
) -> RouteAuthorization | None:
    if not security:
        return None  # absent or `[]`: the route is public
    if not isinstance(security, list) or not all(isinstance(item, dict) for item in security):
        raise TemplateError(f"route {route.route_key}: security must be a list of requirement objects")
    requirement = next((item for item in security if item), None)
    if requirement is None:
        return None  # `[{}]`: OpenAPI's "no authentication" alternative
    if len(security) > 1 or len(requirement) > 1:
        log.warning("route %s: API Gateway uses one authorizer per route; using the first", route.route_key)
    name, scopes = next(iter(requirement.items()))
    scheme = schemes.get(name)
    if not isinstance(scheme, dict):
        raise TemplateError(
            f"route {route.route_key}: security names {name!r}, which components.securitySchemes lacks"
        )
    extension = scheme.get(AUTHORIZER_EXTENSION) or {}
    if str(extension.get("type", "")).lower() != "jwt":
        log.warning(
            "route %s: authorizer %s (%s) is not emulated locally; the route is open",
            route.route_key,
            name,
            extension.get("type") or scheme.get("type"),
        )
        return None
    configuration = extension.get("jwtConfiguration") or {}
    issuer = str(configuration.get("issuer") or "")
    audience = configuration.get("audience") or []
    audiences = tuple(str(a) for a in ([audience] if isinstance(audience, str) else audience) if str(a))
    if not issuer or not audiences:
        raise TemplateError(f"JWT authorizer {name}: jwtConfiguration needs an issuer and an audience")
    source = str(extension.get("identitySource") or DEFAULT_IDENTITY_SOURCE).split(",")[0].strip()
    if not source.startswith(("$request.header.", "$request.querystring.")):
        raise TemplateError(f"JWT authorizer {name}: identity source {source!r} must be a header or query")
    config = JwtAuthorizerConfig(name, issuer, audiences, source)
    return RouteAuthorization(config, tuple(str(scope) for scope in scopes or []))


# --- HTTP API: verifying a request --------------------------------------------------------------------
class Verifier(Protocol):
    """Verifies one token: returns its claims, or raises (an exception with a `reason` when it is the
    token's fault; anything else is logged as a verifier failure)."""

    def verify(self, token: str) -> dict[str, Any]: ...


VerifierFactory = Callable[[str, tuple[str, ...]], Verifier]  # (issuer, audiences) -> verifier

# What API Gateway writes in the challenge; only the audience wording is documented
# (http-api-troubleshooting-jwt.html), the others are local descriptions in the same style.
_DESCRIPTIONS = {
    "wrong_audience": "the token does not have a valid audience",
    "expired": "the token has expired",
    "not_yet_valid": "the token is not valid yet",
    "wrong_issuer": "the token does not have a valid issuer",
    "bad_signature": "the token signature is invalid",
    "unknown_key": "the token is signed by an unknown key",
    "unsigned": "signing method none is invalid",
    "unsupported_algorithm": "the token's signing method is not supported",
    "malformed": "the token is malformed",
    "jwks_unavailable": "the issuer's signing keys could not be fetched",
}


class JwtAuthorizer:
    """Checks requests against their route's JWT authorizer; one verifier (and key cache) per issuer and
    audience set, as long as the gateway lives."""

    def __init__(self, routes: Mapping[str, RouteAuthorization], verifier_factory: VerifierFactory) -> None:
        self.routes = dict(routes)
        self._factory = verifier_factory
        self._verifiers: dict[tuple[str, tuple[str, ...]], Verifier] = {}
        self._lock = threading.Lock()

    def verifier(self, config: JwtAuthorizerConfig) -> Verifier:
        key = (config.issuer, config.audiences)
        with self._lock:
            if key not in self._verifiers:
                self._verifiers[key] = self._factory(config.issuer, config.audiences)
            return self._verifiers[key]

    def authorize(
        self, route: HttpRoute, request: IncomingRequest
    ) -> GatewayResponse | dict[str, Any] | None:
        """None for a public route; the `requestContext.authorizer` value for an authorized request; the
        gateway's own answer (401/403) otherwise."""
        authorization = self.routes.get(route.route_key)
        if authorization is None:
            return None
        config = authorization.authorizer
        token = identity_token(request, config.identity_source)
        if token is None:
            log.info("%s: no token in %s", route.route_key, config.identity_source)
            return unauthorized("Bearer")
        try:
            claims = self.verifier(config).verify(token)
        except Exception as error:
            reason = getattr(error, "reason", None)
            if not isinstance(reason, str):
                log.exception("%s: the token verifier failed", route.route_key)
                reason = "invalid"
            level = logging.WARNING if reason == "jwks_unavailable" else logging.INFO
            log.log(level, "%s: token refused (%s, issuer %s)", route.route_key, reason, config.issuer)
            description = _DESCRIPTIONS.get(reason, "the token is invalid")
            return unauthorized(f'Bearer scope="" error="invalid_token" error_description="{description}"')
        token_scopes = scopes_of(claims)
        if authorization.scopes and not set(authorization.scopes) & set(token_scopes):
            log.info("%s: token lacks every scope of %s", route.route_key, list(authorization.scopes))
            wanted = " ".join(authorization.scopes)
            response = GatewayResponse.json(*FORBIDDEN)
            challenge = f'Bearer scope="{wanted}" error="insufficient_scope"'
            response.headers.append(("www-authenticate", challenge))
            return response
        return {
            "jwt": {
                "claims": event_claims(claims),
                "scopes": list(token_scopes) if authorization.scopes else None,
            }
        }


def unauthorized(challenge: str) -> GatewayResponse:
    response = GatewayResponse.json(*UNAUTHORIZED)
    response.headers.append(("www-authenticate", challenge))
    return response


def identity_token(request: IncomingRequest, identity_source: str) -> str | None:
    """The token at `$request.header.<name>` or `$request.querystring.<name>`, without a `Bearer ` prefix."""
    kind, _, name = identity_source.removeprefix("$request.").partition(".")
    if kind == "header":
        value = request.header(name)
    elif kind == "querystring":
        values = [v for k, v in parse_qsl(request.raw_query, keep_blank_values=True) if k == name]
        value = ",".join(values) if values else None
    else:
        raise TemplateError(f"identity source {identity_source!r} is not supported for a JWT authorizer")
    if value is None:
        return None
    value = value.strip()
    scheme, _, rest = value.partition(" ")
    if scheme.lower() == "bearer":
        value = rest.strip()
    return value or None


def scopes_of(claims: Mapping[str, Any]) -> tuple[str, ...]:
    """The token's scopes: `scp` (a list or a space-separated string), else `scope` (space-separated)."""
    for name in ("scp", "scope"):
        value = claims.get(name)
        if isinstance(value, list):
            return tuple(str(item) for item in value)
        if isinstance(value, str):
            return tuple(value.split())
    return ()


def event_claims(claims: Mapping[str, Any]) -> dict[str, str]:
    """Claims as payload 2.0 carries them: strings; null claims left out."""
    return {name: claim_text(value) for name, value in claims.items() if value is not None}


def claim_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list):
        return "[" + " ".join(claim_text(item) for item in value if item is not None) + "]"
    return json.dumps(value, separators=(",", ":"))


# --- WebSocket API: the $connect REQUEST authorizer ---------------------------------------------------
class AuthorizerDenied(Exception):
    """The authorizer refused the connection; `status` is what the handshake answers (401, 403 or 500)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def connect_method_arn(partition: str, region: str, account_id: str, api_id: str, stage: str) -> str:
    return f"arn:{partition}:execute-api:{region}:{account_id}:{api_id}/{stage}/$connect"


def missing_identity(
    identity_sources: Sequence[str], headers: Sequence[tuple[str, str]], raw_query: str
) -> str | None:
    """The first identity source the request lacks (absent or empty), or None when all are there."""
    query = parse_qsl(raw_query, keep_blank_values=True)
    for source in identity_sources:
        kind, _, name = source.removeprefix("route.request.").partition(".")
        if kind == "header":
            values = [v for k, v in headers if k.lower() == name.lower()]
        elif kind == "querystring":
            values = [v for k, v in query if k == name]
        else:
            log.warning("identity source %s is not checked locally", source)
            continue
        if not any(value.strip() for value in values):
            return source
    return None


def request_authorizer_event(
    connect_event: Mapping[str, Any], method_arn: str, handshake_headers: Sequence[tuple[str, str]] = ()
) -> dict[str, Any]:
    """What a WebSocket API sends its REQUEST authorizer: the $connect request, typed, with the method ARN.
    Its headers also keep the handshake's Connection/Upgrade, which the $connect event itself does not."""
    event: dict[str, Any] = {"type": "REQUEST", "methodArn": method_arn}
    extra = [(k, v) for k, v in handshake_headers if k.lower() in ("connection", "upgrade")]
    headers = {**dict(extra), **(connect_event.get("headers") or {})}
    multi: dict[str, list[str]] = {}
    for name, value in extra:
        multi.setdefault(name, []).append(value)
    event["headers"] = headers
    event["multiValueHeaders"] = {
        **multi,
        **json.loads(json.dumps(connect_event.get("multiValueHeaders") or {})),
    }
    for key in ("queryStringParameters", "multiValueQueryStringParameters"):
        if key in connect_event:
            event[key] = json.loads(json.dumps(connect_event[key]))
    event["stageVariables"] = {}
    event["requestContext"] = dict(connect_event["requestContext"])
    return event


def authorizer_context(result: Any, method_arn: str) -> dict[str, Any]:
    """The `requestContext.authorizer` of the connection's events, from the authorizer's answer; raises
    AuthorizerDenied unless its policy allows invoking `method_arn`."""
    if not isinstance(result, dict) or "principalId" not in result or "policyDocument" not in result:
        raise AuthorizerDenied(500, "the authorizer's answer has no principalId or policyDocument")
    statements = (result.get("policyDocument") or {}).get("Statement")
    statements = [statements] if isinstance(statements, dict) else statements
    if not isinstance(statements, list):
        raise AuthorizerDenied(500, "the authorizer's policyDocument has no Statement")
    allowed = False
    for statement in statements:
        if not isinstance(statement, dict) or not _statement_matches(statement, method_arn):
            continue
        effect = str(statement.get("Effect", "")).lower()
        if effect == "deny":
            raise AuthorizerDenied(403, "the policy denies the connection")
        allowed = allowed or effect == "allow"
    if not allowed:
        raise AuthorizerDenied(403, f"the policy does not allow {method_arn}")
    context = result.get("context") or {}
    if not isinstance(context, dict):
        raise AuthorizerDenied(500, "the authorizer's context is not an object")
    values: dict[str, Any] = {"principalId": str(result["principalId"])}
    for key, value in context.items():
        if value is None:
            continue
        if not isinstance(value, str | int | float | bool):
            raise AuthorizerDenied(500, f"context value {key!r} is not a string, number or boolean")
        values[str(key)] = claim_text(value)
    return values


def _statement_matches(statement: Mapping[str, Any], method_arn: str) -> bool:
    actions = _as_list(statement.get("Action"))
    resources = _as_list(statement.get("Resource"))
    action_ok = any(fnmatch.fnmatchcase("execute-api:Invoke", str(action)) for action in actions)
    return action_ok and any(_arn_matches(str(pattern), method_arn) for pattern in resources)


def _arn_matches(pattern: str, arn: str) -> bool:
    """IAM wildcards: `*` any run of characters, `?` one; nothing else is special."""
    translated = pattern.replace("[", "[[]")
    return fnmatch.fnmatchcase(arn, translated)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def is_unauthorized_error(error: BaseException) -> bool:
    """Lambda reports a raised exception by its message; `Unauthorized` is the one API Gateway maps to 401."""
    return str(error) == "Unauthorized"
