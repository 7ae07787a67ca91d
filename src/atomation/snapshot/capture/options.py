"""What a capture reads, as the user chose it and as the snapshot records it.

The choices (:class:`CaptureOptions`) are resolved once, when the snapshot starts,
into the JSON kept in ``snapshots.options`` and in the signed manifest
(:func:`resolve`): the System Log window as two instants, the event types read,
whose factors were read. A resumed capture reads that record back
(:func:`stored_options`) rather than the command line, so it goes on with exactly
the window and selection it began with.

Stored keys (read by the normaliser, ``normalise/options.py``)::

    window_days      int, 1..90          logs        "security" | "all"
    log_since        ISO 8601 instant    log_until   ISO 8601 instant
    log_event_types  [type, ...] | null  factors_for "all" | "privileged"
    share_percent    int, 1..100         log_slice_days int
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from atomation.snapshot.capture.errors import InvalidCaptureOption
from atomation.snapshot.log_events import SECURITY_EVENT_TYPES

__all__ = [
    "DEFAULT_SHARE_PERCENT",
    "LOG_SLICE_DAYS",
    "MAX_WINDOW_DAYS",
    "CaptureOptions",
    "FactorSelection",
    "LogSelection",
    "okta_instant",
    "parse_window",
    "resolve",
    "security_event_types",
    "stored_options",
]

LogSelection = Literal["security", "all"]
FactorSelection = Literal["all", "privileged"]

# Okta keeps 90 days of System Log (okta-api.md §5): a longer window would look
# wider than it is, so it is refused rather than silently cut.
MAX_WINDOW_DAYS = 90

# The window is read in bounded since/until slices of this many days, each its own
# collection (okta-api.md §5: bounded queries are ordered and end). Ten days keep a
# 90-day window to nine slices, few enough requests on the 120/min logs bucket
# (rate-limits.md §1.2) even when every slice is read with several filters.
LOG_SLICE_DAYS = 10

# The capture paces to all of the share Okta advertises in X-Rate-Limit-Limit,
# which is the app's own ceiling, 50 % of the org bucket by default (okta-api.md
# §10 [CAS]; rate-limits.md §1.6): the admin granted that share to this app, and a
# snapshot is the bulk read it was granted for. Lower it to leave headroom.
DEFAULT_SHARE_PERCENT = 100

_WINDOW = re.compile(r"(\d{1,3})d")


@dataclass(frozen=True)
class CaptureOptions:
    """A capture's choices; ``log_until`` None means "when the capture starts"."""

    window_days: int = MAX_WINDOW_DAYS
    logs: LogSelection = "security"
    factors: FactorSelection = "all"
    log_until: datetime | None = None
    share_percent: int = DEFAULT_SHARE_PERCENT

    def __post_init__(self) -> None:
        if not 1 <= self.window_days <= MAX_WINDOW_DAYS:
            raise InvalidCaptureOption(
                f"a System Log window of {self.window_days} days is out of range",
                hint=f"give 1 to {MAX_WINDOW_DAYS} days, e.g. --window 30d "
                "(Okta keeps 90 days of System Log).",
            )
        if self.logs not in ("security", "all"):
            raise InvalidCaptureOption(
                f"'{self.logs}' is not a log selection",
                hint="use --logs security (the default) or --logs all.",
            )
        if self.factors not in ("all", "privileged"):
            raise InvalidCaptureOption(
                f"'{self.factors}' is not a factor selection",
                hint="use --factors all (the default) or --factors privileged.",
            )
        if not 1 <= self.share_percent <= 100:
            raise InvalidCaptureOption(
                f"a rate-limit share of {self.share_percent} % is out of range",
                hint="give 1 to 100 percent of the app's advertised rate limit.",
            )
        if self.log_until is not None and self.log_until.tzinfo is None:
            raise InvalidCaptureOption(
                "the end of the System Log window has no time zone",
                hint="give log_until as a timezone-aware instant (UTC).",
            )


def parse_window(raw: str) -> int:
    """``"30d"`` → 30; refuses anything but 1 to 90 days."""
    match = _WINDOW.fullmatch(raw.strip())
    if match is None:
        raise InvalidCaptureOption(
            f"'{raw}' is not a System Log window",
            hint="give a number of days followed by d, e.g. --window 30d "
            f"(at most {MAX_WINDOW_DAYS}d).",
        )
    return CaptureOptions(window_days=int(match.group(1))).window_days


def security_event_types() -> list[str]:
    """Every default event type (``log_events.py``), sorted."""
    return sorted({t for group in SECURITY_EVENT_TYPES.values() for t in group})


def okta_instant(moment: datetime) -> str:
    """UTC with milliseconds and ``Z``, the form Okta's System Log shows (§5)."""
    text = moment.astimezone(UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


def resolve(options: CaptureOptions, now: datetime) -> dict[str, Any]:
    """The JSON a snapshot keeps of its options (no floats: it goes in a manifest)."""
    until = (options.log_until or now).astimezone(UTC).replace(microsecond=0)
    since = until - timedelta(days=options.window_days)
    return {
        "window_days": options.window_days,
        "logs": options.logs,
        "log_since": okta_instant(since),
        "log_until": okta_instant(until),
        "log_event_types": (
            security_event_types() if options.logs == "security" else None
        ),
        "log_slice_days": LOG_SLICE_DAYS,
        "factors_for": options.factors,
        "share_percent": options.share_percent,
    }


def stored_options(stored: Mapping[str, Any]) -> dict[str, Any]:
    """A snapshot's recorded options, checked, for a resumed capture."""
    try:
        since = datetime.fromisoformat(str(stored["log_since"]))
        until = datetime.fromisoformat(str(stored["log_until"]))
        options = CaptureOptions(
            window_days=int(stored["window_days"]),
            logs=stored["logs"],
            factors=stored["factors_for"],
            log_until=until,
            share_percent=int(stored["share_percent"]),
        )
        slice_days = int(stored["log_slice_days"])
    except (KeyError, TypeError, ValueError):
        raise InvalidCaptureOption(
            "the unfinished snapshot's recorded options cannot be read",
            hint="capture a new snapshot instead of resuming this one.",
        ) from None
    resolved = resolve(options, until)
    resolved["log_since"] = okta_instant(since)
    resolved["log_slice_days"] = slice_days
    resolved["log_event_types"] = stored.get("log_event_types")
    return resolved
