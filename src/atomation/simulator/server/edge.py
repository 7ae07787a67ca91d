"""What wraps every exchange: headers, rate limits, concurrency, latency, faults, log.

An ASGI middleware rather than per-route code, because Okta applies these before and
around every endpoint alike (okta-api.md §3.3, §3.4):

* every response gets ``Date`` (in simulated time, RFC 1123), ``x-okta-request-id``,
  the no-cache headers, and on metered paths the three ``x-rate-limit-*`` headers;
* a spent bucket answers 429 E0000047 with ``Remaining: 0`` and no ``Retry-After``;
  too many requests in flight answer 429 with ``Limit: 0`` and ``Remaining: 0``;
* latency and the slow/error/drop faults apply to metered paths only, so the
  discovery documents and simulator hooks stay quick.
"""

from __future__ import annotations

import asyncio
import logging
import random
import secrets
from email.utils import formatdate
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from atomation.simulator.server.auth import principal_of
from atomation.simulator.server.errors import OktaApiError, compact_json
from atomation.simulator.server.ratelimit import find_bucket
from atomation.simulator.server.state import RequestRecord, ServerState

__all__ = ["SCOPE_KEY", "OktaEdge"]

logger = logging.getLogger(__name__)

SCOPE_KEY = "atomation.simulator"  # scope entry where routes note the caller
CONCURRENCY_RESET_ESTIMATE = 1  # seconds; Okta calls its value "an estimate"
NO_CACHE = [
    (b"cache-control", b"no-cache, no-store"),
    (b"pragma", b"no-cache"),
    (b"expires", b"0"),
]


class OktaEdge:
    def __init__(self, app: ASGIApp, state: ServerState) -> None:
        self.app = app
        self.state = state
        self.rng = random.Random(state.config.faults.seed)

    def reseed(self) -> None:
        self.rng = random.Random(self.state.config.faults.seed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = self.state
        method, path = scope["method"], scope["path"]
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        principal = principal_of(headers.get("authorization", ""), state)
        note: dict[str, Any] = {"client_id": None}
        scope[SCOPE_KEY] = note
        request_id = (b"x-okta-request-id", secrets.token_hex(16).encode())
        recorded: list[int] = []

        def record(status: int) -> None:
            # Recorded when the response starts, so a client that has its answer
            # can already see the exchange in the log.
            recorded.append(status)
            client_id = note["client_id"] or (
                None if principal == "SSWS" else principal
            )
            state.requests.append(
                RequestRecord(
                    method=method,
                    path=path,
                    query=scope.get("query_string", b"").decode(),
                    status=status,
                    client_id=client_id,
                    time=state.now(),
                )
            )
            logger.info("%s %s %s", method, path, status)

        async def send_with_headers(
            message: Message, extra: list[tuple[bytes, bytes]]
        ) -> None:
            if message["type"] == "http.response.start":
                # Stamped when the answer starts, as a server dates its message
                # (RFC 9110 §6.6.1), so Date is never before the rate-limit
                # window the request opened: at a high time scale, the moments
                # between the request's arrival and its admission are seconds.
                date = (b"date", formatdate(state.now(), usegmt=True).encode())
                common = [date, request_id]
                present = {k.lower() for k, _ in message.get("headers", [])}
                added = [h for h in common + NO_CACHE + extra if h[0] not in present]
                message = {**message, "headers": [*message.get("headers", []), *added]}
                record(message["status"])
            await send(message)

        bucket = find_bucket(method, path)
        try:
            if bucket is None:
                await self.app(scope, receive, lambda m: send_with_headers(m, []))
                return
            if not state.concurrency.enter(principal):
                reset = int(state.now()) + CONCURRENCY_RESET_ESTIMATE
                await self._too_many(lambda m: send_with_headers(m, []), 0, 0, reset)
                return
            try:
                now = state.now()
                decision = state.limiter.acquire(bucket, principal, now)
                reset = decision.reset
                limits = [
                    (b"x-rate-limit-limit", str(decision.limit).encode()),
                    (b"x-rate-limit-remaining", str(decision.remaining).encode()),
                    (b"x-rate-limit-reset", str(reset).encode()),
                ]
                if not decision.allowed:
                    await self._too_many(
                        lambda m: send_with_headers(m, []),
                        decision.limit,
                        0,
                        reset,
                    )
                    return
                await self._delay()
                if await self._inject_fault(lambda m: send_with_headers(m, limits)):
                    return
                await self.app(scope, receive, lambda m: send_with_headers(m, limits))
            finally:
                state.concurrency.leave(principal)
        finally:
            if not recorded:  # no response at all (the connection was cut)
                record(0)

    async def _too_many(
        self, send: Any, limit: int, remaining: int, reset: int
    ) -> None:
        error = OktaApiError(429, "E0000047")
        extra = [
            (b"x-rate-limit-limit", str(limit).encode()),
            (b"x-rate-limit-remaining", str(remaining).encode()),
            (b"x-rate-limit-reset", str(reset).encode()),
        ]
        await _send_json(send, 429, error.body(), extra)

    async def _delay(self) -> None:
        low, high = self.state.config.latency
        simulated = self.rng.uniform(low, high) if high > 0 else 0.0
        faults = self.state.config.faults
        if faults.slow_rate and self.rng.random() < faults.slow_rate:
            simulated += faults.slow_seconds
        if simulated > 0:
            await asyncio.sleep(self.state.clock.real_seconds(simulated))

    async def _inject_fault(self, send: Any) -> bool:
        faults = self.state.config.faults
        if faults.drop_rate and self.rng.random() < faults.drop_rate:
            # Start a response that promises more bytes than it sends, then stop:
            # the client sees the connection end mid-response.
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", b"1000"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b"[", "more_body": True})
            raise ConnectionAbortedError("simulated dropped connection")
        if faults.error_rate and self.rng.random() < faults.error_rate:
            await _send_json(send, 500, OktaApiError(500, "E0000009").body(), [])
            return True
        return False


async def _send_json(
    send: Any, status: int, body: Any, extra: list[tuple[bytes, bytes]]
) -> None:
    payload = compact_json(body)
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
