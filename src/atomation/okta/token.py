"""Access tokens for the ten read scopes, and how they are presented on reads.

The flow (okta-api.md §1–§2): ``client_credentials`` at the org authorization
server with a fresh client assertion per request; with DPoP, a proof on the token
request, a ``use_dpop_nonce`` challenge answered with a new assertion *and* a new
proof (the first assertion's ``jti`` is spent, §1.2), and a proof with ``ath`` on
each read. The token lives for one hour (§1.4) and is reused until shortly before
that; Okta says to treat it as opaque, so we never parse it.

DPoP modes of a connection:

``off``
    never send a proof. An app that requires DPoP refuses the token request with
    ``invalid_dpop_proof`` (no proof was sent) → :class:`DPoPRequired`.
``on``
    always send a proof. If Okta still issues a ``Bearer`` token, the app does not
    require DPoP, so the tokens it issues are not bound to our key; the connection
    asked for bound tokens, so this is refused → :class:`DPoPNotSupported`.
``auto``
    start as the connection last learned (``dpop_required``), else without a
    proof; when Okta answers ``invalid_dpop_proof`` to a request without one,
    switch to DPoP and record that the app requires it.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlencode

import httpx

from atomation.okta.assertion import JwsSigner, client_assertion
from atomation.okta.classify import oauth_error, token_error
from atomation.okta.clock import Clock
from atomation.okta.dpop import DPoPKey, dpop_proof
from atomation.okta.errors import DPoPNotSupported, UnexpectedResponse
from atomation.okta.pages import Page
from atomation.okta.ratelimit import server_time

__all__ = [
    "ASSERTION_TYPE",
    "IAT_LEEWAY",
    "OKTA_READ_SCOPES",
    "RENEW_BEFORE_EXPIRY",
    "AccessToken",
    "DPoPMode",
    "TokenSource",
]

logger = logging.getLogger(__name__)

DPoPMode = Literal["auto", "on", "off"]

OKTA_READ_SCOPES: tuple[str, ...] = (
    "okta.users.read",
    "okta.groups.read",
    "okta.apps.read",
    "okta.policies.read",
    "okta.logs.read",
    "okta.networkZones.read",
    "okta.trustedOrigins.read",
    "okta.roles.read",
    "okta.authorizationServers.read",
    "okta.idps.read",
)
"""The ten scopes the app is granted, and nothing else (DESIGN)."""

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

# Assertions and proofs are dated this many seconds in the past. Okta refuses an
# ``iat`` after the moment the request arrives (okta-api.md §1.2, §2.2) and its
# tolerance is unconfirmed (§12 item 2), so a clock a second or two ahead of
# Okta's would fail every token request. Both stay well inside their lifetimes
# (five minutes for each).
IAT_LEEWAY = 5

# Renew five minutes before the hour is up (the SDK's default renewal offset,
# okta-api.md §9.1), so a token never expires between a check and its use.
RENEW_BEFORE_EXPIRY = 300


class AccessToken:
    """An issued access token; ``repr`` and ``str`` never show its value."""

    __slots__ = ("_value", "expires_at", "scopes", "token_type")

    def __init__(
        self, value: str, *, token_type: str, scopes: Sequence[str], expires_at: float
    ) -> None:
        self._value = value
        self.token_type = token_type
        self.scopes = tuple(scopes)
        self.expires_at = expires_at

    def reveal(self) -> str:
        """The token itself, for an ``Authorization`` header and nothing else."""
        return self._value

    @property
    def is_dpop(self) -> bool:
        return self.token_type.lower() == "dpop"

    def __repr__(self) -> str:
        return (
            f"AccessToken(token_type={self.token_type!r}, scopes={self.scopes!r}, "
            "value=***)"
        )

    __str__ = __repr__


@dataclass
class _TokenRequest:
    request: httpx.Request
    sent_at: float
    sent_proof: bool


Exchange = Callable[
    [Callable[[], httpx.Request], str], Awaitable[tuple[httpx.Response, Page]]
]


class TokenSource:
    """Gets, caches and renews the token; builds the headers that present it."""

    def __init__(
        self,
        *,
        token_url: str,
        client_id: str,
        signer: JwsSigner,
        scopes: Sequence[str],
        dpop: DPoPMode,
        dpop_required: bool | None,
        clock: Clock,
        exchange: Exchange,
        new_jti: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        if dpop not in ("auto", "on", "off"):
            raise ValueError(f"unknown DPoP mode {dpop!r}")
        self.token_url = token_url
        self.client_id = client_id
        self.scopes = tuple(scopes)
        self.mode: DPoPMode = dpop
        self.dpop_required = dpop_required
        self._signer = signer
        self._clock = clock
        self._exchange = exchange
        self._new_jti = new_jti
        self._token: AccessToken | None = None
        self._dpop_key: DPoPKey | None = None
        self.nonce: str | None = None
        self.uses_dpop = dpop == "on" or (dpop == "auto" and dpop_required is True)

    def __repr__(self) -> str:
        return f"TokenSource(client_id={self.client_id!r}, dpop={self.mode!r})"

    @property
    def dpop_key(self) -> DPoPKey:
        if self._dpop_key is None:
            self._dpop_key = DPoPKey.generate()
        return self._dpop_key

    def invalidate(self) -> None:
        """Forget the cached token, e.g. after Okta refused it with a 401."""
        self._token = None

    async def token(self) -> AccessToken:
        """The cached token, or a new one when none is cached or it nears expiry."""
        if self._token is None or self._clock.now() >= (
            self._token.expires_at - RENEW_BEFORE_EXPIRY
        ):
            self._token = await self._request_token()
        return self._token

    def _build(self, sent: list[_TokenRequest]) -> httpx.Request:
        now = self._clock.now()
        issued = int(now) - IAT_LEEWAY
        form = {
            "grant_type": "client_credentials",
            "scope": " ".join(self.scopes),
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": client_assertion(
                self._signer,
                client_id=self.client_id,
                token_url=self.token_url,
                now=issued,
                jti=self._new_jti(),
            ),
        }
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        if self.uses_dpop:
            headers["DPoP"] = dpop_proof(
                self.dpop_key,
                method="POST",
                url=self.token_url,
                now=issued,
                jti=self._new_jti(),
                nonce=self.nonce,
            )
        request = httpx.Request(
            "POST", self.token_url, headers=headers, content=urlencode(form).encode()
        )
        sent.append(_TokenRequest(request, now, self.uses_dpop))
        return request

    async def _request_token(self) -> AccessToken:
        # At most three rounds: a switch to DPoP (auto mode), a nonce challenge,
        # and the request that gets the token.
        for _round in range(3):
            sent: list[_TokenRequest] = []
            response, page = await self._exchange(
                functools.partial(self._build, sent),
                "/oauth2/v1/token",
            )
            last = sent[-1]
            nonce = response.headers.get("dpop-nonce")
            if nonce:
                self.nonce = nonce
            if response.status_code == 200:
                return self._accept(response, page)
            error = oauth_error(page.body)
            if error == "use_dpop_nonce" and last.sent_proof and nonce:
                logger.debug("token endpoint asked for a DPoP nonce; retrying")
                continue
            if (
                error == "invalid_dpop_proof"
                and not last.sent_proof
                and self.mode == "auto"
            ):
                logger.info("the app requires DPoP; switching this connection to DPoP")
                self.uses_dpop = True
                self.dpop_required = True
                continue
            raise token_error(
                page,
                scopes=self.scopes,
                sent_proof=last.sent_proof,
                skew=self._skew(last.sent_at, response),
            )
        raise UnexpectedResponse(
            "Okta kept challenging the token request for a new DPoP nonce",
            hint="check this server's clock and run again.",
            path="/oauth2/v1/token",
        )

    def _skew(self, sent_at: float, response: httpx.Response) -> float | None:
        server_now = server_time(response.headers)
        if server_now is None:
            return None
        return sent_at - server_now

    def _accept(self, response: httpx.Response, page: Page) -> AccessToken:
        try:
            data = page.json()
            value = data["access_token"]
            token_type = data["token_type"]
            expires_in = float(data["expires_in"])
            scopes = str(data.get("scope", "")).split()
        except (ValueError, KeyError, TypeError):
            raise UnexpectedResponse(
                "the token endpoint answered 200 without a usable token",
                hint="check the org URL: it must be the Okta org itself, not a proxy.",
                status=response.status_code,
                path="/oauth2/v1/token",
            ) from None
        token = AccessToken(
            value,
            token_type=token_type,
            scopes=scopes,
            expires_at=self._clock.now() + expires_in,
        )
        if token.is_dpop:
            self.dpop_required = True
        elif self.uses_dpop:
            if self.mode == "on":
                raise DPoPNotSupported(
                    "this connection requires DPoP, but the app issued a Bearer "
                    "token: the app does not require DPoP, so its tokens are not "
                    "bound to Atomation's key",
                    hint="in Okta, turn on 'Require Demonstrating Proof of "
                    "Possession (DPoP) header in token requests' on the app, or "
                    "set this connection's DPoP mode to 'auto'.",
                    status=200,
                    path="/oauth2/v1/token",
                )
            self.uses_dpop = False
            self.dpop_required = False
        else:
            self.dpop_required = False
        logger.info(
            "access token issued: %s, %d of %d scopes",
            token.token_type,
            len(token.scopes),
            len(self.scopes),
        )
        return token

    def resource_headers(
        self, token: AccessToken, method: str, url: str
    ) -> dict[str, str]:
        """``Authorization`` (and ``DPoP``) headers for one read of ``url``."""
        if not token.is_dpop:
            return {"Authorization": f"Bearer {token.reveal()}"}
        return {
            "Authorization": f"DPoP {token.reveal()}",
            "DPoP": dpop_proof(
                self.dpop_key,
                method=method,
                url=url,
                now=int(self._clock.now()) - IAT_LEEWAY,
                jti=self._new_jti(),
                nonce=self.nonce,
                access_token=token.reveal(),
            ),
        }
