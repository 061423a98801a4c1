"""The HTTP API gateway: a threaded HTTP server on 127.0.0.1 that routes requests to handlers in-process."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any

from local.apigw import (
    HOP_BY_HOP,
    INTERNAL_ERROR,
    MAX_REQUEST_BYTES,
    NOT_FOUND,
    TOO_LARGE,
    CorsConfig,
    GatewayResponse,
    IncomingRequest,
    RouteTable,
    build_event,
    map_response,
)
from local.authorizers import JwtAuthorizer
from local.http_framing import DISCARD_LIMIT_BYTES, BodyTooLargeError, FramingError, read_body
from local.loopback import LoopbackServer
from local.template import HttpRoute

log = logging.getLogger("local.http")

Invoke = Callable[[str, dict[str, Any], str], Any]  # (function logical id, event, request id) -> result


_LINGER_S = 1.0


class HttpGateway(LoopbackServer):
    """Serves one HTTP API's routes. `bind()` reserves the port early so its URL can feed the environment."""

    name = "http"
    description = "the HTTP gateway"
    thread_name = "local-http"

    def __init__(
        self,
        routes: Iterable[HttpRoute],
        invoke: Invoke,
        cors: CorsConfig | None = None,
        port: int = 0,
        api_id: str = "localapi00",
        account_id: str = "123456789012",
        authorizer: JwtAuthorizer | None = None,
    ) -> None:
        self.route_table = RouteTable(routes)
        self.authorizer = authorizer  # the routes' JWT authorizers; None: every route is public
        self.invoke = invoke
        self.cors = cors
        self.api_id = api_id
        self.account_id = account_id
        super().__init__(port)

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        return _handler_class(self)

    # --- request handling ---------------------------------------------------------------------------
    def handle(self, request: IncomingRequest) -> GatewayResponse:
        if self.cors is not None and self.cors.is_preflight(request):
            return self.cors.preflight(request)
        response = self._route(request)
        if self.cors is not None:
            self.cors.decorate(request, response)
        return response

    def _route(self, request: IncomingRequest) -> GatewayResponse:
        matched = self.route_table.match(request.method, request.raw_path)
        if matched is None:
            return GatewayResponse.json(*NOT_FOUND)
        route, params = matched
        authorized = None
        if self.authorizer is not None:
            # After routing (an unknown route is a 404 whatever the token) and before the integration; CORS
            # preflights never get here (handle() answers them first).
            decision = self.authorizer.authorize(route, request)
            if isinstance(decision, GatewayResponse):
                return decision
            authorized = decision
        event = build_event(request, route, params, self.api_id, self.account_id, self.port, authorized)
        try:
            result = self.invoke(route.function_id, event, request.request_id)
            return map_response(result)
        except Exception:
            # API Gateway hides the failure from the client; the traceback is for the developer's terminal.
            log.exception("%s failed handling %s", route.function_id, route.route_key)
            return GatewayResponse.json(*INTERNAL_ERROR)


def _handler_class(gateway: HttpGateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _dispatch(self) -> None:
            started = time.perf_counter()
            raw_path, _, raw_query = self.path.partition("?")
            problem = ""
            try:
                body = self._read_body()
            except BodyTooLargeError:
                response = GatewayResponse.json(*TOO_LARGE)
                self.close_connection = True  # the unread body makes the connection unusable
            except FramingError as error:
                # Where this request ends is unknown, so nothing after it on the connection can be read.
                response = GatewayResponse.json(error.status, {"message": HTTPStatus(error.status).phrase})
                self.close_connection = True
                problem = f" ({error.reason})"
            else:
                request = IncomingRequest(
                    method=self.command,
                    raw_path=raw_path or "/",
                    raw_query=raw_query,
                    headers=[(k, v) for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP],
                    body=body,
                    source_ip=self.client_address[0],
                    protocol=self.request_version,
                )
                response = gateway.handle(request)
                response.headers.append(("apigw-requestid", request.request_id))
            elapsed = (time.perf_counter() - started) * 1000
            # Logged before the response is sent, so the line is there by the time the client has its answer.
            log.info("%s %s %d %.1fms%s", self.command, raw_path, response.status, elapsed, problem)
            self._write(response)
            if problem:
                self._linger()

        def _linger(self) -> None:
            """Close after a refusal without resetting the connection: closing a socket with unread input
            sends a TCP reset, which can destroy the answer before the client reads it. So stop sending, then
            read and drop what the client still sends, for a moment (a "lingering close")."""
            try:
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_WR)
                self.connection.settimeout(_LINGER_S)
                deadline = time.monotonic() + _LINGER_S
                received = 0
                while time.monotonic() < deadline and received < DISCARD_LIMIT_BYTES:
                    data = self.connection.recv(1 << 16)
                    if not data:
                        break
                    received += len(data)
            except OSError:
                pass

        def _read_body(self) -> bytes:
            return read_body(self.rfile, self.headers, self.request_version, MAX_REQUEST_BYTES)

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            # http.server's own refusals (a bad request line, an over-long header, HTTP/2.0...) come here. It
            # would answer with an HTML page and a Server header; API Gateway's own answers are JSON.
            self.close_connection = True
            if self.request_version == "HTTP/0.9":
                self.request_version = "HTTP/1.1"  # a status line even for a request line it could not parse
            path = getattr(self, "path", "") or "-"  # unset when the request line itself was refused
            log.info("%s %s %d (%s)", self.command or "-", path.partition("?")[0], code, message or "refused")
            self._write(GatewayResponse.json(code, {"message": HTTPStatus(code).phrase}))
            self._linger()

        def _write(self, response: GatewayResponse) -> None:
            # send_response_only: API Gateway sends no Server header, so neither do we.
            self.send_response_only(response.status)
            self.send_header("date", self.date_time_string())
            for name, value in response.headers:
                if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                    self.send_header(name, value)
            self.send_header("content-length", str(len(response.body)))
            if self.close_connection:
                self.send_header("connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # _dispatch writes one access line per request instead (never the body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _dispatch
        # Not routable on an HTTP API, but a client may still send them: answer as for any unrouted method
        # (the route table's 404, or the function's 405) rather than the stdlib server's HTML 501.
        do_TRACE = do_QUERY = _dispatch

    return Handler
