"""The parts of a SAM template that the local runtime acts on, with Globals applied the way SAM applies them.

Parameters and Conditions are evaluated at load time (they never depend on resources), so resources whose
`Condition` is false disappear here exactly as they would from a deployed stack. Values that depend on
resources (environment variables, queue ARNs...) stay raw and are resolved once the resources exist.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from local.cfn_yaml import load_yaml
from local.intrinsics import NO_VALUE, IntrinsicError, Resolver, StackInfo

log = logging.getLogger("local.template")

SERVERLESS_FUNCTION = "AWS::Serverless::Function"
SERVERLESS_LAYER = "AWS::Serverless::LayerVersion"
IMPLICIT_HTTP_API = (
    "ServerlessHttpApi"  # the logical id SAM gives the API it creates for events without ApiId
)
DEFAULT_ROUTE = "$default"


class TemplateError(ValueError):
    """The template cannot be run locally as written."""


@dataclass(frozen=True)
class HttpRoute:
    function_id: str
    method: str  # upper case; "ANY" matches every method
    path: str  # "/api/v1/resumes/{unique_key}" or "$default"
    api_id: str = IMPLICIT_HTTP_API
    payload_format_version: str = "2.0"

    @property
    def route_key(self) -> str:
        return DEFAULT_ROUTE if self.path == DEFAULT_ROUTE else f"{self.method} {self.path}"


@dataclass(frozen=True)
class SqsTrigger:
    function_id: str
    event_name: str
    queue: Any  # raw expression, usually {"Fn::GetAtt": [Queue, "Arn"]}
    batch_size: int = 10
    maximum_batching_window_seconds: int = 0
    report_batch_item_failures: bool = False
    enabled: bool = True


@dataclass(frozen=True)
class WebSocketAuthorizer:
    """An AWS::ApiGatewayV2::Authorizer of a WebSocket API: a Lambda REQUEST authorizer (the only kind a
    WebSocket API has), the function it invokes and where the caller's identity must be."""

    logical_id: str
    function_id: str
    identity_sources: tuple[str, ...] = ()  # "route.request.querystring.token", "route.request.header.X"


@dataclass(frozen=True)
class WebSocketRoute:
    api_id: str
    route_key: str  # "$connect", "$disconnect", "$default" or an action such as "subscribe"
    function_id: str
    authorization_type: str = "NONE"  # NONE, CUSTOM (a Lambda authorizer) or AWS_IAM
    authorizer: WebSocketAuthorizer | None = None


@dataclass
class FunctionSpec:
    logical_id: str
    code_dir: Path
    handler: str
    layer_dirs: list[Path]
    timeout: int
    memory_size: int
    runtime: str
    environment: dict[str, Any]  # raw (unresolved) Environment.Variables, Globals merged in
    function_name: Any = None  # raw FunctionName property, if the template sets one
    http_routes: list[HttpRoute] = field(default_factory=list)
    sqs_triggers: list[SqsTrigger] = field(default_factory=list)

    @property
    def module_path(self) -> Path:
        """`app.lambda_handler` -> code_dir/app.py; `pkg.mod.handler` -> code_dir/pkg/mod.py."""
        module, _, _ = self.handler.rpartition(".")
        return self.code_dir / (module.replace(".", "/") + ".py")

    @property
    def handler_attribute(self) -> str:
        return self.handler.rpartition(".")[2]


