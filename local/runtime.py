"""LocalRuntime: the whole local stack (moto, resources, environment, handlers, gateways) behind start/stop.

Start-up order matters and is fixed here:
0. with `auth=True`, start the local development issuer, so that the AuthIssuer/AuthAudience parameters can
   name it (an AuthIssuer given explicitly, a real identity provider, wins and no issuer starts);
1. load the template (parameters, conditions, Globals);
2. start moto and create the tables, queues and topics, registering their names/ARNs/URLs;
3. build the components (gateways, pollers): each may bind a port and register values (an API endpoint)
   that the environment refers to, or set variables outright (`component_environment`);
4. resolve every function's environment, refuse conflicts, apply it to os.environ;
5. start the components. Handlers are imported on their first invocation (the cold start), so they read
   the environment from step 4.
`stop()` undoes all of it in reverse, including os.environ and the imported handler modules.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from local.apigw import CorsConfig
from local.authorizers import (
    JwtAuthorizer,
    RouteAuthorization,
    Verifier,
    VerifierFactory,
    http_route_authorization,
)
from local.aws import MotoServer, ResourceProvisioner, client
from local.dev_issuer import DEV_AUDIENCE, DevIssuer
from local.environment import (
    EnvironmentPatch,
    function_environments,
    local_variables,
    merge_environments,
    mongodb_uri,
    unwanted_variables,
)
from local.http_gateway import HttpGateway
from local.intrinsics import Resolver, StackInfo
from local.loader import FunctionLoader
from local.mongo_store import CLIENT_FACTORY, CLIENT_FACTORY_VARIABLE, DurableStore, activate
from local.shell import ShellSettings, shell_settings
from local.sqs_poller import build_poller
from local.template import HttpRoute, Template, TemplateError, declared_parameters, load_template
from local.websocket_gateway import WebSocketGateway

log = logging.getLogger("local.runtime")


class Component(Protocol):
    """Something the runtime runs alongside the handlers (a gateway, a poller). Built by a factory after
    resources exist (so it can bind a port and register Ref/GetAtt values), started after the environment
    is applied, stopped in reverse order. `stop()` must also work on a component that never started."""

    name: str

    def start(self) -> None: ...

    def stop(self) -> None: ...


ComponentFactory = Callable[["LocalRuntime"], Component | None]


def api_id(stack: StackInfo, logical_id: str) -> str:
    """A stable, API-Gateway-shaped id (10 lowercase alphanumerics) for an API of the local stack."""
    return hashlib.sha256(f"{stack.stack_name}/{logical_id}".encode()).hexdigest()[:10]


def http_gateway_component(runtime: LocalRuntime) -> Component:
    template = runtime.template
    route_apis = [route.api_id for route in template.http_routes]
    served = list(dict.fromkeys(route_apis)) or list(template.http_apis)
    corses = {
        logical_id: CorsConfig.from_template(
            runtime.resolver.resolve(template.http_apis.get(logical_id, {}).get("CorsConfiguration"))
        )
        for logical_id in served
    }
    cors = next((config for config in corses.values() if config is not None), None)
    if len({config for config in corses.values()}) > 1:
        log.warning("several HttpApis with different CORS settings share one local port; using the first")
    protected: dict[str, RouteAuthorization] = {}
    for logical_id in served:
        routes = [route for route in template.http_routes if route.api_id == logical_id]
        properties = template.http_apis.get(logical_id, {})
        protected.update(http_route_authorization(properties, routes, runtime.resolver.resolve))
    if protected:
        issuers = sorted({authorization.authorizer.issuer for authorization in protected.values()})
        log.info("JWT authorizer on %d routes (issuer %s)", len(protected), ", ".join(issuers))
    gateway = HttpGateway(
        template.http_routes,
        invoke=lambda function_id, event, _request_id: runtime.invoke(function_id, event),
        cors=cors,
        port=runtime.http_port,
        api_id=api_id(template.stack, served[0]) if served else "localapi00",
        account_id=template.stack.account_id,
        authorizer=JwtAuthorizer(protected, runtime.token_verifier) if protected else None,
    )
    gateway.bind()
    for logical_id in served:
        runtime.resolver.register(
            logical_id,
            api_id(template.stack, logical_id),
            {"ApiEndpoint": gateway.url, "ApiId": api_id(template.stack, logical_id)},
        )
    runtime.http = gateway
    return gateway


def sqs_poller_component(runtime: LocalRuntime) -> Component | None:
    triggers = runtime.template.sqs_triggers
    if not triggers:
        return None
    region = runtime.template.stack.region
    return build_poller(
        triggers,
        resolve=runtime.resolver.resolve,
        sqs=client("sqs", runtime.endpoint, region),
        invoke=runtime.invoke,
        region=region,
        retry_delay_seconds=runtime.sqs_retry_delay_seconds,
    )


# The two variables through which application code finds the WebSocket API. In AWS the template sets them
# with !Sub (`wss://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${Stage}` and the same with https);
# locally the runtime replaces whatever that resolved to with the gateway's loopback addresses.
WEBSOCKET_URL_VARIABLE = "WEBSOCKET_URL"
WEBSOCKET_MANAGEMENT_VARIABLE = "WEBSOCKET_MANAGEMENT_ENDPOINT"
DEFAULT_WEBSOCKET_STAGE = "local"  # when the template declares no AWS::ApiGatewayV2::Stage for the API


def websocket_gateway_component(runtime: LocalRuntime) -> Component | None:
    template = runtime.template
    apis = template.websocket_apis
    if not apis:
        return None
    routed = list(dict.fromkeys(route.api_id for route in template.websocket_routes))
    served = routed[0] if routed else next(iter(apis))
    if len(routed) > 1:
        log.warning("the template has several WebSocket APIs; only %s is served locally", served)
    resolve = runtime.resolver.resolve
    stages = [str(resolve(name)) for name in template.stage_names(served) if name is not None]
    if len(stages) > 1:
        log.warning("WebSocket API %s has several stages; serving %s", served, stages[0])
    expression = resolve(apis[served].get("RouteSelectionExpression", "$request.body.action"))
    gateway = WebSocketGateway(
        [route for route in template.websocket_routes if route.api_id == served],
        # Not runtime.invoke: that refuses once stop() has begun, and stopping the gateway closes every
        # connection, whose $disconnect must still run (the loader outlives the components).
        invoke=lambda function_id, event: runtime.loader.invoke(function_id, event),
        stage=stages[0] if stages else DEFAULT_WEBSOCKET_STAGE,
        route_selection_expression=str(expression),
        port=runtime.ws_port,
        api_id=api_id(template.stack, served),
        region=template.stack.region,
        account_id=template.stack.account_id,
        partition=template.stack.partition,
    )
    gateway.bind()
    runtime.resolver.register(
        served, gateway.api_id, {"ApiEndpoint": gateway.endpoint, "ApiId": gateway.api_id}
    )
    runtime.component_environment[WEBSOCKET_URL_VARIABLE] = gateway.url
    runtime.component_environment[WEBSOCKET_MANAGEMENT_VARIABLE] = gateway.management_endpoint
    runtime.websocket = gateway
    return gateway


# The parameters through which `auth=True` points the template at the development issuer.
AUTH_ISSUER_PARAMETER = "AuthIssuer"
AUTH_AUDIENCE_PARAMETER = "AuthAudience"
# Where the HTTP API's JWT authorizer emulation finds its verifier: the project's own, from its layers.
VERIFIER_MODULE = "careercoach.auth"


# Set by the runtime for every function, never from the shell (see local.environment.local_variables).
RUNTIME_OWNED_VARIABLES = frozenset(local_variables("", "")) | {CLIENT_FACTORY_VARIABLE}


DEFAULT_COMPONENTS: tuple[ComponentFactory, ...] = (
    http_gateway_component,
    websocket_gateway_component,
    sqs_poller_component,
)


class LocalRuntime:
    # moto state, os.environ and sys.modules are process-wide: two runtimes at once would trample each other.
    _active: LocalRuntime | None = None
    _active_lock = threading.Lock()

    def __init__(
        self,
        template_path: str | Path = "template.yaml",
        http_port: int = 0,
        ws_port: int = 0,
        env_overrides: Mapping[str, str] | None = None,
        parameter_overrides: Mapping[str, str] | None = None,
        env_vars: Mapping[str, Mapping[str, Any]] | None = None,
        components: Sequence[ComponentFactory] | None = None,
        extra_components: Sequence[ComponentFactory] = (),
        stack: StackInfo | None = None,
        sqs_retry_delay_seconds: int | None = None,
        auth: bool = False,
        auth_port: int = 0,
        verifier_factory: VerifierFactory | None = None,
        shell_environment: Mapping[str, str] | None = None,
        data_dir: str | Path | None = None,
        fresh_data: bool = False,
    ) -> None:
        self.template_path = Path(template_path)
        self.http_port = http_port
        self.ws_port = ws_port
        self.env_overrides = dict(env_overrides or {})
        self.parameter_overrides = dict(parameter_overrides or {})
        self.env_vars = env_vars
        self._factories = [*(DEFAULT_COMPONENTS if components is None else components), *extra_components]
        self._stack = stack
        # None: a failed SQS message waits out the queue's VisibilityTimeout, as in AWS; a number shortens it.
        self.sqs_retry_delay_seconds = sqs_retry_delay_seconds
        # auth=True: a local development issuer, unless the parameters name a real one (AuthIssuer).
        self.auth = auth
        self.auth_port = auth_port
        self.dev_issuer: DevIssuer | None = None
        # (issuer, audiences) -> verifier for the HTTP API's JWT authorizer; default: the project's own.
        self._verifier_factory = verifier_factory
        # The developer's shell (`python -m local` passes os.environ): its values win over the template's (see
        # local.shell). None, the default for in-process use, leaves the template's values alone.
        self.shell_environment = dict(shell_environment) if shell_environment is not None else None
        self.shell = ShellSettings()
        # Where mongomock's data is kept across restarts (local.mongo_store); None: in memory only.
        self.data_dir = Path(data_dir) if data_dir is not None else None
        self.fresh_data = fresh_data
        self.mongo_store: DurableStore | None = None
        self._moto = MotoServer()
        self._environment = EnvironmentPatch()
        self._components: list[Component] = []
        self._started = False
        self.stopping: str | None = None  # what stop() is waiting for (read by the stop watchdog)
        self.http: HttpGateway | None = None
        self.websocket: WebSocketGateway | None = None
        # Variables components set outright: they win over the template, explicit env_overrides win over them.
        self.component_environment: dict[str, str] = {}
        self.environment: dict[str, str] = {}
        self.created_resources: dict[str, str] = {}

    # --- lifecycle ----------------------------------------------------------------------------------
    def start(self) -> LocalRuntime:
        if self._started:
            return self
        with LocalRuntime._active_lock:
            if LocalRuntime._active is not None:
                raise RuntimeError(
                    "another LocalRuntime is already running in this process; stop it first "
                    "(moto state and os.environ are shared by the whole process)"
                )
            LocalRuntime._active = self
        self._started = True
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        overrides = dict(self.parameter_overrides)
        if self.shell_environment is not None:
            probe = load_template(self.template_path, overrides, self._stack)
            self.shell = shell_settings(probe, self.shell_environment, RUNTIME_OWNED_VARIABLES)
            overrides = {**self.shell.parameters, **overrides}  # an explicit override beats the shell
        if self.auth:
            overrides = self._start_dev_issuer(overrides)
        self.template: Template = load_template(self.template_path, overrides, self._stack)
        self._moto.start()
        self.resolver: Resolver = self.template.new_resolver()
        provisioner = ResourceProvisioner(self.template, self.resolver, self.endpoint)
        provisioner.provision()
        self.created_resources = dict(provisioner.created)
        self.component_environment = {}
        self.websocket = None
        for logical_id in self.template.resources_of_type("AWS::ApiGatewayV2::Api", "AWS::Serverless::Api"):
            self.resolver.register(logical_id, api_id(self.template.stack, logical_id))
        for factory in self._factories:
            component = factory(self)
            if component is not None:
                self._components.append(component)  # from here on stop() releases it, started or not
        environments = function_environments(
            self.template, self.resolver, self.env_vars, self.shell.variables
        )
        merged = merge_environments(environments)
        region = self.template.stack.region
        self.environment = {
            **merged,
            **local_variables(self.endpoint, region),
            **self.component_environment,
            "MONGODB_URI": mongodb_uri(merged.get("MONGODB_URI")),
            **self.env_overrides,
        }
        unwanted = unwanted_variables(os.environ)
        if self._open_mongo_store():
            self.environment[CLIENT_FACTORY_VARIABLE] = CLIENT_FACTORY
        else:
            unwanted.append(CLIENT_FACTORY_VARIABLE)
        self._environment.apply(self.environment, remove=unwanted)
        names = {logical_id: self.resolver.ref(logical_id) for logical_id in self.template.functions}
        self.loader = FunctionLoader(self.template.functions, names, self.template.stack)
        for component in self._components:
            component.start()
            log.debug("started %s", component.name)

    def _open_mongo_store(self) -> bool:
        """With a data directory and a mongomock:// URI, keep the data across restarts (local.mongo_store)."""
        uri = self.environment["MONGODB_URI"]
        if self.data_dir is None:
            return False
        if not uri.startswith("mongomock://"):
            if self.fresh_data:
                log.warning("MONGODB_URI names a real server: starting fresh does not empty it")
            return False
        self.mongo_store = DurableStore(self.data_dir).open(fresh=self.fresh_data)
        activate(self.mongo_store)
        return True

    def _start_dev_issuer(self, parameter_overrides: Mapping[str, str]) -> dict[str, str]:
        """Start the development issuer and return the parameter overrides that point the template at it."""
        overrides = dict(parameter_overrides)
        declared = declared_parameters(self.template_path)
        if AUTH_ISSUER_PARAMETER not in declared:
            raise TemplateError(
                f"auth needs the template to declare an {AUTH_ISSUER_PARAMETER} parameter naming the issuer"
            )
        if overrides.get(AUTH_ISSUER_PARAMETER):
            log.info("auth: using the issuer given as %s, not a development issuer", AUTH_ISSUER_PARAMETER)
            return overrides
        audience = overrides.get(AUTH_AUDIENCE_PARAMETER) or DEV_AUDIENCE
        self.dev_issuer = DevIssuer(audience=audience.split(",")[0], port=self.auth_port)
        self.dev_issuer.start()
        overrides[AUTH_ISSUER_PARAMETER] = self.dev_issuer.issuer
        if AUTH_AUDIENCE_PARAMETER in declared:
            overrides[AUTH_AUDIENCE_PARAMETER] = audience
        return overrides

    def stop(self) -> None:
        if not self._started:
            return
        self._started = False
        while self._components:
            component = self._components.pop()
            self.stopping = component.name
            try:
                component.stop()
            except Exception:
                log.exception("stopping %s failed", component.name)
        if self.dev_issuer is not None:
            self.stopping = "the development issuer"
            self.dev_issuer.stop()
            self.dev_issuer = None
        loader = getattr(self, "loader", None)
        if loader is not None:
            loader.unload()
        self._environment.restore()
        if self.mongo_store is not None:
            activate(None)
            self.mongo_store.close()
            self.mongo_store = None
        self.stopping = "moto"
        self._moto.stop()
        self.stopping = None
        with LocalRuntime._active_lock:
            if LocalRuntime._active is self:
                LocalRuntime._active = None

    def __enter__(self) -> LocalRuntime:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # --- use ----------------------------------------------------------------------------------------
    @property
    def endpoint(self) -> str:
        """The moto endpoint (what AWS_ENDPOINT_URL points at)."""
        return self._moto.endpoint

    @property
    def http_url(self) -> str:
        if self.http is None:
            raise RuntimeError("the runtime has no HTTP gateway (not started?)")
        return self.http.url

    @property
    def websocket_url(self) -> str:
        """Where clients connect: `ws://127.0.0.1:<port>/<stage>` (the value of WEBSOCKET_URL)."""
        return self._websocket().url

    @property
    def management_endpoint(self) -> str:
        """The @connections endpoint, `http://127.0.0.1:<port>/<stage>` (WEBSOCKET_MANAGEMENT_ENDPOINT)."""
        return self._websocket().management_endpoint

    def _websocket(self) -> WebSocketGateway:
        if self.websocket is None:
            raise RuntimeError("the runtime has no WebSocket gateway (no WEBSOCKET API, or not started?)")
        return self.websocket

    @property
    def auth_issuer(self) -> str | None:
        """The issuer the template's authorizers trust (its AuthIssuer parameter), None with auth off."""
        issuer = self.template.parameters.get(AUTH_ISSUER_PARAMETER)
        return str(issuer) if issuer else None

    def token_verifier(self, issuer: str, audiences: tuple[str, ...]) -> Verifier:
        """A verifier for the HTTP API's JWT authorizer emulation: the one given to the constructor, else the
        project's `careercoach.auth.TokenVerifier` from the template's layers (the code its WebSocket
        authorizer runs), imported on first use, once the environment is in place."""
        if self._verifier_factory is not None:
            return self._verifier_factory(issuer, audiences)
        module = self.loader.import_from_layers(VERIFIER_MODULE)
        verifier: Verifier = module.TokenVerifier(issuer, audiences)
        return verifier

    @property
    def function_names(self) -> list[str]:
        return list(self.template.functions)

    @property
    def routes(self) -> list[HttpRoute]:
        return self.template.http_routes

    @property
    def docs_urls(self) -> list[str]:
        """Swagger UI pages: GET routes whose path ends in /docs."""
        return [
            f"{self.http_url}{route.path}"
            for route in self.routes
            if route.path.endswith("/docs") and route.method in ("GET", "ANY")
        ]

    def component(self, name: str) -> Component:
        """A running component by name ("http", "websocket", "sqs", ...)."""
        for component in self._components:
            if component.name == name:
                return component
        raise KeyError(f"no component named {name!r}")

    def invoke(self, function_logical_id: str, event: Any) -> Any:
        """Call a handler directly, as `sam local invoke` does (exceptions propagate)."""
        if not self._started:
            raise RuntimeError("start the LocalRuntime before invoking functions")
        return self.loader.invoke(function_logical_id, event)
