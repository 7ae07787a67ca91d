"""The simulator's one clock: simulated wall time that can run faster than real time.

Everything time-dependent in the server (rate-limit windows, token and nonce expiry,
assertion ``exp``/``iat`` checks, the System Log's "now") reads this clock, so a test
can control all of it at once. ``time_scale`` X makes a simulated minute last 60/X real
seconds; ``frozen`` stops it so that only :meth:`SimulatedClock.advance` moves it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

__all__ = ["SimulatedClock"]


class SimulatedClock:
    """Simulated UTC time: a start, plus scaled real elapsed time, plus offsets."""

    def __init__(
        self,
        *,
        start: datetime | None = None,
        time_scale: float = 1.0,
        frozen: bool = False,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if time_scale <= 0:
            raise ValueError("time_scale must be positive")
        self._start = start or datetime.now(UTC)
        self.time_scale = time_scale
        self.frozen = frozen
        self._monotonic = monotonic
        self._origin = monotonic()
        self._offset = 0.0
        self._lock = threading.Lock()

    def timestamp(self) -> float:
        """Simulated seconds since the Unix epoch."""
        with self._lock:
            elapsed = 0.0 if self.frozen else self._monotonic() - self._origin
            return self._start.timestamp() + elapsed * self.time_scale + self._offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp(), UTC)

    def advance(self, seconds: float) -> None:
        """Move simulated time forward (or back, with a negative value)."""
        with self._lock:
            self._offset += seconds

    def real_seconds(self, simulated_seconds: float) -> float:
        """How long ``simulated_seconds`` last in real time (for latency sleeps)."""
        return simulated_seconds / self.time_scale

    def shift(self, delta: timedelta) -> None:
        self.advance(delta.total_seconds())