@dataclass
class Template:
    path: Path
    stack: StackInfo
    parameters: dict[str, Any]
    conditions: dict[str, Any]
    mappings: dict[str, Any]
    resources: dict[str, dict[str, Any]]  # only resources whose Condition holds
    functions: dict[str, FunctionSpec]
    http_apis: dict[str, dict[str, Any]]  # logical id -> properties (Globals.HttpApi merged)
    websocket_routes: list[WebSocketRoute]

    def new_resolver(self) -> Resolver:
        return Resolver(self.stack, self.parameters, self.conditions, self.mappings)

    @property
    def http_routes(self) -> list[HttpRoute]:
        return [route for function in self.functions.values() for route in function.http_routes]

    @property
    def sqs_triggers(self) -> list[SqsTrigger]:
        return [trigger for function in self.functions.values() for trigger in function.sqs_triggers]

    def resources_of_type(self, *types: str) -> dict[str, dict[str, Any]]:
        return {key: value for key, value in self.resources.items() if value.get("Type") in types}

    @property
    def websocket_apis(self) -> dict[str, dict[str, Any]]:
        """WebSocket APIs (ApiGatewayV2 with ProtocolType WEBSOCKET): logical id -> raw Properties."""
        return {
            key: value.get("Properties") or {}
            for key, value in self.resources.items()
            if _is_websocket_api(value)
        }

    def stage_names(self, api_logical_id: str) -> list[Any]:
        """Raw StageName expressions of the AWS::ApiGatewayV2::Stage resources of one API."""
        return [
            (value.get("Properties") or {}).get("StageName")
            for value in self.resources_of_type("AWS::ApiGatewayV2::Stage").values()
            if api_logical_id in referenced_ids((value.get("Properties") or {}).get("ApiId"))
        ]


# --- parameters ---------------------------------------------------------------------------------------
def resolve_parameters(definitions: Mapping[str, Any], overrides: Mapping[str, str]) -> dict[str, Any]:
    unknown = set(overrides) - set(definitions)
    if unknown:
        raise TemplateError(f"parameter overrides for undeclared parameters: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for name, definition in definitions.items():
        definition = definition or {}
        if name in overrides:
            raw: Any = overrides[name]
        elif "Default" in definition:
            raw = definition["Default"]
        else:
            raise TemplateError(f"parameter {name} has no Default; pass it with --parameter-overrides")
        kind = str(definition.get("Type", "String"))
        if kind == "CommaDelimitedList" or kind.startswith("List<"):
            value: Any = raw if isinstance(raw, list) else [item.strip() for item in str(raw).split(",")]
        else:
            value = str(raw) if not isinstance(raw, bool) else ("true" if raw else "false")
        if kind == "Number":
            _check_number(name, value, definition)
        allowed = definition.get("AllowedValues")
        if allowed is not None and isinstance(value, str) and value not in [str(a) for a in allowed]:
            raise TemplateError(f"parameter {name}={value!r} is not one of {allowed}")
        pattern = definition.get("AllowedPattern")
        if pattern is not None and isinstance(value, str) and not re.fullmatch(str(pattern), value):
            raise TemplateError(f"parameter {name}={value!r} does not match AllowedPattern {pattern}")
        values[name] = value
    return values


def _check_number(name: str, value: str, definition: Mapping[str, Any]) -> None:
    """CloudFormation refuses a Number parameter that is not a number or is outside MinValue..MaxValue."""
    try:
        number = float(value)
    except ValueError:
        raise TemplateError(f"parameter {name}={value!r} is not a number") from None
    low, high = definition.get("MinValue"), definition.get("MaxValue")
    if (low is not None and number < float(low)) or (high is not None and number > float(high)):
        raise TemplateError(f"parameter {name}={value!r} is outside {low}..{high}")


# --- helpers ------------------------------------------------------------------------------------------
def _merge_globals(global_props: Mapping[str, Any], own: Mapping[str, Any]) -> dict[str, Any]:
    """SAM's rule: maps merge (the resource wins), lists append (Globals first), scalars are overridden."""
    merged: dict[str, Any] = dict(global_props)
    for key, value in own.items():
        current = merged.get(key)
        if isinstance(current, dict) and isinstance(value, dict) and not _is_intrinsic(value):
            merged[key] = _merge_globals(current, value)
        elif isinstance(current, list) and isinstance(value, list):
            merged[key] = [*current, *value]
        else:
            merged[key] = value
    return merged


def _is_intrinsic(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)).startswith(("Ref", "Fn::"))


_SUB_NAME = re.compile(r"\$\{([A-Za-z0-9_:]+)(?:\.[A-Za-z0-9_.]+)?\}")


