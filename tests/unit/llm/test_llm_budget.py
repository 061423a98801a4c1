from __future__ import annotations

import math

import pytest

from llm_registry.budget import Budget


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_without_a_budget_only_the_provider_timeout_applies() -> None:
    budget = Budget(reserve_s=1, min_attempt_s=1)
    assert not budget.bounded
    assert budget.remaining_s() == math.inf
    assert budget.attempt_timeout(20) == 20


def test_attempt_timeout_is_the_smaller_of_provider_timeout_and_budget_minus_reserve() -> None:
    clock = FakeClock()
    budget = Budget(deadline=110.0, reserve_s=1.5, min_attempt_s=1, clock=clock)
    assert budget.attempt_timeout(20) == pytest.approx(8.5)
    assert budget.attempt_timeout(5) == 5
    clock.now = 108.0
    assert budget.attempt_timeout(20) is None  # 0.5 s usable is below the 1 s minimum


def test_nothing_fits_below_the_minimum_useful_attempt() -> None:
    clock = FakeClock()
    budget = Budget(deadline=102.4, reserve_s=1.0, min_attempt_s=1.5, clock=clock)
    assert budget.attempt_timeout(20) is None
    clock.now = 90.0
    assert budget.attempt_timeout(20) == pytest.approx(11.4)


def test_remaining_ms_callable_like_lambda_context() -> None:
    left = {"ms": 29_000}
    budget = Budget(remaining_ms=lambda: left["ms"], reserve_s=2, min_attempt_s=1)
    assert budget.attempt_timeout(20) == 20
    left["ms"] = 12_000
    assert budget.attempt_timeout(20) == pytest.approx(10)
    left["ms"] = 2_500
    assert budget.attempt_timeout(20) is None


def test_the_earlier_of_deadline_and_remaining_time_wins() -> None:
    clock = FakeClock()
    budget = Budget(deadline=105.0, remaining_ms=lambda: 9_000, clock=clock)
    assert budget.remaining_s() == pytest.approx(5.0)
    budget = Budget(deadline=120.0, remaining_ms=lambda: 9_000, clock=clock)
    assert budget.remaining_s() == pytest.approx(9.0)


def test_a_wait_fits_only_when_a_useful_attempt_remains_after_it() -> None:
    clock = FakeClock()
    budget = Budget(deadline=104.0, reserve_s=1.0, min_attempt_s=1.0, clock=clock)
    assert budget.can_wait(2.0)
    assert not budget.can_wait(2.5)
