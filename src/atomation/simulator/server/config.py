"""Settings of the simulated org's server.

Where Okta's behaviour is documented the server just does it; where the reference marks
it UNCONFIRMED (``okta-api.md`` §12) it is a setting here, with the default we believe
closest to Okta and the source of that belief beside it. ``docs/simulator.md`` lists
them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "DEFAULT_ROLE_ASSIGNMENT_READERS",
    "FaultConfig",
    "JwksCachePolicy",
    "RateLimitTier",
    "SimulatorConfig",
]

RateLimitTier = Literal["workforce", "enterprise", "off"]

# Roles allowed to read role assignments (/users/{id}/roles, /groups/{id}/roles,
# /iam/assignees/users, /oauth2/v1/clients/{id}/roles). Okta's help pages make viewing
# administrators a Super Admin permission, yet whether READ_ONLY_ADMIN is refused over
# the API is UNCONFIRMED (okta-api.md §6, §12.8); the default lets it read, so the
# product's happy path is exercised, and a test can take READ_ONLY_ADMIN out.
DEFAULT_ROLE_ASSIGNMENT_READERS = frozenset(
    {"SUPER_ADMIN", "ORG_ADMIN", "READ_ONLY_ADMIN"}
)


@dataclass(frozen=True)
class JwksCachePolicy:
    """How the token endpoint caches each app's ``jwks_uri`` (UNCONFIRMED, §1.3)."""

    # Okta says it fetches "the latest" key dynamically; five minutes is a guess at a
    # cache short enough for rotation to work without a config change.
    cache_seconds: float = 300.0
    # Re-fetch once when the assertion names a kid the cached set lacks.
    refetch_on_unknown_kid: bool = True
    timeout_seconds: float = 5.0


@dataclass
class FaultConfig:
    """Faults injected on demand, to exercise a client's resilience."""

    error_rate: float = 0.0  # fraction of metered requests answered 500 E0000009
    slow_rate: float = 0.0  # fraction delayed by ``slow_seconds`` (simulated)
    slow_seconds: float = 30.0
    drop_rate: float = 0.0  # fraction whose connection is cut mid-response
    error_above_limit: int | None = None  # 500 for list pages asking limit > N
    repeat_cursor: bool = False  # every next link repeats the request's own cursor
    seed: int = 0


@dataclass
class SimulatorConfig:
    """Everything that shapes the server's behaviour, apart from the org's data."""

    rate_limits: RateLimitTier = "workforce"
    # An OAuth service app (or API token) may use this share of each bucket and of
    # the concurrency limit; Okta's default is 50 % (okta-api.md §10, rate-limits 1.6).
    app_rate_share: float = 0.5
    concurrency_limit: int = 75  # Workforce and Enterprise (rate-limits.md 1.3)
    # Simulated seconds added to each metered response; (low, high) draws uniformly.
    # Okta's own sizing examples use 250-400 ms (rate-limits.md 1.7).
    latency: tuple[float, float] = (0.2, 0.4)
    # Allowed clock skew for assertion exp/iat and DPoP iat: UNCONFIRMED (§12.2).
    clock_skew_seconds: float = 0.0
    jwks_cache: JwksCachePolicy = field(default_factory=JwksCachePolicy)
    # Body of the 401 for an expired/unknown OAuth access token on /api/v1: empty
    # (one observed report) or E0000011 JSON (documented for API tokens), §3.2.
    unauthorized_body: Literal["empty", "E0000011"] = "empty"
    role_assignment_readers: frozenset[str] = DEFAULT_ROLE_ASSIGNMENT_READERS
    # An out-of-range ``limit``: clamp to the endpoint's bounds or 400 E0000001
    # (UNCONFIRMED, §12.12).
    limit_out_of_range: Literal["clamp", "error"] = "clamp"
    # Custom authorization servers need API Access Management; without it Okta
    # answers 401 E0000015 (okta-api.md §3.5).
    api_access_management: bool = True
    faults: FaultConfig = field(default_factory=FaultConfig)
