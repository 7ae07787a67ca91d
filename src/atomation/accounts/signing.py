"""The web app's signing key: HMAC-SHA256 for handoff links and CSRF tokens.

One random 32-byte key per deployment, made on first use and kept in
``web_secrets`` sealed under the master key (the envelope of
:mod:`atomation.keys.envelope`), so every web process of a deployment signs and
checks alike and a database dump alone cannot forge a link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from atomation.accounts.models import WebSecret
from atomation.keys.envelope import MasterKey, SealedBox
from atomation.store.types import utcnow

__all__ = ["Signer", "load_signer"]

KEY_NAME = "web-signing"
KEY_BYTES = 32  # as long as the HMAC-SHA256 output (RFC 2104 §3)
_AAD = b"atomation web signing key"


class Signer:
    """Signs short strings; its ``repr`` never shows the key."""

    __slots__ = ("_key",)

    def __init__(self, key: bytes) -> None:
        self._key = key

    def __repr__(self) -> str:
        return "Signer(<hidden>)"

    def sign(self, purpose: str, message: str) -> str:
        """URL-safe signature of ``message`` for one ``purpose`` (domain separated)."""
        mac = hmac.new(self._key, f"{purpose}\0{message}".encode(), hashlib.sha256)
        return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()

    def check(self, purpose: str, message: str, signature: str) -> bool:
        return hmac.compare_digest(self.sign(purpose, message), signature)


def load_signer(session: Session, master_key: MasterKey) -> Signer:
    """The deployment's signer, making and sealing its key the first time."""
    row = session.get(WebSecret, KEY_NAME)
    if row is None:
        sealed = master_key.seal(secrets.token_bytes(KEY_BYTES), _AAD)
        try:
            with session.begin_nested():
                session.add(
                    WebSecret(
                        name=KEY_NAME,
                        wrapped_data_key=sealed.wrapped_data_key,
                        ciphertext=sealed.ciphertext,
                        created_at=utcnow(),
                    )
                )
        except IntegrityError:
            pass  # another process made it first; use theirs
        row = session.get(WebSecret, KEY_NAME)
        assert row is not None
    key = master_key.open(
        SealedBox(wrapped_data_key=row.wrapped_data_key, ciphertext=row.ciphertext),
        _AAD,
    )
    return Signer(key)
