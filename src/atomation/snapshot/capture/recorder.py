"""The evidence writer and reader, driven from one worker thread.

Storing a page is a file write and a database transaction; done on the event loop
it would stall every request in flight behind it. One thread does all of it, in
the order asked, so SQLite never sees two writers of ours at once and the loop
keeps the org's rate-limit budget busy meanwhile.
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

    async def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._executor, functools.partial(fn, *args, **kwargs)
        )

    async def load_known(self) -> None:
        records = await self.call(self.reader.collections, self.snapshot_id)
        self.known = {record.name: record for record in records}

    def close(self) -> None:
        self._executor.shutdown(wait=True)
