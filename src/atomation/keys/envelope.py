"""Envelope encryption under the deployment's master key (AES-256-GCM).

Every secret is sealed with its own random 256-bit *data key*; the data key is in
turn sealed ("wrapped") with the master key. Both seals use AES-256-GCM with the
caller's associated data, so a sealed value only opens in the context it was
sealed for (a tenant's signing key opens only for that tenant and kid), and any
changed byte — in the ciphertext, the wrapped key or the context — fails the GCM
tag check. A wrong master key fails the same way.

Blob layout (both values)::

    version (1 byte, 0x01) || nonce (12 random bytes) || AES-GCM ciphertext+tag

The two layers use distinct associated-data prefixes, so a wrapped data key cannot
be passed off as a ciphertext or the other way round.

The master key comes from ``ATOMATION_MASTER_KEY`` (base64 of 32 bytes) or, when
that is unset, from a key file in the data directory generated on first use with
mode 0600. Losing the master key makes every sealed value unreadable: back the
file up with the database.

Errors::

    AtomationError
    ├── SettingsError         the master key is malformed or its file unusable
    └── EnvelopeError         a sealed value does not open (tampered, moved, or
                              sealed under another master key)
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from atomation.errors import AtomationError, SettingsError
from atomation.settings import Settings

__all__ = [
    "MASTER_KEY_BYTES",
    "EnvelopeError",
    "MasterKey",
    "SealedBox",
    "load_master_key",
]

logger = logging.getLogger(__name__)

MASTER_KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12  # the GCM nonce size NIST SP 800-38D recommends
FORMAT_VERSION = b"\x01"
# Associated-data prefixes keep the two layers apart (see the module docstring).
WRAP_CONTEXT = b"atomation/envelope/v1/data-key\x00"
DATA_CONTEXT = b"atomation/envelope/v1/data\x00"
# The key file is private material: readable and writable by its owner only.
MASTER_KEY_FILE_MODE = 0o600


class EnvelopeError(AtomationError):
    """A sealed value failed to open; it never says which byte or key was wrong."""


@dataclass(frozen=True)
class SealedBox:
    """A sealed value: the wrapped data key and the ciphertext, stored side by side."""

    wrapped_data_key: bytes
    ciphertext: bytes

    def __repr__(self) -> str:
        return (
            f"SealedBox(wrapped_data_key=<{len(self.wrapped_data_key)} bytes>, "
            f"ciphertext=<{len(self.ciphertext)} bytes>)"
        )


class MasterKey:
    """The deployment's key-encryption key. Its ``repr`` never shows the key."""

    __slots__ = ("_aead",)

    def __init__(self, key: bytes) -> None:
        if len(key) != MASTER_KEY_BYTES:
            raise ValueError(f"a master key is {MASTER_KEY_BYTES} bytes")
        self._aead = AESGCM(key)

    def __repr__(self) -> str:
        return "MasterKey(<hidden>)"

    def seal(self, plaintext: bytes, aad: bytes) -> SealedBox:
        """Encrypt ``plaintext`` under a fresh data key bound to ``aad``."""
        data_key = AESGCM.generate_key(bit_length=256)
        ciphertext = _encrypt(AESGCM(data_key), plaintext, DATA_CONTEXT + aad)
        wrapped = _encrypt(self._aead, data_key, WRAP_CONTEXT + aad)
        return SealedBox(wrapped_data_key=wrapped, ciphertext=ciphertext)

    def open(self, sealed: SealedBox, aad: bytes) -> bytes:
        """Decrypt ``sealed``; raise :class:`EnvelopeError` if anything was changed."""
        try:
            data_key = _decrypt(self._aead, sealed.wrapped_data_key, WRAP_CONTEXT + aad)
            return _decrypt(AESGCM(data_key), sealed.ciphertext, DATA_CONTEXT + aad)
        except (InvalidTag, ValueError):
            raise EnvelopeError(
                "a sealed value does not open under this master key and context",
                hint="The stored value was changed or moved, or the master key "
                "differs from the one it was sealed with.",
            ) from None


def _encrypt(aead: AESGCM, plaintext: bytes, aad: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return FORMAT_VERSION + nonce + aead.encrypt(nonce, plaintext, aad)


def _decrypt(aead: AESGCM, blob: bytes, aad: bytes) -> bytes:
    if blob[:1] != FORMAT_VERSION or len(blob) < 1 + NONCE_BYTES:
        raise ValueError("unknown envelope format")
    nonce, body = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    return aead.decrypt(nonce, body, aad)


def load_master_key(settings: Settings) -> MasterKey:
    """The master key from ``ATOMATION_MASTER_KEY``, else from (or into) its file."""
    if settings.master_key is not None:
        raw = settings.master_key.get_secret_value()
        return MasterKey(_decode(raw, "ATOMATION_MASTER_KEY", hint=_ENV_HINT))
    return _load_or_create_key_file(settings.master_key_file)


_ENV_HINT = (
    "Set ATOMATION_MASTER_KEY to the base64 of 32 random bytes "
    '(python -c "import os,base64;print(base64.b64encode(os.urandom(32)).decode())"),'
    " or unset it to use the generated key file."
)


def _decode(raw: str, source: str, *, hint: str) -> bytes:
    """Base64 (standard or URL-safe alphabet) of exactly 32 bytes."""
    text = raw.strip()
    if not text:
        raise SettingsError(f"{source} is empty", hint=hint)
    try:
        key = base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise SettingsError(f"{source} is not valid base64", hint=hint) from None
    if len(key) != MASTER_KEY_BYTES:
        raise SettingsError(
            f"{source} decodes to {len(key)} bytes; a master key is "
            f"{MASTER_KEY_BYTES} bytes",
            hint=hint,
        )
    return key


def _load_or_create_key_file(path: Path) -> MasterKey:
    """Read the key file, or create it atomically with a new key.

    The new key is written to a private temporary file first and then hard-linked
    into place, which fails if the file exists: two processes starting at once
    both end up with the one key that won, and nobody ever reads a half-written
    file.
    """
    file_hint = (
        f"Restore {path} from your backup, or set ATOMATION_MASTER_KEY. A new key "
        "cannot open keys sealed under the old one."
    )
    if path.exists():
        return MasterKey(_read_key_file(path, file_hint))

    key = secrets.token_bytes(MASTER_KEY_BYTES)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    try:
        fd = os.open(
            temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, MASTER_KEY_FILE_MODE
        )
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(base64.b64encode(key).decode("ascii") + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temporary, path)
    except FileExistsError:
        return MasterKey(_read_key_file(path, file_hint))
    except OSError as exc:
        raise SettingsError(
            f"cannot create the master key file {path} ({exc.strerror})",
            hint="Make the data directory writable, or set ATOMATION_MASTER_KEY.",
        ) from None
    finally:
        temporary.unlink(missing_ok=True)
    logger.warning("generated a new master key file %s; back it up", path)
    return MasterKey(key)


def _read_key_file(path: Path, hint: str) -> bytes:
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        raw = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not ASCII text"
        raise SettingsError(
            f"cannot read the master key file {path} ({reason})", hint=hint
        ) from None
    if mode & 0o077:
        raise SettingsError(
            f"the master key file {path} is readable by other users (mode {mode:04o})",
            hint=f"Run: chmod 600 {path}",
        )
    return _decode(raw, f"the master key file {path}", hint=hint)
