"""A token bucket for one connection's incoming frames, with a penalty for abuse."""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import Enum


class Verdict(Enum):
    ALLOW = "allow"
    REFUSE = "refuse"  # answer an error, keep the connection
    CLOSE = "close"  # sustained abuse: end the connection


class FrameLimiter:
    """`rate` frames a second with bursts of `burst`.

    Refused frames add strikes that drain at the same rate; more than `burst` of
    them means a client that keeps sending far faster than allowed, which is closed.
    One that only grazes the limit is answered with errors and never closed.
    """

    def __init__(
        self, rate: float, burst: int, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = float(burst)
        self._clock = clock
        self._tokens = self.burst
        self._strikes = 0.0
        self._at = clock()

    def check(self) -> Verdict:
        now = self._clock()
        elapsed, self._at = now - self._at, now
        self._tokens = min(self.burst, self._tokens + elapsed * self.rate)
        self._strikes = max(0.0, self._strikes - elapsed * self.rate)
        if self._tokens >= 1:
            self._tokens -= 1
            return Verdict.ALLOW
        self._strikes += 1
        return Verdict.CLOSE if self._strikes > self.burst else Verdict.REFUSE