def referenced_ids(expression: Any) -> set[str]:
    """Logical ids and parameter names an expression refers to through Ref, GetAtt or Sub."""
    found: set[str] = set()
    if isinstance(expression, list):
        for item in expression:
            found |= referenced_ids(item)
    elif isinstance(expression, dict):
        for key, value in expression.items():
            if key == "Ref" and isinstance(value, str):
                found.add(value)
            elif key == "Fn::GetAtt" and isinstance(value, list) and value and isinstance(value[0], str):
                found.add(value[0])
            elif key == "Fn::Sub":
                text = value[0] if isinstance(value, list) else value
                if isinstance(text, str):
                    found |= set(_SUB_NAME.findall(text))
                if isinstance(value, list) and len(value) > 1:
                    found |= referenced_ids(value[1])
            else:
                found |= referenced_ids(value)
    return {name for name in found if not name.startswith("AWS::")}


def _as_bool(value: Any, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, str):
        return value.lower() == "true"
    return bool(value)


# --- functions ----------------------------------------------------------------------------------------
def _layer_dirs(layers: Iterable[Any], resources: Mapping[str, Any], base: Path, owner: str) -> list[Path]:
    dirs: list[Path] = []
    for layer in layers:
        names = referenced_ids(layer)
        layer_ids = [name for name in names if resources.get(name, {}).get("Type") == SERVERLESS_LAYER]
        if not layer_ids:
            log.warning("%s: layer %r is not a local AWS::Serverless::LayerVersion; skipped", owner, layer)
            continue
        for layer_id in layer_ids:
            content = resources[layer_id].get("Properties", {}).get("ContentUri")
            if not isinstance(content, str):
                raise TemplateError(f"layer {layer_id}: ContentUri must be a local directory to run locally")
            directory = (base / content).resolve()
            if directory not in dirs:  # Globals and the function may both list a layer
                dirs.append(directory)
    return dirs


def _http_route(function_id: str, properties: Mapping[str, Any], resolver: Resolver) -> HttpRoute:
    api = properties.get("ApiId")
    api_ids = referenced_ids(api) if api is not None else set()
    path = resolver.resolve(properties.get("Path"))
    method = str(resolver.resolve(properties.get("Method", "ANY"))).upper()
    if path is None or path == DEFAULT_ROUTE:
        # SAM makes an HttpApi event without Path/Method the API's $default route.
        path, method = DEFAULT_ROUTE, "ANY"
    return HttpRoute(
        function_id=function_id,
        method="ANY" if method == "X-AMAZON-APIGATEWAY-ANY-METHOD" else method,
        path=str(path),
        api_id=next(iter(api_ids)) if api_ids else IMPLICIT_HTTP_API,
        payload_format_version=str(resolver.resolve(properties.get("PayloadFormatVersion", "2.0"))),
    )


