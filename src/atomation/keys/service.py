"""A tenant's signing keys in the store: create, rotate, bring states up to date.

Each key row holds the public JWK in clear and the private key (PKCS#8 DER)
sealed by :mod:`atomation.keys.envelope` with the tenant id and the kid as
associated data, so a row copied to another tenant, or edited, does not decrypt.
When a key retires its sealed private half is erased from the row; the row
itself stays as a record of which kids the tenant has used.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from atomation.keys import jwk
from atomation.keys.envelope import EnvelopeError, MasterKey, SealedBox
from atomation.keys.errors import KeyDecryptionError, NoSigningKey
from atomation.keys.rotation import (
    DEFAULT_OVERLAP,
    RETIRE_GRACE,
    KeyState,
    KeyTimes,
    plan_rotation,
    resolve_states,
)
from atomation.store.models import SigningKey, Tenant

__all__ = [
    "create_signing_key",
    "current_keys",
    "open_private_key",
    "rotate_signing_key",
    "signing_key",
    "tenant_jwks",
]

logger = logging.getLogger(__name__)


def _aad(tenant_id: str, kid: str) -> bytes:
    return b"atomation/signing-key\x00" + tenant_id.encode() + b"\x00" + kid.encode()


def create_signing_key(
    session: Session,
    master_key: MasterKey,
    tenant: Tenant,
    *,
    now: datetime,
    activate_at: datetime | None = None,
) -> SigningKey:
    """Generate an RSA key for ``tenant``, seal it and add it to the session.

    It signs from ``activate_at`` (default: at once). The clear private key is
    dropped before this returns.
    """
    private = jwk.generate_private_key()
    public = jwk.public_jwk(private.public_key())
    sealed = master_key.seal(
        jwk.private_key_bytes(private), _aad(tenant.id, public["kid"])
    )
    del private

    start = activate_at or now
    key = SigningKey(
        tenant_id=tenant.id,
        kid=public["kid"],
        alg=jwk.ALG,
        public_jwk=public,
        wrapped_data_key=sealed.wrapped_data_key,
        private_key_ciphertext=sealed.ciphertext,
        state=(KeyState.NEXT if start > now else KeyState.ACTIVE).value,
        created_at=now,
        activated_at=start,
    )
    session.add(key)
    session.flush()
    logger.info("tenant %s: new signing key %s", tenant.subdomain, key.kid)
    return key


def rotate_signing_key(
    session: Session,
    master_key: MasterKey,
    tenant: Tenant,
    *,
    now: datetime,
    overlap: timedelta = DEFAULT_OVERLAP,
    grace: timedelta = RETIRE_GRACE,
) -> SigningKey:
    """Publish a next key now; it signs after ``overlap``, the old keys retire later.

    Raises :class:`RotationInProgress` while an earlier next key has not taken over.
    """
    # Two rotations of one tenant at once would each add a next key; the row lock
    # makes the second wait and then see the first one's key (PostgreSQL).
    session.execute(select(Tenant.id).where(Tenant.id == tenant.id).with_for_update())
    keys = current_keys(session, tenant, now=now)
    plan = plan_rotation(
        [_times(key) for key in keys], now, overlap=overlap, grace=grace
    )

    for key in keys:
        if key.retire_at is None or key.retire_at > plan.retire_at:
            key.retire_at = plan.retire_at
    new_key = create_signing_key(
        session, master_key, tenant, now=now, activate_at=plan.activate_at
    )
    logger.info(
        "tenant %s: key %s signs from %s; older keys retire at %s",
        tenant.subdomain,
        new_key.kid,
        plan.activate_at.isoformat(timespec="seconds"),
        plan.retire_at.isoformat(timespec="seconds"),
    )
    return new_key


def current_keys(
    session: Session, tenant: Tenant, *, now: datetime
) -> list[SigningKey]:
    """The tenant's published keys at ``now``, oldest first, with states stored.

    Keys whose time has come are moved to their new state here; a key that
    retires has its sealed private half erased.
    """
    rows = session.scalars(
        select(SigningKey)
        .where(SigningKey.tenant_id == tenant.id, SigningKey.state != KeyState.RETIRED)
        .order_by(SigningKey.created_at, SigningKey.id)
    ).all()
    states = resolve_states([_times(row) for row in rows], now)
    published = []
    for row in rows:
        state = states[row.id]
        if row.state != state.value:
            logger.info(
                "tenant %s: key %s %s -> %s",
                tenant.subdomain,
                row.kid,
                row.state,
                state,
            )
            row.state = state.value
        if state is KeyState.RETIRED:
            row.retired_at = row.retire_at
            row.wrapped_data_key = b""
            row.private_key_ciphertext = b""
        else:
            published.append(row)
    session.flush()
    return published


def signing_key(session: Session, tenant: Tenant, *, now: datetime) -> SigningKey:
    """The tenant's ACTIVE key at ``now``."""
    for key in current_keys(session, tenant, now=now):
        if key.state == KeyState.ACTIVE:
            return key
    raise NoSigningKey(
        f"tenant {tenant.subdomain} has no signing key that may sign now",
        hint=f"Run: atomation tenant rotate-key {tenant.subdomain} --overlap 0",
    )


def tenant_jwks(session: Session, tenant: Tenant, *, now: datetime) -> dict[str, Any]:
    """The JWK Set (RFC 7517 §5) to publish for ``tenant``: public members only."""
    keys = current_keys(session, tenant, now=now)
    return {
        "keys": [
            {name: key.public_jwk[name] for name in jwk.PUBLIC_MEMBERS} for key in keys
        ]
    }


def open_private_key(master_key: MasterKey, tenant: Tenant, key: SigningKey) -> bytes:
    """The key's PKCS#8 DER in clear; callers use it at once and drop it."""
    sealed = SealedBox(
        wrapped_data_key=key.wrapped_data_key, ciphertext=key.private_key_ciphertext
    )
    try:
        return master_key.open(sealed, _aad(tenant.id, key.kid))
    except EnvelopeError:
        raise KeyDecryptionError(
            f"the signing key {key.kid} of tenant {tenant.subdomain} does not decrypt: "
            "it was changed or moved, or the master key is not the one it was "
            "sealed with",
            hint="Restore the original master key (ATOMATION_MASTER_KEY or the "
            "master.key file), or issue a new key at once with: atomation tenant "
            f"rotate-key {tenant.subdomain} --overlap 0",
        ) from None


def _times(key: SigningKey) -> KeyTimes:
    return KeyTimes(
        key_id=key.id,
        created_at=key.created_at,
        activated_at=key.activated_at,
        retire_at=key.retire_at,
    )
