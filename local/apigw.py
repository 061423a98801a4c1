"""API Gateway HTTP API semantics without the server: route selection, payload v2.0 events, response mapping
and CORS. Kept apart from the socket code so each rule can be tested directly.
"""

from __future__ import annotations

import base64
import fnmatch
import json
import secrets
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote

from local.template import DEFAULT_ROUTE, HttpRoute, TemplateError

MAX_REQUEST_BYTES = 10 * 1024 * 1024  # HTTP API's payload limit
NOT_FOUND = (404, {"message": "Not Found"})
UNAUTHORIZED = (401, {"message": "Unauthorized"})
FORBIDDEN = (403, {"message": "Forbidden"})
INTERNAL_ERROR = (500, {"message": "Internal Server Error"})
TOO_LARGE = (413, {"message": "Request Entity Too Large"})

_LITERAL, _PARAM, _GREEDY = 0, 1, 2

# Connection-level headers end at the gateway: API Gateway passes none of them to an integration (a WebSocket
# $connect event carries Sec-WebSocket-*, Host and X-Forwarded-*, but not Connection or Upgrade).
HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"}
)


# --- routing ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _CompiledRoute:
    route: HttpRoute
    segments: tuple[str, ...]
    kinds: tuple[int, ...]

    @classmethod
    def of(cls, route: HttpRoute) -> _CompiledRoute:
        segments = tuple(route.path.lstrip("/").split("/"))
        kinds = []
        for index, segment in enumerate(segments):
            if segment.startswith("{") and segment.endswith("+}"):
                if index != len(segments) - 1:
                    raise TemplateError(f"{route.route_key}: a greedy path variable must be the last segment")
                kinds.append(_GREEDY)
            elif segment.startswith("{") and segment.endswith("}"):
                kinds.append(_PARAM)
            else:
                kinds.append(_LITERAL)
        return cls(route, segments, tuple(kinds))

    def precedence(self) -> tuple[bool, tuple[int, ...], bool]:
        # Most specific first: no greedy variable, literal segments before variables (left to right),
        # then an exact method before ANY.
        return (_GREEDY in self.kinds, self.kinds, self.route.method == "ANY")

    def match(self, method: str, parts: Sequence[str]) -> dict[str, str] | None:
        # A trailing slash is one more, empty, segment: `/a/b/` does not match the route `/a/b` (an HTTP API
        # answers it 404 when nothing else matches: Powertools' end-to-end test against a real HTTP API,
        # tests/e2e/event_handler/test_paths_ending_with_slash.py in aws-powertools/powertools-lambda-python),
        # and neither an empty variable nor an empty greedy variable matches one, so such a request falls
        # through to a `{proxy+}` route with something left to match, or to `$default`.
        if self.route.method not in ("ANY", method):
            return None
        params: dict[str, str] = {}
        for index, (segment, kind) in enumerate(zip(self.segments, self.kinds, strict=True)):
            if kind == _GREEDY:
                rest = parts[index:]
                if not rest or not "/".join(rest):
                    return None
                params[segment[1:-2]] = unquote("/".join(rest))
                return params
            if index >= len(parts):
                return None
            if kind == _PARAM:
                if not parts[index]:
                    return None
                params[segment[1:-1]] = unquote(parts[index])
            elif unquote(parts[index]) != segment:
                return None
        return params if len(parts) == len(self.segments) else None


class RouteTable:
    def __init__(self, routes: Iterable[HttpRoute]) -> None:
        compiled: list[_CompiledRoute] = []
        self.default: HttpRoute | None = None
        seen: dict[str, HttpRoute] = {}
        for route in routes:
            if route.route_key in seen:
                raise TemplateError(
                    f"route {route.route_key} is declared by both {seen[route.route_key].function_id} "
                    f"and {route.function_id}"
                )
            seen[route.route_key] = route
            if route.path == DEFAULT_ROUTE:
                self.default = route
            else:
                compiled.append(_CompiledRoute.of(route))
        self._routes = sorted(compiled, key=_CompiledRoute.precedence)

    def match(self, method: str, raw_path: str) -> tuple[HttpRoute, dict[str, str]] | None:
        parts = raw_path.lstrip("/").split("/")
        for candidate in self._routes:
            params = candidate.match(method, parts)
            if params is not None:
                return candidate.route, params
        if self.default is not None:
            return self.default, {}
        return None


# --- events -------------------------------------------------------------------------------------------
_TEXT_TYPES = {
    "application/json",
    "application/xml",
    "application/javascript",
    "application/x-www-form-urlencoded",
    "application/graphql",
    "application/yaml",
    "application/x-yaml",
}


