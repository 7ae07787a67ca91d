"""The object the Okta client signs client assertions with.

A :class:`TenantSigner` holds no key material. Each :meth:`~TenantSigner.sign`
reads the tenant's ACTIVE key from the store (moving key states on as their times
come, so a long-lived signer follows a rotation by itself), decrypts the private
key, signs, and drops it. Python cannot wipe memory, so "drops" means the clear
key lives only in local variables of one call and is unreferenced when it returns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol

from atomation.keys import jwk
from atomation.keys.envelope import MasterKey, load_master_key
from atomation.keys.service import open_private_key, signing_key
from atomation.settings import Settings
from atomation.store import Store, Tenant
from atomation.store.types import utcnow

__all__ = ["JwsSigner", "TenantSigner", "signer_for"]


class JwsSigner(Protocol):
    """Signs a JWT for one key: what a client assertion or DPoP proof needs."""

    @property
    def kid(self) -> str: ...

    @property
    def alg(self) -> str: ...

    def sign(self, header: Mapping[str, Any], payload: Mapping[str, Any]) -> str: ...


class TenantSigner:
    """Signs with a tenant's current key (RS256). Its ``repr`` shows the kid only."""

    def __init__(
        self,
        store: Store,
        master_key: MasterKey,
        tenant: Tenant,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._store = store
        self._master_key = master_key
        self._tenant = tenant
        self._clock = clock
        with store.session() as session:
            self._kid = signing_key(session, tenant, now=clock()).kid

    def __repr__(self) -> str:
        return f"TenantSigner(kid={self._kid!r})"

    @property
    def kid(self) -> str:
        """The kid of the key the latest signature used (or would use now)."""
        return self._kid

    @property
    def alg(self) -> str:
        return jwk.ALG

    def sign(self, header: Mapping[str, Any], payload: Mapping[str, Any]) -> str:
        """A compact JWS of ``payload``.

        ``alg`` and ``kid`` are always the signing key's (any given value is
        replaced, since a mismatch would only fail at Okta); ``typ`` is ``JWT``
        unless the header sets it (a DPoP proof uses ``dpop+jwt``).
        """
        with self._store.session() as session:
            key = signing_key(session, self._tenant, now=self._clock())
            der = open_private_key(self._master_key, self._tenant, key)
            kid = key.kid
        self._kid = kid
        full_header = {"typ": "JWT", **header, "alg": jwk.ALG, "kid": kid}
        return jwk.sign_compact(jwk.load_private_key(der), full_header, payload)


def signer_for(
    store: Store,
    settings: Settings,
    tenant: Tenant,
    *,
    master_key: MasterKey | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> TenantSigner:
    """The signer for ``tenant``'s client assertions.

    The master key is loaded from ``settings`` unless given. Raises
    :class:`~atomation.keys.errors.NoSigningKey` if the tenant has no key that may
    sign now.
    """
    key = master_key if master_key is not None else load_master_key(settings)
    return TenantSigner(store, key, tenant, clock=clock)
