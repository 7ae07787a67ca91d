"""A clock the test moves: ``sleep`` advances it instantly and records the wait."""

from __future__ import annotations


class SteppedClock:
    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.t = start
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += max(0.0, seconds)
