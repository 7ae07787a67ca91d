"""The first request of every collection: the family's path, its page size, filters.

Each list is read with the biggest ``limit`` Okta documents for it, so the fewest
requests are spent on each rate-limit bucket; lists whose maximum Okta does not
document are read with Okta's own page size and followed by their ``next`` links.
Every figure below is from okta-api.md §3.5 (the spec's ``listX`` operations) and
rate-limits.md §1.2.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

from atomation.snapshot.capture.options import okta_instant
from atomation.snapshot.data import FAMILIES
from atomation.snapshot.log_events import event_type_filters

__all__ = [
    "DEPROVISIONED",
    "PAGE_LIMITS",
    "LogSlice",
    "chain_of",
    "first_request",
    "log_slices",
]

PAGE_LIMITS: Mapping[str, int] = {
    "users": 200,  # max 200 (§3.5, listUsers)
    "groups": 10000,  # spec max 10,000; a 500 halves it (rate-limits.md §1.2)
    "group_members": 1000,  # default and recommended max 1,000 (§3.5)
    "group_rules": 200,  # max 200 (rate-limits.md §1.2)
    "apps": 200,  # max 200 (§3.5, listApplications)
    "app_users": 500,  # max 500 (§3.5)
    "app_groups": 200,  # max 200 (§3.5)
    "trusted_origins": 200,  # max 200 (§3.5)
    "authorization_servers": 200,  # max 200 (§3.5)
    "idps": 200,  # max 200 (§3.5)
    "role_assignees": 100,  # default 100, the only figure given (§3.5)
    "logs": 1000,  # 0..1,000 (§5)
}
"""Families read with an explicit ``limit``; the rest take Okta's default page:
policies and their rules (no maximum stated, §12.12), zones (default: all), the
``/iam`` roles and resource sets (undocumented), and the unpaged per-object reads
(factors, roles, scopes, claims, authorization-server policies and rules)."""

# Okta leaves DEPROVISIONED users out of /api/v1/users unless the query has a
# search or filter (okta-api.md §3.5), so they are read again with a search, into
# the collection ``users:deprovisioned``.
DEPROVISIONED = "deprovisioned"
_DEPROVISIONED_SEARCH = 'status eq "DEPROVISIONED"'


def first_request(family: str, key: str | None = None) -> str:
    """Path and query of the first page of collection ``family[:key]``."""
    params: list[tuple[str, str]] = []
    if family == "users" and key == DEPROVISIONED:
        path = FAMILIES["users"].path
        params.append(("search", _DEPROVISIONED_SEARCH))
    else:
        path = FAMILIES[family].request_path(key)
    if family in PAGE_LIMITS:
        params.append(("limit", str(PAGE_LIMITS[family])))
    return _with_params(path, params)


@dataclass(frozen=True)
class LogSlice:
    """One bounded since/until slice of the System Log window: one collection."""

    since: datetime
    until: datetime

    @property
    def key(self) -> str:
        return okta_instant(self.since)

    def chains(self, event_types: Sequence[str] | None) -> list[str]:
        """The slice's queries: one per filter chunk, or one unfiltered.

        Each is bounded (``since`` and ``until``), so it is ordered by
        ``published`` and its last page has no ``next`` (okta-api.md §5).
        """
        base = [
            ("since", okta_instant(self.since)),
            ("until", okta_instant(self.until)),
            ("limit", str(PAGE_LIMITS["logs"])),
        ]
        path = FAMILIES["logs"].path
        if event_types is None:
            return [_with_params(path, base)]
        return [
            _with_params(path, [*base, ("filter", expression)])
            for expression in event_type_filters(event_types)
        ]


def log_slices(since: datetime, until: datetime, slice_days: int) -> list[LogSlice]:
    """``[since, until)`` cut into consecutive slices of ``slice_days``."""
    step = timedelta(days=slice_days)
    slices = []
    start = since
    while start < until:
        end = min(start + step, until)
        slices.append(LogSlice(start, end))
        start = end
    return slices


def chain_of(chains: Sequence[str], request: str) -> int:
    """Which of a collection's query chains ``request`` (a page of it) belongs to.

    A ``next`` link keeps the query's ``filter`` (okta-api.md §5), which is what
    tells the chains of one log slice apart; a one-chain collection is chain 0.
    """
    if len(chains) == 1:
        return 0
    wanted = _param(request, "filter")
    for index, chain in enumerate(chains):
        if _param(chain, "filter") == wanted:
            return index
    raise ValueError(f"{request} belongs to none of the collection's queries")


def _param(request: str, name: str) -> str | None:
    for key, value in parse_qsl(urlsplit(request).query, keep_blank_values=True):
        if key == name:
            return value
    return None


def _with_params(path: str, params: list[tuple[str, str]]) -> str:
    if not params:
        return path
    joiner = "&" if "?" in path else "?"
    return f"{path}{joiner}{urlencode(params)}"
