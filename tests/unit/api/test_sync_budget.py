"""The sync route's time budget (careercoach.api.generation.SyncBudget), on a clock the test moves."""

from __future__ import annotations

from careercoach.api.generation import SyncBudget


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


WALL_MS = 1_800_000_000_000.0


def budget(received: object, *, lambda_left: int = 28_000, clock: Clock | None = None) -> SyncBudget:
    return SyncBudget(received, 27_000, lambda: lambda_left, clock=clock or Clock(), wall_ms=lambda: WALL_MS)


def test_the_budget_runs_from_when_the_gateway_received_the_request() -> None:
    clock = Clock()
    spent = budget(WALL_MS - 1500, clock=clock)  # a cold start took 1.5 s before the handler ran
    assert spent.elapsed_ms() == 1500 and spent.remaining_ms() == 25_500
    clock.now += 20
    assert spent.elapsed_ms() == 21_500 and spent.remaining_ms() == 5_500
    assert (
        spent.server_timing().startswith("generation;dur=21500;")
        and "deadline;dur=27000" in spent.server_timing()
    )


def test_the_functions_own_remaining_time_caps_it() -> None:
    assert budget(WALL_MS, lambda_left=9_000).remaining_ms() == 9_000


def test_an_implausible_receipt_time_starts_the_budget_now() -> None:
    for received in (WALL_MS - 60_000, WALL_MS + 5_000, None, "yesterday"):
        spent = budget(received)
        assert spent.elapsed_ms() == 0 and spent.remaining_ms() == 27_000