def is_text_content_type(content_type: str | None) -> bool:
    if not content_type:
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    return media.startswith("text/") or media in _TEXT_TYPES or media.endswith(("+json", "+xml"))


def new_request_id() -> str:
    """API Gateway HTTP API request ids look like `JKJaXmPLvHcESHA=`: 16 base64 characters."""
    return base64.b64encode(secrets.token_bytes(11)).decode()


@dataclass
class IncomingRequest:
    method: str
    raw_path: str
    raw_query: str
    headers: list[tuple[str, str]]  # as received, in order, repeats kept
    body: bytes
    source_ip: str
    protocol: str = "HTTP/1.1"
    request_id: str = field(default_factory=new_request_id)
    time_epoch_ms: int = field(default_factory=lambda: int(time.time() * 1000))

    def header(self, name: str) -> str | None:
        values = [value for key, value in self.headers if key.lower() == name.lower()]
        return ",".join(values) if values else None


def build_event(
    request: IncomingRequest,
    route: HttpRoute,
    path_parameters: Mapping[str, str],
    api_id: str,
    account_id: str,
    local_port: int,
    authorizer: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The payload 2.0 event; `authorizer` is what a route's authorizer verified (`{"jwt": {...}}`)."""
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in request.headers:
        key = name.lower()
        if key == "cookie":  # v2.0 moves cookies out of the headers into their own list
            cookies.extend(part.strip() for part in value.split(";") if part.strip())
            continue
        headers[key] = f"{headers[key]},{value}" if key in headers else value
    # Headers API Gateway adds on the way to the integration.
    headers.setdefault("x-forwarded-for", request.source_ip)
    headers.setdefault("x-forwarded-port", str(local_port))
    headers.setdefault("x-forwarded-proto", "http")
    headers.setdefault("x-amzn-trace-id", f"Root=1-{int(time.time()):08x}-{secrets.token_hex(12)}")

    host = headers.get("host", f"127.0.0.1:{local_port}")
    domain_name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    epoch_seconds = request.time_epoch_ms / 1000
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route.route_key,
        "rawPath": request.raw_path,
        "rawQueryString": request.raw_query,
    }
    if cookies:
        event["cookies"] = cookies
    event["headers"] = headers
    query: dict[str, str] = {}
    for key, value in parse_qsl(request.raw_query, keep_blank_values=True):
        query[key] = f"{query[key]},{value}" if key in query else value
    if query:
        event["queryStringParameters"] = query
    event["requestContext"] = {
        "accountId": account_id,
        "apiId": api_id,
        **({"authorizer": dict(authorizer)} if authorizer is not None else {}),
        "domainName": domain_name,
        "domainPrefix": domain_name.split(".", 1)[0],
        "http": {
            "method": request.method,
            "path": request.raw_path,
            "protocol": request.protocol,
            "sourceIp": request.source_ip,
            "userAgent": headers.get("user-agent", ""),
        },
        "requestId": request.request_id,
        "routeKey": route.route_key,
        "stage": "$default",
        "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(epoch_seconds)),
        "timeEpoch": request.time_epoch_ms,
    }
    if path_parameters:
        event["pathParameters"] = dict(path_parameters)
    event["isBase64Encoded"] = False
    if request.body:
        content_type = headers.get("content-type")
        text = _decode_text(request.body) if is_text_content_type(content_type) else None
        if text is None:
            event["body"] = base64.b64encode(request.body).decode()
            event["isBase64Encoded"] = True
        else:
            event["body"] = text
    return event


def _decode_text(body: bytes) -> str | None:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


# --- responses ----------------------------------------------------------------------------------------
class InvalidResponseError(ValueError):
    """The handler's result breaks the payload v2.0 response format (API Gateway answers 500)."""


@dataclass
class GatewayResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    @classmethod
    def json(cls, status: int, document: Any) -> GatewayResponse:
        # Compact, as API Gateway writes its own answers (`{"message":"Unauthorized"}`, 26 bytes).
        body = json.dumps(document, separators=(",", ":")).encode()
        return cls(status, [("content-type", "application/json")], body)


