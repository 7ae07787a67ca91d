"""Reading one collection into evidence, from its first page or where it stopped.

A collection is one or more chains of pages (a log slice has one per filter
chunk); each page is stored the moment it arrives, then its ``next`` link is
followed. The collection ends with exactly one verdict:

=====================================  ==========================================
what happened                          verdict
=====================================  ==========================================
every chain read to its last page      ``complete`` (objects counted)
403 ``insufficient_scope``             ``not_collected``: "<scope> scope"
403 E0000006                           ``not_collected``: the admin role
401 E0000015 (feature not licensed)    ``not_collected``: the feature
404 E0000007 (parent gone since it     ``failed``: the parent vanished mid-capture;
was listed)                            never an empty list, which a check would
                                       read as "has none"
429 / 5xx / dropped connections beyond ``partial`` when pages were stored, else
the client's retry budget, a body      ``failed``; with the error, the retries
that is not a list, a cursor loop      and the objects read
=====================================  ==========================================

Refusals about the connection itself — the token, the client, DPoP — are not a
collection's fault: they stop the capture (the snapshot stays resumable).

A resumed collection replays its stored pages from the evidence store (to count
objects and to give its children their parents) and goes on with the last page's
``next`` request, so it reads exactly the pages an uninterrupted run would have.
"""

from __future__ import annotations

import contextvars
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import httpx

from atomation.okta import (
    ClassicEngine,
    DPoPError,
    FeatureNotEnabled,
    InsufficientScope,
    InvalidClient,
    InvalidToken,
    NotAnOktaOrg,
    NotFound,
    OffOrgLink,
    OktaClient,
    OktaError,
    Page,
    PermissionDenied,
    ScopeDenied,
    WriteRefused,
)
from atomation.snapshot.capture.recorder import Recorder
from atomation.snapshot.capture.requests import chain_of
from atomation.snapshot.data import family_of
from atomation.snapshot.evidence import (
    CollectionHandle,
    CollectionRecord,
    Completeness,
    path_and_query,
)

__all__ = [
    "CollectionReader",
    "CountingTransport",
    "Outcome",
    "PageListener",
    "is_connection_error",
]

logger = logging.getLogger(__name__)

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "atomation_capture_collection", default=None
)


