"""The HTTP side of every API function: the resolver, the guards that run before Powertools reads a request,
the mapping of errors to the common error body, docs, and the Lambda handler with its Powertools decorators.

Composed from Powertools' public surface only: routes come from `Router`s the function includes, errors
from `exception_handler`s, JSON through `json_body_deserializer`; the request guards run before
`resolve()`, on the raw event."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer
from aws_lambda_powertools.event_handler.router import Router
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from careercoach import container
from careercoach.api.body import JsonRejected, JsonTooDeep, parse_json
from careercoach.api.errors import (
    MalformedJson,
    MethodNotAllowed,
    error_body,
    headers_of,
    serialize_json,
    status_of,
)
from careercoach.auth import Caller
from careercoach.errors import (
    AppError,
    BadRequest,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
    validation_details,
)
from careercoach.models.text import documenting_http
from careercoach.observability import logger, metrics, tracer

API_VERSION = "1.0.0"
LambdaHandler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_PARAMETER = re.compile(r"<\w+>")


def _rule_pattern(rule: str) -> re.Pattern[str]:
    parts = _PARAMETER.split(rule)
    return re.compile("[^/]+".join(re.escape(part) for part in parts) + r"/?")


@dataclass(frozen=True)
class RawBody:
    """A route that reads its body itself (a file upload) rather than as JSON: its own size limit, the error
    that states it, and the media types its OpenAPI operation documents."""

    rule: str
    pattern: re.Pattern[str]
    methods: frozenset[str]
    max_bytes: int
    too_large: Callable[[], AppError] | None
    content: Mapping[str, Any] | None
    description: str | None

    def error(self) -> AppError:
        if self.too_large is not None:
            return self.too_large()
        return PayloadTooLarge(f"The request body is larger than {self.max_bytes // 1024} KB.")


class HttpRouter(Router):
    """A Router whose routes may read their body themselves (`raw_body`, as on HttpApp); the app that includes
    it takes the declarations over."""

    def __init__(self) -> None:
        super().__init__()
        self.raw_bodies: list[tuple[tuple[str, ...], dict[str, Any]]] = []

    def raw_body(self, rule: str, *methods: str, **options: Any) -> None:
        """See HttpApp.raw_body."""
        self.raw_bodies.append(((rule, *methods), options))


def _openapi_path(rule: str) -> str:
    """A Powertools rule (`/a/<name>`) as the document writes its path (`/a/{name}`)."""
    return _PARAMETER.sub(lambda m: "{" + m.group()[1:-1] + "}", rule)


def _segments(rule: str) -> tuple[str | None, ...]:
    """A route's path, segment by segment: the literal text, or None for a parameter."""
    return tuple(None if _PARAMETER.fullmatch(part) else part for part in rule.strip("/").split("/"))


def _matches(template: tuple[str | None, ...], path: str) -> bool:
    parts = path.strip("/").split("/")
    return len(parts) == len(template) and all(
        part == literal if literal is not None else part != ""
        for literal, part in zip(template, parts, strict=True)
    )


def _specificity(template: tuple[str | None, ...]) -> tuple[int, ...]:
    """Sorts the most specific first: a literal segment beats a parameter, from the left."""
    return tuple(int(literal is None) for literal in template)


AnyRouter = TypeVar("AnyRouter", bound=Router)

# How the documents name the bearer token API Gateway's JWT authorizer checks (when AuthIssuer is set).
BEARER_SCHEME = "bearerAuth"
_PUBLIC_RULES = "careercoach_public_rules"


def public(router: AnyRouter, *rules: str) -> AnyRouter:
    """Mark routes of `router` that need no token: API Gateway gives them no authorizer (template.yaml lists
    the data routes it guards; a unit test holds the two together). Every other route's operation says, in
    the OpenAPI document of a deployment with authentication on, that it takes a bearer token."""
    setattr(router, _PUBLIC_RULES, {*getattr(router, _PUBLIC_RULES, set()), *rules})
    return router


