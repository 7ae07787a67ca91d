"""Capture of a tenant's Okta org into a snapshot of evidence (see docs/snapshot.md).

* :func:`capture_snapshot` — capture, or resume, and seal a snapshot; async.
* :class:`CaptureOptions` — the review window, log and factor selection.
* :mod:`.plan` — which collections are read, in what order; :mod:`.collection` —
  reading one collection to its verdict; :mod:`.requests` — first requests and
  page sizes; :mod:`.progress` — bars or log lines.

Errors are drawn in :mod:`.errors`.
"""

from atomation.snapshot.capture.errors import (
    CaptureError,
    CaptureIncomplete,
    InvalidCaptureOption,
    NothingToResume,
)
from atomation.snapshot.capture.options import (
    MAX_WINDOW_DAYS,
    CaptureOptions,
    parse_window,
)
from atomation.snapshot.capture.progress import (
    CaptureProgress,
    LogProgress,
    NullProgress,
    RichProgress,
    progress_for,
)
from atomation.snapshot.capture.run import capture_snapshot, unfinished_snapshot

__all__ = [
    "MAX_WINDOW_DAYS",
    "CaptureError",
    "CaptureIncomplete",
    "CaptureOptions",
    "CaptureProgress",
    "InvalidCaptureOption",
    "LogProgress",
    "NothingToResume",
    "NullProgress",
    "RichProgress",
    "capture_snapshot",
    "parse_window",
    "progress_for",
    "unfinished_snapshot",
]
