"""Where evidence objects live: a backend keeps opaque blobs under SHA-256 names.

A backend knows nothing of compression or of what the bytes mean; it only stores
a blob under a content address once and hands it back. :class:`LocalBackend` keeps
them in a directory. An S3-compatible backend (for deployments with workers on
several machines) is not built yet; it would implement the same calls with the
same names as object keys (``ab/cd/<sha256>.gz``) and get write-once from a
conditional put (``If-None-Match: *``) instead of a link.

Write-once on disk: a blob is written to a temporary file in its final directory,
flushed to disk, then *hard-linked* to its name. ``link`` fails when the name
already exists, so an object is never overwritten, even by two writers racing;
a plain ``rename`` would silently replace it.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
from pathlib import Path
from typing import Protocol

from atomation.snapshot.evidence.errors import EvidenceError, EvidenceNotFound

__all__ = ["EvidenceBackend", "LocalBackend", "check_sha256"]

logger = logging.getLogger(__name__)

SHA256_HEX = re.compile(r"[0-9a-f]{64}")
# Evidence is private to the deployment, and an object never changes once written:
# directories are the owner's only and objects are read-only.
DIRECTORY_MODE = 0o700
OBJECT_MODE = 0o400
OBJECT_SUFFIX = ".gz"


def check_sha256(sha256: str) -> str:
    """Return ``sha256`` if it is 64 lower-case hex digits; raise otherwise.

    Every address is checked before it becomes a path or an object key, so no
    caller can reach outside the store with a crafted name.
    """
    if not SHA256_HEX.fullmatch(sha256):
        raise EvidenceNotFound(
            f"'{sha256[:80]}' is not a SHA-256 content address",
            hint="Give the 64 lower-case hexadecimal digits of a page or manifest.",
        )
    return sha256


class EvidenceBackend(Protocol):
    """Blob storage by SHA-256 name: put once, get, test for presence."""

    def put(self, sha256: str, blob: bytes) -> bool:
        """Store ``blob`` under ``sha256`` unless present; True if it was written."""

    def get(self, sha256: str) -> bytes:
        """The blob stored under ``sha256``; :class:`EvidenceNotFound` if absent."""

    def exists(self, sha256: str) -> bool:
        """Whether a blob is stored under ``sha256``."""

    def location(self, sha256: str) -> str:
        """Where the blob lives (a path or a URL), for messages to an operator."""


class LocalBackend:
    """Blobs in a directory, fanned out as ``ab/cd/<sha256>.gz``.

    Two levels of two hex digits give 65,536 directories, so even millions of
    pages leave a few hundred files per directory.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def __repr__(self) -> str:
        return f"LocalBackend({str(self.root)!r})"

    def path(self, sha256: str) -> Path:
        check_sha256(sha256)
        return self.root / sha256[:2] / sha256[2:4] / (sha256 + OBJECT_SUFFIX)

    def location(self, sha256: str) -> str:
        return str(self.path(sha256))

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def get(self, sha256: str) -> bytes:
        path = self.path(sha256)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise EvidenceNotFound(
                f"evidence object {sha256} is missing ({path})",
                hint="Restore the evidence directory from backup; "
                "evidence is never recreated.",
            ) from None
        except OSError as exc:
            raise EvidenceError(
                f"cannot read evidence object {path} ({exc.strerror})",
                hint="Check the evidence directory's permissions.",
            ) from None

    def put(self, sha256: str, blob: bytes) -> bool:
        final = self.path(sha256)
        if final.exists():
            return False
        try:
            self._make_directories(final.parent)
            temporary = final.with_name(f".{sha256}.{secrets.token_hex(8)}.tmp")
            _write_durably(temporary, blob)
            try:
                os.link(temporary, final)
            except FileExistsError:
                return False  # another writer stored the same content first
            finally:
                temporary.unlink()
            _sync_directory(final.parent)
        except OSError as exc:
            raise EvidenceError(
                f"cannot write evidence object {final} ({exc.strerror})",
                hint="Check that the evidence directory is writable and has space.",
            ) from None
        logger.debug("stored evidence object %s (%d bytes)", sha256, len(blob))
        return True

    def _make_directories(self, directory: Path) -> None:
        """The store's root and both fan-out levels, each the owner's only.

        ``mkdir(parents=True)`` gives the parents it makes the umask's mode, so
        the levels under the root are made one by one.
        """
        self.root.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
        for level in (directory.parent, directory):
            level.mkdir(mode=DIRECTORY_MODE, exist_ok=True)


def _write_durably(path: Path, blob: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OBJECT_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(blob)
        handle.flush()
        os.fsync(handle.fileno())


def _sync_directory(path: Path) -> None:
    """Make the new name durable: the link is only on disk once its directory is."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