# What API Gateway's JWT authorizer answers for a missing or refused token, before any function runs:
# `{"message":"Unauthorized"}` with a `www-authenticate` challenge
# (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-jwt.html).
# An HTTP API cannot change that body (gateway responses are a REST API feature): the documents say it.
GATEWAY_401: dict[str, Any] = {
    "description": 'No valid bearer token: API Gateway answers `{"message": "Unauthorized"}` (its own body, '
    "not the common error body) with a `www-authenticate` header saying why",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["message"],
                "properties": {"message": {"type": "string", "example": "Unauthorized"}},
            }
        }
    },
}


def _document_security(schema: Any, public_paths: set[str]) -> None:
    """With authentication on: every operation but those of the public paths takes a bearer token, and
    documents the gateway's 401. Done on the generated document (its paths are written `{name}`), so no
    Powertools internals are touched."""
    from aws_lambda_powertools.event_handler.openapi.models import Response as OpenApiResponse

    for path, item in (schema.paths or {}).items():
        if path in public_paths:
            continue
        for method in ("get", "put", "post", "delete", "patch", "head", "options", "trace"):
            operation = getattr(item, method, None)
            if operation is not None:
                operation.security = [{BEARER_SCHEME: []}]
                operation.responses = {
                    **(operation.responses or {}),
                    401: OpenApiResponse.model_validate(GATEWAY_401),
                }


class HttpApp(APIGatewayHttpResolver):
    """A resolver with validation, the common error body, Swagger UI at {prefix}/docs and the OpenAPI
    document at {prefix}/openapi.json. It remembers which methods each of its paths answers (for 405 and
    `Allow`) and which routes take a body that is not JSON (`raw_bodies`). CORS is answered by API Gateway
    from the template, not here."""

    def __init__(self, *, prefix: str, title: str, description: str) -> None:
        super().__init__(enable_validation=True, serializer=serialize_json, json_body_deserializer=parse_json)
        self.prefix = prefix
        self.title = title
        self.description = description
        self._methods: dict[tuple[str | None, ...], set[str]] = {}
        self._raw_bodies: list[RawBody] = []
        self._public_rules: set[str] = set()

    def route(self, rule: str, method: str | list[str] | tuple[str], *args: Any, **kwargs: Any) -> Any:
        methods = {m.upper() for m in ([method] if isinstance(method, str) else method)}
        self._methods.setdefault(_segments(rule), set()).update(methods)
        return super().route(rule, method, *args, **kwargs)

    def raw_body(
        self,
        rule: str,
        *methods: str,
        max_bytes: int,
        too_large: Callable[[], AppError] | None = None,
        content: Mapping[str, Any] | None = None,
        description: str | None = None,
    ) -> None:
        """Declare that `methods` on `rule` read the body themselves (a file upload): the JSON guards let
        it through untouched, and its size is held to `max_bytes` instead of the JSON body limit (413 with
        `too_large()`, or a generic 413 stating the limit). `content` (media type -> OpenAPI media type
        object) documents the request body in the OpenAPI document, which Powertools cannot derive from a
        route that has no JSON body parameter."""
        self._raw_bodies.append(
            RawBody(
                rule=rule,
                pattern=_rule_pattern(rule),
                methods=frozenset(m.upper() for m in methods),
                max_bytes=max_bytes,
                too_large=too_large,
                content=content,
                description=description,
            )
        )

    def include_router(self, router: Router, prefix: str | None = None) -> None:
        rules: set[str] = getattr(router, _PUBLIC_RULES, set())
        self._public_rules.update(f"{prefix or ''}{rule}" for rule in rules)
        super().include_router(router, prefix)
        for arguments, options in getattr(router, "raw_bodies", ()):
            rule, *methods = arguments
            self.raw_body((prefix or "") + rule, *methods, **options)

    def allowed_methods(self, path: str) -> list[str]:
        """The methods of the resource at `path` (empty when there is none). When several routes match, the
        most specific one is the resource, as OpenAPI matches paths ("concrete (non-templated) paths would be
        matched before their templated counterparts", https://spec.openapis.org/oas/v3.1.0#paths-object):
        `/api/v1/resumes/health` is the health check, not a resume called "health", so it allows GET only."""
        templates = [template for template in self._methods if _matches(template, path)]
        if not templates:
            return []
        return sorted(self._methods[min(templates, key=_specificity)])

    def allow_header(self, path: str) -> str:
        """`Allow` for the resource at `path`: its methods, and OPTIONS, which every resource answers."""
        return ", ".join([*self.allowed_methods(path), "OPTIONS"])

    def takes_raw_body(self, method: str, path: str) -> bool:
        return self.raw_body_of(method, path) is not None

    def raw_body_of(self, method: str, path: str) -> RawBody | None:
        for declared in self._raw_bodies:
            if method in declared.methods and declared.pattern.fullmatch(path):
                return declared
        return None

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """The document, generated from the running configuration (a cold start's first request for it):
        with authentication on, every route but the public ones takes a bearer token; text fields state
        their visible-character pattern (careercoach.models.text.documenting_http); each raw-body route that
        documents its request body has it."""
        from aws_lambda_powertools.event_handler.openapi.models import RequestBody

        from careercoach.auth import auth_enabled

        secured = auth_enabled(container.current().settings)
        if secured:
            kwargs["security_schemes"] = {
                **(kwargs.get("security_schemes") or {}),
                BEARER_SCHEME: HTTPBearer(
                    bearerFormat="JWT",
                    description="An access token of the configured issuer, checked by API Gateway: 401 "
                    "without a valid one",
                ),
            }
        with documenting_http():
            schema = super().get_openapi_schema(*args, **kwargs)
        if secured:
            _document_security(schema, {_openapi_path(rule) for rule in self._public_rules})
        for declared in self._raw_bodies:
            item = (schema.paths or {}).get(_openapi_path(declared.rule))
            if declared.content is None or item is None:
                continue
            body = {"required": True, "content": dict(declared.content)}
            if declared.description:
                body["description"] = declared.description
            for method in declared.methods:
                operation = getattr(item, method.lower(), None)
                if operation is not None:
                    operation.requestBody = RequestBody.model_validate(body)
        return schema

    def request_id(self) -> str | None:
        try:
            return self.current_event.request_context.request_id
        except (AttributeError, KeyError):
            return None

    def error_response(self, error: AppError, headers: dict[str, str] | None = None) -> Response[str]:
        return Response(
            status_code=status_of(error),
            content_type=content_types.APPLICATION_JSON,
            body=error_body(error.error_code, error.message, self.request_id(), error.details),
            headers={**(headers_of(error) or {}), **(headers or {})} or None,
        )