def _function_spec(
    logical_id: str,
    properties: Mapping[str, Any],
    resources: Mapping[str, Any],
    base: Path,
    resolver: Resolver,
) -> FunctionSpec:
    # Scalars may be `!Ref SomeParameter`; resources do not exist yet, so only parameters can resolve here.
    scalars = ("CodeUri", "Handler", "Timeout", "MemorySize", "Runtime", "PackageType")
    properties = {**properties, **resolver.resolve({k: properties[k] for k in scalars if k in properties})}
    if properties.get("PackageType") == "Image" or "InlineCode" in properties:
        raise TemplateError(f"{logical_id}: only zip functions with a CodeUri directory run locally")
    code_uri = properties.get("CodeUri", ".")
    if not isinstance(code_uri, str):
        raise TemplateError(f"{logical_id}: CodeUri must be a local directory to run locally")
    handler = properties.get("Handler")
    if not isinstance(handler, str) or "." not in handler:
        raise TemplateError(f"{logical_id}: Handler must look like module.function")
    # Layers may be conditional (`!If [HasLlm, !Ref LlmLayer, !Ref AWS::NoValue]`): evaluate conditions only.
    layers = [_evaluate_conditions(layer, resolver) for layer in properties.get("Layers", [])]
    environment = (properties.get("Environment") or {}).get("Variables") or {}
    spec = FunctionSpec(
        logical_id=logical_id,
        code_dir=(base / code_uri).resolve(),
        handler=handler,
        layer_dirs=_layer_dirs([layer for layer in layers if layer is not None], resources, base, logical_id),
        timeout=int(properties.get("Timeout", 3)),
        memory_size=int(properties.get("MemorySize", 128)),
        runtime=str(properties.get("Runtime", "python3.13")),
        environment=dict(environment),
        function_name=properties.get("FunctionName"),
    )
    for event_name, event in (properties.get("Events") or {}).items():
        kind, event_props = event.get("Type"), event.get("Properties") or {}
        if kind == "HttpApi":
            spec.http_routes.append(_http_route(logical_id, event_props, resolver))
        elif kind == "SQS":
            static = {key: value for key, value in event_props.items() if key != "Queue"}
            props = {**resolver.resolve(static), "Queue": event_props.get("Queue")}
            spec.sqs_triggers.append(
                SqsTrigger(
                    function_id=logical_id,
                    event_name=event_name,
                    queue=props["Queue"],
                    batch_size=int(props.get("BatchSize", 10)),
                    maximum_batching_window_seconds=int(props.get("MaximumBatchingWindowInSeconds", 0)),
                    report_batch_item_failures="ReportBatchItemFailures"
                    in (props.get("FunctionResponseTypes") or []),
                    enabled=_as_bool(props.get("Enabled"), True),
                )
            )
        else:
            log.info("%s: event %s of type %s is not emulated locally", logical_id, event_name, kind)
    return spec


def _evaluate_conditions(expression: Any, resolver: Resolver) -> Any:
    """Resolve only `Fn::If`, so a conditional layer collapses to its `Ref` (or to nothing)."""
    if isinstance(expression, dict) and set(expression) == {"Fn::If"}:
        name, when_true, when_false = expression["Fn::If"]
        chosen = when_true if resolver.condition(name) else when_false
        if chosen == {"Ref": "AWS::NoValue"}:
            return None
        return _evaluate_conditions(chosen, resolver)
    return expression


# --- websocket ----------------------------------------------------------------------------------------
def _is_websocket_api(resource: Mapping[str, Any]) -> bool:
    return (
        resource.get("Type") == "AWS::ApiGatewayV2::Api"
        and str((resource.get("Properties") or {}).get("ProtocolType", "")).upper() == "WEBSOCKET"
    )


def _websocket_routes(resources: Mapping[str, dict[str, Any]], resolver: Resolver) -> list[WebSocketRoute]:
    apis = {key for key, value in resources.items() if _is_websocket_api(value)}
    functions = {key for key, value in resources.items() if value.get("Type") == SERVERLESS_FUNCTION}
    routes: list[WebSocketRoute] = []
    for key, value in resources.items():
        if value.get("Type") != "AWS::ApiGatewayV2::Route":
            continue
        props = value.get("Properties", {})
        api_ids = referenced_ids(props.get("ApiId")) & apis
        if not api_ids:
            continue
        integrations = referenced_ids(props.get("Target"))
        targets: set[str] = set()
        for integration in integrations:
            uri = resources.get(integration, {}).get("Properties", {}).get("IntegrationUri")
            targets |= referenced_ids(uri) & functions
        if len(targets) != 1:
            raise TemplateError(f"WebSocket route {key}: cannot tell which function its Target invokes")
        # AuthorizationType and AuthorizerId may be conditional (`!If [AuthEnabled, CUSTOM, NONE]`).
        kind = resolver.resolve(props.get("AuthorizationType", "NONE"))
        kind = "NONE" if kind in (None, NO_VALUE) else str(kind).upper()
        authorizer = None
        if kind == "CUSTOM":
            authorizer = _websocket_authorizer(key, props.get("AuthorizerId"), resources, functions, resolver)
        elif kind != "NONE":
            log.warning("WebSocket route %s: AuthorizationType %s is not emulated locally (open)", key, kind)
        routes.append(
            WebSocketRoute(
                next(iter(api_ids)), str(props.get("RouteKey")), next(iter(targets)), kind, authorizer
            )
        )
    return routes


