"""The Okta client: GET-only paged reads of one org, paced and classified.

::

    async with OktaClient(OrgUrl(raw, allowed=...), client_id, signer) as okta:
        await okta.organization()            # Identity Engine, or ClassicEngine
        page = await okta.get("/api/v1/policies", {"type": "OKTA_SIGN_ON"})
        async for page in okta.pages("/api/v1/users", {"limit": 200}):
            ...                              # page.items(), page.body, page.url

Each exchange goes through the same steps: wait for the bucket's budget and a
slot in flight, send, learn the rate-limit headers, then retry what Okta says is
worth retrying — a 429 after its window resets, a 5xx or a dropped connection
with jittered backoff — all within a time budget. A 500 on a page that names a
``limit`` is retried from the same cursor with half the ``limit`` (Okta's advice
for large pages, rate-limits.md §1.2). A 401 on a read drops the token, fetches a
new one and retries once (okta-api.md §3.2). Anything else becomes one error of
:mod:`atomation.okta.errors`, carrying the refused :class:`Page`.
"""

from __future__ import annotations

import logging
import random
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from datetime import UTC, datetime
from types import TracebackType
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from atomation import __version__
from atomation.okta.assertion import JwsSigner
from atomation.okta.classify import okta_error_code, read_error, www_authenticate
from atomation.okta.clock import SYSTEM_CLOCK, Clock
from atomation.okta.errors import OffOrgLink, OrgUnreachable
from atomation.okta.org import ORG_METADATA_PATH, OrgMetadata, OrgUrl, org_metadata
from atomation.okta.pages import (
    RATE_LIMIT_HEADERS,
    Page,
    body_next_link,
    header_next_link,
)
from atomation.okta.ratelimit import MAX_IN_FLIGHT, TARGET_SHARE, Pacer, read_rate_limit
from atomation.okta.token import OKTA_READ_SCOPES, AccessToken, DPoPMode, TokenSource
from atomation.okta.transport import ReadOnlyTransport

__all__ = ["REQUEST_TIMEOUT", "RETRY_BUDGET", "OktaClient"]

logger = logging.getLogger(__name__)

# Three rate-limit windows: a 429 costs up to one window, and a budget counted
# in time rather than tries survives a burst of them (rate-limits.md §1.5 item 4;
# the SDK's two retries are too few).
RETRY_BUDGET = 180.0

# Okta cuts a query off at 30 s (okta-api.md §5); a little more covers transfer.
REQUEST_TIMEOUT = 40.0

# Backoff for 5xx and dropped connections: from one second, doubling, capped.
BACKOFF_FIRST = 1.0
BACKOFF_MAX = 30.0

ParamValue = str | int
Params = Mapping[str, ParamValue] | None


