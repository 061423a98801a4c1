"""The WebSocket gateway: an API Gateway WebSocket API on 127.0.0.1, its @connections API on the same port.

One threaded HTTP server owns the port, as API Gateway's execute-api host serves both:
- a GET with `Upgrade: websocket` on `/` or `/{stage}` is a client connecting. The gateway calls the
  `$connect` route first and completes the handshake only if it returns 2xx, then hands the socket to a
  websockets connection and, in that same thread, routes each message to its route's function and finally
  calls `$disconnect`;
- `/{stage}/@connections/{id}` is the management API (see local.connections_api).

Handlers run synchronously in the connection's thread, one message at a time per connection. Messages
pushed through @connections come from other threads (the SQS worker's); websockets' threading
implementation serialises writes to a socket, so that is safe.

Deliberate differences from AWS: every route sends a non-empty returned `body` back (as if it had a
RouteResponse); no idle timeout, 2-hour limit or throttling; a rejected `$connect` answers with the
handler's own status (500 when it raises).
"""

from __future__ import annotations

import http
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler
from typing import Any

from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request
from websockets.protocol import State
from websockets.server import ServerProtocol
from websockets.sync.connection import Connection

from local.apigw import new_request_id
from local.authorizers import (
    AuthorizerDenied,
    authorizer_context,
    connect_method_arn,
    is_unauthorized_error,
    missing_identity,
    request_authorizer_event,
)
from local.connections_api import (
    ConnectionRegistry,
    ManagementResponse,
    handle_management,
    is_management_path,
    payload_too_large,
)
from local.http_framing import BodyTooLargeError, FramingError, read_body
from local.loopback import LoopbackServer
from local.template import TemplateError, WebSocketAuthorizer, WebSocketRoute
from local.websocket_events import (
    CONNECT,
    DEFAULT,
    DISCONNECT,
    MAX_MESSAGE_BYTES,
    ConnectionInfo,
    EventFactory,
    RouteSelector,
    error_frame,
    new_connection_id,
    route_response,
)

log = logging.getLogger("local.websocket")

Invoke = Callable[[str, dict[str, Any]], Any]  # (function logical id, event) -> result

GOING_AWAY = 1001


