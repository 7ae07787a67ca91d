"""The keys part's errors::

    AtomationError
    └── SigningKeyError          a tenant's signing key cannot be used as asked
        ├── KeyDecryptionError   a stored key does not decrypt (tampered, moved to
        │                        another tenant, or another master key)
        ├── NoSigningKey         the tenant has no key that may sign
        └── RotationInProgress   a rotation was asked while another is under way

Messages name the tenant and the key id (``kid``, a public thumbprint); never
key bytes.
"""

from __future__ import annotations

from atomation.errors import AtomationError

__all__ = [
    "KeyDecryptionError",
    "NoSigningKey",
    "RotationInProgress",
    "SigningKeyError",
]


class SigningKeyError(AtomationError):
    """A tenant's signing key cannot be used as asked."""


class KeyDecryptionError(SigningKeyError):
    """A stored private key failed its integrity check under the master key."""


class NoSigningKey(SigningKeyError):
    """No key of the tenant is in a state that may sign."""


class RotationInProgress(SigningKeyError):
    """A next key is already published and waiting to take over."""
