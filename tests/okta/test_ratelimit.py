"""Bucket matching, budget pacing, 429 waits and the in-flight cap, on a test clock."""

from __future__ import annotations

import asyncio
import logging
from email.utils import formatdate

import pytest

from atomation.okta.errors import RateLimited
from atomation.okta.ratelimit import (
    DATE_RESOLUTION,
    BucketLimiter,
    InFlightGate,
    Pacer,
    RateLimitState,
    bucket_for,
    read_rate_limit,
)
from tests.okta.clocks import SteppedClock


def _headers(
    limit: int, remaining: int, reset: float, server_now: float
) -> dict[str, str]:
    return {
        "x-rate-limit-limit": str(limit),
        "x-rate-limit-remaining": str(remaining),
        "x-rate-limit-reset": str(int(reset)),
        "date": formatdate(server_now, usegmt=True),
    }


@pytest.mark.parametrize(
    ("path", "bucket"),
    [
        ("/api/v1/users", "users-list"),
        ("/api/v1/users/00u1", "user-by-id"),
        ("/api/v1/users/00u1/factors", "management"),
        ("/api/v1/apps", "apps"),
        ("/api/v1/apps/0oa1", "app-by-id"),
        ("/api/v1/apps/0oa1/users", "apps"),
        ("/api/v1/groups/00g1/users", "groups"),
        ("/api/v1/logs", "logs"),
        ("/api/v1/policies", "management"),
        ("/oauth2/v1/clients/0oa1/roles", "oauth2-clients"),
        ("/oauth2/v1/token", "token"),
        ("/.well-known/okta-organization", "org-metadata"),
    ],
)
def test_bucket_is_exact_match_first_then_longest_prefix(
    path: str, bucket: str
) -> None:
    assert bucket_for(path).name == bucket


def _state(
    limit: int, remaining: int, reset: float, server_now: float
) -> RateLimitState:
    state = read_rate_limit(_headers(limit, remaining, reset, server_now))
    assert state is not None
    return state


def _pacer(clock: SteppedClock, share: float = 0.5) -> Pacer:
    return Pacer(clock, target_share=share, max_in_flight=4, jitter=lambda: 0.0)


