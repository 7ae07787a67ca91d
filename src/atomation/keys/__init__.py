"""Per-tenant signing keys: generated, sealed at rest, rotated and published.

* :mod:`~atomation.keys.envelope` — AES-256-GCM envelope encryption under the
  deployment's master key (also used for the evidence key).
* :mod:`~atomation.keys.jwk` — RSA keys as JWKs, RFC 7638 kids, compact RS256 JWS.
* :mod:`~atomation.keys.rotation` — the key state machine, pure and clock-free.
* :mod:`~atomation.keys.service` — keys in the store; the tenant's JWKS.
* :mod:`~atomation.keys.signer` — :func:`signer_for`, what the Okta client signs with.

Errors are drawn in :mod:`~atomation.keys.errors`.
"""

from atomation.keys.envelope import EnvelopeError, MasterKey, SealedBox, load_master_key
from atomation.keys.errors import (
    KeyDecryptionError,
    NoSigningKey,
    RotationInProgress,
    SigningKeyError,
)
from atomation.keys.rotation import (
    DEFAULT_OVERLAP,
    JWKS_MAX_AGE,
    RETIRE_GRACE,
    KeyState,
)
from atomation.keys.service import (
    create_signing_key,
    current_keys,
    rotate_signing_key,
    tenant_jwks,
)
from atomation.keys.signer import JwsSigner, TenantSigner, signer_for

__all__ = [
    "DEFAULT_OVERLAP",
    "JWKS_MAX_AGE",
    "RETIRE_GRACE",
    "EnvelopeError",
    "JwsSigner",
    "KeyDecryptionError",
    "KeyState",
    "MasterKey",
    "NoSigningKey",
    "RotationInProgress",
    "SealedBox",
    "SigningKeyError",
    "TenantSigner",
    "create_signing_key",
    "current_keys",
    "load_master_key",
    "rotate_signing_key",
    "signer_for",
    "tenant_jwks",
]
