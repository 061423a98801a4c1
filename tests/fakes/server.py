"""A scriptable HTTP server on loopback that stands in for an LLM provider's API.

Each test queues the replies it wants (success, 429 with Retry-After, 500, a slow answer, a malformed body...)
and then asserts on what the server received: every request is recorded with its path, headers and body.
The wire-format subclasses in `wire_formats.py` know how each provider shapes its answers and errors; this
module only knows HTTP. The real SDKs talk to it through their base URL, so the SDK's own request building,
response parsing and error mapping are exercised, not a mock of them."""

from __future__ import annotations

import json
import re
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Self


@dataclass(frozen=True)
class Reply:
    """One scripted HTTP answer. `delay_s` holds the answer back, to play a slow provider."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    # Builds the real reply from the request, for answers that echo something the client sent (a tool name).
    build: Callable[[RecordedRequest], Reply] | None = None

    @classmethod
    def json(cls, payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
        merged = {"Content-Type": "application/json", **(headers or {})}
        return cls(status=status, body=json.dumps(payload).encode(), headers=merged)

    def delayed(self, delay_s: float) -> Reply:
        return replace(self, delay_s=delay_s)

    def resolve(self, request: RecordedRequest) -> Reply:
        if self.build is None:
            return self
        return replace(self.build(request), delay_s=self.delay_s)


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps connections alive, as the SDKs' pools expect from a real API.
    protocol_version = "HTTP/1.1"
    # One segment per answer: without this, Nagle plus delayed ACK adds ~40 ms to every loopback call.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return  # quiet: pytest output stays readable

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self) -> None:
        fake = self.server.fake
        body = self._read_body()
        request = RecordedRequest(
            method=self.command,
            path=self.path,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
        )
        reply = fake._next_reply(request)
        if reply.delay_s and fake._stopping.wait(reply.delay_s):
            return  # the server is shutting down: drop the answer
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (its timeout fired) before the slow answer came: that is the point.
            self.close_connection = True

    do_POST = _serve
    do_GET = _serve
    do_PUT = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    fake: FakeProviderServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-answer is expected here (timeouts); anything else is a fake bug, but
        # it shows up in the test through the SDK's error, so there is no traceback spam to print.
        return


class FakeProviderServer:
    """HTTP mechanics shared by every wire format: a reply queue, a request log, start and stop.

    Subclasses set `path_pattern` (the requests the real API would accept) and build provider-shaped
    replies. A request to any other path gets a 404, so a test notices an SDK hitting the wrong URL. When
    the queue is empty the server answers with `default_reply` if set (benchmarks), otherwise with a 500
    and counts it in `unscripted`, so a test can assert it scripted every call it caused."""

    path_pattern: ClassVar[re.Pattern[str]] = re.compile(r".*")
    wire: ClassVar[str] = "generic"

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.rejected: list[RecordedRequest] = []  # requests answered with a documented rejection
        self.unscripted = 0
        self.default_reply: Reply | None = None
        self._queue: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------------
    def start(self) -> Self:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"fake-{self.wire}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the fake server is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def base_url(self) -> str:
        """What to give the SDK as its base URL; wire formats with a version prefix override this."""
        return self.url

    # -- scripting -------------------------------------------------------------------------------------
    def push(self, *replies: Reply) -> Self:
        with self._lock:
            self._queue.extend(replies)
        return self

    def reset(self) -> None:
        with self._lock:
            self._queue.clear()
            self.requests.clear()
            self.rejected.clear()
            self.unscripted = 0

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    def rejection(self, request: RecordedRequest) -> Reply | None:
        """The vendor's documented answer to a request it refuses (a 400 for a parameter the model does not
        accept), or None. Wire formats override this; a rejected request does not consume a scripted reply,
        just as the real API never reaches the model."""
        return None

    def _next_reply(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
            if not self.path_pattern.fullmatch(request.path.split("?")[0]):
                return Reply.json({"error": f"fake {self.wire}: unexpected path {request.path}"}, status=404)
            rejected = self.rejection(request)
            if rejected is not None:
                self.rejected.append(request)
                return rejected
            if self._queue:
                return self._queue.popleft().resolve(request)
            if self.default_reply is not None:
                return self.default_reply.resolve(request)
            self.unscripted += 1
        return Reply.json({"error": f"fake {self.wire}: no scripted reply"}, status=500)

    @property
    def bodies(self) -> list[Any]:
        """The JSON bodies received, in order."""
        return [request.json for request in self.requests]
