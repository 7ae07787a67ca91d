"""Pacing toward one Okta org: a limiter per rate-limit bucket and a cap in flight.

Okta meters each *bucket* of endpoints per org per minute, in rolling windows, and
a service app may use only its share of each (50 % by default); it also caps the
requests in flight per org (rate-limits.md §1.1, §1.3, §1.6). Tripping a limit is
visible to the customer's admins (System Log, email), so we pace well below it.

How, and how bluntly:

* The bucket of a path comes from :data:`BUCKETS`, the last table Okta published
  (okta-api.md §10, rate-limits.md §1.2): an exact pattern wins, otherwise the
  longest prefix. Limits are not taken from the table — they are learned from
  ``X-Rate-Limit-Limit/-Remaining/-Reset`` on each response.
* Each bucket lets a request go while ``remaining`` stays above a reserve of
  ``(1 - target_share) × limit``; when the budget is spent it holds until the
  window resets. A budget gate, not a token bucket: Okta meters whole windows,
  and spreading a handful of verification reads across a minute would only slow
  them down. ``Reset`` is read against the server's ``Date`` so our clock's skew
  does not shorten the wait (the SDK does the same, rate-limits.md §1.5).
* At most ``max_in_flight`` requests run at once; a concurrency 429 halves that
  cap and each run of successes wins one slot back (additive increase,
  multiplicative decrease, rate-limits.md §1.5 item 3).
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from atomation.okta.clock import Clock
from atomation.okta.errors import RateLimited

__all__ = [
    "BUCKETS",
    "MAX_IN_FLIGHT",
    "TARGET_SHARE",
    "InFlightGate",
    "Pacer",
    "RateLimitBucket",
    "RateLimitState",
    "bucket_for",
    "read_rate_limit",
]

logger = logging.getLogger(__name__)

# Eight requests in flight: Okta's own sizing rule says even large bulk loads
# rarely need more than ten, and the org-wide cap is 75 (35 on small plans), of
# which a service app gets a share (rate-limits.md §1.3, §1.5 item 3).
MAX_IN_FLIGHT = 8

# Half of what the response advertises. Whether ``X-Rate-Limit-Limit`` shows the
# org bucket or the app's share is not settled (rate-limits.md §1.6, okta-api.md
# §10); at 0.5 we stay within the default app share in the first case and leave
# the customer's other integrations room in the second.
TARGET_SHARE = 0.5

# ``Date`` has one-second resolution, so a wait computed from it may be up to a
# second short (the SDK adds the same second, okta-api.md §9.2).
DATE_RESOLUTION = 1.0


@dataclass(frozen=True)
class RateLimitBucket:
    """A set of endpoints that share one Okta quota.

    ``pattern`` is a path where ``{id}`` stands for one segment; a trailing ``*``
    makes it a prefix pattern.
    """

    name: str
    pattern: str

    @property
    def is_prefix(self) -> bool:
        return self.pattern.endswith("*")

    def segments(self) -> list[str]:
        return self.pattern.rstrip("*").strip("/").split("/")


# Source: okta-api.md §10 and rate-limits.md §1.2 (the management table Okta last
# published, removed 2025-12-16); rows marked inferred there follow the
# longest-prefix rule. Only the grouping matters here, not the numbers.
BUCKETS: tuple[RateLimitBucket, ...] = (
    RateLimitBucket("org-metadata", "/.well-known*"),
    RateLimitBucket("token", "/oauth2/v1/token"),
    RateLimitBucket("oauth2-clients", "/oauth2/v1/clients*"),
    RateLimitBucket("users-list", "/api/v1/users"),
    RateLimitBucket("user-by-id", "/api/v1/users/{id}"),
    RateLimitBucket("groups", "/api/v1/groups*"),
    RateLimitBucket("group-by-id", "/api/v1/groups/{id}"),
    RateLimitBucket("apps", "/api/v1/apps*"),
    RateLimitBucket("app-by-id", "/api/v1/apps/{id}"),
    RateLimitBucket("logs", "/api/v1/logs*"),
    RateLimitBucket("events", "/api/v1/events*"),
    RateLimitBucket("management", "/api/v1*"),
)
OTHER = RateLimitBucket("other", "/*")


def _matches(bucket: RateLimitBucket, parts: list[str]) -> bool:
    pattern = bucket.segments()
    if bucket.is_prefix:
        if len(parts) < len(pattern):
            return False
    elif len(parts) != len(pattern):
        return False
    return all(p == "{id}" or p == s for p, s in zip(pattern, parts, strict=False))


def bucket_for(path: str) -> RateLimitBucket:
    """The bucket a request path draws from: exact match first, then longest prefix."""
    parts = path.split("?", 1)[0].strip("/").split("/")
    exact = [b for b in BUCKETS if not b.is_prefix and _matches(b, parts)]
    if exact:
        return exact[0]
    prefixes = [b for b in BUCKETS if b.is_prefix and _matches(b, parts)]
    if not prefixes:
        return OTHER
    return max(prefixes, key=lambda b: len(b.segments()))


@dataclass(frozen=True)
class RateLimitState:
    """The rate-limit headers of one response, with the server's clock."""

    limit: int
    remaining: int
    reset: float
    server_now: float | None

    @property
    def is_concurrency(self) -> bool:
        """A concurrency refusal says Limit 0 and Remaining 0 (okta-api.md §3.4)."""
        return self.limit == 0 and self.remaining == 0

    def seconds_to_reset(self, local_now: float) -> float:
        """Time until the window resets, measured on the server's clock if known."""
        now = self.server_now if self.server_now is not None else local_now
        return max(0.0, self.reset - now) + DATE_RESOLUTION


