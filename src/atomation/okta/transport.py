"""A transport that lets only reads through to the org.

Atomation promises the customer that it never changes their org: toward Okta it
sends GET, plus POST to exactly the token endpoint (DESIGN, security rules). The
promise is kept below every code path, at the transport: anything else is refused
before a byte leaves the process.
"""

from __future__ import annotations

import httpx

from atomation.okta.errors import WriteRefused

__all__ = ["ReadOnlyTransport"]


class ReadOnlyTransport(httpx.AsyncBaseTransport):
    """Wraps a transport; refuses every method but GET, bar POST to ``token_url``."""

    def __init__(self, inner: httpx.AsyncBaseTransport, *, token_url: str) -> None:
        self._inner = inner
        self._token_url = httpx.URL(token_url)

    def _allowed(self, request: httpx.Request) -> bool:
        if request.method == "GET":
            return True
        url = request.url
        return (
            request.method == "POST"
            and url.scheme == self._token_url.scheme
            and url.host == self._token_url.host
            and url.port == self._token_url.port
            and url.raw_path == self._token_url.raw_path
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not self._allowed(request):
            raise WriteRefused(
                f"refused to send {request.method} {request.url.path} to the org: "
                "Atomation only reads",
                hint="this is a defect in Atomation, not in the org; please report it.",
                path=request.url.path,
            )
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