def map_response(result: Any) -> GatewayResponse:
    """Turn a handler's return value into an HTTP response, following the payload v2.0 rules."""
    if not (isinstance(result, dict) and "statusCode" in result):
        # No statusCode: API Gateway assumes 200 and returns the JSON-serialised result as the body.
        try:
            body = json.dumps(result)
        except (TypeError, ValueError) as error:
            raise InvalidResponseError(f"result is not JSON serialisable: {error}") from error
        return GatewayResponse(200, [("content-type", "application/json")], body.encode())
    status = result["statusCode"]
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        raise InvalidResponseError(f"statusCode must be an integer HTTP status, got {status!r}")
    headers: list[tuple[str, str]] = []
    for name, value in (result.get("headers") or {}).items():
        headers.append((str(name), _header_value(value)))
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers.extend((str(name), _header_value(value)) for value in values)
    headers.extend(("set-cookie", str(cookie)) for cookie in result.get("cookies") or [])
    raw_body = result.get("body")
    if raw_body is None:
        payload = b""
    elif not isinstance(raw_body, str):
        raise InvalidResponseError(f"body must be a string, got {type(raw_body).__name__}")
    elif result.get("isBase64Encoded"):
        try:
            payload = base64.b64decode(raw_body, validate=True)
        except ValueError as error:
            raise InvalidResponseError("isBase64Encoded is true but body is not valid base64") from error
    else:
        payload = raw_body.encode("utf-8")
    return GatewayResponse(status, headers, payload)


def _header_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --- CORS ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CorsConfig:
    allow_origins: tuple[str, ...] = ()
    allow_methods: tuple[str, ...] = ()
    allow_headers: tuple[str, ...] = ()
    expose_headers: tuple[str, ...] = ()
    max_age: int | None = None
    allow_credentials: bool = False

    @classmethod
    def from_template(cls, config: Any) -> CorsConfig | None:
        """`CorsConfiguration` of an HttpApi after intrinsic resolution (`true` means allow any origin)."""
        if config is None or config is False:
            return None
        if config is True:
            return cls(allow_origins=("*",), allow_methods=("*",), allow_headers=("*",))

        def items(key: str) -> tuple[str, ...]:
            value = config.get(key) or []
            return tuple(str(v) for v in (value.split(",") if isinstance(value, str) else value))

        max_age = config.get("MaxAge")
        return cls(
            allow_origins=items("AllowOrigins"),
            allow_methods=tuple(m.upper() for m in items("AllowMethods")),
            allow_headers=items("AllowHeaders"),
            expose_headers=items("ExposeHeaders"),
            max_age=int(max_age) if max_age is not None else None,
            allow_credentials=str(config.get("AllowCredentials", False)).lower() == "true",
        )

    def allowed_origin(self, origin: str | None) -> str | None:
        """The Access-Control-Allow-Origin value for this request's Origin, or None when not allowed."""
        if not origin:
            return None
        for pattern in self.allow_origins:
            if pattern == "*":
                return "*"
            if pattern == origin or ("*" in pattern and fnmatch.fnmatchcase(origin, pattern)):
                return origin
        return None

    def is_preflight(self, request: IncomingRequest) -> bool:
        return (
            request.method == "OPTIONS"
            and request.header("origin") is not None
            and request.header("access-control-request-method") is not None
        )

    def preflight(self, request: IncomingRequest) -> GatewayResponse:
        """API Gateway answers preflight requests itself, without calling any integration."""
        headers: list[tuple[str, str]] = [("vary", "origin")]
        allowed = self.allowed_origin(request.header("origin"))
        if allowed is not None:
            headers.append(("access-control-allow-origin", allowed))
            if self.allow_methods:
                headers.append(("access-control-allow-methods", ",".join(self.allow_methods)))
            if self.allow_headers:
                headers.append(("access-control-allow-headers", ",".join(self.allow_headers)))
            if self.max_age is not None:
                headers.append(("access-control-max-age", str(self.max_age)))
            if self.allow_credentials:
                headers.append(("access-control-allow-credentials", "true"))
        return GatewayResponse(204, headers, b"")

    def decorate(self, request: IncomingRequest, response: GatewayResponse) -> None:
        """With CORS configured, API Gateway replaces the integration's CORS headers with its own."""
        headers = [(k, v) for k, v in response.headers if not k.lower().startswith("access-control-")]
        allowed = self.allowed_origin(request.header("origin"))
        if allowed is not None:
            headers.append(("access-control-allow-origin", allowed))
            if self.allow_credentials:
                headers.append(("access-control-allow-credentials", "true"))
            if self.expose_headers:
                headers.append(("access-control-expose-headers", ",".join(self.expose_headers)))
        if request.header("origin") is not None and not any(k.lower() == "vary" for k, _ in headers):
            headers.append(("vary", "origin"))
        response.headers = headers