def _websocket_authorizer(
    route_id: str,
    authorizer_id: Any,
    resources: Mapping[str, dict[str, Any]],
    functions: set[str],
    resolver: Resolver,
) -> WebSocketAuthorizer:
    kind = "AWS::ApiGatewayV2::Authorizer"
    names = referenced_ids(_evaluate_conditions(authorizer_id, resolver))
    found = [name for name in names if resources.get(name, {}).get("Type") == kind]
    if len(found) != 1:
        raise TemplateError(f"WebSocket route {route_id}: AuthorizationType CUSTOM needs an AuthorizerId")
    props = resources[found[0]].get("Properties") or {}
    if str(resolver.resolve(props.get("AuthorizerType", "REQUEST"))).upper() != "REQUEST":
        raise TemplateError(f"{found[0]}: a WebSocket API's authorizer must be a Lambda REQUEST authorizer")
    targets = referenced_ids(props.get("AuthorizerUri")) & functions
    if len(targets) != 1:
        raise TemplateError(f"{found[0]}: cannot tell which function its AuthorizerUri invokes")
    sources = resolver.resolve(props.get("IdentitySource") or [])
    sources = [sources] if isinstance(sources, str) else sources
    return WebSocketAuthorizer(found[0], next(iter(targets)), tuple(str(source) for source in sources))


# --- entry point --------------------------------------------------------------------------------------
def declared_parameters(path: str | Path) -> set[str]:
    """The names of the parameters a template declares (read before loading it, to know what to pass)."""
    try:
        raw = load_yaml(Path(path).resolve())
    except (OSError, yaml.YAMLError, ValueError) as error:
        raise TemplateError(f"cannot read {path}: {error}") from error
    return set(raw.get("Parameters") or {})


def load_template(
    path: str | Path,
    parameter_overrides: Mapping[str, str] | None = None,
    stack: StackInfo | None = None,
) -> Template:
    path = Path(path).resolve()
    if not path.is_file():
        raise TemplateError(f"template not found: {path}")
    try:
        raw = load_yaml(path)
    except (yaml.YAMLError, ValueError) as error:
        raise TemplateError(f"cannot read {path}: {error}") from error
    stack = stack or StackInfo()
    parameters = resolve_parameters(raw.get("Parameters") or {}, parameter_overrides or {})
    conditions = raw.get("Conditions") or {}
    mappings = raw.get("Mappings") or {}
    resolver = Resolver(stack, parameters, conditions, mappings)
    try:
        resources = {
            key: value
            for key, value in (raw.get("Resources") or {}).items()
            if "Condition" not in value or resolver.condition(value["Condition"])
        }
    except IntrinsicError as error:
        raise TemplateError(f"{path}: {error}") from error
    globals_ = raw.get("Globals") or {}
    base = path.parent
    functions: dict[str, FunctionSpec] = {}
    http_apis: dict[str, dict[str, Any]] = {}
    for key, value in resources.items():
        kind, props = value.get("Type"), value.get("Properties") or {}
        if kind == SERVERLESS_FUNCTION:
            merged = _merge_globals(globals_.get("Function") or {}, props)
            functions[key] = _function_spec(key, merged, resources, base, resolver)
        elif kind == "AWS::Serverless::HttpApi":
            http_apis[key] = _merge_globals(globals_.get("HttpApi") or {}, props)
    if any(route.api_id == IMPLICIT_HTTP_API for f in functions.values() for route in f.http_routes):
        http_apis.setdefault(IMPLICIT_HTTP_API, dict(globals_.get("HttpApi") or {}))
    return Template(
        path=path,
        stack=stack,
        parameters=parameters,
        conditions=conditions,
        mappings=mappings,
        resources=resources,
        functions=functions,
        http_apis=http_apis,
        websocket_routes=_websocket_routes(resources, resolver),
    )