def create_http_app(*, prefix: str, title: str, description: str, routers: Iterable[Router] = ()) -> HttpApp:
    app = HttpApp(prefix=prefix, title=title, description=description)
    app.enable_swagger(path=f"{prefix}/docs", title=title, description=description, version=API_VERSION)

    @app.get(f"{prefix}/openapi.json", include_in_schema=False)
    def openapi_document() -> Response[str]:
        return Response(
            status_code=200,
            content_type=content_types.APPLICATION_JSON,
            body=app.get_openapi_json_schema(title=title, description=description, version=API_VERSION),
        )

    @app.exception_handler(AppError)
    def on_app_error(error: AppError) -> Response[str]:
        if status_of(error) >= 500:
            logger.warning("Request failed", extra={"error_code": error.error_code})
        return app.error_response(error)

    @app.exception_handler(RequestValidationError)
    def on_validation_error(error: RequestValidationError) -> Response[str]:
        errors = list(error.errors())
        if any(item.get("type") == "json_invalid" for item in errors):
            return app.error_response(MalformedJson())
        return app.error_response(ValidationFailed(details=validation_details(errors)))

    @app.exception_handler(RequestUnsupportedContentType)
    def on_unsupported_content_type(_: RequestUnsupportedContentType) -> Response[str]:
        return app.error_response(UnsupportedMediaType())

    @app.exception_handler(NotFoundError)
    def on_not_found(_: NotFoundError) -> Response[str]:
        path = app.current_event.path
        if app.allowed_methods(path):
            return app.error_response(MethodNotAllowed(app.allow_header(path)))
        return app.error_response(NotFound())

    @app.exception_handler(Exception)
    def on_unexpected(error: Exception) -> Response[str]:
        # The type and where it happened are enough to find it; the message may hold request data.
        traceback = error.__traceback__
        while traceback is not None and traceback.tb_next is not None:
            traceback = traceback.tb_next
        where = f"{traceback.tb_frame.f_code.co_filename}:{traceback.tb_lineno}" if traceback else "unknown"
        logger.error("Unhandled error", extra={"error_type": type(error).__name__, "where": where})
        return app.error_response(AppError())

    for router in routers:
        app.include_router(router)
    return app


