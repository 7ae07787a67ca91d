"""Password hashing with Argon2id (RFC 9106) through argon2-cffi.

argon2-cffi's defaults follow RFC 9106's second recommended option (64 MiB,
three passes); a stored hash carries its parameters, so raising them later only
rehashes each password at its owner's next sign-in.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from atomation.accounts.errors import InvalidAccountField

__all__ = [
    "MAX_PASSWORD_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "check_password_rule",
    "hash_password",
    "needs_rehash",
    "verify_password",
]

MIN_PASSWORD_LENGTH = 12  # NIST SP 800-63B §3.1.1.2 asks for at least 8; we ask more
MAX_PASSWORD_LENGTH = 256  # bounds the hashing work one request can cause

_hasher = PasswordHasher()


def check_password_rule(password: str) -> str:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise InvalidAccountField(
            f"the password has {len(password)} characters; it needs "
            f"{MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH}",
            hint=f"choose a passphrase of at least {MIN_PASSWORD_LENGTH} characters.",
        )
    return password


def hash_password(password: str) -> str:
    return _hasher.hash(check_password_rule(password))


def verify_password(password_hash: str, password: str) -> bool:
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


# A hash of nothing anyone can type, verified against when the account does not
# exist, so that an unknown address costs the same time as a wrong password.
DUMMY_HASH = _hasher.hash("x" * MIN_PASSWORD_LENGTH + " no such account")
