"""The deployment's evidence key: Ed25519, made on first use, sealed at rest.

One key signs every snapshot manifest of the deployment. Its private half is sealed
with the envelope module under the master key (associated data
``evidence-key:<key id>``, so the sealed value opens only as that key) and is in
clear only in memory for the moment of a signature. The public half is stored raw
and is all that verification needs, so ``evidence verify`` runs without the master
key. A snapshot records the id of the key that signed it, so a later key (after a
rotation, or a second process that raced to make the first one) never makes an
older snapshot unverifiable.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from sqlalchemy import select

from atomation.keys.envelope import MasterKey, SealedBox
from atomation.snapshot.evidence.errors import EvidenceNotFound
from atomation.store import EvidenceKey, Store
from atomation.store.types import new_id

__all__ = [
    "ALGORITHM",
    "EvidencePublicKey",
    "EvidenceSigner",
    "evidence_key_context",
    "load_public_key",
    "load_signer",
]

logger = logging.getLogger(__name__)

ALGORITHM = "Ed25519"


def evidence_key_context(key_id: str) -> bytes:
    """Associated data binding a sealed private key to its role and id."""
    return b"evidence-key:" + key_id.encode("ascii")


@dataclass(frozen=True)
class EvidencePublicKey:
    """The public half of an evidence key, as stored and as an auditor receives it."""

    id: str
    raw: bytes
    """The 32-byte Ed25519 public key (RFC 8032 §5.1.5)."""

    @property
    def pem(self) -> bytes:
        """SubjectPublicKeyInfo PEM, the form ``openssl pkeyutl -pubin`` reads."""
        return self._key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)

    @property
    def fingerprint(self) -> str:
        """SHA-256 (hex) of the DER SubjectPublicKeyInfo."""
        der = self._key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
        return hashlib.sha256(der).hexdigest()

    def verifies(self, signature: bytes, message: bytes) -> bool:
        try:
            self._key().verify(signature, message)
        except InvalidSignature:
            return False
        return True

    def _key(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(self.raw)


class EvidenceSigner:
    """Signs manifests with the stored evidence key; never holds it in clear."""

    def __init__(self, public: EvidencePublicKey, sealed: SealedBox, master: MasterKey):
        self.public = public
        self._sealed = sealed
        self._master = master

    def __repr__(self) -> str:
        return f"EvidenceSigner(key_id={self.public.id!r})"

    def sign(self, message: bytes | bytearray) -> bytes:
        seed = self._master.open(self._sealed, evidence_key_context(self.public.id))
        return Ed25519PrivateKey.from_private_bytes(seed).sign(message)


def load_signer(store: Store, master: MasterKey) -> EvidenceSigner:
    """The deployment's evidence key, generated and stored on first use."""
    with store.session() as session:
        row = session.scalars(
            select(EvidenceKey).order_by(EvidenceKey.created_at, EvidenceKey.id)
        ).first()
        if row is None:
            row = _generate(master)
            session.add(row)
            logger.info("generated the evidence key %s", row.id)
        public = EvidencePublicKey(id=row.id, raw=row.public_key)
        sealed = SealedBox(
            wrapped_data_key=row.wrapped_data_key,
            ciphertext=row.private_key_ciphertext,
        )
    return EvidenceSigner(public, sealed, master)


def _generate(master: MasterKey) -> EvidenceKey:
    key_id = new_id()
    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    sealed = master.seal(seed, evidence_key_context(key_id))
    return EvidenceKey(
        id=key_id,
        algorithm=ALGORITHM,
        public_key=private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
        wrapped_data_key=sealed.wrapped_data_key,
        private_key_ciphertext=sealed.ciphertext,
    )


def load_public_key(store: Store, key_id: str) -> EvidencePublicKey:
    with store.session() as session:
        row = session.get(EvidenceKey, key_id)
        if row is None:
            raise EvidenceNotFound(
                f"evidence key {key_id} is not in the database",
                hint="Restore the database from the backup taken with the evidence.",
            )
        return EvidencePublicKey(id=row.id, raw=row.public_key)
