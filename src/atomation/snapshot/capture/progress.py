"""Showing a capture as it runs: Rich bars on a terminal, log lines otherwise.

The capture reports four things (:class:`CaptureProgress`): that it started
(with the Okta client, whose pacer knows each bucket's pace and how many
rate-limit waits there were), how many collections of a family it plans, each
page stored, and each verdict. :func:`progress_for` picks the display.

The ETA of a family is its collections still to read over the pace its bucket
allows — the advertised ``X-Rate-Limit-Limit`` times the share the capture
paces to, per minute — since a snapshot is bound by the rate limits, not by the
network (rate-limits.md §1.7). It is a lower bound: a collection of several
pages costs several requests.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
)
from rich.text import Text

from atomation.okta import OktaClient
from atomation.snapshot.data import FAMILIES
from atomation.snapshot.evidence import Completeness

__all__ = [
    "CaptureProgress",
    "FamilyTally",
    "LogProgress",
    "NullProgress",
    "RichProgress",
    "progress_for",
]

logger = logging.getLogger(__name__)

# A plain-text capture logs a summary line at most this often (seconds).
LOG_INTERVAL = 10.0


class CaptureProgress(Protocol):
    def start(self, snapshot_id: str, client: OktaClient, share: float) -> None: ...

    def planned(self, family: str, collections: int) -> None: ...

    def page(self, family: str, objects: int) -> None: ...

    def closed(self, family: str, completeness: Completeness) -> None: ...

    def finish(self) -> None: ...


@dataclass
class FamilyTally:
    """What one family has read so far."""

    planned: int = 0
    closed: int = 0
    pages: int = 0
    objects: int = 0
    short: int = 0
    """Collections closed with a verdict other than complete."""

    @property
    def done(self) -> bool:
        return self.planned > 0 and self.closed >= self.planned


class _Tallies:
    """Shared bookkeeping of the displays below."""

    def __init__(self) -> None:
        self.tallies: dict[str, FamilyTally] = {}
        self.client: OktaClient | None = None
        self.share = 1.0
        self.snapshot_id = ""

    def start(self, snapshot_id: str, client: OktaClient, share: float) -> None:
        self.snapshot_id = snapshot_id
        self.client = client
        self.share = share

    def tally(self, family: str) -> FamilyTally:
        return self.tallies.setdefault(family, FamilyTally())

    def eta(self, family: str) -> float | None:
        """Seconds (on the client's clock) the family's bucket needs for the rest."""
        tally = self.tallies.get(family)
        if tally is None or self.client is None:
            return None
        path = FAMILIES[family].path.replace("{key}", "x").split("?", 1)[0]
        limiter = self.client.pacer.limiter(path)
        if limiter.limit is None:
            return None
        per_second = limiter.limit * self.share / 60.0
        return max(0, tally.planned - tally.closed) / per_second

    @property
    def waits(self) -> int:
        return 0 if self.client is None else self.client.pacer.waits


class NullProgress(_Tallies):
    """Counts, shows nothing (the library default)."""

    def planned(self, family: str, collections: int) -> None:
        self.tally(family).planned += collections

    def page(self, family: str, objects: int) -> None:
        tally = self.tally(family)
        tally.pages += 1
        tally.objects += objects

    def closed(self, family: str, completeness: Completeness) -> None:
        tally = self.tally(family)
        tally.closed += 1
        if completeness is not Completeness.COMPLETE:
            tally.short += 1

    def finish(self) -> None:
        return None


class LogProgress(NullProgress):
    """Plain log lines: one per finished family, a summary every few seconds."""

    def __init__(self) -> None:
        super().__init__()
        self._last = time.monotonic()

    def closed(self, family: str, completeness: Completeness) -> None:
        super().closed(family, completeness)
        tally = self.tallies[family]
        if tally.done:
            logger.info(
                "capture %s: %s done, %d collections (%d not complete), "
                "%d pages, %d objects",
                self.snapshot_id,
                family,
                tally.closed,
                tally.short,
                tally.pages,
                tally.objects,
            )
        elif time.monotonic() - self._last >= LOG_INTERVAL:
            self._summary()

    def _summary(self) -> None:
        self._last = time.monotonic()
        planned = sum(t.planned for t in self.tallies.values())
        closed = sum(t.closed for t in self.tallies.values())
        pages = sum(t.pages for t in self.tallies.values())
        logger.info(
            "capture %s: %d/%d collections, %d pages, %d rate-limit waits",
            self.snapshot_id,
            closed,
            planned,
            pages,
            self.waits,
        )

    def finish(self) -> None:
        self._summary()


class _EtaColumn(ProgressColumn):
    def __init__(self, display: RichProgress) -> None:
        super().__init__()
        self.display = display

    def render(self, task: Task) -> Text:
        family = task.fields.get("family")
        if not isinstance(family, str):
            return Text(f"rate-limit waits: {self.display.waits}", style="yellow")
        tally = self.display.tallies.get(family)
        if tally is not None and tally.done:
            return Text("done", style="green" if not tally.short else "yellow")
        eta = self.display.eta(family)
        if eta is None:
            return Text("ETA ?", style="dim")
        minutes, seconds = divmod(int(eta), 60)
        return Text(f"ETA {minutes}:{seconds:02d}", style="cyan")


class RichProgress(NullProgress):
    """A Rich progress bar per family (collections, pages, objects, ETA, waits)."""

    def __init__(self, console: Console | None = None) -> None:
        super().__init__()
        self.bars = Progress(
            TextColumn("{task.description:<22}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(
                "{task.fields[pages]:>7} pages {task.fields[objects]:>9} objects"
            ),
            _EtaColumn(self),
            console=console,
            refresh_per_second=4,
        )
        self._tasks: dict[str, TaskID] = {}
        self._waits: TaskID | None = None

    def start(self, snapshot_id: str, client: OktaClient, share: float) -> None:
        super().start(snapshot_id, client, share)
        self.bars.start()
        self._waits = self.bars.add_task(
            f"snapshot {snapshot_id[:8]}", total=None, pages="", objects=""
        )

    def _task(self, family: str) -> TaskID:
        if family not in self._tasks:
            self._tasks[family] = self.bars.add_task(
                family, total=0, pages=0, objects=0, family=family
            )
        return self._tasks[family]

    def planned(self, family: str, collections: int) -> None:
        super().planned(family, collections)
        self.bars.update(self._task(family), total=self.tallies[family].planned)

    def page(self, family: str, objects: int) -> None:
        super().page(family, objects)
        tally = self.tallies[family]
        self.bars.update(self._task(family), pages=tally.pages, objects=tally.objects)

    def closed(self, family: str, completeness: Completeness) -> None:
        super().closed(family, completeness)
        self.bars.update(self._task(family), completed=self.tallies[family].closed)

    def finish(self) -> None:
        self.bars.stop()


def progress_for(console: Console) -> CaptureProgress:
    """Bars on a terminal, log lines otherwise."""
    return RichProgress(console) if console.is_terminal else LogProgress()