def read_rate_limit(headers: Mapping[str, str]) -> RateLimitState | None:
    """Parse ``x-rate-limit-*`` and ``Date``; None when they are absent or broken."""
    try:
        limit = int(headers["x-rate-limit-limit"])
        remaining = int(headers["x-rate-limit-remaining"])
        reset = float(headers["x-rate-limit-reset"])
    except (KeyError, ValueError):
        return None
    return RateLimitState(limit, remaining, reset, server_time(headers))


def server_time(headers: Mapping[str, str]) -> float | None:
    """The server's ``Date`` as epoch seconds, or None."""
    raw = headers.get("date")
    if not raw:
        return None
    try:
        return parsedate_to_datetime(raw).timestamp()
    except (TypeError, ValueError):
        return None


class BucketLimiter:
    """What we know of one bucket's current window, and the gate in front of it."""

    def __init__(self, bucket: RateLimitBucket, target_share: float) -> None:
        self.bucket = bucket
        self.target_share = target_share
        self.limit: int | None = None
        self.remaining: int | None = None
        self.reset: float | None = None
        self.reset_local: float | None = None
        # While the window is unknown, one request goes first to learn it, so
        # that a crowd of waiting requests cannot all go out before any answer.
        self.probing = False
        self.unmetered = False
        self.warned_for: float | None = None  # the reset the last warning named
        # Counts the windows seen end. A request's spend is good only for the
        # window it was made in (see :meth:`still_current`).
        self.window = 0
        self.in_flight = 0
        """This bucket's requests sent and not yet answered."""
        self._settled = asyncio.Event()

    def reserve(self) -> int:
        assert self.limit is not None
        return math.ceil((1.0 - self.target_share) * self.limit)

    def budget(self, local_now: float) -> int | None:
        """Requests we may still send in this window; None while unknown."""
        if self.reset_local is not None and local_now >= self.reset_local:
            self.remaining = None  # a new window: learn it from the next response
            self.reset_local = None
            self.window += 1
        if self.limit is None or self.remaining is None:
            return None
        return self.remaining - self.reserve()

    def spend(self) -> None:
        if self.remaining is not None:
            self.remaining -= 1

    def still_current(self, window: int, local_now: float) -> bool:
        """Whether the window a request spent its budget in is still the current one.

        A request spends before it queues for a slot in flight. If the window
        ends while it queues, Okta counts it in the next window, where the
        budget learned from the next response does not include it: sent anyway,
        a queue of such requests overdraws the new window into 429s.
        """
        self.budget(local_now)
        return self.window == window

    async def wait_for_probe(self) -> None:
        await self._settled.wait()

    def settle(self) -> None:
        """The probe's answer is in (or it failed): let the waiting requests look."""
        if self.probing:
            self.probing = False
            settled, self._settled = self._settled, asyncio.Event()
            settled.set()

    def observe(self, state: RateLimitState, local_now: float) -> None:
        """Take a response's headers; a concurrency refusal says nothing of quota."""
        if state.is_concurrency or state.limit <= 0:
            return
        if self.reset is not None and state.reset < self.reset:
            # A late answer from a window already over (sent before it ended):
            # its ``Remaining`` is that window's, and taking it as news would
            # make the next response look like yet another new window, whose
            # header cannot count the requests still on their way.
            return
        self.unmetered = False
        offset = (state.server_now - local_now) if state.server_now is not None else 0.0
        new_window = self.reset is None or state.reset != self.reset
        self.limit = state.limit
        if new_window:
            self.window += 1  # spends queued for a slot were made against the old one
        if new_window or self.remaining is None:
            # The header counts what reached Okta before this answer. Requests
            # of ours still on their way were sent before the window was seen
            # to turn, so no spend of this window counts them either; they may
            # well land in it, and are taken off as if they will.
            self.remaining = state.remaining - self.in_flight
        else:
            # Our own count already includes requests still in flight.
            self.remaining = min(self.remaining, state.remaining)
        self.reset = state.reset
        self.reset_local = state.reset - offset + DATE_RESOLUTION