class OktaClient:
    """Reads one Okta org as one service app. Use as an async context manager.

    ``org_url`` must be an :class:`OrgUrl` (checked on construction).
    ``retry_budget`` bounds, in seconds of ``clock`` time, how long one request
    may keep waiting on 429s and retrying 5xx; a verification uses a short one.
    ``transport`` replaces the network transport (it is still wrapped by the
    read-only guard).
    """

    def __init__(
        self,
        org_url: OrgUrl,
        client_id: str,
        signer: JwsSigner,
        *,
        scopes: Sequence[str] = OKTA_READ_SCOPES,
        dpop: DPoPMode = "auto",
        dpop_required: bool | None = None,
        clock: Clock = SYSTEM_CLOCK,
        target_share: float = TARGET_SHARE,
        max_in_flight: int = MAX_IN_FLIGHT,
        retry_budget: float = RETRY_BUDGET,
        timeout: float = REQUEST_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        jitter: Callable[[], float] | None = None,
    ) -> None:
        if not isinstance(org_url, OrgUrl):
            raise TypeError("org_url must be an OrgUrl (a checked org URL)")
        self.org_url = org_url
        self.client_id = client_id
        self.clock = clock
        self.retry_budget = retry_budget
        self._jitter = jitter or random.SystemRandom().random
        self.pacer = Pacer(
            clock,
            target_share=target_share,
            max_in_flight=max_in_flight,
            jitter=self._jitter,
        )
        self._http = httpx.AsyncClient(
            transport=ReadOnlyTransport(
                transport or httpx.AsyncHTTPTransport(), token_url=org_url.token_url
            ),
            timeout=timeout,
            follow_redirects=False,
            headers={"User-Agent": f"atomation/{__version__}"},
        )
        self.tokens = TokenSource(
            token_url=org_url.token_url,
            client_id=client_id,
            signer=signer,
            scopes=scopes,
            dpop=dpop,
            dpop_required=dpop_required,
            clock=clock,
            exchange=self._exchange,
        )

    def __repr__(self) -> str:
        return f"OktaClient({self.org_url.value!r}, client_id={self.client_id!r})"

    async def __aenter__(self) -> OktaClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def dpop_required(self) -> bool | None:
        """Whether the app requires DPoP, once a token request has shown it."""
        return self.tokens.dpop_required

    async def organization(self) -> OrgMetadata:
        """The org's metadata; raises unless it is an Identity Engine org."""
        url = self.org_url.value + ORG_METADATA_PATH
        _, page = await self._exchange(
            lambda: httpx.Request("GET", url, headers={"Accept": "application/json"}),
            ORG_METADATA_PATH,
            budget=0.0,
        )
        return org_metadata(self.org_url, page)

    async def access_token(self) -> AccessToken:
        """The current access token (fetched on first use, renewed near expiry)."""
        return await self.tokens.token()

    async def get(self, path: str, params: Params = None) -> Page:
        """Read one page: ``path`` (or an absolute URL on the org) plus ``params``."""
        return await self._read(self._url(path, params))

    async def pages(self, path: str, params: Params = None) -> AsyncIterator[Page]:
        """Every page of a list, following ``next`` links until there is none.

        Mind System Log polling queries, which always have a ``next``
        (okta-api.md §5): bound them with ``until`` or stop on an empty page.
        """
        url: str | None = self._url(path, params)
        while url is not None:
            page = await self._read(url)
            yield page
            url = page.next_url

    def _url(self, path: str, params: Params) -> str:
        parts = urlsplit(path)
        if parts.scheme or parts.netloc:
            self._check_origin(path)
            base = path
        elif path.startswith("/"):
            base = self.org_url.value + path
        else:
            raise ValueError(f"path must start with '/': {path!r}")
        if not params:
            return base
        split = urlsplit(base)
        query = parse_qsl(split.query, keep_blank_values=True)
        query += [(k, str(v)) for k, v in params.items()]
        return urlunsplit(split._replace(query=urlencode(query)))

    def _check_origin(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        if origin != self.org_url.value:
            raise OffOrgLink(
                f"refused to follow a link to {origin}, which is not the org "
                f"{self.org_url}",
                hint="check that the org URL is the Okta org itself and not a "
                "proxy that rewrites links.",
                path=parts.path,
            )

    async def _read(self, url: str) -> Page:
        """GET ``url`` with a valid token; renew once on 401, halve ``limit`` on 500."""
        current = {"url": url}
        renewed = False
        nonce_retried = False

        def halve_limit() -> None:
            current["url"] = _halved_limit(current["url"])

        while True:
            token = await self.tokens.token()

            def build(token: AccessToken = token) -> httpx.Request:
                return httpx.Request(
                    "GET",
                    current["url"],
                    headers={
                        "Accept": "application/json",
                        **self.tokens.resource_headers(token, "GET", current["url"]),
                    },
                )

            path = urlsplit(current["url"]).path
            response, page = await self._exchange(build, path, on_500=halve_limit)
            if 200 <= response.status_code < 300:
                return self._with_next(page, response)
            challenge = www_authenticate(response.headers)
            nonce = response.headers.get("dpop-nonce")
            if (
                nonce
                and challenge.get("error") == "use_dpop_nonce"
                and not nonce_retried
            ):
                self.tokens.nonce = nonce
                nonce_retried = True
                continue
            if response.status_code == 401 and not renewed and _token_refused(response):
                logger.info("access token refused on %s; fetching a new one", path)
                self.tokens.invalidate()
                renewed = True
                continue
            raise read_error(page, response.headers, path=path)

    def _with_next(self, page: Page, response: httpx.Response) -> Page:
        next_url = header_next_link(response.headers.get_list("link"))
        if next_url is None:
            next_url = body_next_link(page.body)
        if next_url is None:
            return page
        if not urlsplit(next_url).scheme:
            next_url = self.org_url.value + next_url
        self._check_origin(next_url)
        return Page(
            url=page.url,
            status=page.status,
            body=page.body,
            received_at=page.received_at,
            rate_limit=page.rate_limit,
            request_id=page.request_id,
            next_url=next_url,
        )

    async def _exchange(
        self,
        build: Callable[[], httpx.Request],
        path: str,
        *,
        on_500: Callable[[], None] | None = None,
        budget: float | None = None,
    ) -> tuple[httpx.Response, Page]:
        """Send one request, paced, retrying 429, 5xx and dropped connections.

        The time budget for retries starts with the first send, so time spent
        queueing behind the pace of other requests does not use it up.
        """
        allowed = self.retry_budget if budget is None else budget
        deadline: float | None = None
        backoff = BACKOFF_FIRST
        while True:
            limiter = await self.pacer.wait_for_budget(path, max_wait=allowed)
            window = limiter.window
            try:
                await self.pacer.gate.enter()
                try:
                    if not limiter.still_current(window, self.clock.now()):
                        continue  # spent in a window that ended: wait for budget again
                    if deadline is None:
                        deadline = self.clock.now() + allowed
                    request = build()
                    limiter.in_flight += 1
                    try:
                        response = await self._send(request)
                    finally:
                        limiter.in_flight -= 1
                finally:
                    await self.pacer.gate.leave()
                page = self._page(request, response)
                state = read_rate_limit(response.headers)
                if state is not None:
                    limiter.observe(state, self.clock.now())
                elif limiter.limit is None:
                    limiter.unmetered = True  # no headers here: nothing to learn
            except httpx.TransportError as exc:
                assert deadline is not None  # set before anything was sent
                if self.clock.now() + backoff > deadline:
                    raise OrgUnreachable(
                        f"no answer from {self.org_url} for {path} "
                        f"({type(exc).__name__})",
                        hint="check the tenant's Okta org URL and that this server "
                        "can reach it (DNS, firewall, proxy).",
                        path=path,
                    ) from None
                logger.warning(
                    "%s %s failed (%s); retrying in %.1f s",
                    request.method,
                    path,
                    type(exc).__name__,
                    backoff,
                )
                await self.clock.sleep(backoff * (0.5 + self._jitter()))
                backoff = min(backoff * 2, BACKOFF_MAX)
                continue
            finally:
                limiter.settle()

            if response.status_code == 429:
                await self.pacer.wait_for_reset(path, state, deadline=deadline)
                continue
            self.pacer.gate.succeeded()
            if response.status_code >= 500 and response.status_code != 501:
                if self.clock.now() + backoff > deadline:
                    return response, page  # the caller classifies it (ServerError)
                if response.status_code == 500 and on_500 is not None:
                    on_500()
                logger.warning(
                    "%s %s answered %d; retrying in %.1f s",
                    request.method,
                    path,
                    response.status_code,
                    backoff,
                )
                await self.clock.sleep(backoff * (0.5 + self._jitter()))
                backoff = min(backoff * 2, BACKOFF_MAX)
                continue
            return response, page

    async def _send(self, request: httpx.Request) -> httpx.Response:
        response = await self._http.send(request)
        try:
            await response.aread()
        finally:
            await response.aclose()
        logger.info("%s %s %d", request.method, request.url.path, response.status_code)
        return response

    def _page(self, request: httpx.Request, response: httpx.Response) -> Page:
        url = request.url
        target = url.raw_path.decode("ascii")
        return Page(
            url=target,
            status=response.status_code,
            body=response.content,
            received_at=datetime.fromtimestamp(self.clock.now(), UTC),
            rate_limit={
                name: response.headers[name]
                for name in RATE_LIMIT_HEADERS
                if name in response.headers
            },
            request_id=response.headers.get("x-okta-request-id"),
        )


def _token_refused(response: httpx.Response) -> bool:
    """A 401 about the token itself, not E0000015 (feature not licensed)."""
    return okta_error_code(response.content) != "E0000015"


def _halved_limit(url: str) -> str:
    """``url`` with its ``limit`` parameter halved (never below 1); same cursor."""
    split = urlsplit(url)
    query = parse_qsl(split.query, keep_blank_values=True)
    changed = []
    for key, value in query:
        if key == "limit" and value.isdigit() and int(value) > 1:
            value = str(int(value) // 2)
        changed.append((key, value))
    return urlunsplit(split._replace(query=urlencode(changed)))
