"""The one way the local runtime serves HTTP: a threaded server on 127.0.0.1, bound early (so its URL can
feed the environment before it serves), served from a daemon thread, stopped cleanly even if never started.
The HTTP gateway, the WebSocket gateway and the development issuer are all one of these."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# socketserver listens with a backlog of 5 (`TCPServer.request_queue_size`). Fifty clients connecting at
# once overflowed the kernel's queue of connections waiting for accept(), and the ones it could not queue were
# reset before the server ever saw them (so nothing was logged): about half of a burst of 50 PUT/PATCH
# requests failed that way. The kernel caps this at net.core.somaxconn.
LISTEN_BACKLOG = 1024


class _LoopbackHTTPServer(ThreadingHTTPServer):
    request_queue_size = LISTEN_BACKLOG
    # Request threads are daemons: an idle keep-alive connection must not block shutdown.
    daemon_threads = True


def listen_on_loopback(port: int, handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    """A threaded server on 127.0.0.1 (port 0: any free one), with a readable error when the port is taken;
    one thread per connection, so a slow request never holds up another."""
    try:
        server = _LoopbackHTTPServer(("127.0.0.1", port), handler)
    except OSError as error:
        raise OSError(error.errno, f"cannot listen on 127.0.0.1:{port}: {error.strerror or error}") from error
    return server


class LoopbackServer:
    """Subclasses give `description` (for errors), `thread_name` and `handler_class()`."""

    description = "the server"
    thread_name = "local-server"
    poll_interval_s = 0.1  # how soon a stop is noticed by serve_forever()

    def __init__(self, port: int = 0) -> None:
        self._requested_port = port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        raise NotImplementedError

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError(f"{self.description} is not bound yet")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def bind(self) -> None:
        if self._server is None:
            self._server = listen_on_loopback(self._requested_port, self.handler_class())

    def start(self) -> None:
        self.bind()
        assert self._server is not None
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                args=(self.poll_interval_s,),
                name=self.thread_name,
                daemon=True,
            )
            self._thread.start()

    def stop(self) -> None:
        self.stop_accepting()
        self.close()

    def stop_accepting(self) -> None:
        """No new requests from here on (the ones in progress carry on)."""
        if self._server is not None and self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=10)
        self._thread = None

    def close(self) -> None:
        if self._server is not None:
            self._server.server_close()
        self._server = None
        self._thread = None
