"""The key state machine, walked with explicit times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from atomation.keys.errors import RotationInProgress
from atomation.keys.rotation import (
    DEFAULT_OVERLAP,
    JWKS_MAX_AGE,
    RETIRE_GRACE,
    KeyState,
    KeyTimes,
    plan_rotation,
    resolve_states,
)

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def test_defaults_leave_room_for_caching_and_assertion_lifetime() -> None:
    assert DEFAULT_OVERLAP > JWKS_MAX_AGE
    assert timedelta(hours=1) <= RETIRE_GRACE


def test_a_single_key_is_active_from_its_activation() -> None:
    key = KeyTimes("a", created_at=T0, activated_at=T0)

    assert resolve_states([key], T0) == {"a": KeyState.ACTIVE}


def test_rotation_walks_next_active_retiring_retired() -> None:
    old = KeyTimes("old", created_at=T0, activated_at=T0)
    asked = T0 + 30 * MINUTE
    plan = plan_rotation([old], asked, overlap=10 * MINUTE, grace=60 * MINUTE)
    assert plan.activate_at == asked + 10 * MINUTE
    assert plan.retire_at == asked + 70 * MINUTE
    old = KeyTimes("old", created_at=T0, activated_at=T0, retire_at=plan.retire_at)
    new = KeyTimes("new", created_at=asked, activated_at=plan.activate_at)

    timeline = [
        (asked, KeyState.ACTIVE, KeyState.NEXT),
        (plan.activate_at - timedelta(seconds=1), KeyState.ACTIVE, KeyState.NEXT),
        (plan.activate_at, KeyState.RETIRING, KeyState.ACTIVE),
        (plan.retire_at - timedelta(seconds=1), KeyState.RETIRING, KeyState.ACTIVE),
        (plan.retire_at, KeyState.RETIRED, KeyState.ACTIVE),
        (plan.retire_at + 1000 * MINUTE, KeyState.RETIRED, KeyState.ACTIVE),
    ]
    for now, old_state, new_state in timeline:
        states = resolve_states([old, new], now)
        assert (states["old"], states["new"]) == (old_state, new_state), now
        signing = [k for k, state in states.items() if state is KeyState.ACTIVE]
        assert len(signing) == 1, now
        assert states[signing[0]].published


def test_zero_overlap_switches_at_once_and_keeps_the_old_key_published() -> None:
    old = KeyTimes("old", created_at=T0, activated_at=T0)
    asked = T0 + MINUTE
    plan = plan_rotation([old], asked, overlap=timedelta(0))
    old = KeyTimes("old", created_at=T0, activated_at=T0, retire_at=plan.retire_at)
    new = KeyTimes("new", created_at=asked, activated_at=plan.activate_at)

    states = resolve_states([old, new], asked)

    assert states == {"old": KeyState.RETIRING, "new": KeyState.ACTIVE}


def test_a_second_rotation_is_refused_while_a_next_key_waits() -> None:
    old = KeyTimes("old", created_at=T0, activated_at=T0, retire_at=T0 + 70 * MINUTE)
    new = KeyTimes("new", created_at=T0, activated_at=T0 + 10 * MINUTE)

    with pytest.raises(RotationInProgress, match="already under way"):
        plan_rotation([old, new], T0 + 5 * MINUTE)
    plan = plan_rotation([old, new], T0 + 10 * MINUTE)

    assert plan.activate_at == T0 + 10 * MINUTE + DEFAULT_OVERLAP


def test_a_rotation_at_the_first_keys_creation_instant_still_orders_the_keys() -> None:
    old = KeyTimes("old", created_at=T0, activated_at=T0)
    plan = plan_rotation([old], T0, overlap=timedelta(0))
    old = KeyTimes("old", created_at=T0, activated_at=T0, retire_at=plan.retire_at)
    new = KeyTimes("new", created_at=T0, activated_at=plan.activate_at)

    assert plan.activate_at > T0
    assert resolve_states([new, old], plan.activate_at) == {
        "old": KeyState.RETIRING,
        "new": KeyState.ACTIVE,
    }
