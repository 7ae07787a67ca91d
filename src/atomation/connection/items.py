"""The four items of Verify Connection, each pass / fail / warn with a cause and fix.

The names and their order are the setup guide's (DESIGN, "The customer's path"):
*Token acquired*, *Scopes usable*, *Role sufficient*, *Verified timestamp*. A
``warn`` is degraded but usable (an over-privileged role, a read of the app's own
roles refused); only a ``fail`` stops the connection from counting as verified.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

__all__ = [
    "ITEM_NAMES",
    "ROLE_SUFFICIENT",
    "SCOPES_USABLE",
    "TOKEN_ACQUIRED",
    "VERIFIED_TIMESTAMP",
    "ItemStatus",
    "VerificationItem",
    "VerificationResult",
]

ItemStatus = Literal["pass", "fail", "warn"]

TOKEN_ACQUIRED = "Token acquired"  # noqa: S105 (an item name, not a secret)
SCOPES_USABLE = "Scopes usable"
ROLE_SUFFICIENT = "Role sufficient"
VERIFIED_TIMESTAMP = "Verified timestamp"
ITEM_NAMES = (TOKEN_ACQUIRED, SCOPES_USABLE, ROLE_SUFFICIENT, VERIFIED_TIMESTAMP)


@dataclass(frozen=True)
class VerificationItem:
    """One line of the verification: what was found (``cause``) and what to do."""

    name: str
    status: ItemStatus
    cause: str
    fix: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "status": self.status,
            "cause": self.cause,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class VerificationResult:
    """A whole run: the four items, and what the connection learned from it.

    ``verified_at`` is this run's time when it passed, otherwise the last
    successful time (or None if there never was one). ``dpop_required`` is what
    the token endpoint showed about the app (None if it was never reached).
    """

    items: tuple[VerificationItem, ...]
    started_at: datetime
    finished_at: datetime
    verified_at: datetime | None
    dpop_required: bool | None

    @property
    def passed(self) -> bool:
        """No item failed; a warning does not stop the connection from working."""
        return all(item.status != "fail" for item in self.items)

    def item(self, name: str) -> VerificationItem:
        return next(item for item in self.items if item.name == name)

    def as_dict(self) -> dict[str, Any]:
        return {
            "items": [item.as_dict() for item in self.items],
            "verified_at": self.verified_at.isoformat() if self.verified_at else None,
        }
