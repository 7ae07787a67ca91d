"""The evidence writer and reader, driven from one worker thread.

Storing a page is a file write and a database transaction; done on the event loop
it would stall every request in flight behind it. One thread does every database
call, in the order asked, so SQLite never sees two writers of ours at once and
the loop keeps the org's rate-limit budget busy meanwhile.

Page bodies go first, through a few more threads (:meth:`Recorder.put_body`):
compressing and syncing a body is most of a page's cost and needs no database, so
the database thread is left with the records. A record is still written only
after its body is durable.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from atomation.snapshot.evidence import (
    CollectionRecord,
    EvidenceReader,
    EvidenceWriter,
)

__all__ = ["Recorder"]

BODY_WRITERS = 4
"""Threads compressing and syncing page bodies; file writes release the GIL."""

P = ParamSpec("P")
T = TypeVar("T")


class Recorder:
    """One snapshot's writer and reader, behind a single worker thread."""

    def __init__(
        self, writer: EvidenceWriter, reader: EvidenceReader, snapshot_id: str
    ) -> None:
        self.writer = writer
        self.reader = reader
        self.snapshot_id = snapshot_id
        self.known: dict[str, CollectionRecord] = {}
        """Collections recorded before this run (a resumed capture), by name."""
        self._executor = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="evidence"
        )
        self._bodies = ThreadPoolExecutor(
            max_workers=BODY_WRITERS, thread_name_prefix="evidence-body"
        )

    async def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._executor, functools.partial(fn, *args, **kwargs)
        )

    async def put_body(self, body: bytes) -> None:
        """Store a page's body ahead of its record (which then finds it stored)."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._bodies, self.writer.evidence.put, body)

    async def load_known(self) -> None:
        records = await self.call(self.reader.collections, self.snapshot_id)
        self.known = {record.name: record for record in records}

    def close(self) -> None:
        self._bodies.shutdown(wait=True)
        self._executor.shutdown(wait=True)
