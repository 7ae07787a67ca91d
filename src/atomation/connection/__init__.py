"""Verify Connection: the four items of the setup guide and how each can fail.

* :func:`~atomation.connection.verify.verify_connection` — run the items with an
  :class:`~atomation.okta.OktaClient`.
* :func:`~atomation.connection.service.verify_tenant` — load a tenant's
  connection, verify it, and store the run.
* :func:`~atomation.connection.service.save_connection` — store a Client ID.
"""

from atomation.connection.errors import (
    ConnectionSetupError,
    InvalidClientId,
    InvalidDPoPMode,
    NotConnected,
)
from atomation.connection.items import (
    ITEM_NAMES,
    ItemStatus,
    VerificationItem,
    VerificationResult,
)
from atomation.connection.service import (
    last_verification,
    save_connection,
    verify_tenant,
)
from atomation.connection.verify import verify_connection

__all__ = [
    "ITEM_NAMES",
    "ConnectionSetupError",
    "InvalidClientId",
    "InvalidDPoPMode",
    "ItemStatus",
    "NotConnected",
    "VerificationItem",
    "VerificationResult",
    "last_verification",
    "save_connection",
    "verify_connection",
    "verify_tenant",
]
