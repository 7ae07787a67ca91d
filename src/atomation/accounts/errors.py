"""The accounts part's errors::

    AtomationError
    └── AccountError              an account, session or link cannot be used as asked
        ├── InvalidAccountField   an e-mail, role, tenant or password breaks its rule
        ├── AccountExists         the e-mail address is taken
        ├── LoginThrottled        too many failed sign-ins for the account or address
        └── LoginFailed           the e-mail and password do not match an account

A failed sign-in never says which half was wrong, so it cannot be used to learn
which addresses have accounts.
"""

from __future__ import annotations

from atomation.errors import AtomationError

__all__ = [
    "AccountError",
    "AccountExists",
    "InvalidAccountField",
    "LoginFailed",
    "LoginThrottled",
]


class AccountError(AtomationError):
    """An account, session or link cannot be used as asked."""


class InvalidAccountField(AccountError):
    """A value given for a new account breaks its rule."""


class AccountExists(AccountError):
    """Another account already has the e-mail address."""


class LoginThrottled(AccountError):
    """Too many failed sign-ins recently; ``retry_after`` is in seconds."""

    def __init__(self, message: str, *, hint: str | None, retry_after: int) -> None:
        super().__init__(message, hint=hint)
        self.retry_after = retry_after


class LoginFailed(AccountError):
    """The e-mail address and password do not match an account."""
