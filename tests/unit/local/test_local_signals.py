"""StopSignals and StopWatchdog: a signal handler that takes no lock, so repeated signals cannot deadlock it,
and a stop that ends the process once it outlives its deadline."""

from __future__ import annotations

import os
import signal
import threading
import time

from local.signals import FORCED_EXIT_STATUS, StopSignals, StopWatchdog


def test_a_signal_wakes_the_waiting_thread_and_a_storm_of_them_is_harmless() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with StopSignals() as stop:
        assert stop.wait(0.01) is False
        for _ in range(200):  # the handler re-entered again and again while it runs: no lock to wait on
            os.kill(os.getpid(), signal.SIGTERM)
            os.kill(os.getpid(), signal.SIGINT)
        assert stop.wait(5) is True
        assert stop.received >= 1
        assert stop.wait() is True  # stays stopped
    assert signal.getsignal(signal.SIGTERM) == before


def test_a_signal_from_another_thread_wakes_a_long_wait() -> None:
    with StopSignals() as stop:
        threading.Timer(0.2, os.kill, args=(os.getpid(), signal.SIGTERM)).start()
        started = time.monotonic()
        assert stop.wait(30) is True
        assert time.monotonic() - started < 25  # woken by the signal, not by the timeout


def test_restore_can_leave_the_signals_ignored() -> None:
    before = signal.getsignal(signal.SIGINT)
    stop = StopSignals([signal.SIGINT]).install()
    stop.restore(ignore=True)
    try:
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)


def test_the_watchdog_forces_an_exit_past_its_deadline() -> None:
    exited: list[int] = []
    done = threading.Event()

    def fake_exit(status: int) -> None:
        exited.append(status)
        done.set()

    StopWatchdog(0.2, lambda: "sqs", exit=fake_exit).start()
    assert done.wait(10)
    assert exited == [FORCED_EXIT_STATUS]


def test_the_watchdog_stays_quiet_when_the_stop_finishes_in_time() -> None:
    exited: list[int] = []
    watchdog = StopWatchdog(0.5, exit=exited.append).start()
    watchdog.finished()
    time.sleep(0.8)
    assert exited == []
