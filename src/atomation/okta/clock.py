"""Time as the Okta client sees it, injectable so tests and benchmarks control it.

The client reads the wall clock for assertion and proof times and for rate-limit
windows, and sleeps while it waits for a window to reset. Both go through a
:class:`Clock`, so a test can skew the clock or run against a simulator whose
minute is shorter than ours.
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol

__all__ = ["SYSTEM_CLOCK", "Clock", "ScaledClock", "SystemClock"]


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the Unix epoch, as this process believes."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of this clock's time."""
        ...


class SystemClock:
    """The machine's clock and asyncio's sleep."""

    def now(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))

    def __repr__(self) -> str:
        return "SystemClock()"


class ScaledClock:
    """A clock that runs ``scale`` times faster than the machine's, from ``origin``.

    For an org simulated with a shorter minute: a 60-second rate-limit window at
    ``scale=60`` passes in one real second, and this clock's ``now`` moves with
    the server's ``Date``.
    """

    def __init__(self, scale: float, origin: float | None = None) -> None:
        if scale <= 0:
            raise ValueError("scale must be positive")
        self.scale = scale
        self._origin = time.time() if origin is None else origin
        self._started = time.monotonic()

    def now(self) -> float:
        return self._origin + (time.monotonic() - self._started) * self.scale

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds) / self.scale)

    def __repr__(self) -> str:
        return f"ScaledClock(scale={self.scale!r})"


SYSTEM_CLOCK: Clock = SystemClock()
