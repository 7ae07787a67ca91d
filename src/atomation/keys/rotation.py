"""When each of a tenant's signing keys is published and when it signs.

A key's state follows from two timestamps and the clock, so nothing has to run
in the background: whoever reads the keys (the JWKS endpoint, a signer) works out
the states for ``now`` and stores what changed. The functions here are pure;
``now`` is always passed in.

State machine (``activated_at`` = when the key starts signing, ``retire_at`` =
when it leaves the JWKS)::

                 rotate at t, overlap O
    (none) ───────────────────────────▶ NEXT       published, not signing yet
                                          │ now >= activated_at (= t + O)
                                          ▼
    first key ────────────────────────▶ ACTIVE     published, signs
                                          │ a newer key became ACTIVE
                                          ▼
                                        RETIRING   published, no longer signs
                                          │ now >= retire_at (= t + O + grace)
                                          ▼
                                        RETIRED    gone from the JWKS; its private
                                                   half is destroyed

Of the keys whose ``activated_at`` has passed and which are not retired, the one
activated last is ACTIVE and the others are RETIRING. A rotation gives the old
keys a ``retire_at`` after the new key's ``activated_at``, so there is always
exactly one ACTIVE key, and every key that may still sign (and every key whose
signatures may still be checked) is published.

Why the two waits:

* **Overlap** (:data:`DEFAULT_OVERLAP`): Okta fetches our JWKS and may cache it
  (okta-api.md §1.3: when and how long is unconfirmed; we ask for at most
  :data:`JWKS_MAX_AGE` with ``Cache-Control``). The next key is published for
  longer than that before it signs, so Okta's copy holds it by then.
* **Grace** (:data:`RETIRE_GRACE`): an assertion signed just before the switch
  must still verify until it expires; Okta caps an assertion's life at one hour
  (okta-api.md §1.2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from atomation.keys.errors import RotationInProgress

__all__ = [
    "DEFAULT_OVERLAP",
    "JWKS_MAX_AGE",
    "RETIRE_GRACE",
    "KeyState",
    "KeyTimes",
    "RotationPlan",
    "plan_rotation",
    "resolve_states",
]

JWKS_MAX_AGE = timedelta(minutes=5)
"""The ``Cache-Control: max-age`` on our JWKS: short, so a new key is seen soon."""

DEFAULT_OVERLAP = 2 * JWKS_MAX_AGE
"""A next key is published this long before it signs: twice the JWKS cache age,
so a copy Okta fetched just before the rotation has expired with margin."""

RETIRE_GRACE = timedelta(hours=1)
"""A superseded key stays published this long: Okta refuses an assertion whose
``exp`` is more than an hour ahead (okta-api.md §1.2), so none outlives this."""


# The smallest step both databases store (microseconds).
ONE_TICK = timedelta(microseconds=1)


class KeyState(StrEnum):
    NEXT = "next"
    ACTIVE = "active"
    RETIRING = "retiring"
    RETIRED = "retired"

    @property
    def published(self) -> bool:
        return self is not KeyState.RETIRED


@dataclass(frozen=True)
class KeyTimes:
    """What the state of one key depends on."""

    key_id: str
    created_at: datetime
    activated_at: datetime
    retire_at: datetime | None = None


@dataclass(frozen=True)
class RotationPlan:
    """When the new key starts signing and when the keys it replaces leave."""

    activate_at: datetime
    retire_at: datetime


def resolve_states(keys: Sequence[KeyTimes], now: datetime) -> dict[str, KeyState]:
    """Each key's state at ``now`` (see the state machine above)."""
    states: dict[str, KeyState] = {}
    started: list[KeyTimes] = []
    for key in keys:
        if key.retire_at is not None and now >= key.retire_at:
            states[key.key_id] = KeyState.RETIRED
        elif key.activated_at > now:
            states[key.key_id] = KeyState.NEXT
        else:
            started.append(key)
    started.sort(key=lambda key: (key.activated_at, key.created_at))
    for key in started[:-1]:
        states[key.key_id] = KeyState.RETIRING
    if started:
        states[started[-1].key_id] = KeyState.ACTIVE
    return states


def plan_rotation(
    keys: Sequence[KeyTimes],
    now: datetime,
    *,
    overlap: timedelta = DEFAULT_OVERLAP,
    grace: timedelta = RETIRE_GRACE,
) -> RotationPlan:
    """The times for a rotation asked at ``now``; refused while one is under way."""
    if overlap < timedelta(0) or grace < timedelta(0):
        raise ValueError("overlap and grace cannot be negative")
    states = resolve_states(keys, now)
    for key in keys:
        if states[key.key_id] is KeyState.NEXT:
            raise RotationInProgress(
                f"a rotation is already under way: the next key takes over at "
                f"{key.activated_at.isoformat(timespec='seconds')}",
                hint="Wait until then and rotate again if you still need to.",
            )
    # The new key must start after every key it replaces, or two keys could share
    # an activation time and "the one activated last" would be ambiguous.
    latest = max((key.activated_at for key in keys), default=now)
    activate_at = max(now + overlap, latest + ONE_TICK)
    return RotationPlan(activate_at=activate_at, retire_at=activate_at + grace)