class InFlightGate:
    """At most ``cap`` requests at once; the cap shrinks on a concurrency 429."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.cap = limit
        self.in_flight = 0
        self._successes = 0
        self._changed = asyncio.Condition()

    async def enter(self) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: self.in_flight < self.cap)
            self.in_flight += 1

    async def leave(self) -> None:
        async with self._changed:
            self.in_flight -= 1
            self._changed.notify_all()

    def back_off(self) -> None:
        """Halve the cap (never below one) after a concurrency refusal."""
        self.cap = max(1, self.cap // 2)
        self._successes = 0
        logger.warning(
            "Okta concurrency limit reached: %d requests in flight at most", self.cap
        )

    def succeeded(self) -> None:
        """Win one slot back after ``cap`` successes in a row."""
        if self.cap >= self.limit:
            return
        self._successes += 1
        if self._successes >= self.cap:
            self.cap += 1
            self._successes = 0


class Pacer:
    """The limiters of one org: one per bucket, and one gate for requests in flight."""

    def __init__(
        self,
        clock: Clock,
        *,
        target_share: float = TARGET_SHARE,
        max_in_flight: int = MAX_IN_FLIGHT,
        jitter: Callable[[], float],
    ) -> None:
        if not 0.0 < target_share <= 1.0:
            raise ValueError("target_share must be in (0, 1]")
        self.clock = clock
        self.target_share = target_share
        self.gate = InFlightGate(max_in_flight)
        self._jitter = jitter
        self._limiters: dict[str, BucketLimiter] = {}
        self.waits = 0
        """Rate-limit waits: bucket windows waited out, plus 429s waited on."""

    def limiter(self, path: str) -> BucketLimiter:
        bucket = bucket_for(path)
        if bucket.name not in self._limiters:
            self._limiters[bucket.name] = BucketLimiter(bucket, self.target_share)
        return self._limiters[bucket.name]

    async def wait_for_budget(self, path: str, *, max_wait: float) -> BucketLimiter:
        """Hold until the bucket of ``path`` has budget, then spend one request.

        A planned wait is not a failure, so waits add up without limit; only a
        single wait longer than ``max_wait`` gives up (a verification does not
        sit out a whole window). Call :meth:`BucketLimiter.settle` once the
        request is answered.
        """
        limiter = self.limiter(path)
        while True:
            now = self.clock.now()
            budget = limiter.budget(now)
            if budget is None:
                if limiter.unmetered or not limiter.probing:
                    limiter.probing = not limiter.unmetered
                    return limiter
                await limiter.wait_for_probe()
                continue
            if budget > 0:
                limiter.spend()
                return limiter
            assert limiter.reset_local is not None
            # No jitter here, unlike after a 429: when the window turns, the
            # first request to wake probes it and the others wait for its
            # answer (``probing``), so they cannot go out together; jitter
            # would only idle the bucket for part of every window.
            wait = limiter.reset_local - now
            if wait > max_wait:
                raise RateLimited(
                    f"the app's share of the Okta rate limit for {limiter.bucket.name} "
                    f"requests ({path}) is used up for {wait:.0f} more seconds",
                    hint="wait a minute and run again; if it keeps happening, raise "
                    "the app's rate limit share in Okta (Applications > the app > "
                    "Application rate limits) or lower Atomation's pace.",
                    path=path,
                )
            if limiter.warned_for != limiter.reset_local:
                # One line per bucket and window, not one per waiting request.
                limiter.warned_for = limiter.reset_local
                self.waits += 1
                logger.warning(
                    "rate-limit wait: %.1f s for bucket %s (limit %s, remaining %s)",
                    wait,
                    limiter.bucket.name,
                    limiter.limit,
                    limiter.remaining,
                )
            await self.clock.sleep(wait)

    async def wait_for_reset(
        self, path: str, state: RateLimitState | None, *, deadline: float
    ) -> None:
        """After a 429: sleep until the window resets (plus jitter) or give up."""
        now = self.clock.now()
        if state is not None and state.is_concurrency:
            self.gate.back_off()
            wait = 1.0 + self._jitter()
        elif state is not None:
            wait = state.seconds_to_reset(now) + self._jitter()
            self.limiter(path).remaining = 0
        else:
            wait = 60.0 + self._jitter()  # no headers: assume a whole window
        if now + wait > deadline:
            raise RateLimited(
                f"Okta answered 429 (rate limited) for {path} and the window resets "
                f"in {wait:.0f} seconds, beyond the time allowed for this run",
                hint="wait a minute and run again; if it keeps happening, raise the "
                "app's rate limit share in Okta (Applications > the app > "
                "Application rate limits) or lower Atomation's pace.",
                status=429,
                code="E0000047",
                path=path,
            )
        self.waits += 1
        logger.warning("rate-limit wait: %.1f s after a 429 on %s", wait, path)
        await self.clock.sleep(wait)
