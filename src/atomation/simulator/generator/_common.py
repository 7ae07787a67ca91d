"""Seeded building blocks shared by every resource family.

Everything the generator makes is a pure function of ``(seed, kind, index)``: the
digest of those three values (BLAKE2b, stable across processes, unlike Python's
salted ``hash``) seeds a per-object ``random.Random``. That is what lets users,
factors, memberships and log events be built lazily, in any order, and still come
out the same every time.

Okta ids are 20 characters: a three-character type prefix (``00u`` users, ``00g``
groups, ``0oa`` apps, …) and 17 more. Here the first five of those encode the
object's index in base 62 (ASCII order), so sorting by id is sorting by index and
``index_of`` can recover the index from an id without a lookup table.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, TypeVar, cast

from atomation.errors import AtomationError

__all__ = [
    "BASE62",
    "MAX_USERS",
    "MIN_USERS",
    "Context",
    "GeneratorError",
    "Plant",
    "Profile",
    "anywhere",
    "format_time",
    "without_nulls",
]

Profile = Literal["typical", "hardened"]
_T = TypeVar("_T")
BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_INDEX_WIDTH = 5  # 62**5 ≈ 916 million objects of one kind
_BASE62_OF_BYTE = bytes(ord(BASE62[b % 62]) for b in range(256))
# The admin roster and the planted findings need a few dozen named people.
MIN_USERS = 60
MAX_USERS = 5_000_000


class GeneratorError(AtomationError):
    """The generator was asked for an org it cannot build (size, profile)."""


def format_time(moment: datetime) -> str:
    """Okta's timestamp form: ISO-8601 UTC with milliseconds and a ``Z``."""
    if moment.utcoffset():
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


def _digest(seed: int, kind: str, index: int) -> bytes:
    return hashlib.blake2b(
        f"{seed}\x1f{kind}\x1f{index}".encode(), digest_size=16
    ).digest()


@dataclass(frozen=True)
class Plant:
    """One planted misconfiguration, in the shape ``org.misconfigurations`` lists."""

    id: str
    check: str
    resource_type: str
    resource_id: str
    resource_name: str
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "check": self.check,
            "resource": {
                "type": self.resource_type,
                "id": self.resource_id,
                "name": self.resource_name,
            },
            "detail": self.detail,
        }


@dataclass
class Context:
    """The inputs of one generation run and the helpers every family uses."""

    seed: int
    users: int
    profile: Profile
    base_url: str
    anchor: datetime
    classic: bool = False
    plants: list[Plant] = field(default_factory=list)

    @property
    def typical(self) -> bool:
        return self.profile == "typical"

    @property
    def domain(self) -> str:
        """The customer's e-mail and web domain (reserved ``.example`` TLD)."""
        return f"northwind{self.seed % 1000}.example"

    def digest(self, kind: str, index: int = 0) -> bytes:
        return _digest(self.seed, kind, index)

    def rng(self, kind: str, index: int = 0) -> random.Random:
        return random.Random(int.from_bytes(_digest(self.seed, kind, index), "big"))

    def okta_id(self, prefix: str, kind: str, index: int) -> str:
        """A 20-character Okta-style id whose order follows ``index``."""
        digits = []
        value = index
        for _ in range(_INDEX_WIDTH):
            value, rest = divmod(value, 62)
            digits.append(BASE62[rest])
        tail_bytes = _digest(self.seed, "id:" + kind, index)[: 17 - _INDEX_WIDTH]
        tail = tail_bytes.translate(_BASE62_OF_BYTE).decode("ascii")
        return prefix + "".join(reversed(digits)) + tail

    def index_of(self, prefix: str, kind: str, okta_id: str) -> int | None:
        """The index behind an id made by ``okta_id``, or None if it is not one."""
        if len(okta_id) != 20 or not okta_id.startswith(prefix):
            return None
        index = 0
        for char in okta_id[3 : 3 + _INDEX_WIDTH]:
            position = BASE62.find(char)
            if position < 0:
                return None
            index = index * 62 + position
        return index if self.okta_id(prefix, kind, index) == okta_id else None

    def uuid(self, kind: str, index: int) -> str:
        """A version-4 UUID string drawn from the seed (same value as ``uuid.UUID``
        with ``version=4`` would give, formatted directly because the log makes a
        million of them)."""
        raw = bytearray(_digest(self.seed, "uuid:" + kind, index))
        raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
        raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
        h = raw.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def ago(self, *, days: float = 0, minutes: float = 0) -> datetime:
        return self.anchor - timedelta(days=days, minutes=minutes)

    def stamp(self, *, days: float = 0, minutes: float = 0) -> str:
        return format_time(self.ago(days=days, minutes=minutes))

    def href(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def link(self, path: str, **extra: Any) -> dict[str, Any]:
        return {"href": self.href(path), **extra}

    def plant(
        self,
        key: str,
        check: str,
        resource: tuple[str, str, str],
        detail: str,
    ) -> None:
        """Record a planted finding; only the typical profile plants any."""
        if not self.typical:
            return
        kind, object_id, name = resource
        self.plants.append(
            Plant(f"typical-{key}", check, kind, object_id, name, detail)
        )


def without_nulls(value: _T) -> _T:
    """A copy without null-valued keys, for fields the spec does not mark nullable.

    Okta omits or nulls such fields; the spec (and the SDK's models) accept
    omission only.
    """
    if isinstance(value, dict):
        return cast(
            _T, {k: without_nulls(v) for k, v in value.items() if v is not None}
        )
    if isinstance(value, list):
        return cast(_T, [without_nulls(v) for v in value])
    return value


def anywhere() -> dict[str, Any]:
    """A network condition matching any address."""
    return {"connection": "ANYWHERE"}
