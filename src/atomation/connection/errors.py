"""The connection part's errors::

    AtomationError
    └── ConnectionSetupError      a connection cannot be stored or verified as asked
        ├── InvalidClientId       the Client ID given is not one Okta issues
        ├── InvalidDPoPMode       the DPoP mode is not auto, on or off
        └── NotConnected          the tenant has no Client ID stored yet

What goes wrong *during* a verification is not raised: it becomes the failed
items of the run, each with its cause and fix (:mod:`atomation.connection.items`).
"""

from __future__ import annotations

from atomation.errors import AtomationError

__all__ = ["ConnectionSetupError", "InvalidClientId", "InvalidDPoPMode", "NotConnected"]


class ConnectionSetupError(AtomationError):
    """A connection cannot be stored or verified as asked."""


class InvalidClientId(ConnectionSetupError):
    """The Client ID given is empty, too long or has characters Okta never uses."""


class InvalidDPoPMode(ConnectionSetupError):
    """The DPoP mode is not one of auto, on, off."""


class NotConnected(ConnectionSetupError):
    """The tenant has no Client ID stored yet."""
