"""What can stop a capture before or while it runs, each with its fix::

    AtomationError
    └── CaptureError              a capture cannot start, go on, or be sealed
        ├── InvalidCaptureOption  --window, --logs or --factors is not usable
        ├── NothingToResume       --resume, but the tenant has no unfinished snapshot
        └── CaptureIncomplete     some collection has no verdict: left capturing

Everything Okta refuses while a collection is read becomes that collection's
verdict (:mod:`.collection`), not an exception; only refusals about the
connection itself (token, client, DPoP) stop the capture, as
:class:`~atomation.okta.errors.OktaError` from the Okta client.
"""

from __future__ import annotations

from atomation.errors import AtomationError

__all__ = [
    "CaptureError",
    "CaptureIncomplete",
    "InvalidCaptureOption",
    "NothingToResume",
]


class CaptureError(AtomationError):
    """A snapshot capture cannot start, go on, or be sealed."""


class InvalidCaptureOption(CaptureError):
    """A capture option (window, log selection, factor selection) is not usable."""


class NothingToResume(CaptureError):
    """``--resume`` was asked for, but the tenant has no snapshot still capturing."""


class CaptureIncomplete(CaptureError):
    """The capture stopped with collections still open; the snapshot stays resumable."""
