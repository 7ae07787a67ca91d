"""The lazy System Log: windows, order, type filters, counts and scale."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from atomation.simulator.generator import generate_org
from atomation.simulator.org import Org

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def org() -> Org:
    return generate_org(
        seed=3, users=2000, profile="typical", base_url="http://127.0.0.1:1", now=NOW
    )


def test_log_spans_ninety_days_with_about_ten_events_per_user(org: Org) -> None:
    assert org.log.anchor == NOW
    assert 15_000 < len(org.log) < 25_000
    assert org.log.count(since=NOW - timedelta(days=91), until=NOW) == len(org.log)
    assert (
        org.log.count(since=NOW - timedelta(days=200), until=NOW - timedelta(days=95))
        == 0
    )


def test_a_window_yields_events_in_published_order_within_bounds(org: Org) -> None:
    since, until = (
        NOW - timedelta(days=10, minutes=17),
        NOW - timedelta(days=9, hours=3),
    )
    events = list(org.log.events(since=since, until=until))
    published = [e["published"] for e in events]
    assert events
    assert published == sorted(published)
    assert published[0] >= "2026-05-22T11:43"
    assert published[-1] < "2026-05-23T09:00"
    assert len(events) == org.log.count(since=since, until=until)
    descending = list(org.log.events(since=since, until=until, descending=True))
    assert [e["uuid"] for e in descending] == [e["uuid"] for e in reversed(events)]


def test_event_type_filter_yields_only_those_types(org: Org) -> None:
    wanted = frozenset({"user.session.start", "user.account.privilege.grant"})
    events = list(org.log.events(since=org.log.start, until=NOW, event_types=wanted))
    assert {e["eventType"] for e in events} == wanted
    assert len(events) == org.log.count(
        since=org.log.start, until=NOW, event_types=wanted
    )
    failures = [e for e in events if e["outcome"]["result"] == "FAILURE"]
    assert failures


def test_planted_spray_is_one_ip_failing_for_many_users(org: Org) -> None:
    spray = [
        e
        for e in org.log.events(
            since=org.log.start,
            until=NOW,
            event_types=frozenset({"user.session.start"}),
        )
        if e["client"]["ipAddress"] == "45.155.205.17"
    ]
    failed = {e["actor"]["id"] for e in spray if e["outcome"]["result"] == "FAILURE"}
    assert len(failed) >= 10
    assert any(e["outcome"]["result"] == "SUCCESS" for e in spray)


def test_support_impersonation_and_mfa_reset_are_in_the_log(org: Org) -> None:
    types = frozenset(
        {
            "user.session.impersonation.grant",
            "user.session.impersonation.initiate",
            "user.mfa.factor.reset_all",
        }
    )
    seen = {
        e["eventType"]
        for e in org.log.events(since=org.log.start, until=NOW, event_types=types)
    }
    assert seen == types


def test_hundred_thousand_users_and_a_million_events_stay_lazy() -> None:
    big = generate_org(
        seed=5, users=100_000, profile="typical", base_url="http://127.0.0.1:1", now=NOW
    )
    assert len(big.users) == 100_000
    assert 900_000 < len(big.log) < 1_100_000
    last = big.users[99_999]
    assert big.user(last["id"]) == last
    assert big.user_factors(last["id"]) == big.user_factors(last["id"])
    window = list(
        itertools.islice(
            big.log.events(since=NOW - timedelta(hours=2), until=NOW), 5000
        )
    )
    assert window
    assert all(e["published"] >= "2026-06-01T10:00" for e in window)
    everyone = big.group_member_ids(big.groups[0]["id"])
    assert len(everyone) == 100_000
    assert everyone[-1] == last["id"]