# ---- guards on the raw event, before Powertools reads it --------------------------------------------------


def body_size(event: dict[str, Any]) -> int:
    """Bytes the client sent, without decoding a base64 body (it may be megabytes)."""
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        return len(body) * 3 // 4 - len(body) % 4 - body[-2:].count("=")
    return len(body.encode("utf-8", "surrogatepass"))


def request_bytes(event: dict[str, Any]) -> bytes:
    """The body as the client sent it, for a route that reads its body itself: API Gateway delivers a binary
    body base64-encoded (`isBase64Encoded`) and a text body as the string itself."""
    body: str = event.get("body") or ""
    if not event.get("isBase64Encoded"):
        # A text body is the UTF-8 the client sent; a lone surrogate (possible in a hand-made event) stays
        # bytes the reader refuses rather than an exception here.
        return body.encode("utf-8", "surrogatepass")
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest("The body is marked base64-encoded but is not valid base64.") from None


def _headers(event: dict[str, Any]) -> dict[str, str]:
    return {str(name).lower(): str(value) for name, value in (event.get("headers") or {}).items()}


def _json_media_type(content_type: str) -> bool:
    """application/json or any application/*+json (e.g. merge-patch+json), in UTF-8 (the default)."""
    media_type, _, parameters = content_type.partition(";")
    media_type = media_type.strip().lower()
    if not (
        media_type == "application/json"
        or (media_type.startswith("application/") and media_type.endswith("+json"))
    ):
        return False
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            return False
    return True


def _decoded_text(event: dict[str, Any]) -> str:
    body: str = event.get("body") or ""
    if not event.get("isBase64Encoded"):
        return body
    try:
        return base64.b64decode(body, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):  # also UnicodeDecodeError
        raise MalformedJson() from None


def check_json_body(event: dict[str, Any]) -> dict[str, Any]:
    """The JSON body guard for routes that take JSON: a body in another media type is 415; one that is not
    UTF-8 JSON within the limits of careercoach.api.body is 400; anything but an object (or null, which
    routes with an optional body accept) is 422 (Powertools would take a list's first element for an
    object). Returns the event to route: a `+json` media type is presented as application/json, which is
    what Powertools reads as JSON."""
    headers = _headers(event)
    content_type = headers.get("content-type", "")
    if content_type.strip() and not _json_media_type(content_type):
        raise UnsupportedMediaType()
    try:
        body = parse_json(_decoded_text(event))
    except JsonTooDeep as exc:
        raise BadRequest(str(exc)) from None
    except JsonRejected as exc:
        raise MalformedJson(str(exc)) from None
    if body is not None and not isinstance(body, dict):
        detail = {"loc": ["body"], "msg": "The body must be a JSON object", "type": "object_type"}
        raise ValidationFailed(details=[detail])
    if content_type.strip() and content_type.split(";", 1)[0].strip().lower() != "application/json":
        # HTTP API (payload 2.0) header names are lower case.
        event = {**event, "headers": {**headers, "content-type": "application/json"}}
    return event


def _without_content_type(event: dict[str, Any]) -> dict[str, Any]:
    """An empty body is no body, whatever type it was labelled with."""
    headers = event.get("headers") or {}
    if "content-type" not in headers:
        return event
    return {**event, "headers": {k: v for k, v in headers.items() if k != "content-type"}}


def without_trailing_slash(event: dict[str, Any]) -> dict[str, Any]:
    """The event with its path's trailing slashes removed, so every route answers `/a/b/` exactly as it
    answers `/a/b` (the original system's clients POST to `/api/v1/resumes/`; a redirect would lose the
    body). Done here, on the event, rather than by registering each route twice: the OpenAPI documents keep
    one path per route. API Gateway does not match `/a/b/` to the route `/a/b` (HTTP APIs cannot even
    declare a route ending in `/`), so such a request reaches the function through its `{proxy+}` fallback
    route or the API's `$default` route; see template.yaml."""
    raw_path = str(event.get("rawPath") or "")
    if len(raw_path) < 2 or not raw_path.endswith("/"):
        return event
    stripped = raw_path.rstrip("/") or "/"
    context = dict(event.get("requestContext") or {})
    http = dict(context.get("http") or {})
    if "path" in http:
        http["path"] = str(http["path"]).rstrip("/") or "/"
        context["http"] = http
    return {**event, "rawPath": stripped, "requestContext": context}


