"""The root of every error Atomation shows to a user.

Each part of the product draws its own exception tree in its module docstring and
roots it here, so the one error boundary in the CLI (and the one in the web app)
can show any of them the same way::

    AtomationError              what happened, the value at fault, and the fix
    ├── SettingsError           a setting (environment, file) cannot be used
    ├── StoreError              the database cannot be opened or migrated
    └── ... one subtree per part (tenants, keys, okta, connection, snapshot, ...)

An error's ``message`` says what happened and names the input at fault; its
``hint`` says what to do about it. Neither ever carries a secret.
"""

from __future__ import annotations

__all__ = ["EXIT_INTERRUPTED", "AtomationError", "SettingsError", "StoreError"]

EXIT_INTERRUPTED = 130  # the shell's convention for a process ended by SIGINT


class AtomationError(Exception):
    """An error with a one-line message for the user and an optional fix."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class SettingsError(AtomationError):
    """A setting is missing, malformed or points at something unusable."""


class StoreError(AtomationError):
    """The database cannot be reached, opened or brought to the current schema."""