class _Rejected(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class WebSocketGateway(LoopbackServer):
    """Serves one WebSocket API. `bind()` reserves the port early so its URLs can feed the environment."""

    name = "websocket"
    description = "the WebSocket gateway"
    thread_name = "local-websocket"
    poll_interval_s = 0.1

    def __init__(
        self,
        routes: Iterable[WebSocketRoute],
        invoke: Invoke,
        *,
        stage: str,
        route_selection_expression: str = "$request.body.action",
        port: int = 0,
        api_id: str = "localws000",
        close_timeout: float = 5.0,
        region: str = "us-east-1",
        account_id: str = "123456789012",
        partition: str = "aws",
    ) -> None:
        self.functions: dict[str, str] = {}  # route key -> function logical id
        # The $connect route's Lambda REQUEST authorizer (API Gateway allows one only on $connect).
        self.connect_authorizer: WebSocketAuthorizer | None = None
        for route in routes:
            if route.route_key in self.functions:
                raise TemplateError(f"WebSocket route {route.route_key} is declared twice")
            self.functions[route.route_key] = route.function_id
            if route.authorizer is not None:
                if route.route_key != CONNECT:
                    raise TemplateError(
                        f"WebSocket route {route.route_key}: only $connect can have an authorizer"
                    )
                self.connect_authorizer = route.authorizer
        self.region = region
        self.account_id = account_id
        self.partition = partition
        self.selector = RouteSelector(route_selection_expression, frozenset(self.functions))
        if not self.selector.supported:
            log.warning(
                "RouteSelectionExpression %r is not supported locally (only $request.body.<field>); "
                "every message goes to $default",
                route_selection_expression,
            )
        self.invoke = invoke
        self.stage = stage
        self.api_id = api_id
        self.close_timeout = close_timeout
        self.connections = ConnectionRegistry()
        self.events = EventFactory(api_id, stage)
        super().__init__(port)
        # Connection threads (each runs its handlers and then $disconnect); stop() waits for them.
        self._lock = threading.Lock()
        self._sessions: set[threading.Thread] = set()
        self._stopping = False

    # --- addresses ----------------------------------------------------------------------------------
    @property
    def endpoint(self) -> str:
        """What `!GetAtt Api.ApiEndpoint` gives: the scheme and host, without the stage."""
        return f"ws://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The URL clients connect to (`wss://{api}.execute-api.{region}.amazonaws.com/{stage}` in AWS)."""
        return f"{self.endpoint}/{self.stage}"

    @property
    def management_endpoint(self) -> str:
        """The `endpoint_url` of boto3's apigatewaymanagementapi client."""
        return f"http://127.0.0.1:{self.port}/{self.stage}"

    # --- lifecycle ----------------------------------------------------------------------------------
    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        return _handler_class(self)

    def bind(self) -> None:
        if self._server is None:
            super().bind()
            self.events = EventFactory(self.api_id, self.stage, port=self.port)

    def start(self) -> None:
        self._stopping = False
        super().start()

    def stop(self) -> None:
        if self._server is None:
            return
        self.stop_accepting()  # no new connections from here on
        with self._lock:
            self._stopping = True
            sessions = list(self._sessions)
        # Say goodbye to every client at once (each close waits for the client's answer); each connection's
        # own thread then runs $disconnect.
        closers = [
            threading.Thread(target=self.connections.close, args=(connection_id, GOING_AWAY, "Going away"))
            for connection_id in self.connections.ids
        ]
        for thread in closers:
            thread.start()
        for thread in [*closers, *sessions]:
            thread.join(timeout=self.close_timeout + 30)
        self.close()

    # --- one connection, from handshake to $disconnect ----------------------------------------------
    def serve(self, handler: BaseHTTPRequestHandler) -> None:
        """Run a WebSocket connection in the request's own thread, until it closes."""
        with self._lock:
            if self._stopping:
                _write_json(handler, 503, {"message": "Service Unavailable"})
                return
            self._sessions.add(threading.current_thread())
        try:
            self._serve(handler)
        finally:
            with self._lock:
                self._sessions.discard(threading.current_thread())

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        raw_path, _, raw_query = handler.path.partition("?")
        if raw_path.rstrip("/") not in ("", f"/{self.stage}"):
            _write_json(handler, 403, {"message": "Forbidden"})  # a wrong stage fails in AWS too
            return
        headers = list(handler.headers.items())
        # The handshake is done here rather than by websockets' server, so the port can also serve
        # @connections; the protocol object then starts directly in the OPEN state.
        protocol = ServerProtocol(state=State.OPEN, max_size=MAX_MESSAGE_BYTES)
        response = protocol.accept(Request(handler.path, Headers(headers)))
        if response.status_code != http.HTTPStatus.SWITCHING_PROTOCOLS:
            handler.close_connection = True
            handler.wfile.write(response.serialize())  # websockets' own 400/426 for a bad handshake
            return
        info = ConnectionInfo(
            new_connection_id(), handler.client_address[0], handler.headers.get("user-agent", "")
        )
        try:
            subprotocol = self._connect(info, headers, raw_query)
        except _Rejected as rejected:
            status = http.HTTPStatus(rejected.status)
            _write_json(handler, status.value, {"message": status.phrase})
            return
        if subprotocol:
            response.headers["Sec-WebSocket-Protocol"] = subprotocol
        handler.close_connection = True
        with self._lock:
            if self._stopping:
                _write_json(handler, 503, {"message": "Service Unavailable"})
                return
            # The websockets connection owns the socket from here. http.server's buffered reader must let
            # go of it, or closing the socket would not close the file descriptor; it holds no unread bytes,
            # since a client sends nothing before our 101. (wfile writes straight to the socket.)
            handler.rfile.close()
            connection = Connection(
                handler.connection,
                protocol,
                ping_interval=None,  # API Gateway sends no pings of its own
                ping_timeout=None,
                close_timeout=self.close_timeout,
            )
            # Registered before the 101 goes out, so a client that has its handshake answer can be posted
            # to at once; posts wait for `opened` so that no frame overtakes the 101.
            opened = self.connections.add(info, connection)
        try:
            handler.wfile.write(response.serialize())
        except OSError:
            pass  # the client left during $connect: the session below sees a closed socket, ends at once
        finally:
            opened.set()
        self._session(info, connection)

    def _connect(self, info: ConnectionInfo, headers: list[tuple[str, str]], raw_query: str) -> str | None:
        """Call $connect (if routed); raise _Rejected unless it allows the connection. Returns the
        subprotocol the handler picked (`Sec-WebSocket-Protocol` in its response headers), if any."""
        function_id = self.functions.get(CONNECT)
        if function_id is None:
            return None  # API Gateway accepts every connection when there is no $connect route
        event = self.events.connect(info, headers, raw_query)
        if self.connect_authorizer is not None:
            info.authorizer = self._authorize(self.connect_authorizer, info, headers, raw_query, event)
            event["requestContext"]["authorizer"] = dict(info.authorizer)
        started = time.perf_counter()
        try:
            result = self.invoke(function_id, event)
        except Exception:
            log.exception("%s failed handling $connect", function_id)
            self._log(CONNECT, info, 500, started)
            raise _Rejected(500) from None
        status = result.get("statusCode", 200) if isinstance(result, dict) else 200
        if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
            log.error("%s: $connect returned an invalid statusCode %r", function_id, status)
            self._log(CONNECT, info, 502, started)
            raise _Rejected(502)
        self._log(CONNECT, info, status, started)
        if not 200 <= status < 300:
            raise _Rejected(status if status >= 400 else 403)
        response_headers = result.get("headers") if isinstance(result, dict) else None
        for name, value in (response_headers or {}).items():
            if str(name).lower() == "sec-websocket-protocol":
                return str(value)
        return None

    @property
    def connect_method_arn(self) -> str:
        return connect_method_arn(self.partition, self.region, self.account_id, self.api_id, self.stage)

    def _authorize(
        self,
        authorizer: WebSocketAuthorizer,
        info: ConnectionInfo,
        headers: list[tuple[str, str]],
        raw_query: str,
        connect_event: dict[str, Any],
    ) -> dict[str, Any]:
        """Run the $connect authorizer; its `requestContext.authorizer` value, or _Rejected (401/403/500)."""
        label = f"{CONNECT} authorizer"
        started = time.perf_counter()
        missing = missing_identity(authorizer.identity_sources, headers, raw_query)
        if missing is not None:
            log.info(
                "WS %s %s: no %s, refused without calling %s",
                label,
                info.connection_id,
                missing,
                authorizer.function_id,
            )
            self._log(label, info, 401, started)
            raise _Rejected(401)
        method_arn = self.connect_method_arn
        event = request_authorizer_event(connect_event, method_arn, headers)
        try:
            result = self.invoke(authorizer.function_id, event)
        except Exception as error:
            if is_unauthorized_error(error):
                self._log(label, info, 401, started)
                raise _Rejected(401) from None
            log.exception("%s failed authorizing $connect", authorizer.function_id)
            self._log(label, info, 500, started)
            raise _Rejected(500) from None
        try:
            context = authorizer_context(result, method_arn)
        except AuthorizerDenied as denied:
            log.info("WS %s %s: %s", label, info.connection_id, denied.reason)
            self._log(label, info, denied.status, started)
            raise _Rejected(denied.status) from None
        self._log(label, info, 200, started)
        return context

    def _session(self, info: ConnectionInfo, connection: Connection) -> None:
        try:
            for message in connection:
                info.touch()
                self._message(info, connection, message)
        except ConnectionClosed:
            pass  # closed abnormally (no close frame, message too big...): the close code says which
        finally:
            self.connections.remove(info.connection_id)
            connection.close()  # a no-op unless a handler failure left it open
            self._disconnect(info, *_close_status(connection))

    def _message(self, info: ConnectionInfo, connection: Connection, message: str | bytes) -> None:
        try:
            route_key = self.selector.select(message)
        except Exception:
            # Whatever a client sends must not end its connection here; the selector answers $default for
            # anything it cannot evaluate, so this is a bug in it, and the message is treated the same way.
            log.exception("route selection failed for a message on %s", info.connection_id)
            route_key = DEFAULT if DEFAULT in self.functions else None
        if route_key is None:
            # No matching route and no $default: API Gateway answers on the socket itself.
            _send(connection, info, error_frame("Forbidden", info.connection_id, new_request_id()))
            log.info("WS message %s: no route", info.connection_id)
            return
        function_id = self.functions[route_key]
        event = self.events.message(info, route_key, message)
        started = time.perf_counter()
        try:
            reply = route_response(self.invoke(function_id, event))
            status = 200
        except Exception:
            log.exception("%s failed handling WebSocket route %s", function_id, route_key)
            request_id = event["requestContext"]["requestId"]
            reply = error_frame("Internal server error", info.connection_id, request_id)
            status = 500
        self._log(route_key, info, status, started)
        if reply is not None:
            _send(connection, info, reply)

    def _disconnect(self, info: ConnectionInfo, code: int | None, reason: str | None) -> None:
        function_id = self.functions.get(DISCONNECT)
        if function_id is None:
            return
        event = self.events.disconnect(info, code, reason)
        started = time.perf_counter()
        try:
            self.invoke(function_id, event)
            status = 200
        except Exception:
            # Nobody is left to tell: API Gateway only logs it, and so do we.
            log.exception("%s failed handling $disconnect", function_id)
            status = 500
        self._log(DISCONNECT, info, status, started)

    @staticmethod
    def _log(route_key: str, info: ConnectionInfo, status: int, started: float) -> None:
        elapsed = (time.perf_counter() - started) * 1000
        log.info("WS %s %s %d %.1fms", route_key, info.connection_id, status, elapsed)


def _close_status(connection: Connection) -> tuple[int | None, str | None]:
    """The close frame that ended the connection: the peer's if it sent one, else ours (when the gateway
    failed the connection, e.g. 1009 for a message too big, the client may not answer); None: no frame."""
    frame = connection.protocol.close_rcvd or connection.protocol.close_sent
    return (int(frame.code), frame.reason) if frame is not None else (None, None)


def _send(connection: Connection, info: ConnectionInfo, data: str | bytes) -> None:
    try:
        connection.send(data)
        info.touch()
    except ConnectionClosed:
        pass  # the client left while its handler ran


def _write_json(handler: BaseHTTPRequestHandler, status: int, document: Any) -> None:
    body = json.dumps(document, separators=(",", ":")).encode()
    handler.close_connection = True
    handler.send_response_only(status)
    handler.send_header("date", handler.date_time_string())
    handler.send_header("content-type", "application/json")
    handler.send_header("content-length", str(len(body)))
    handler.send_header("connection", "close")
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(body)


def _handler_class(gateway: WebSocketGateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            if "websocket" in (self.headers.get("upgrade") or "").lower():
                gateway.serve(self)
            else:
                self._management()

        def _management(self) -> None:
            raw_path = self.path.partition("?")[0]
            if self.command == "GET" and not is_management_path(raw_path):
                # A plain GET on the WebSocket URL itself.
                _write_json(self, 426, {"message": "Upgrade Required"})
                return
            try:
                body = self._read_body()
            except BodyTooLargeError:
                self.close_connection = True  # what the client sent past the bound is unread
                response = payload_too_large()
            except FramingError as error:
                self.close_connection = True  # where the request ends is unknown
                response = ManagementResponse(
                    error.status,
                    [("content-type", "application/json")],
                    json.dumps({"message": http.HTTPStatus(error.status).phrase}).encode(),
                )
            else:
                response = handle_management(self.command, raw_path, body, gateway.stage, gateway.connections)
            log.info("%s %s %d", self.command, raw_path, response.status)
            self.send_response_only(response.status)
            self.send_header("date", self.date_time_string())
            for name, value in response.headers:
                self.send_header(name, value)
            self.send_header("content-length", str(len(response.body)))
            if self.close_connection:
                self.send_header("connection", "close")
            self.end_headers()
            self.wfile.write(response.body)

        def _read_body(self) -> bytes:
            return read_body(self.rfile, self.headers, self.request_version, MAX_MESSAGE_BYTES)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # one line per request/message is logged above instead (never a body)

        do_POST = do_DELETE = do_PUT = do_PATCH = _management

    return Handler
