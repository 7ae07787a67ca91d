"""The evidence store: bytes in, SHA-256 address out, byte-exact on the way back.

An object's address is the SHA-256 of its *uncompressed* bytes, so the address
is the same whatever the backend or compression; the blob a backend keeps is the
gzip of those bytes (RFC 1952, header time fixed at 0 so that equal content gives
an equal blob). Every read is decompressed and re-hashed: a changed byte on disk
surfaces as :class:`EvidenceCorrupted` naming the object, never as silently
different data.
"""

from __future__ import annotations

import gzip
import hashlib
import zlib
from dataclasses import dataclass

from atomation.settings import Settings
from atomation.snapshot.evidence.backend import (
    EvidenceBackend,
    LocalBackend,
    check_sha256,
)
from atomation.snapshot.evidence.errors import EvidenceCorrupted

__all__ = ["EvidenceStore", "StoredObject", "open_evidence_store", "sha256_hex"]

# zlib's default level: most of the size gain on JSON for a fraction of level 9's
# time. Pages are written once and read by every assessment, so either is fine.
COMPRESS_LEVEL = 6


def sha256_hex(data: bytes | bytearray) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class StoredObject:
    """The address and sizes of an object just put."""

    sha256: str
    size: int
    stored_size: int
    written: bool
    """False when identical content was already stored (the put was a no-op)."""


class EvidenceStore:
    """Content-addressed, compressed, write-once storage over a backend."""

    def __init__(self, backend: EvidenceBackend) -> None:
        self.backend = backend

    def __repr__(self) -> str:
        return f"EvidenceStore({self.backend!r})"

    def put(self, content: bytes | bytearray) -> StoredObject:
        sha256 = sha256_hex(content)
        if self.backend.exists(sha256):
            return StoredObject(sha256, len(content), 0, written=False)
        blob = gzip.compress(content, compresslevel=COMPRESS_LEVEL, mtime=0)
        written = self.backend.put(sha256, blob)
        return StoredObject(sha256, len(content), len(blob), written=written)

    def get(self, sha256: str) -> bytes:
        """The object's exact bytes; :class:`EvidenceCorrupted` if they changed."""
        content = self.read_unchecked(sha256)
        actual = sha256_hex(content)
        if actual != sha256:
            raise EvidenceCorrupted(
                f"evidence object {sha256} was altered: its content hashes to "
                f"{actual} ({self.backend.location(sha256)})",
                hint="Restore it from backup; run 'atomation evidence verify' on the "
                "snapshots that use it.",
            )
        return content

    def read_unchecked(self, sha256: str) -> bytes:
        """The stored bytes decompressed but not re-hashed, for a verifier to judge.

        :class:`EvidenceCorrupted` if the blob no longer decompresses.
        """
        blob = self.backend.get(check_sha256(sha256))
        try:
            return gzip.decompress(blob)
        except (OSError, EOFError, zlib.error):
            raise EvidenceCorrupted(
                f"evidence object {sha256} is damaged: it no longer decompresses "
                f"({self.backend.location(sha256)})",
                hint="Restore it from backup; run 'atomation evidence verify' on the "
                "snapshots that use it.",
            ) from None

    def exists(self, sha256: str) -> bool:
        return self.backend.exists(check_sha256(sha256))

    def location(self, sha256: str) -> str:
        return self.backend.location(check_sha256(sha256))


def open_evidence_store(settings: Settings) -> EvidenceStore:
    """The deployment's evidence store: the local directory ``evidence/``."""
    return EvidenceStore(LocalBackend(settings.evidence_dir))
