"""Stopping `python -m local run` on SIGINT/SIGTERM without ever deadlocking, and within a bounded time.

A Python signal handler runs in the main thread between two bytecodes, wherever that thread happens to be:
inside `threading.Event.wait()` holding the event's lock, or inside the handler itself when a second signal
arrives. A handler that takes a lock (`Event.set()` does) can therefore wait forever on a lock its own thread
holds. So the handler here takes none: it only counts. The main thread sleeps in `select()` on a socket pair
whose write end is the interpreter's wakeup fd (`signal.set_wakeup_fd`): the C-level handler writes a byte
there, which wakes `select()` at once, and the Python-level handler has run by the time `select()` returns.

Once a stop has begun, more signals only count (nothing re-enters the stop); a watchdog thread ends the
process with `os._exit` if the stop has not finished within its deadline, naming what it was waiting for.
The watchdog writes with `os.write` on fd 2, so it needs no lock another thread might hold either.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterable
from types import FrameType
from typing import Any

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
FORCED_EXIT_STATUS = 1


class StopSignals:
    """Install with `with StopSignals() as stop:`; `stop.wait(timeout)` is True once a signal came."""

    def __init__(self, signals: Iterable[signal.Signals] = STOP_SIGNALS) -> None:
        self.signals = tuple(signals)
        self.received = 0  # written by the handler only: an int assignment, no lock
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._reader, selectors.EVENT_READ)
        self._previous: dict[signal.Signals, Any] = {}
        self._previous_wakeup_fd = -1

    def _handler(self, signum: int, frame: FrameType | None) -> None:
        # No lock, no I/O, no logging: this may interrupt any code of the main thread, itself included.
        self.received += 1

    def install(self) -> StopSignals:
        self._previous_wakeup_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        for signum in self.signals:
            self._previous[signum] = signal.signal(signum, self._handler)
        return self

    def restore(self, ignore: bool = False) -> None:
        """Put the previous handlers back; `ignore=True` ignores these signals from now on instead (a process
        on its way out after a stop: a late signal must not kill it with a different exit status)."""
        for signum, previous in self._previous.items():
            signal.signal(signum, signal.SIG_IGN if ignore else previous)
        self._previous.clear()
        signal.set_wakeup_fd(self._previous_wakeup_fd)
        self._selector.close()
        self._reader.close()
        self._writer.close()

    def __enter__(self) -> StopSignals:
        return self.install()

    def __exit__(self, *exc: object) -> None:
        self.restore()

    def wait(self, timeout: float | None = None) -> bool:
        """Sleep until a stop signal arrives (True) or `timeout` passes (False)."""
        if self.received:
            return True
        self._selector.select(timeout)
        self._drain()
        return self.received > 0

    def _drain(self) -> None:
        try:
            while self._reader.recv(512):
                pass
        except (BlockingIOError, InterruptedError):
            pass


class StopWatchdog:
    """Ends the process if a stop outlives `deadline_s`. `waiting_for()` names what the stop is waiting on,
    for the message; `signals` (if given) lets it acknowledge repeated Ctrl-C/SIGTERM on stderr."""

    def __init__(
        self,
        deadline_s: float,
        waiting_for: Callable[[], str | None] = lambda: None,
        signals: StopSignals | None = None,
        exit: Callable[[int], object] = os._exit,
    ) -> None:
        self.deadline_s = deadline_s
        self._waiting_for = waiting_for
        self._signals = signals
        self._exit = exit
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="local-stop-watchdog", daemon=True)

    def start(self) -> StopWatchdog:
        self._thread.start()
        return self

    def finished(self) -> None:
        self._done.set()

    def _watch(self) -> None:
        deadline = time.monotonic() + self.deadline_s
        seen = self._signals.received if self._signals is not None else 0
        while not self._done.wait(min(0.1, max(0.0, deadline - time.monotonic()))):
            if time.monotonic() >= deadline:
                what = self._waiting_for()
                detail = f" (still stopping {what})" if what else ""
                _stderr(f"Stopping took longer than {self.deadline_s:g} s{detail}; exiting now.\n")
                self._exit(FORCED_EXIT_STATUS)
                return
            if self._signals is not None and self._signals.received > seen:
                seen = self._signals.received
                left = max(0.0, deadline - time.monotonic())
                _stderr(f"Already stopping; the process exits within {left:.0f} s.\n")


def _stderr(text: str) -> None:
    with contextlib.suppress(OSError):
        os.write(2, text.encode())