def test_requests_go_while_budget_lasts_then_wait_for_the_reset(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = SteppedClock()
    pacer = _pacer(clock)
    now = clock.now()
    limiter = pacer.limiter("/api/v1/users")
    # 10 per window, 7 left: our share (50 %) keeps 5 in reserve, so 2 may go.
    limiter.observe(_state(10, 7, now + 30, now), now)

    async def run() -> None:
        max_wait = 600.0
        await pacer.wait_for_budget("/api/v1/users", max_wait=max_wait)
        await pacer.wait_for_budget("/api/v1/users", max_wait=max_wait)
        assert clock.sleeps == []
        with caplog.at_level(logging.WARNING, logger="atomation.okta.ratelimit"):
            await pacer.wait_for_budget("/api/v1/users", max_wait=max_wait)

    asyncio.run(run())
    assert clock.sleeps == [pytest.approx(30 + DATE_RESOLUTION)]
    assert "rate-limit wait" in caplog.text


def test_a_planned_wait_ends_at_the_reset_without_jitter() -> None:
    clock = SteppedClock()
    pacer = Pacer(clock, max_in_flight=4, jitter=lambda: 0.75)
    now = clock.now()
    pacer.limiter("/api/v1/users").observe(_state(10, 5, now + 30, now), now)

    asyncio.run(pacer.wait_for_budget("/api/v1/users", max_wait=600.0))

    assert clock.sleeps == [pytest.approx(30 + DATE_RESOLUTION)]


def _factors_limiter(remaining: int, reset_in: float) -> tuple[BucketLimiter, float]:
    """The factor reads' limiter, having seen one answer; and the time it came."""
    clock = SteppedClock()
    now = clock.now()
    limiter = _pacer(clock).limiter("/api/v1/users/00u1/factors")
    limiter.observe(_state(600, remaining, now + reset_in, now), now)
    return limiter, now


def test_a_late_answer_from_an_ended_window_is_ignored() -> None:
    limiter, now = _factors_limiter(remaining=40, reset_in=50)
    limiter.spend()

    # Sent before the previous window ended, answered after this one began.
    limiter.observe(_state(600, 590, now - 10, now), now)

    assert (limiter.remaining, limiter.reset) == (39, now + 50)


def test_a_spend_made_in_a_window_that_has_ended_is_no_longer_good() -> None:
    limiter, now = _factors_limiter(remaining=40, reset_in=5)
    spent_in = limiter.window
    limiter.spend()

    assert limiter.still_current(spent_in, now + 5)  # the reset plus a second...
    assert not limiter.still_current(spent_in, now + 5 + DATE_RESOLUTION)
    assert limiter.remaining is None  # ... then the next window is learned anew


def test_a_new_window_counts_our_requests_still_on_their_way() -> None:
    limiter, now = _factors_limiter(remaining=300, reset_in=1)
    spent_in = limiter.window
    limiter.in_flight = 3  # sent in the old window, not yet answered

    # The first answer from the next window: Okta has not seen those three yet.
    limiter.observe(_state(600, 590, now + 61, now), now)

    assert limiter.remaining == 587
    assert not limiter.still_current(spent_in, now)  # queued spends go again


def test_other_buckets_are_not_held_by_a_spent_one() -> None:
    clock = SteppedClock()
    pacer = _pacer(clock)
    now = clock.now()
    pacer.limiter("/api/v1/logs").observe(
        _state(10, 5, now + 30, now),
        now,
    )
    asyncio.run(pacer.wait_for_budget("/api/v1/users", max_wait=0.0))
    assert clock.sleeps == []


def test_reset_is_read_against_the_server_date_not_our_clock() -> None:
    clock = SteppedClock()
    pacer = _pacer(clock)
    local = clock.now()
    server = local - 100  # our clock runs 100 s ahead of Okta's
    pacer.limiter("/api/v1/apps").observe(
        _state(10, 5, server + 20, server),
        local,
    )
    asyncio.run(pacer.wait_for_budget("/api/v1/apps", max_wait=600.0))
    assert clock.sleeps == [pytest.approx(20 + DATE_RESOLUTION)]


def test_a_wait_longer_than_allowed_raises_rate_limited() -> None:
    clock = SteppedClock()
    pacer = _pacer(clock)
    now = clock.now()
    pacer.limiter("/api/v1/users").observe(
        _state(10, 5, now + 50, now),
        now,
    )
    with pytest.raises(RateLimited) as caught:
        asyncio.run(pacer.wait_for_budget("/api/v1/users", max_wait=10.0))
    assert "rate limit share" in (caught.value.hint or "")
    assert clock.sleeps == []


def test_a_429_waits_until_reset_by_the_server_clock_plus_jitter() -> None:
    clock = SteppedClock()
    pacer = Pacer(clock, max_in_flight=4, jitter=lambda: 0.25)
    server = clock.now() + 7  # server ahead of us
    state = read_rate_limit(_headers(50, 0, server + 12, server))
    asyncio.run(pacer.wait_for_reset("/api/v1/logs", state, deadline=clock.now() + 600))
    assert clock.sleeps == [pytest.approx(12 + DATE_RESOLUTION + 0.25)]


def test_concurrency_429_halves_the_in_flight_cap_and_backs_off() -> None:
    clock = SteppedClock()
    pacer = Pacer(clock, max_in_flight=8, jitter=lambda: 0.0)
    now = clock.now()
    state = read_rate_limit(_headers(0, 0, now + 60, now))
    assert state is not None
    assert state.is_concurrency
    asyncio.run(pacer.wait_for_reset("/api/v1/users", state, deadline=now + 600))
    assert pacer.gate.cap == 4
    assert clock.sleeps == [pytest.approx(1.0)]  # a short backoff, not a window
    # A concurrency refusal says nothing about the per-minute quota.
    assert pacer.limiter("/api/v1/users").remaining is None


def test_in_flight_cap_recovers_one_slot_after_a_run_of_successes() -> None:
    gate = InFlightGate(8)
    gate.back_off()
    gate.back_off()
    assert gate.cap == 2
    for _ in range(2):
        gate.succeeded()
    assert gate.cap == 3
    for _ in range(100):
        gate.succeeded()
    assert gate.cap == 8


def test_gate_holds_requests_beyond_the_cap() -> None:
    gate = InFlightGate(2)
    peak = 0

    async def one() -> None:
        nonlocal peak
        await gate.enter()
        peak = max(peak, gate.in_flight)
        await asyncio.sleep(0)
        await gate.leave()

    async def run() -> None:
        await asyncio.gather(*(one() for _ in range(10)))

    asyncio.run(run())
    assert peak == 2


def test_new_window_is_learned_after_reset_passes() -> None:
    clock = SteppedClock()
    pacer = _pacer(clock)
    now = clock.now()
    limiter = pacer.limiter("/api/v1/users")
    limiter.observe(_state(10, 5, now + 30, now), now)
    assert limiter.budget(now) == 0
    assert limiter.budget(now + 40) is None  # unknown until the next response


def test_while_a_window_is_unknown_one_request_goes_first_to_learn_it() -> None:
    clock = SteppedClock()
    pacer = _pacer(clock)
    now = clock.now()

    async def run() -> None:
        first = await pacer.wait_for_budget("/api/v1/users", max_wait=60.0)
        second = asyncio.create_task(
            pacer.wait_for_budget("/api/v1/users", max_wait=60.0)
        )
        for _ in range(5):
            await asyncio.sleep(0)
        assert not second.done()  # held until the first answer is in

        first.observe(_state(10, 9, now + 30, now), now)
        first.settle()
        assert await second is first
        assert first.remaining == 8

    asyncio.run(run())


def test_a_bucket_without_headers_does_not_hold_requests_back() -> None:
    clock = SteppedClock()
    pacer = _pacer(clock)

    async def run() -> None:
        limiter = await pacer.wait_for_budget(
            "/.well-known/okta-organization", max_wait=0
        )
        limiter.unmetered = True  # the answer carried no rate-limit headers
        limiter.settle()
        await asyncio.gather(
            *(
                pacer.wait_for_budget("/.well-known/okta-organization", max_wait=0)
                for _ in range(3)
            )
        )

    asyncio.run(run())