def _options(app: HttpApp, path: str) -> dict[str, Any]:
    """OPTIONS on a resource: 204 with `Allow` (RFC 9110 section 9.3.7). A CORS preflight never gets here: API
    Gateway answers those itself from the template's CorsConfiguration
    (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html)."""
    return {
        "statusCode": 204,
        "headers": {"Allow": app.allow_header(path)},
        "body": "",
        "isBase64Encoded": False,
    }


def resolve(app: HttpApp, event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Refuse what must never reach a route (an oversized or unreadable body, a method the resource does not
    have), answer OPTIONS, then route. A route that reads its body itself (`HttpApp.raw_body`) has its own
    size limit; every other body is JSON within the JSON body limit."""
    event = without_trailing_slash(event)
    try:
        http = (event.get("requestContext") or {}).get("http") or {}
        method = str(http.get("method") or "").upper()
        path = str(event.get("rawPath") or http.get("path") or "")
        allowed = app.allowed_methods(path)
        if allowed and method == "OPTIONS":
            return _options(app, path)
        if allowed and method not in allowed:
            # Before Powertools routes it: PUT /api/v1/resumes/health would otherwise reach the resume route.
            raise MethodNotAllowed(app.allow_header(path))
        raw = app.raw_body_of(method, path)
        if raw is not None:
            if body_size(event) > raw.max_bytes:
                raise raw.error()
        else:
            limit = container.current().settings.max_body_bytes
            if body_size(event) > limit:
                raise PayloadTooLarge(f"The request body is larger than {limit // 1024} KB.")
            if method in _BODY_METHODS:
                event = check_json_body(event) if event.get("body") else _without_content_type(event)
    except AppError as error:
        request_id = (event.get("requestContext") or {}).get("requestId")
        return {
            "statusCode": status_of(error),
            "headers": {"Content-Type": content_types.APPLICATION_JSON, **(headers_of(error) or {})},
            "body": error_body(error.error_code, error.message, request_id, error.details),
            "isBase64Encoded": False,
        }
    return app.resolve(event, context)


def lambda_handler_for(app: HttpApp, *, capture_response: bool = True) -> LambdaHandler:
    """The function's Lambda handler: Powertools' logger (with API Gateway's correlation id), metrics and
    tracer around `resolve`. `capture_response=False` keeps responses (and errors) out of the traces, for
    functions whose responses hold what must never be traced (practice answers): Tracer records the
    handler's response as trace metadata unless told not to
    (https://docs.powertools.aws.dev/lambda/python/latest/core/tracer/, "capture_response")."""

    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
    @metrics.log_metrics
    @tracer.capture_lambda_handler(capture_response=capture_response, capture_error=capture_response)
    def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        return resolve(app, event, context)

    return lambda_handler


def caller(app: HttpApp | Router) -> Any:
    """The caller of the request being served (careercoach.api.caller), with this environment's auth."""
    from careercoach.api.caller import http_caller
    from careercoach.auth import auth_enabled

    return http_caller(app.current_event.raw_event, auth_enabled=auth_enabled(container.current().settings))


def quota_admission(who: Caller) -> Callable[[], Any]:
    """What a generating route hands the domain as `admit`: takes one unit of `who`'s hourly quota when the
    domain decides the request will cost a model call (careercoach.quota)."""
    return lambda: container.current().quota.consume(who.quota_subject)


def health_answer(*, providers: bool) -> dict[str, Any]:
    """A health check's answer after a database round trip (503 database_unavailable when it fails); with
    `providers`, the provider order and each provider's latest outcome in this execution environment."""
    from careercoach.storage import mongo

    mongo.ping(container.current().database)
    answer: dict[str, Any] = {"status": "ok", "database": "ok"}
    if providers:
        from careercoach.generation.providers import provider_order, provider_status

        answer |= {"providers": provider_order(), "provider_status": provider_status()}
    return answer