class CountingTransport(httpx.AsyncBaseTransport):
    """The network transport, counting the failed attempts of each collection.

    The Okta client retries 429s, 5xx and dropped connections on its own (and
    fetches tokens when it needs them). Every attempt made while a collection is
    read that Okta answered 429 or 5xx, or that lost its connection, counts
    toward that collection's ``retries``.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.failures: Counter[str] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        name = _current.get()
        try:
            response = await self.inner.handle_async_request(request)
        except httpx.TransportError:
            if name is not None:
                self.failures[name] += 1
            raise
        if name is not None and (
            response.status_code == 429 or response.status_code >= 500
        ):
            self.failures[name] += 1
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


class PageListener(Protocol):
    def page(self, family: str, objects: int) -> None: ...

    def closed(self, family: str, completeness: Completeness) -> None: ...


@dataclass
class Outcome:
    """How a collection ended, and what its children need from its objects."""

    name: str
    completeness: Completeness
    objects: int
    items: list[Any] = field(default_factory=list)
    reason: str = ""
    """The missing scope or role, or the error; empty when complete."""


def is_connection_error(exc: OktaError) -> bool:
    """A refusal of the connection itself, which stops the whole capture."""
    if isinstance(exc, InsufficientScope):
        return False
    return isinstance(
        exc,
        InvalidClient
        | ScopeDenied
        | DPoPError
        | InvalidToken
        | OffOrgLink
        | ClassicEngine
        | NotAnOktaOrg
        | WriteRefused,
    )


class _Stop(Exception):
    """Reading stopped for a reason found in the data (a loop, a bad body)."""


class CollectionReader:
    """Reads collections of one snapshot through one Okta client."""

    def __init__(
        self,
        client: OktaClient,
        recorder: Recorder,
        counter: CountingTransport,
        listener: PageListener,
    ) -> None:
        self.client = client
        self.recorder = recorder
        self.counter = counter
        self.listener = listener

    async def read(
        self,
        name: str,
        chains: Sequence[str],
        *,
        extract: Callable[[Any], Any] | None = None,
        on_items: Callable[[list[Any]], None] | None = None,
    ) -> Outcome:
        """Read collection ``name`` (its query ``chains`` in order) to a verdict.

        ``extract`` maps each object to what the collection's children need
        (an id, a pair); the results come back in :attr:`Outcome.items`, or,
        with ``on_items``, are handed to it page by page as they are read (and
        not kept), so the children can be read while the list still pages.
        """
        family = family_of(name)[0].name
        known = self.recorder.known.get(name)
        if known is not None and known.completeness is not None:
            items = await self._replay(name, extract) if extract else []
            if on_items is not None:
                on_items(items)
                items = []
            self.listener.closed(family, known.completeness)
            return Outcome(
                name,
                known.completeness,
                known.objects or 0,
                items,
                known.missing or known.error or "",
            )

        token = _current.set(name)
        try:
            return await self._read_open(name, family, chains, known, extract, on_items)
        finally:
            _current.reset(token)

    async def account(
        self, family: str, *, missing: str | None = None, error: str | None = None
    ) -> None:
        """Record a keyless ``family`` collection: the children it could not list."""
        known = self.recorder.known.get(family)
        if known is not None and known.completeness is not None:
            self.listener.closed(family, known.completeness)
            return
        recorder = self.recorder
        handle = recorder.writer.collection(recorder.snapshot_id, family)
        if missing is not None:
            await recorder.call(handle.not_collected, missing)
            self.listener.closed(family, Completeness.NOT_COLLECTED)
        else:
            await recorder.call(handle.fail, error or "not listed", retries=0)
            self.listener.closed(family, Completeness.FAILED)

    async def replay(self, name: str, extract: Callable[[Any], Any]) -> list[Any]:
        """What ``extract`` takes from every object of a stored collection."""
        return await self._replay(name, extract)

    async def _read_open(
        self,
        name: str,
        family: str,
        chains: Sequence[str],
        known: CollectionRecord | None,
        extract: Callable[[Any], Any] | None,
        on_items: Callable[[list[Any]], None] | None,
    ) -> Outcome:
        recorder = self.recorder
        # Recorded with its first page (or its verdict): most collections are
        # one page, stored with their verdict in a single transaction.
        handle = recorder.writer.collection(recorder.snapshot_id, name)
        items: list[Any] = []
        hand_on = items.extend if on_items is None else on_items
        objects = 0
        chain = 0
        url: str | None = chains[0]
        if known is not None and known.pages:
            objects, stored, chain, url = await self._resume(name, chains, extract)
            hand_on(stored)
        seen_next: set[str] = set()
        failures_before = self.counter.failures[name]
        completed = False

        def retries() -> int:
            return self.counter.failures[name] - failures_before

        try:
            while url is not None:
                page = await self.client.get(url)
                next_request = path_and_query(page.next_url) if page.next_url else None
                await recorder.put_body(page.body)
                try:
                    found = _objects(page)
                except _Stop:
                    # The body that stopped reading is evidence of why.
                    await self._store(handle, page, next_request)
                    raise
                objects += len(found)
                if next_request is None and chain + 1 >= len(chains):
                    await self._store(handle, page, None, complete_with=objects)
                    completed = True
                else:
                    await self._store(handle, page, next_request)
                if extract is not None:
                    hand_on([extract(item) for item in found])
                self.listener.page(family, len(found))
                if next_request is None:
                    chain += 1
                    url = chains[chain] if chain < len(chains) else None
                elif next_request in seen_next or next_request == page.url:
                    raise _Stop(
                        f"Okta's next link {next_request} repeats a page already "
                        "read (a cursor loop)"
                    )
                else:
                    seen_next.add(next_request)
                    url = next_request
        except OktaError as exc:
            if is_connection_error(exc):
                raise
            return await self._refused(handle, name, family, exc, objects, retries())
        except _Stop as exc:
            return await self._stopped(handle, family, str(exc), objects, retries())

        if not completed:
            await recorder.call(handle.complete, objects=objects)
        self.listener.closed(family, Completeness.COMPLETE)
        return Outcome(name, Completeness.COMPLETE, objects, items)

    async def _store(
        self,
        handle: CollectionHandle,
        page: Page,
        next_request: str | None,
        *,
        complete_with: int | None = None,
    ) -> None:
        """Record ``page``; with ``complete_with`` (objects) as the last, complete."""
        if complete_with is None:
            await self.recorder.call(
                handle.add_page,
                page.url,
                page.received_at,
                page.status,
                page.rate_limit,
                page.body,
                next_request=next_request,
            )
        else:
            await self.recorder.call(
                handle.add_last_page,
                page.url,
                page.received_at,
                page.status,
                page.rate_limit,
                page.body,
                objects=complete_with,
            )

    async def _resume(
        self,
        name: str,
        chains: Sequence[str],
        extract: Callable[[Any], Any] | None,
    ) -> tuple[int, list[Any], int, str | None]:
        """Objects and items of the stored pages, and where reading goes on."""
        pages, (last_request, last_next) = await self.recorder.call(
            self._stored_pages, name
        )
        objects = 0
        items: list[Any] = []
        for request, body in pages:
            found = _objects(_stored_page(request, body))
            objects += len(found)
            if extract is not None:
                items.extend(extract(item) for item in found)
        chain = chain_of(chains, last_request)
        if last_next is not None:
            return objects, items, chain, last_next
        chain += 1
        return objects, items, chain, chains[chain] if chain < len(chains) else None

    def _stored_pages(
        self, name: str
    ) -> tuple[list[tuple[str, bytes]], tuple[str, str | None]]:
        """The stored pages (request, body), and the last one's request and next."""
        pages = []
        last: tuple[str, str | None] = ("", None)
        for record, body in self.recorder.reader.bodies(
            self.recorder.snapshot_id, name
        ):
            pages.append((record.request, body))
            last = (record.request, record.next_request)
        return pages, last

    async def _replay(self, name: str, extract: Callable[[Any], Any]) -> list[Any]:
        pages, _ = await self.recorder.call(self._stored_pages, name)
        return [
            extract(item)
            for request, body in pages
            for item in _objects(_stored_page(request, body))
        ]

    async def _refused(
        self,
        handle: CollectionHandle,
        name: str,
        family: str,
        exc: OktaError,
        objects: int,
        retries: int,
    ) -> Outcome:
        missing = _missing(name, exc)
        if missing is not None and objects == 0:
            await self.recorder.call(handle.not_collected, missing)
            logger.warning("collection %s not collected: %s missing", name, missing)
            self.listener.closed(family, Completeness.NOT_COLLECTED)
            return Outcome(name, Completeness.NOT_COLLECTED, 0, reason=missing)
        if isinstance(exc, NotFound):
            error = (
                f"{exc.path}: 404 {exc.code or ''}: the object was deleted after it "
                "was listed, so what it held was not read".replace("  ", " ")
            )
        else:
            error = f"{type(exc).__name__}: {exc.message}"
        return await self._stopped(handle, family, error, objects, retries)

    async def _stopped(
        self,
        handle: CollectionHandle,
        family: str,
        error: str,
        objects: int,
        retries: int,
    ) -> Outcome:
        record: CollectionRecord
        if objects > 0:
            record = await self.recorder.call(
                handle.partial, error, retries=retries, objects=objects
            )
        else:
            record = await self.recorder.call(handle.fail, error, retries=retries)
        assert record.completeness is not None
        self.listener.closed(family, record.completeness)
        return Outcome(handle.name, record.completeness, objects, reason=error)


def _missing(name: str, exc: OktaError) -> str | None:
    """What a not-collected verdict names, or None when the error is no such want."""
    family = family_of(name)[0]
    if isinstance(exc, InsufficientScope):
        scope = exc.scopes[0] if exc.scopes else family.scope
        return f"{scope} scope"
    if isinstance(exc, PermissionDenied):
        return f"admin role allowed to read {family.path} (403 E0000006)"
    if isinstance(exc, FeatureNotEnabled):
        return f"Okta feature behind {family.path} (401 E0000015, not licensed)"
    return None


def _objects(page: Page) -> list[Any]:
    """The page's objects; a body of another shape stops the collection."""
    try:
        return page.items()
    except ValueError:
        raise _Stop(f"{page.url}: the body is not a list of objects") from None


def _stored_page(request: str, body: bytes) -> Page:
    return Page(
        url=request, status=200, body=body, received_at=datetime.now(UTC), rate_limit={}
    )
