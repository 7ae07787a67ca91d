"""Okta's per-bucket, per-minute rate limits and the org concurrency limit.

The bucket table is the last one Okta published (okta-api.md §10, rate-limits.md §1.2,
[DOC-OLD rl-global-mgmt]). A request falls into the bucket whose template matches its
path exactly, else into the longest matching prefix bucket (``*`` rows), and the
method must match when a bucket names one. Rows marked *inferred* in rate-limits.md
(e.g. ``/groups/{id}/users`` counted with the groups list) are modelled as prefix
buckets.

Windows are 60 simulated seconds that start at the first request after the previous
window ended, so they are not aligned to wall-clock minutes (rate-limits.md 1.1). Each
principal (an OAuth app or the API token) may use ``share`` of a bucket and of the
concurrency limit; the org bucket caps everyone together. ``X-Rate-Limit-Limit`` shows
the principal's ceiling, as observed for an OAuth app at 50 % [CAS].
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass

from atomation.simulator.server.config import RateLimitTier

__all__ = [
    "BUCKETS",
    "ConcurrencyGate",
    "RateDecision",
    "RateLimitBucket",
    "RateLimiter",
    "find_bucket",
]

WINDOW_SECONDS = 60.0


@dataclass(frozen=True)
class RateLimitBucket:
    """One row of the table: a path template (exact) or prefix (``*``) with quotas."""

    name: str
    template: str
    workforce: int
    enterprise: int
    methods: frozenset[str] | None = None
    # literal segments a ``{id}`` must not stand for (``/groups/rules`` is no group)
    not_ids: frozenset[str] = frozenset()

    @property
    def is_prefix(self) -> bool:
        return self.template.endswith("*")

    def matches(self, method: str, path: str) -> bool:
        if self.methods is not None and method not in self.methods:
            return False
        if self.is_prefix:
            return path.startswith(self.template[:-1])
        match = _template_regex(self.template).fullmatch(path)
        return match is not None and not (set(path.split("/")) & self.not_ids)

    def per_minute(self, tier: RateLimitTier) -> int:
        return self.enterprise if tier == "enterprise" else self.workforce


def _template_regex(template: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)))


_GET_POST = frozenset({"GET", "POST"})

# Workforce and Enterprise columns of the 2025 "Management rate limits" table.
BUCKETS: tuple[RateLimitBucket, ...] = (
    RateLimitBucket("users.list", "/api/v1/users", 600, 600, _GET_POST),
    RateLimitBucket("users.get", "/api/v1/users/{id}", 2000, 1000, frozenset({"GET"})),
    RateLimitBucket("groups.list", "/api/v1/groups", 500, 600),
    RateLimitBucket(
        "groups.get", "/api/v1/groups/{id}", 1000, 600, not_ids=frozenset({"rules"})
    ),
    RateLimitBucket("groups.other", "/api/v1/groups/*", 500, 600),  # inferred
    RateLimitBucket("apps.get", "/api/v1/apps/{id}", 500, 600),
    RateLimitBucket("apps", "/api/v1/apps*", 100, 100),
    RateLimitBucket("logs", "/api/v1/logs*", 120, 50),
    RateLimitBucket("events", "/api/v1/events*", 100, 50),
    RateLimitBucket("oauth2.clients", "/oauth2/v1/clients*", 100, 100),
    # The org authorization server's token endpoint is an authentication bucket that
    # the management table does not list; 600/min is an assumption, not a source.
    RateLimitBucket("oauth2.token", "/oauth2/v1/token", 600, 600),
    RateLimitBucket("api.other", "/api/v1/*", 1200, 600),
)


def find_bucket(method: str, path: str) -> RateLimitBucket | None:
    """Exact template match first, then the longest matching prefix; else unmetered."""
    for bucket in BUCKETS:
        if not bucket.is_prefix and bucket.matches(method, path):
            return bucket
    prefixes = [b for b in BUCKETS if b.is_prefix and b.matches(method, path)]
    if not prefixes:
        return None
    return max(prefixes, key=lambda b: len(b.template))


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    reset: int  # UTC epoch seconds


@dataclass
class _Window:
    start: float
    count: int = 0


class RateLimiter:
    """Per-bucket minute windows for the org and for each principal."""

    def __init__(self, tier: RateLimitTier, share: float) -> None:
        self.tier = tier
        self.share = share
        self._windows: dict[tuple[str, str | None], _Window] = {}
        self._lock = threading.Lock()

    def _window(self, key: tuple[str, str | None], now: float) -> _Window:
        window = self._windows.get(key)
        if window is None or now >= window.start + WINDOW_SECONDS:
            window = _Window(start=now)
            self._windows[key] = window
        return window

    def ceiling(self, bucket: RateLimitBucket, principal: str | None) -> int:
        org_limit = bucket.per_minute(self.tier)
        if principal is None:
            return org_limit
        return max(1, math.floor(org_limit * self.share))

    def acquire(
        self, bucket: RateLimitBucket, principal: str | None, now: float
    ) -> RateDecision:
        """Count one request, or refuse it when the principal or the org is spent."""
        org_limit = bucket.per_minute(self.tier)
        ceiling = self.ceiling(bucket, principal)
        with self._lock:
            org = self._window((bucket.name, None), now)
            own = (
                org
                if principal is None
                else self._window((bucket.name, principal), now)
            )
            used_up = own.count >= ceiling or org.count >= org_limit
            enforce = self.tier != "off"
            if not (used_up and enforce):
                own.count += 1
                if own is not org:
                    org.count += 1
            remaining = max(0, min(ceiling - own.count, org_limit - org.count))
            reset = math.ceil(own.start + WINDOW_SECONDS)
            return RateDecision(not (used_up and enforce), ceiling, remaining, reset)


class ConcurrencyGate:
    """In-flight requests per org and per principal (rate-limits.md 1.3)."""

    def __init__(self, limit: int, share: float, enforce: bool) -> None:
        self.limit = limit
        self.share = share
        self.enforce = enforce
        self._org = 0
        self._by_principal: dict[str | None, int] = {}
        self._lock = threading.Lock()

    def enter(self, principal: str | None) -> bool:
        own_limit = (
            self.limit if principal is None else math.floor(self.limit * self.share)
        )
        with self._lock:
            own = self._by_principal.get(principal, 0)
            if self.enforce and (self._org >= self.limit or own >= own_limit):
                return False
            self._org += 1
            self._by_principal[principal] = own + 1
            return True

    def leave(self, principal: str | None) -> None:
        with self._lock:
            self._org -= 1
            self._by_principal[principal] = self._by_principal.get(principal, 1) - 1
