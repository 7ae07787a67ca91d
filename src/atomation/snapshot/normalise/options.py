"""The capture's options as stored on the snapshot, read defensively.

The capture stores them in ``snapshots.options`` (JSON) under these keys, as
:class:`~atomation.snapshot.data.SnapshotInfo` documents::

    {"log_since": ISO 8601, "log_until": ISO 8601,
     "log_event_types": [type, ...] or null, "factors_for": "all" | "privileged"}

A key that is absent or malformed reads as unknown: no log window, every event
type, and factors expected for every user. Expecting the most is the safe side:
coverage may then report a collection as missing, but never reports data as
complete that the capture did not read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

__all__ = ["CaptureOptions", "read_options"]


@dataclass(frozen=True)
class CaptureOptions:
    log_since: datetime | None
    log_until: datetime | None
    log_event_types: Sequence[str] | None
    factors_for: Literal["all", "privileged"]


def read_options(options: Mapping[str, Any] | None) -> CaptureOptions:
    options = options if isinstance(options, Mapping) else {}
    types = options.get("log_event_types")
    event_types = (
        tuple(types)
        if isinstance(types, list) and all(isinstance(t, str) for t in types)
        else None
    )
    factors_for: Literal["all", "privileged"] = (
        "privileged" if options.get("factors_for") == "privileged" else "all"
    )
    return CaptureOptions(
        log_since=_instant(options.get("log_since")),
        log_until=_instant(options.get("log_until")),
        log_event_types=event_types,
        factors_for=factors_for,
    )


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
