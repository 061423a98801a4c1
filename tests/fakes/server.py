"""A scriptable HTTP server on loopback that stands in for an LLM provider's API.

Each test queues the replies it wants (success, 429 with Retry-After, 500, a slow answer, a malformed body...)
and then asserts on what the server received: every request is recorded with its path, headers and body.
The wire-format subclasses in `wire_formats.py` know how each provider shapes its answers and errors; this
module only knows HTTP. The real SDKs talk to it through their base URL, so the SDK's own request building,
response parsing and error mapping are exercised, not a mock of them.

Simulated speed (`server.speed = Speed(time_to_first_token_s=1.0, tokens_per_s=100)`): every successful
answer is held back for the time a model at that speed would take to write it, computed from the size of
that answer in tokens (o200k_base); the usage it reports is counted from the request and the answer too.
Latency can then be measured honestly with no network, and a test can make a provider too slow for a
deadline without sleeping in the test itself."""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Self


@dataclass(frozen=True)
class Speed:
    """How fast the simulated model answers: a fixed time to the first token, then a steady token rate."""

    time_to_first_token_s: float = 1.0
    tokens_per_s: float = 100.0

    def __post_init__(self) -> None:
        if self.time_to_first_token_s < 0 or self.tokens_per_s <= 0:
            raise ValueError("time to first token must be >= 0 and tokens per second > 0")

    def delay_s(self, output_tokens: int) -> float:
        return self.time_to_first_token_s + output_tokens / self.tokens_per_s


class PromptCache:
    """A vendor's automatic prefix cache, as OpenAI documents it: a prompt whose first N >= `minimum` tokens
    match a prompt processed earlier reuses them, counted in steps of `step` tokens
    (https://platform.openai.com/docs/guides/prompt-caching: 1024 tokens or longer, hits in steps of 128).
    A prompt is in the cache once its prefill is done, i.e. from its time to first token on; requests sent
    at the same moment therefore all miss, as they would at the vendor."""

    def __init__(self, *, minimum: int = 1024, step: int = 128) -> None:
        self.minimum = minimum
        self.step = step
        self._entries: list[tuple[float, tuple[int, ...]]] = []
        self._lock = threading.Lock()

    def lookup_and_store(self, tokens: list[int], *, now: float, ready_after_s: float) -> int:
        """Cached tokens for this prompt; the prompt itself is cached from `now + ready_after_s`."""
        key = tuple(tokens)
        with self._lock:
            best = 0
            for ready_at, cached in self._entries:
                if ready_at > now:
                    continue
                length = 0
                for a, b in zip(cached, key, strict=False):
                    if a != b:
                        break
                    length += 1
                best = max(best, length)
            self._entries.append((now + ready_after_s, key))
        return (best // self.step) * self.step if best >= self.minimum else 0

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


@dataclass(frozen=True)
class Reply:
    """One scripted HTTP answer. `delay_s` holds the answer back, to play a slow provider."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    # Builds the real reply from the request, for answers that echo something the client sent (a tool name).
    build: Callable[[RecordedRequest], Reply] | None = None
    # The answer's size in tokens, for the simulated speed (None: not a model's answer, e.g. an error).
    output_tokens: int | None = None

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
        delay = reply.delay_s
        if fake.speed is not None and reply.output_tokens is not None:
            delay += fake.speed.delay_s(reply.output_tokens)
        if delay and fake._stopping.wait(delay):
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
        # Simulated speed (None: answer at once); usage is then counted from each request and answer.
        self.speed: Speed | None = None
        # Report cached input tokens the way the vendor's automatic prefix cache would (None: never).
        self.prompt_cache: PromptCache | None = None
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

    @property
    def counts_tokens(self) -> bool:
        """Whether usage is counted from the request and the answer (simulated speed or prompt cache) rather
        than fixed."""
        return self.speed is not None or self.prompt_cache is not None

    def now(self) -> float:
        return time.monotonic()

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
        if self.prompt_cache is not None:
            self.prompt_cache.clear()

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
