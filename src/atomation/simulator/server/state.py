"""The mutable state of one simulated org's server, shared by every route.

The org's data lives in the ``Org`` object; this holds what the server itself owns:
issued access tokens, used ``jti`` values, scope grants of the apps created through
the admin API, DPoP nonces, rate-limit windows, the request log and hosted JWKS
documents (a test helper).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from atomation.simulator.server.clock import SimulatedClock
from atomation.simulator.server.config import SimulatorConfig
from atomation.simulator.server.ratelimit import ConcurrencyGate, RateLimiter

__all__ = [
    "AccessToken",
    "RequestRecord",
    "ServerState",
    "TokenStore",
]

ACCESS_TOKEN_SECONDS = 3600  # "fixed at one hour" (okta-api.md §1.4)
NONCE_PERIOD_SECONDS = 24 * 3600  # Okta renews the DPoP nonce daily (§2.3)
NONCE_GRACE_SECONDS = 3 * 24 * 3600  # an old nonce keeps working for 3 days (§2.3)
REQUEST_LOG_SIZE = 1_000_000  # about 200 MB at most


@dataclass(frozen=True)
class AccessToken:
    client_id: str
    scopes: tuple[str, ...]
    expires_at: float  # simulated epoch seconds
    jkt: str | None  # RFC 7638 thumbprint of the DPoP key, when bound


@dataclass(frozen=True)
class RequestRecord:
    """One exchange as the server saw it, for tests that check a client's traffic."""

    method: str
    path: str
    query: str
    status: int
    client_id: str | None
    time: float  # simulated epoch seconds


class TokenStore:
    """Opaque access tokens: random strings mapped to what they grant."""

    def __init__(self) -> None:
        self._tokens: dict[str, AccessToken] = {}
        self._lock = threading.Lock()

    def issue(self, token: AccessToken) -> str:
        value = secrets.token_urlsafe(48)
        with self._lock:
            self._tokens[value] = token
        return value

    def get(self, value: str) -> AccessToken | None:
        with self._lock:
            return self._tokens.get(value)


class _SingleUse:
    """Values seen once (assertion and proof ``jti``), kept until they can't matter."""

    def __init__(self) -> None:
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def first_use(self, value: str, keep_until: float, now: float) -> bool:
        with self._lock:
            if len(self._seen) > 10000:
                self._seen = {k: v for k, v in self._seen.items() if v > now}
            if value in self._seen:
                return False
            self._seen[value] = keep_until
            return True


@dataclass
class ServerState:
    org: Any  # atomation.simulator.org.Org, or any object with its read API
    base_url: str
    admin_token: str
    config: SimulatorConfig
    clock: SimulatedClock
    tokens: TokenStore = field(default_factory=TokenStore)
    assertion_jtis: _SingleUse = field(default_factory=_SingleUse)
    proof_jtis: _SingleUse = field(default_factory=_SingleUse)
    # app id -> scope grant objects (``/api/v1/apps/{id}/grants``)
    grants: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    hosted_jwks: dict[str, dict[str, Any]] = field(default_factory=dict)
    # System Log events of admin writes made while serving (server/changes.py),
    # in publishing order; all after the generated window
    admin_events: list[dict[str, Any]] = field(default_factory=list)
    # the most recent exchanges, oldest first; bounded so a long demo cannot grow
    # without limit
    requests: deque[RequestRecord] = field(
        default_factory=lambda: deque(maxlen=REQUEST_LOG_SIZE)
    )
    nonce_secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    limiter: RateLimiter = field(init=False)
    concurrency: ConcurrencyGate = field(init=False)

    def __post_init__(self) -> None:
        self.limiter = RateLimiter(self.config.rate_limits, self.config.app_rate_share)
        self.concurrency = ConcurrencyGate(
            self.config.concurrency_limit,
            self.config.app_rate_share,
            enforce=self.config.rate_limits != "off",
        )

    @property
    def token_endpoint(self) -> str:
        return f"{self.base_url}/oauth2/v1/token"

    def now(self) -> float:
        return self.clock.timestamp()

    # DPoP nonces: one per 24-hour period, derived from a secret so that no table of
    # issued nonces is needed; a nonce is accepted for its own period and 3 days more.
    def _nonce_for(self, period: int) -> str:
        digest = hmac.new(self.nonce_secret, str(period).encode(), hashlib.sha256)
        return digest.hexdigest()[:32]

    def current_nonce(self) -> str:
        return self._nonce_for(int(self.now() // NONCE_PERIOD_SECONDS))

    def nonce_is_valid(self, nonce: str) -> bool:
        now = self.now()
        period = int(now // NONCE_PERIOD_SECONDS)
        grace_periods = NONCE_GRACE_SECONDS // NONCE_PERIOD_SECONDS
        for candidate in range(period - grace_periods, period + 1):
            valid_until = (candidate + 1) * NONCE_PERIOD_SECONDS + NONCE_GRACE_SECONDS
            if now < valid_until and hmac.compare_digest(
                nonce, self._nonce_for(candidate)
            ):
                return True
        return False

    def find_client(self, client_id: str) -> dict[str, Any] | None:
        """The OAuth app whose ``client_id`` (or id) is ``client_id``."""
        for app in self.org.apps:
            oauth = app.get("credentials", {}).get("oauthClient") or {}
            if oauth.get("client_id") == client_id:
                return dict(app)
        app = self.org.app(client_id)
        if app is not None and app.get("signOnMode") == "OPENID_CONNECT":
            return dict(app)
        return None

    def client_role_types(self, client_id: str) -> list[str]:
        return [a.get("type", "") for a in self.org.client_roles.get(client_id, [])]

    def granted_scopes(self, app_id: str) -> set[str]:
        return {
            g["scopeId"]
            for g in self.grants.get(app_id, [])
            if g.get("status") == "ACTIVE"
        }
