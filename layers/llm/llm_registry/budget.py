"""The caller's time budget, and how much of it one attempt may take.

The budget is either a monotonic deadline or a callable like Lambda's `context.get_remaining_time_in_millis`
(or both: the earlier wins). Each attempt gets min(provider timeout, remaining - reserve); when that is
below the minimum useful attempt, the provider is skipped instead of being called with a hopeless timeout."""

from __future__ import annotations

import math
import time
from collections.abc import Callable


class Budget:
    def __init__(
        self,
        *,
        deadline: float | None = None,
        remaining_ms: Callable[[], int] | None = None,
        reserve_s: float = 0.0,
        min_attempt_s: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._deadline = deadline
        self._remaining_ms = remaining_ms
        self._clock = clock
        self.reserve_s = reserve_s
        self.min_attempt_s = min_attempt_s

    @property
    def bounded(self) -> bool:
        return self._deadline is not None or self._remaining_ms is not None

    def remaining_s(self) -> float:
        """Seconds left for the whole call, before the reserve; infinite when the caller set no budget."""
        left = math.inf
        if self._deadline is not None:
            left = self._deadline - self._clock()
        if self._remaining_ms is not None:
            left = min(left, self._remaining_ms() / 1000)
        return left

    def usable_s(self) -> float:
        return self.remaining_s() - self.reserve_s

    def attempt_timeout(self, provider_timeout_s: float) -> float | None:
        """Timeout for the next attempt, or None when no useful attempt fits any more."""
        timeout = min(provider_timeout_s, self.usable_s())
        return timeout if timeout >= self.min_attempt_s else None

    def can_wait(self, wait_s: float) -> bool:
        """Whether sleeping `wait_s` still leaves room for a useful attempt afterwards."""
        return self.usable_s() - wait_s >= self.min_attempt_s
